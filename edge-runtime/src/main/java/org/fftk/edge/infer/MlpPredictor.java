package org.fftk.edge.infer;

import java.util.Arrays;
import java.util.List;
import org.fftk.edge.model.DenseLayer;
import org.fftk.edge.model.Model;

/** bpnn: ReLU hidden layers and a linear output layer; logits as scores. Sparse inputs skipped. */
final class MlpPredictor extends BlockPredictor {
    private final int depth;
    private final int[] width;
    private final float[][] wt;
    private final float[][] bias;
    private final float[] ct;
    private final float[] cb;
    private final float[] xT;
    private final float[] sumSq;
    private final float[] acc;

    MlpPredictor(Model m, int block) {
        super(m, block);
        List<DenseLayer> ls = m.layers();
        depth = ls.size();
        width = m.widths();
        wt = new float[depth][];
        bias = new float[depth][];
        int maxIn = d;
        for (int l = 0; l < depth; l++) {
            DenseLayer dl = ls.get(l);
            wt[l] = Kernels.transpose(dl.weights(), dl.out(), dl.in());
            bias[l] = dl.biases();
            maxIn = Math.max(maxIn, dl.out());
        }
        DenseLayer c = m.classifier();
        ct = Kernels.transpose(c.weights(), c.out(), c.in());
        cb = c.biases();
        xT = new float[maxIn * block];
        sumSq = new float[block];
        acc = new float[maxIn * block];
    }

    @Override
    void scoreBlock(float[] images, int off, int k, float[] out, int outOff) {
        Kernels.transposeImages(images, off, k, d, xT, sumSq);
        int in = d;
        for (int l = 0; l < depth; l++) {
            int hl = width[l];
            Arrays.fill(acc, 0, k * hl, 0f);
            Kernels.multiplyAdd(xT, k, in, wt[l], 0, hl, acc);
            float[] b = bias[l];
            for (int r = 0; r < k; r++) {
                int ab = r * hl;
                for (int j = 0; j < hl; j++) {
                    float v = acc[ab + j] + b[j];
                    xT[j * k + r] = v > 0f ? v : 0f;
                }
            }
            in = hl;
        }
        Arrays.fill(out, outOff, outOff + k * labels, 0f);
        Kernels.multiplyAdd(xT, k, in, ct, 0, labels, out, outOff);
        for (int r = 0; r < k; r++) {
            for (int c = 0; c < labels; c++) {
                out[outOff + r * labels + c] += cb[c];
            }
        }
    }
}
