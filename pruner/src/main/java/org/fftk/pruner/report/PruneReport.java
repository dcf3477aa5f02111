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
 * @param finetuneEpochs   epochs the pruned model was fine-tuned for, or null (one-shot)
 * @param accuracyOneShot  with fine-tuning: the pruned model's accuracy before it (accuracyAfter is after it), else null
 */
public record PruneReport(String method, String keep, int[] kept, long seed, ModelMeasures before,
                          ModelMeasures after, double compressionRatio, double gzipCompressionRatio,
                          double parameterRatio, Double accuracyBefore, Double accuracyAfter,
                          Integer testSize, Integer finetuneEpochs, Double accuracyOneShot) {
    /** The report of a one-shot pruning. */
    public PruneReport(String method, String keep, int[] kept, long seed, ModelMeasures before, ModelMeasures after,
                       double compressionRatio, double gzipCompressionRatio, double parameterRatio,
                       Double accuracyBefore, Double accuracyAfter, Integer testSize) {
        this(method, keep, kept, seed, before, after, compressionRatio, gzipCompressionRatio, parameterRatio,
                accuracyBefore, accuracyAfter, testSize, null, null);
    }

    /** This report for the pruned model fine-tuned for {@code epochs}: its measures and accuracy replace the one-shot ones. */
    public PruneReport finetuned(int epochs, ModelMeasures tuned, Double tunedAccuracy) {
        return new PruneReport(method, keep, kept, seed, before, tuned, (double) before.fileBytes() / tuned.fileBytes(),
                (double) before.gzipBytes() / tuned.gzipBytes(), (double) before.parameters() / tuned.parameters(),
                accuracyBefore, tunedAccuracy, testSize, epochs, accuracyAfter);
    }
}
