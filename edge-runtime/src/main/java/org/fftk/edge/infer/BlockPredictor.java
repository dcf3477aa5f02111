package org.fftk.edge.infer;

import org.fftk.edge.model.Model;
import org.fftk.edge.model.Objective;

/**
 * Common frame of the fast predictors: argument checks, splitting a batch into blocks of at most
 * {@link #block} images (scratch buffers are sized for one block, so nothing is allocated per
 * call), and the argmax/argmin label rule.
 */
abstract class BlockPredictor implements Predictor {
    /** Largest block: scratch grows with block × labels × width. */
    static final int MAX_BLOCK = 1024;
    final Model model;
    final int d;
    final int labels;
    final int block;
    private final boolean argmin;

    BlockPredictor(Model m, int block) {
        if (block < 1 || block > MAX_BLOCK) {
            throw new IllegalArgumentException("block size must be 1.." + MAX_BLOCK + ", got " + block);
        }
        this.model = m;
        this.d = m.inputSize();
        this.labels = m.numLabels();
        this.block = block;
        this.argmin = m.architecture().usesGoodness() && m.objective() == Objective.MINIMIZE;
    }

    @Override
    public final int inputSize() {
        return d;
    }

    @Override
    public final int numLabels() {
        return labels;
    }

    @Override
    public final void scores(float[] images, int offset, int n, float[] out) {
        if (n < 0 || offset < 0 || (long) offset + (long) n * d > images.length) {
            throw new IllegalArgumentException("need " + n + " images of " + d + " values from index " + offset
                    + ", but the array holds " + images.length + " values");
        }
        if ((long) n * labels > out.length) {
            throw new IllegalArgumentException("score array holds " + out.length + " values, need " + (long) n * labels);
        }
        for (int s = 0; s < n; s += block) {
            int k = Math.min(block, n - s);
            scoreBlock(images, offset + s * d, k, out, s * labels);
        }
    }

    /** A predictor for the same model sharing this one's (read-only) weights, with its own scratch buffers. */
    abstract BlockPredictor fork();

    /** Scores k ≤ block images starting at {@code images[off]} into {@code out[outOff..outOff + k·labels)}. */
    abstract void scoreBlock(float[] images, int off, int k, float[] out, int outOff);

    @Override
    public final int label(float[] scores, int row) {
        int base = row * labels;
        int best = 0;
        float b = scores[base];
        for (int c = 1; c < labels; c++) {
            float v = scores[base + c];
            if (argmin ? v < b : v > b) {
                best = c;
                b = v;
            }
        }
        return best;
    }
}
