package org.fftk.edge.testutil;

import java.util.Random;
import org.fftk.edge.model.Architecture;
import org.fftk.edge.model.DenseLayer;
import org.fftk.edge.model.Model;
import org.fftk.edge.model.Objective;

/** Random-weight models of any shape, initialised like PyTorch's nn.Linear (U(−1/√in, 1/√in)). */
public final class RandomModels {
    private RandomModels() {
    }

    public static DenseLayer layer(Random r, int out, int in, int backIn) {
        float s = (float) (1 / Math.sqrt(in));
        float[] w = uniform(r, out * in, s);
        float[] b = uniform(r, out, s);
        if (backIn == 0) {
            return new DenseLayer(out, in, w, b);
        }
        return new DenseLayer(out, in, w, b, backIn, uniform(r, out * backIn, (float) (1 / Math.sqrt(backIn))));
    }

    public static float[] uniform(Random r, int n, float s) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (r.nextFloat() * 2 - 1) * s;
        }
        return v;
    }

    /**
     * A random model. theta is chosen small (FF goodness of random nets is small), so that
     * softplus is not saturated and scores differ between labels.
     */
    public static Model model(Architecture arch, Objective obj, int d, int labels, long seed, int... widths) {
        Random r = new Random(seed);
        Model.Builder b = Model.builder(arch).inputSize(d).numLabels(labels).objective(obj).theta(0.05f)
                .provenance("{\"seed\":" + seed + "}");
        if (arch.isConv()) {
            // the image as one row of d pixels, 3-wide kernels with padding 1 (any d works)
            int[] k = new int[widths.length];
            int[] s = new int[widths.length];
            int[] p = new int[widths.length];
            java.util.Arrays.fill(k, 3);
            java.util.Arrays.fill(s, 1);
            java.util.Arrays.fill(p, 1);
            org.fftk.edge.model.ConvShape cs = new org.fftk.edge.model.ConvShape(1, 1, d, k, s, p);
            float[] pat = new float[labels * d];
            for (int i = 0; i < pat.length; i++) {
                pat[i] = r.nextFloat();
            }
            b.conv(cs);
            if (arch.isFfConv()) {
                b.labelPatterns(pat).scoreFrom(widths.length > 1 ? 1 : 0);
            }
            for (int i = 0; i < widths.length; i++) {
                b.addLayer(layer(r, widths[i], cs.layerInput(i, widths), 0));
            }
            int out = org.fftk.edge.model.Layout.classifierInput(arch, widths, cs);
            if (out > 0) {
                b.classifier(layer(r, labels, out, 0));
            }
            return b.build();
        }
        int in = (arch == Architecture.FFNN || arch == Architecture.FFNN_C) ? d + labels : d;
        int total = 0;
        for (int i = 0; i < widths.length; i++) {
            int back = arch == Architecture.FFRNN ? (i + 1 < widths.length ? widths[i + 1] : labels) : 0;
            b.addLayer(layer(r, widths[i], in, back));
            in = widths[i];
            total += widths[i];
        }
        if (arch == Architecture.BPNN) {
            b.classifier(layer(r, labels, in, 0));
        } else if (arch == Architecture.FFNN_C) {
            b.classifier(layer(r, labels, total, 0));
        }
        return b.build();
    }

    /** n synthetic images with about {@code zeroFraction} exact zeros, other pixels in (0,1]. */
    public static float[] sparseImages(long seed, int n, int d, double zeroFraction) {
        Random r = new Random(seed);
        float[] x = new float[n * d];
        for (int i = 0; i < x.length; i++) {
            x[i] = r.nextDouble() < zeroFraction ? 0f : (r.nextInt(255) + 1) / 255f;
        }
        return x;
    }
}
