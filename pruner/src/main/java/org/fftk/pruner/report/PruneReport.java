package org.fftk.pruner.report;

/**
 * What one pruning did (backs {@code fftk prune}): the spec, the measures before and after, compression
 * ratios, and accuracies when a test set was given (null otherwise). Jackson-serialisable.
 *
 * @param method           method label (random, activation, activation-least, magnitude, magnitude-l1, weights)
 * @param keep             the keep spec as given ("512", "512,256", "0.25")
 * @param kept             per-layer kept neurons (for weights: the counts defining the kept weight fraction)
 * @param seed             seed used
 * @param before           measures of the source model
 * @param after            measures of the pruned model
 * @param compressionRatio before.fileBytes / after.fileBytes (paper 003 eq. 13)
 * @param gzipCompressionRatio before.gzipBytes / after.gzipBytes
 * @param parameterRatio   before.parameters / after.parameters
 * @param accuracyBefore   accuracy of the source model on the test set, or null
 * @param accuracyAfter    accuracy of the pruned model, or null
 * @param testSize         test images used, or null
 */
public record PruneReport(String method, String keep, int[] kept, long seed, ModelMeasures before,
                          ModelMeasures after, double compressionRatio, double gzipCompressionRatio,
                          double parameterRatio, Double accuracyBefore, Double accuracyAfter,
                          Integer testSize) {
}
