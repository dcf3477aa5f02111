package org.fftk.trainer;

import org.fftk.trainer.history.EpochRecord;

/** Receives training progress; every method has an empty default. Called on the training thread. */
public interface TrainListener {
    /** An epoch of {@code steps} batches is about to start (epochs are 1-based). */
    default void epochStarted(int epoch, int epochs, int steps) {
    }

    /** Periodic update within an epoch: mean loss so far and training examples per second. */
    default void progress(int epoch, int step, int steps, double loss, double samplesPerSecond) {
    }

    /** The epoch is finished and evaluated. */
    default void epochFinished(EpochRecord record, int epochs) {
    }

    /** A listener that ignores everything. */
    static TrainListener none() {
        return new TrainListener() {
        };
    }
}
