package org.fftk.edge.infer;

import org.fftk.edge.model.Model;

/** Entry point: the fastest predictor this runtime has for a model's architecture. */
public final class Inference {
    /** Images per block when none is given: enough to reuse each weight row, small enough for the cache. */
    public static final int DEFAULT_BLOCK = 4;

    private Inference() {
    }

    /** A predictor for any of the four architectures (one per thread: it owns scratch buffers). */
    public static Predictor predictor(Model m) {
        return predictor(m, DEFAULT_BLOCK);
    }

    /**
     * A predictor that processes up to {@code block} images at a time (its scratch memory grows
     * with the block; results do not depend on it beyond float rounding).
     */
    public static Predictor predictor(Model m, int block) {
        switch (m.architecture()) {
            case FFNN:
                return new GoodnessPredictor(m, block);
            case FFNN_C:
                return new FeaturePredictor(m, block);
            case FFRNN:
                return new RecurrentPredictor(m, block);
            case BPNN:
                return new MlpPredictor(m, block);
            default:
                throw new UnsupportedOperationException("edge runtime cannot run " + m.architecture() + " models");
        }
    }
}
