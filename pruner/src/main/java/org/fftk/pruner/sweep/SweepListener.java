package org.fftk.pruner.sweep;

/** Progress callbacks of a sweep (e.g. for a progress bar). Called from worker threads. */
public interface SweepListener {
    /** Before any work: how many points the sweep has in all and how many sweep.json already held. */
    default void planned(int total, int alreadyDone) {
    }

    /** A baseline (unpruned model) was evaluated. */
    default void baseline(SweepBaseline b) {
    }

    /** A point was finished and saved. */
    default void finished(SweepPoint p, int done, int total) {
    }
}
