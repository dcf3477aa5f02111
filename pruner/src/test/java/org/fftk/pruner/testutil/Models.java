package org.fftk.pruner.testutil;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.fftk.edge.model.Architecture;
import org.fftk.edge.model.DenseLayer;
import org.fftk.edge.model.Model;
import org.fftk.edge.model.ModelFormat;
import org.fftk.edge.model.Tensor;
import org.fftk.edge.data.Dataset;

/** Random small models and data for tests, and a simple stand-in model serializer. */
public final class Models {
    private Models() {
    }

    public static float[] uniform(Random r, int n, float a) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (r.nextFloat() * 2 - 1) * a;
        }
        return v;
    }

    /**
     * A two-layer ffcnn of geometry {@code cs}, filters {@code f}, 4 labels with the given patterns,
     * weights drawn N(0, 1) from {@code r} layer by layer, zero biases.
     */
    public static Model ffcnn(Random r, org.fftk.edge.model.ConvShape cs, int[] f, float[] patterns,
                              org.fftk.edge.model.Objective o) {
        Model.Builder b = Model.builder(Architecture.FFCNN).inputSize(cs.inputSize()).numLabels(4).conv(cs)
                .labelPatterns(patterns).objective(o);
        for (int l = 0; l < f.length; l++) {
            int in = cs.layerInput(l, f);
            float[] w = new float[f[l] * in];
            for (int i = 0; i < w.length; i++) {
                w[i] = (float) r.nextGaussian();
            }
            b.addLayer(new DenseLayer(f[l], in, w, new float[f[l]]));
        }
        return b.build();
    }

    /** A random model of the given architecture: image width d, labels, hidden widths. */
    public static Model random(Architecture arch, int d, int labels, int[] widths, long seed) {
        Random r = new Random(seed);
        Model.Builder b = Model.builder(arch).inputSize(d).numLabels(labels).theta(0.05f);
        int in = (arch == Architecture.FFNN || arch == Architecture.FFNN_C) ? d + labels : d;
        int total = 0;
        for (int l = 0; l < widths.length; l++) {
            int out = widths[l];
            float a = (float) (1 / Math.sqrt(in));
            if (arch == Architecture.FFRNN) {
                int above = l + 1 < widths.length ? widths[l + 1] : labels;
                b.addLayer(new DenseLayer(out, in, uniform(r, out * in, a), uniform(r, out, a), above,
                        uniform(r, out * above, a)));
            } else {
                b.addLayer(new DenseLayer(out, in, uniform(r, out * in, a), uniform(r, out, a)));
            }
            total += out;
            in = out;
        }
        if (arch == Architecture.BPNN || arch == Architecture.FFNN_C) {
            int cin = arch == Architecture.BPNN ? in : total;
            b.classifier(new DenseLayer(labels, cin, uniform(r, labels * cin, 1f), uniform(r, labels, 1f)));
        }
        if (arch == Architecture.FFRNN) {
            b.testFrames(2, 4).trainFrames(5);
        }
        return b.build();
    }

    /** Random images in [0,1] with random labels. */
    public static Dataset data(int n, int d, int labels, long seed) {
        Random r = new Random(seed);
        float[] p = new float[n * d];
        for (int i = 0; i < p.length; i++) {
            p[i] = r.nextFloat();
        }
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = r.nextInt(labels);
        }
        return new Dataset("random", d, labels, p, y);
    }

    /**
     * The same model with the neurons NOT in keep silenced: their weight row, bias (and backward
     * row) set to zero, so their activation is always 0. Shapes unchanged.
     */
    public static Model silenced(Model m, int[][] keep) {
        List<DenseLayer> out = new ArrayList<>();
        for (int l = 0; l < m.layers().size(); l++) {
            DenseLayer L = m.layers().get(l);
            boolean[] kept = new boolean[L.out()];
            for (int j : keep[l]) {
                kept[j] = true;
            }
            float[] w = L.weights();
            float[] b = L.biases();
            float[] bw = L.backWeights();
            for (int j = 0; j < L.out(); j++) {
                if (!kept[j]) {
                    b[j] = 0;
                    for (int i = 0; i < L.in(); i++) {
                        w[j * L.in() + i] = 0;
                    }
                    if (bw != null) {
                        for (int i = 0; i < L.backIn(); i++) {
                            bw[j * L.backIn() + i] = 0;
                        }
                    }
                }
            }
            out.add(bw == null ? new DenseLayer(L.out(), L.in(), w, b) : new DenseLayer(L.out(), L.in(), w, b, L.backIn(), bw));
        }
        return m.toBuilder().layers(out).build();
    }

    /**
     * A stand-in for the ONNX exporter: metadata as UTF-8 key=value lines, then each tensor's name,
     * dims and float32 values. Its size grows with the parameter count like a real model file.
     */
    public static byte[] serialize(Model m) {
        try {
            ByteArrayOutputStream bos = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(bos);
            for (Map.Entry<String, String> e : ModelFormat.metadata(m).entrySet()) {
                out.writeUTF(e.getKey() + "=" + e.getValue());
            }
            for (Tensor t : ModelFormat.tensors(m)) {
                out.writeUTF(t.name());
                for (long d : t.dims()) {
                    out.writeLong(d);
                }
                for (float v : t.data()) {
                    out.writeFloat(v);
                }
            }
            out.flush();
            return bos.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
