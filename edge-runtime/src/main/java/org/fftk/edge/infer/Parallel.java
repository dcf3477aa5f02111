package org.fftk.edge.infer;

import java.util.concurrent.atomic.AtomicReference;

/**
 * Splits n items into contiguous parts, one per thread (plain threads: the runtime has no
 * dependencies and no pools to shut down). The first failure is rethrown on the caller's thread.
 */
public final class Parallel {
    /** Work on items [from, to) by worker {@code worker} (0-based). */
    public interface Part {
        void run(int worker, int from, int to);
    }

    private Parallel() {
    }

    /** The number of workers {@link #split} uses for n items and the requested threads. */
    public static int workers(int n, int threads) {
        return Math.max(1, Math.min(threads, n));
    }

    /** Runs {@code part} on {@link #workers} contiguous, near-equal parts of [0, n); returns when all are done. */
    public static void split(int n, int threads, Part part) {
        int t = workers(n, threads);
        if (t == 1) {
            part.run(0, 0, n);
            return;
        }
        Thread[] workers = new Thread[t];
        AtomicReference<Throwable> failure = new AtomicReference<>();
        for (int w = 0; w < t; w++) {
            int worker = w;
            int from = (int) ((long) n * w / t);
            int to = (int) ((long) n * (w + 1) / t);
            workers[w] = new Thread(() -> {
                try {
                    part.run(worker, from, to);
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            }, "fftk-edge-" + w);
            workers[w].start();
        }
        for (Thread w : workers) {
            try {
                w.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted");
            }
        }
        Throwable f = failure.get();
        if (f instanceof RuntimeException) {
            throw (RuntimeException) f;
        }
        if (f instanceof Error) {
            throw (Error) f;
        }
        if (f != null) {
            throw new IllegalStateException(f);
        }
    }
}
