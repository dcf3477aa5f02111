package org.fftk.trainer.tf;

import org.fftk.trainer.TrainConfig.Device;
import org.tensorflow.DeviceSpec;
import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.proto.ConfigProto;

/** Session settings and device selection shared by the training graphs. */
public final class TfRuntime {
    private TfRuntime() {
    }

    /** The device spec to place ops on, after checking that it exists. */
    public static DeviceSpec deviceSpec(Device d) {
        if (d == Device.GPU) {
            requireGpu();
            return DeviceSpec.newBuilder().deviceType(DeviceSpec.DeviceType.GPU).deviceIndex(0).build();
        }
        return DeviceSpec.newBuilder().deviceType(DeviceSpec.DeviceType.CPU).deviceIndex(0).build();
    }

    /**
     * Session options: intra-op threads = available processors, ONE inter-op thread so ops run in a
     * fixed order (together with deterministic kernels this makes a run repeatable); soft placement
     * only on GPU (ops without a GPU kernel fall back to the CPU).
     */
    public static ConfigProto config(Device d) {
        return ConfigProto.newBuilder()
                .setIntraOpParallelismThreads(Integer.getInteger("fftk.tf.intraThreads",
                        Runtime.getRuntime().availableProcessors()))
                .setInterOpParallelismThreads(1)
                .setAllowSoftPlacement(d == Device.GPU)
                .build();
    }

    /** True when TensorFlow can place an op on /device:GPU:0. */
    public static boolean gpuVisible() {
        try (Graph g = new Graph()) {
            Ops tf = Ops.create(g).withDevice(
                    DeviceSpec.newBuilder().deviceType(DeviceSpec.DeviceType.GPU).deviceIndex(0).build());
            var c = tf.identity(tf.constant(1f));
            ConfigProto cfg = ConfigProto.newBuilder().setAllowSoftPlacement(false).build();
            try (Session s = new Session(g, cfg); var r = s.runner().fetch(c).run()) {
                return true;
            }
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** Throws IllegalStateException with a one-line message when no GPU is visible to TensorFlow. */
    public static void requireGpu() {
        if (!gpuVisible()) {
            throw new IllegalStateException("device gpu requested but TensorFlow sees no GPU (needs an NVIDIA GPU, "
                    + "its CUDA driver, and a build with -Pgpu, which uses the linux-x86_64-gpu native library); "
                    + "use --device cpu");
        }
    }
}
