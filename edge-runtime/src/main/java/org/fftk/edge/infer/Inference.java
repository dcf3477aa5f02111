package org.fftk.edge.infer;

import org.fftk.edge.model.Model;

/** Entry point: the fastest predictor this runtime has for a model's architecture. */
public final class Inference {
    private Inference() {
    }

    public static Predictor predictor(Model m) {
        switch (m.architecture()) {
            case FFNN:
            case BPNN:
                return new PlainPredictor(m);
            default:
                throw new UnsupportedOperationException("edge runtime cannot run " + m.architecture() + " models yet");
        }
    }
}
