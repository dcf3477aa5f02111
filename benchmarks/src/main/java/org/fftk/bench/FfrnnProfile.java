package org.fftk.bench;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.fftk.edge.data.Dataset;
import org.fftk.edge.model.Architecture;
import org.fftk.edge.model.Objective;
import org.fftk.trainer.TrainConfig;
import org.fftk.trainer.tf.GraphNet;
import org.fftk.trainer.tf.Net;
import org.fftk.trainer.tf.RecurrentNet;
import org.tensorflow.proto.NodeExecStats;
import org.tensorflow.proto.RunMetadata;
import org.tensorflow.proto.StepStats;

/**
 * Where an FFRNN training frame's time goes, next to an FFNN step of the same widths, in one JVM:
 * the mean wall time per {@code Session.run} of each, their ratio against the ratio of their
 * multiply-adds, and TensorFlow's per-op timings (RunMetadata step stats, summed by op type) of a
 * traced run of each. Arguments: [widths=2000,2000] [batch=128] [steps=10].
 *
 * <p>Multiply-adds per example row (pos and neg rows alike): FFNN step = forward Σ in·out plus the
 * same again for the weight gradients; FFRNN frame = per layer forward W_f (below·w) and W_b
 * (above·w), plus the same again for their weight gradients.
 */
public final class FfrnnProfile {
    public static void main(String[] args) {
        BenchArgs a = new BenchArgs(args);
        int[] widths = a.widths("widths", "2000,2000");
        String[] ws = a.get("widths", "2000,2000").split(",");
        int batch = a.integer("batch", 128);
        int steps = a.integer("steps", 10);
        int n = 2048;
        int dim = 784;
        int labels = 10;
        Random rng = new Random(1);
        float[] px = new float[n * dim];
        int[] y = new int[n];
        for (int i = 0; i < px.length; i++) {
            px[i] = rng.nextFloat() < 0.2f ? rng.nextFloat() : 0f;
        }
        for (int i = 0; i < n; i++) {
            y[i] = rng.nextInt(labels);
        }
        Dataset d = new Dataset("examples", dim, labels, px, y);

        double ffnnMacs = 0;
        int in = dim + labels;
        for (int w : widths) {
            ffnnMacs += (double) in * w;
            in = w;
        }
        double rnnMacs = 0;
        for (int i = 0; i < widths.length; i++) {
            int below = i == 0 ? dim : widths[i - 1];
            int above = i == widths.length - 1 ? labels : widths[i + 1];
            rnnMacs += (double) widths[i] * (below + above);
        }

        double ffnnSec;
        StepStats ffnnStats;
        try (Net net = new Net(Architecture.FFNN, Objective.MINIMIZE, dim, labels, widths, 20f, 0.02f, 1e-4f, n,
                TrainConfig.Device.CPU); GraphNet.BatchFeed f = net.batchFeed(batch)) {
            net.setParams(random(net.paramShapes(), rng));
            net.loadTrainingImages(d);
            long step = 0;
            for (int w = 0; w < 3; w++) {
                fill(f, rng, n, y, labels);
                net.trainStep(f, ++step);
            }
            long t0 = System.nanoTime();
            for (int s = 0; s < steps; s++) {
                fill(f, rng, n, y, labels);
                net.trainStep(f, ++step);
            }
            ffnnSec = (System.nanoTime() - t0) / 1e9 / steps;
            ffnnStats = net.profileStep(f, ++step).getStepStats();
        }
        double rnnSec;
        StepStats rnnStats;
        try (RecurrentNet net = new RecurrentNet(Objective.MINIMIZE, dim, labels, widths, 20f, 0.7f, 0.02f, 1e-4f, n,
                TrainConfig.Device.CPU); GraphNet.BatchFeed f = net.batchFeed(batch)) {
            net.setParams(random(net.paramShapes(), rng));
            net.loadTrainingImages(d);
            long step = 0;
            fill(f, rng, n, y, labels);
            net.start(f);
            for (int w = 0; w < 3; w++) {
                net.trainFrame(f, ++step);
            }
            long t0 = System.nanoTime();
            for (int s = 0; s < steps; s++) {
                net.trainFrame(f, ++step);
            }
            rnnSec = (System.nanoTime() - t0) / 1e9 / steps;
            rnnStats = net.profileFrame(f, ++step).getStepStats();
        }
        System.out.printf(Locale.ROOT, "FFRNNPROFILE widths=%s batch=%d: ffnn step %.1f ms, ffrnn frame %.1f ms, "
                        + "time ratio %.2f, multiply-add ratio %.2f%n", String.join(",", ws), batch, 1e3 * ffnnSec,
                1e3 * rnnSec, rnnSec / ffnnSec, rnnMacs / ffnnMacs);
        print("ffnn step", ffnnStats);
        print("ffrnn frame", rnnStats);
    }

    /** Op time summed by op type (the trace's all_end_rel_micros), largest first. */
    private static void print(String what, StepStats stats) {
        Map<String, long[]> byType = new HashMap<>();
        long total = 0;
        for (var dev : stats.getDevStatsList()) {
            for (NodeExecStats ns : dev.getNodeStatsList()) {
                String type = ns.getTimelineLabel().isEmpty() ? ns.getNodeName() : ns.getTimelineLabel();
                int eq = type.indexOf(" = ");
                if (eq >= 0) {
                    type = type.substring(eq + 3);
                }
                int paren = type.indexOf('(');
                if (paren > 0) {
                    type = type.substring(0, paren);
                }
                long us = ns.getAllEndRelMicros();
                byType.computeIfAbsent(type, k -> new long[2])[0] += us;
                byType.get(type)[1]++;
                total += us;
            }
        }
        List<Map.Entry<String, long[]>> e = new ArrayList<>(byType.entrySet());
        e.sort((x, y) -> Long.compare(y.getValue()[0], x.getValue()[0]));
        System.out.printf(Locale.ROOT, "%s: ops' summed time %.1f ms (ops on 2 cores overlap)%n", what, total / 1e3);
        for (int i = 0; i < Math.min(12, e.size()); i++) {
            System.out.printf(Locale.ROOT, "  %-22s %8.1f ms  %3d ops%n", e.get(i).getKey(), e.get(i).getValue()[0] / 1e3,
                    e.get(i).getValue()[1]);
        }
    }

    private static List<float[]> random(List<long[]> shapes, Random rng) {
        List<float[]> p = new ArrayList<>();
        for (long[] s : shapes) {
            float[] v = new float[(int) (s.length == 2 ? s[0] * s[1] : s[0])];
            double bound = 1 / Math.sqrt(s.length == 2 ? s[1] : 100);
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) ((rng.nextDouble() * 2 - 1) * bound);
            }
            p.add(v);
        }
        return p;
    }

    private static void fill(GraphNet.BatchFeed f, Random rng, int n, int[] y, int labels) {
        for (int i = 0; i < f.size; i++) {
            f.index[i] = rng.nextInt(n);
            f.label[i] = y[f.index[i]];
            f.negative[i] = (f.label[i] + 1 + rng.nextInt(labels - 1)) % labels;
        }
    }
}
