package org.fftk.pruner.report;

import org.fftk.edge.data.Dataset;
import org.fftk.edge.infer.Inference;
import org.fftk.edge.model.Model;

/** Accuracy with the edge runtime's predictor ({@link Inference#correct}), on one or more threads. */
public final class Accuracy {
    private Accuracy() {
    }

    /** Single-threaded evaluator. */
    public static Evaluator serial() {
        return parallel(1);
    }

    /** Splits the set into {@code threads} contiguous parts, each on its own thread and predictor. */
    public static Evaluator parallel(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
        return (m, test) -> {
            check(m, test);
            return Inference.accuracy(m, test, threads);
        };
    }

    /** Fraction of images whose predicted label is right, single-threaded. */
    public static double correctFraction(Model m, Dataset test) {
        return serial().accuracy(m, test);
    }

    static void check(Model m, Dataset test) {
        if (test == null || test.size() == 0) {
            throw new IllegalArgumentException("the evaluation set is empty");
        }
        Inference.checkShape(m, test);
    }
}
