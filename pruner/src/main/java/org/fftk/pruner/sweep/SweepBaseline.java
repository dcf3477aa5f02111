package org.fftk.pruner.sweep;

/** The unpruned model of a sweep, measured and evaluated once. */
public record SweepBaseline(String model, String modelSha256, String architecture, int[] widths, long parameters,
                            long macs, long fileBytes, long gzipBytes, double accuracy, int testSize,
                            double seconds) {
}
