package org.fftk.exporter;

import java.util.Random;
import org.fftk.edge.model.Architecture;
import org.fftk.edge.model.DenseLayer;
import org.fftk.edge.model.Model;
import org.fftk.edge.model.Objective;

/** Seeded random models for the tests. */
final class TestModels {
    private TestModels() {
    }

    /**
     * A layer with W, b ~ U(−a, a). gain 0 means PyTorch's nn.Linear init (a = 1/√in); otherwise
     * a = gain·√3, so that a unit-norm input gives pre-activations of standard deviation ≈ gain
     * (the FF layers see normalised inputs: this makes goodness differ clearly between labels).
     */
    static DenseLayer layer(Random r, int out, int in, double gain) {
        return layer(r, out, in, gain, 0);
    }

    static DenseLayer layer(Random r, int out, int in, double gain, int backIn) {
        double a = gain == 0 ? 1 / Math.sqrt(in) : gain * Math.sqrt(3);
        float[] w = uniform(r, out * in, a);
        float[] b = uniform(r, out, gain == 0 ? a : 0.5);
        if (backIn == 0) {
            return new DenseLayer(out, in, w, b);
        }
        double ab = gain == 0 ? 1 / Math.sqrt(backIn) : gain * Math.sqrt(3);
        return new DenseLayer(out, in, w, b, backIn, uniform(r, out * backIn, ab));
    }

    /**
     * The model with hidden layer i replaced by a factored one of rank ranks[i] (0: kept as it is),
     * random factors U, V whose product's entries have the variance {@code gain}² (gain 0: PyTorch's
     * 1/(3·in)), and the layer's own bias.
     */
    static Model factored(Model m, long seed, double gain, int... ranks) {
        Random r = new Random(seed);
        java.util.List<DenseLayer> ls = new java.util.ArrayList<>();
        for (int i = 0; i < ranks.length; i++) {
            DenseLayer l = m.layers().get(i);
            if (ranks[i] == 0) {
                ls.add(l);
                continue;
            }
            double sd = gain == 0 ? 1 / Math.sqrt(3.0 * l.in()) : gain;
            float[] u = uniform(r, l.out() * ranks[i], sd * Math.sqrt(3.0 / ranks[i]));
            float[] v = uniform(r, ranks[i] * l.in(), Math.sqrt(3));
            ls.add(DenseLayer.factored(l.out(), l.in(), ranks[i], u, v, l.biases()));
        }
        return m.toBuilder().layers(ls).build();
    }

