package org.fftk.pruner.sweep;

/**
 * One aggregated line of DIR/sweep.csv: a model × method × keep over all its seeds. Accuracy in [0, 1];
 * sd is the sample standard deviation (n − 1 in the denominator; 0 when n = 1). The compression ratios
 * and sizes are means over the seeds (identical for structured methods, whose shapes do not depend
 * on the seed).
 */
public record SweepRow(String model, String method, String keep, long parameters, long macs, double fileBytes,
                       double gzipBytes, double compressionRatio, double gzipCompressionRatio, double accuracyMean,
                       double accuracySd, double accuracyMin, double accuracyMax, int n) {
}
