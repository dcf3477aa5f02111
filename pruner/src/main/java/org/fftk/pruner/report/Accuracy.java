package org.fftk.pruner.report;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.fftk.edge.infer.Predictor;
import org.fftk.edge.model.Model;
import org.fftk.pruner.data.LabeledImages;
import org.fftk.pruner.forward.ReferencePredictor;

/**
 * Accuracy with the edge runtime's predictor ({@code Inference.predictor}, falling back to the
 * pruner's reference forward for architectures the runtime cannot run yet). One predictor per thread.
 */
public final class Accuracy {
    private static final int BATCH = 128;

    private Accuracy() {
    }

    /** Single-threaded evaluator. */
    public static Evaluator serial() {
        return Accuracy::correctFraction;
    }

    /** Splits the set into {@code threads} contiguous parts, each on its own thread and predictor. */
    public static Evaluator parallel(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
        if (threads == 1) {
            return serial();
        }
        return (m, test) -> {
            check(m, test);
            int n = test.size();
            ExecutorService ex = Executors.newFixedThreadPool(threads);
            try {
                List<Future<Long>> parts = new ArrayList<>();
                int per = (n + threads - 1) / threads;
                for (int from = 0; from < n; from += per) {
                    final int a = from;
                    final int b = Math.min(n, from + per);
                    parts.add(ex.submit(() -> correct(m, test, a, b)));
                }
                long c = 0;
                for (Future<Long> f : parts) {
                    c += f.get();
                }
                return (double) c / n;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("evaluation interrupted", e);
            } catch (ExecutionException e) {
                Throwable c = e.getCause();
                if (c instanceof RuntimeException) {
                    throw (RuntimeException) c;
                }
                throw new IllegalStateException(c);
            } finally {
                ex.shutdownNow();
            }
        };
    }

    /** Fraction of images whose predicted label is right, single-threaded. */
    public static double correctFraction(Model m, LabeledImages test) {
        check(m, test);
        return (double) correct(m, test, 0, test.size()) / test.size();
    }

    static void check(Model m, LabeledImages test) {
        if (test == null || test.size() == 0) {
            throw new IllegalArgumentException("the evaluation set is empty");
        }
        if (test.inputSize() != m.inputSize()) {
            throw new IllegalArgumentException("images have width " + test.inputSize() + " but the model reads "
                    + m.inputSize());
        }
    }

    /** Correct predictions among images [from, to). */
    static long correct(Model m, LabeledImages test, int from, int to) {
        Predictor p = ReferencePredictor.forModel(m);
        long c = 0;
        for (int i = from; i < to; i += BATCH) {
            int k = Math.min(BATCH, to - i);
            int[] y = p.predict(test.pixels(), test.offset(i), k);
            for (int s = 0; s < k; s++) {
                if (y[s] == test.label(i + s)) {
                    c++;
                }
            }
        }
        return c;
    }
}
