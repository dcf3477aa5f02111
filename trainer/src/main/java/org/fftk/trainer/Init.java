package org.fftk.trainer;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.fftk.edge.model.Architecture;
import org.fftk.edge.model.Layout;

/**
 * Initial weights (docs/algorithms.md, "Training"), drawn from one seeded {@link Random} in a fixed
 * order, so that a seed fixes the starting point exactly.
 */
final class Init {
    private Init() {
    }

    /**
     * PyTorch nn.Linear and nn.Conv2d: every tensor ~ U(−1/√fan_in, 1/√fan_in), fan_in = the product
     * of the last weight shape's dimensions after the first (a dense weight's columns, a conv weight's
     * in_channels·k·k; a bias takes its weight's bound); drawn tensor by tensor, row-major.
     */
    static List<float[]> linear(List<long[]> shapes, Random rng) {
        List<float[]> out = new ArrayList<>();
        double bound = 0;
        for (long[] s : shapes) {
            long n = 1;
            for (long d : s) {
                n *= d;
            }
            if (s.length >= 2) {
                bound = 1 / Math.sqrt((double) n / s[0]);
            }
            out.add(uniform(Math.toIntExact(n), bound, rng));
        }
        return out;
    }

    /**
     * ffrnn, per layer in order: W_f, b, W_b, each ~ U(−1/√(in_f + in_b), 1/√(in_f + in_b)), i.e.
     * PyTorch nn.Linear for one layer reading the concatenation of the layer below and the layer
     * above (the label for the top layer).
     */
    static List<float[]> recurrent(int dim, int labels, int[] widths, Random rng) {
        List<float[]> out = new ArrayList<>();
        for (int i = 0; i < widths.length; i++) {
            int in = Layout.layerInput(Architecture.FFRNN, dim, labels, widths, i);
            int above = Layout.backwardInput(Architecture.FFRNN, labels, widths, i);
            double bound = 1 / Math.sqrt(in + above);
            for (int n : new int[] {widths[i] * in, widths[i], widths[i] * above}) {
                out.add(uniform(n, bound, rng));
            }
        }
        return out;
    }

    private static float[] uniform(int n, double bound, Random rng) {
        float[] a = new float[n];
        for (int k = 0; k < n; k++) {
            a[k] = (float) ((rng.nextDouble() * 2 - 1) * bound);
        }
        return a;
    }

    /** A wrong label per example, uniform over the L − 1 others: (y + 1 + U{0..L−2}) mod L. */
    static int wrongLabel(int y, int labels, Random rng) {
        return (y + 1 + rng.nextInt(labels - 1)) % labels;
    }
}
