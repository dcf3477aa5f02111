package org.fftk.cli;

import org.fftk.pruner.method.PruneSpec;
import picocli.CommandLine.Option;

/** The ranking options {@code prune} and {@code sweep} share. */
final class RankingOptions {
    @Option(names = "--sample", converter = PositiveInt.class, paramLabel = "N",
            description = "activation, goodness, greedy: training images the ranking is computed on (default: 1000; greedy 3000)")
    Integer sample;

    @Option(names = "--least-active", description = "activation: keep the least active neurons instead (the opposite test)")
    boolean leastActive;

    @Option(names = "--l1", description = "magnitude: rank by the L1 norm of incoming weights instead of L2")
    boolean l1;

    /** {@code spec} with these options. */
    PruneSpec apply(PruneSpec spec) {
        PruneSpec s = spec.withLeastActive(leastActive).withL1(l1);
        return sample == null ? s : s.withSampleSize(sample);
    }
}
