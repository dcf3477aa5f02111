package org.fftk.edge.infer;

import java.util.List;
import org.fftk.edge.model.DenseLayer;
import org.fftk.edge.model.Model;

/** bpnn: ReLU hidden layers and a linear output layer; logits as scores. Sparse inputs skipped. */
final class MlpPredictor extends BlockPredictor {
    private final int depth;
    private final int[] width;
    private final float[][][] wt;
    private final float[][] bias;
    private final float[][] ct;
    private final float[] cb;
    private final float[] xT;
    private final float[] sumSq;
    private final float[][] acc;
    private final float[][] logits;

    MlpPredictor(Model m, int block) {
        this(m, block, null);
    }

    /** With {@code share} given, uses its (immutable) weight arrays and allocates only scratch. */
    private MlpPredictor(Model m, int block, MlpPredictor share) {
        super(m, block);
        List<DenseLayer> ls = m.layers();
        depth = ls.size();
        width = m.widths();
        int maxIn = d;
        for (int v : width) {
            maxIn = Math.max(maxIn, v);
        }
        if (share != null) {
            wt = share.wt;
            bias = share.bias;
            ct = share.ct;
            cb = share.cb;
        } else {
            wt = new float[depth][][];
            bias = new float[depth][];
            for (int l = 0; l < depth; l++) {
                DenseLayer dl = ls.get(l);
                wt[l] = Kernels.inputMajor(dl.weights(), dl.out(), dl.in());
                bias[l] = dl.biases();
            }
            DenseLayer c = m.classifier();
            ct = Kernels.inputMajor(c.weights(), c.out(), c.in());
            cb = c.biases();
        }
        xT = new float[maxIn * block];
        sumSq = new float[block];
        acc = new float[block][maxIn];
        logits = new float[block][labels];
    }

    /** bpnn computes no goodness while predicting: z is computed here, for the trace only. */
    private void emitWithGoodness(int r, int l, int hl, int k) {
        double ss = 0;
        for (int j = 0; j < hl; j++) {
            float v = xT[j * k + r];
            ss += v * v;
        }
        emit(r, -1, l, 0, xT, r, k, hl, ss / hl - model.theta());
    }

    @Override
    BlockPredictor fork() {
        return new MlpPredictor(model, block, this);
    }

    @Override
    void scoreBlock(float[] images, int off, int k, float[] out, int outOff) {
        Kernels.transposeImages(images, off, k, d, xT, sumSq);
        int in = d;
        for (int l = 0; l < depth; l++) {
            int hl = width[l];
            Kernels.clear(acc, k, hl);
            Kernels.multiplyAdd(xT, k, in, wt[l], hl, acc);
            float[] b = bias[l];
            for (int r = 0; r < k; r++) {
                float[] a = acc[r];
                for (int j = 0; j < hl; j++) {
                    float v = a[j] + b[j];
                    xT[j * k + r] = v > 0f ? v : 0f;
                }
                if (sink != null) {
                    emitWithGoodness(r, l, hl, k);
                }
            }
            in = hl;
        }
        Kernels.clear(logits, k, labels);
        Kernels.multiplyAdd(xT, k, in, ct, labels, logits);
        for (int r = 0; r < k; r++) {
            for (int c = 0; c < labels; c++) {
                out[outOff + r * labels + c] = logits[r][c] + cb[c];
            }
        }
    }
}
