package org.fftk.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.fftk.edge.model.Architecture;
import org.fftk.edge.model.Objective;
import org.fftk.trainer.TrainConfig;
import org.fftk.edge.data.Dataset;
import org.fftk.trainer.tf.Net;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * FF training speed vs. TensorFlow's plain matmul rate, in one JVM.
 * Arguments: [widths=2000,2000] [batch=128] [steps=30] [arch=ffnn].
 *
 * <p>Counts 2 FLOPs per multiply-add over the forward products and the weight-gradient products
 * (ffnn: 2·batch rows pos+neg, per layer in·out, forward + dW = 2 products; bpnn: batch rows,
 * forward + dW + dX), and compares with the GFLOP/s of a 2000×2000 · 2000×2000 matmul.
 * Random pixel data (speed does not depend on the values).
 */
public final class TrainSpeed {
    public static void main(String[] args) {
        BenchArgs a = new BenchArgs(args);
        int[] widths = a.widths("widths", "2000,2000");
        String[] ws = a.get("widths", "2000,2000").split(",");
        int batch = a.integer("batch", 128);
        int steps = a.integer("steps", 30);
        Architecture arch = Architecture.fromId(a.get("arch", "ffnn"));
        int n = 4096;
        int dim = 784;
        Random rng = new Random(1);
        float[] px = new float[n * dim];
        int[] y = new int[n];
        for (int i = 0; i < px.length; i++) {
            px[i] = rng.nextFloat();
        }
        for (int i = 0; i < n; i++) {
            y[i] = rng.nextInt(10);
        }
        Dataset d = new Dataset("examples", dim, 10, px, y);
        double matmul = matmulGflops(2000, 10);
        double sps;
        double outside;
        try (Net net = new Net(arch, Objective.MAXIMIZE, dim, 10, widths, 20f, 0.02f, 1e-4f, n, TrainConfig.Device.CPU)) {
            List<float[]> p = new ArrayList<>();
            for (long[] s : net.paramShapes()) {
                float[] v = new float[(int) (s.length == 2 ? s[0] * s[1] : s[0])];
                for (int i = 0; i < v.length; i++) {
                    v[i] = (float) ((rng.nextDouble() * 2 - 1) / Math.sqrt(s.length == 2 ? s[1] : 100));
                }
                p.add(v);
            }
            net.setParams(p);
            net.loadTrainingImages(d);
            try (Net.BatchFeed f = net.batchFeed(batch)) {
                long step = 0;
                for (int w = 0; w < 5; w++) {
                    fill(f, rng, n, y);
                    net.trainStep(f, ++step);
                }
                long t0 = System.nanoTime();
                long inRun = 0;
                for (int s = 0; s < steps; s++) {
                    fill(f, rng, n, y);
                    long r0 = System.nanoTime();
                    net.trainStep(f, ++step);
                    inRun += System.nanoTime() - r0;
                }
                long t = System.nanoTime() - t0;
                sps = steps * (double) batch / (t / 1e9);
                outside = 1 - inRun / (double) t;
            }
        }
        double macs = 0;
        int in = arch == Architecture.FFNN ? dim + 10 : dim;
        for (int w : widths) {
            macs += (double) in * w;
            in = w;
        }
        double rows = arch == Architecture.FFNN ? 2 : 1;
        double products = arch == Architecture.FFNN ? 2 : 3;
        if (arch == Architecture.BPNN) {
            macs += in * 10.0;
        }
        double flopsPerSample = 2 * macs * rows * products;
        double trainGflops = sps * flopsPerSample / 1e9;
        System.out.printf(Locale.ROOT, "TRAINSPEED arch=%s widths=%s batch=%d cores=%d: %.0f samples/s, %.1f GFLOP/s "
                        + "(%.1f%% of matmul %.1f GFLOP/s), outside Session.run %.2f%%%n",
                arch, String.join(",", ws), batch, Runtime.getRuntime().availableProcessors(), sps, trainGflops,
                100 * trainGflops / matmul, matmul, 100 * outside);
    }

    private static void fill(Net.BatchFeed f, Random rng, int n, int[] y) {
        for (int i = 0; i < f.size; i++) {
            f.index[i] = rng.nextInt(n);
            f.label[i] = y[f.index[i]];
            f.negative[i] = (f.label[i] + 1 + rng.nextInt(9)) % 10;
        }
    }

    /** GFLOP/s of an n×n by n×n matmul (2n³ FLOPs), variables on the graph side, best of {@code reps}. */
    static double matmulGflops(int n, int reps) {
        try (Graph g = new Graph()) {
            Ops tf = Ops.create(g);
            Random r = new Random(2);
            float[] v = new float[n * n];
            for (int i = 0; i < v.length; i++) {
                v[i] = r.nextFloat();
            }
            Variable<TFloat32> a = tf.variable(tf.constant(Shape.of(n, n), org.tensorflow.ndarray.buffer.DataBuffers.of(v)));
            Variable<TFloat32> b = tf.variable(tf.constant(Shape.of(n, n), org.tensorflow.ndarray.buffer.DataBuffers.of(v)));
            Variable<TFloat32> c = tf.variable(Shape.of(n, n), TFloat32.class);
            var assign = tf.assign(c, tf.linalg.matMul(a, b));
            try (Session s = new Session(g, org.fftk.trainer.tf.TfRuntime.config(TrainConfig.Device.CPU))) {
                s.initialize();
                s.runner().addTarget(assign).run().close();
                double best = Double.MAX_VALUE;
                for (int i = 0; i < reps; i++) {
                    long t0 = System.nanoTime();
                    try (Result res = s.runner().addTarget(assign).run()) {
                        best = Math.min(best, (System.nanoTime() - t0) / 1e9);
                    }
                }
                return 2.0 * n * n * n / best / 1e9;
            }
        }
    }
}
