package org.fftk.trainer;

import org.fftk.edge.model.Model;

/**
 * What the training loop knows when an epoch's training pass is over, before any bookkeeping.
 *
 * @param epoch           1-based, counted across phases
 * @param phase           ffnn-c's "ff" or "classifier", else null
 * @param trainLoss       mean batch loss over the epoch (summed over layers where each layer has its own)
 * @param layerLosses     per layer, the mean batch loss of its own objective; null when the losses are
 *                        not per layer (bpnn, ffnn-c's classifier phase)
 * @param seconds         wall time of the training pass
 * @param samplesPerSecond training examples (positive images) per second of that pass
 * @param outsideRunShare share of the pass spent outside {@code Session.run}
 * @param passEnd         System.nanoTime() at the end of the pass
 * @param model           the network as it stands (for ffnn-c's FF phase: its FF layers as an ffnn)
 */
record EpochEnd(int epoch, String phase, double trainLoss, double[] layerLosses, double seconds,
                double samplesPerSecond, double outsideRunShare, long passEnd, Model model) {
}
