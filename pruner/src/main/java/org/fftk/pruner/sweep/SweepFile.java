package org.fftk.pruner.sweep;

import java.util.List;

/**
 * The content of DIR/sweep.json: every measurement so far. {@code testSha256} identifies the test
 * set (labels and pixels); a sweep refuses to resume on a different one.
 */
public record SweepFile(String format, String testSha256, int testSize, List<SweepBaseline> baselines,
                        List<SweepPoint> points) {
    public static final String FORMAT = "fftk-sweep/1";
}