    static float[] uniform(Random r, int n, double a) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) ((r.nextDouble() * 2 - 1) * a);
        }
        return v;
    }

    static Model ffnn(long seed, int d, int[] widths, Objective obj, float theta, double gain) {
        Random r = new Random(seed);
        Model.Builder b = Model.builder(Architecture.FFNN).inputSize(d).objective(obj).theta(theta)
                .provenance("{\"test\":\"random ffnn seed " + seed + "\"}");
        int in = d + 10;
        for (int w : widths) {
            b.addLayer(layer(r, w, in, gain));
            in = w;
        }
        return b.build();
    }

    static Model ffnnC(long seed, int d, int[] widths, double gain) {
        Random r = new Random(seed);
        Model.Builder b = Model.builder(Architecture.FFNN_C).inputSize(d);
        int in = d + 10;
        int total = 0;
        for (int w : widths) {
            b.addLayer(layer(r, w, in, gain));
            in = w;
            total += w;
        }
        return b.classifier(layer(r, 10, total, 0)).build();
    }

    static Model bpnn(long seed, int d, int[] widths) {
        Random r = new Random(seed);
        Model.Builder b = Model.builder(Architecture.BPNN).inputSize(d);
        int in = d;
        for (int w : widths) {
            b.addLayer(layer(r, w, in, 0));
            in = w;
        }
        return b.classifier(layer(r, 10, in, 0)).build();
    }

    static Model ffrnn(long seed, int d, int[] widths, Objective obj, float theta, double gain) {
        Random r = new Random(seed);
        Model.Builder b = Model.builder(Architecture.FFRNN).inputSize(d).objective(obj).theta(theta);
        int in = d;
        for (int i = 0; i < widths.length; i++) {
            int above = i + 1 < widths.length ? widths[i + 1] : 10;
            b.addLayer(layer(r, widths[i], in, gain, above));
            in = widths[i];
        }
        return b.build();
    }

    /**
     * A random ffcnn on C × H × W images: conv layers of the given filters, kernels, strides and
     * pads with PyTorch's Conv2d init (W, b ~ U(−a, a), a = 1/√(in_channels·k²)), patterns U(0, 1).
     */
    static Model ffcnn(long seed, int ch, int h, int w, int[] filters, int[] kernels, int[] strides, int[] pads,
                       Objective obj, int scoreFrom, float intensity) {
        Random r = new Random(seed);
        org.fftk.edge.model.ConvShape cs = new org.fftk.edge.model.ConvShape(ch, h, w, kernels, strides, pads);
        Model.Builder b = Model.builder(Architecture.FFCNN).inputSize(ch * h * w).objective(obj).conv(cs)
                .scoreFrom(scoreFrom).labelIntensity(intensity).labelPatterns(uniform01(r, 10 * ch * h * w));
        for (int l = 0; l < filters.length; l++) {
            int in = cs.layerInput(l, filters);
            b.addLayer(layer(r, filters[l], in, 0));
        }
        return b.build();
    }

    /** As {@link #ffcnn} with random morphological label maps (every index 0..D, D reading a zero) instead of patterns. */
    static Model ffcnnMorphology(long seed, int ch, int h, int w, int[] filters, int[] kernels, int[] strides, int[] pads,
                                 Objective obj, int scoreFrom) {
        Model m = ffcnn(seed, ch, h, w, filters, kernels, strides, pads, obj, scoreFrom, 0.35f);
        Random r = new Random(seed + 1);
        int d = ch * h * w;
        int[] maps = new int[10 * d];
        for (int i = 0; i < maps.length; i++) {
            maps[i] = r.nextInt(d + 1);
        }
        return m.toBuilder().labelPatterns(null).labelMaps(maps).build();
    }

    /** ffcnn-c of an ffcnn's layers and labels, with a random classifier on layers 1..n−1 (U(−a, a), a = 1/√in). */
    static Model ffcnnC(Model ffcnn, long seed) {
        Random r = new Random(seed);
        Model.Builder b = Model.builder(Architecture.FFCNN_C).inputSize(ffcnn.inputSize()).numLabels(ffcnn.numLabels())
                .objective(ffcnn.objective()).conv(ffcnn.conv()).scoreFrom(ffcnn.scoreFrom())
                .labelIntensity(ffcnn.labelIntensity()).labelPatterns(ffcnn.labelPatterns()).layers(ffcnn.layers());
        if (ffcnn.labelMaps() != null) {
            b.labelMaps(ffcnn.labelMaps());
        }
        int in = org.fftk.edge.model.Layout.classifierInput(Architecture.FFCNN_C, ffcnn.widths(), ffcnn.conv());
        return b.classifier(layer(r, ffcnn.numLabels(), in, 0)).build();
    }

    /** A random bpcnn (docs/algorithms.md "BP-CNN"): conv layers, then the output layer on the last feature maps. */
    static Model bpcnn(long seed, int ch, int h, int w, int[] filters, int[] kernels, int[] strides, int[] pads) {
        Random r = new Random(seed);
        org.fftk.edge.model.ConvShape cs = new org.fftk.edge.model.ConvShape(ch, h, w, kernels, strides, pads);
        Model.Builder b = Model.builder(Architecture.BPCNN).inputSize(ch * h * w).conv(cs);
        for (int l = 0; l < filters.length; l++) {
            b.addLayer(layer(r, filters[l], cs.layerInput(l, filters), 0));
        }
        b.classifier(layer(r, 10, (int) cs.units(filters.length - 1, filters), 0));
        return b.build();
    }

    static float[] uniform01(Random r, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = r.nextFloat();
        }
        return v;
    }

    /** n synthetic images: half dense uniform [0,1), half MNIST-like (about 80% zeros). */
    static float[] syntheticImages(long seed, int n, int d) {
        Random r = new Random(seed);
        float[] x = new float[n * d];
        for (int s = 0; s < n; s++) {
            boolean sparse = s % 2 == 1;
            for (int i = 0; i < d; i++) {
                x[s * d + i] = sparse && r.nextDouble() < 0.8 ? 0f : r.nextFloat();
            }
        }
        return x;
    }
}
