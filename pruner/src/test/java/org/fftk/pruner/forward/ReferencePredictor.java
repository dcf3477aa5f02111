package org.fftk.pruner.forward;

import org.fftk.edge.infer.Predictor;
import org.fftk.edge.model.Model;
import org.fftk.edge.model.Objective;

/**
 * A slow, simple {@link Predictor} over {@link Forward#scores}, for every architecture: the test
 * reference that pruned models are checked against (independently of the edge runtime's kernels).
 */
public final class ReferencePredictor implements Predictor {
    private final Model m;

    public ReferencePredictor(Model m) {
        this.m = m;
    }

    @Override
    public int inputSize() {
        return m.inputSize();
    }

    @Override
    public int numLabels() {
        return m.numLabels();
    }

    @Override
    public void scores(float[] images, int offset, int n, float[] out) {
        int d = m.inputSize();
        int labels = m.numLabels();
        for (int s = 0; s < n; s++) {
            float[] sc = Forward.scores(m, images, offset + s * d);
            System.arraycopy(sc, 0, out, s * labels, labels);
        }
    }

    @Override
    public int label(float[] scores, int row) {
        int labels = m.numLabels();
        boolean min = m.architecture().usesGoodness() && m.objective() == Objective.MINIMIZE;
        int best = 0;
        for (int c = 1; c < labels; c++) {
            float v = scores[row * labels + c];
            float b = scores[row * labels + best];
            if (min ? v < b : v > b) {
                best = c;
            }
        }
        return best;
    }
}
