package org.fftk.pruner.method;

import java.util.Objects;

/**
 * One pruning request: method, keep counts, seed and the method's options.
 *
 * @param method      the method
 * @param keep        neurons to keep per hidden layer (for {@code weights}: keep the fraction
 *                    t_l / n_l of each layer's weights)
 * @param seed        seed of the random permutation (random) or of the training sample (activation)
 * @param l1          magnitude: rank by the L1 norm instead of L2
 * @param leastActive activation: keep the least active neurons instead of the most active
 * @param sampleSize  activation, goodness, greedy: number of training images in the ranking sample
 *                    ({@link PruneMethod#defaultSampleSize()} unless asked otherwise)
 */
public record PruneSpec(PruneMethod method, KeepCounts keep, long seed, boolean l1, boolean leastActive,
                        int sampleSize) {
    public PruneSpec {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(keep, "keep");
        if (sampleSize < 1) {
            throw new IllegalArgumentException("activation sample size must be at least 1, got " + sampleSize);
        }
    }

    /** A spec with default options (L2 magnitude, most active, the method's default sample). */
    public static PruneSpec of(PruneMethod method, KeepCounts keep, long seed) {
        return new PruneSpec(method, keep, seed, false, false, method.defaultSampleSize());
    }

    public PruneSpec withKeep(KeepCounts k) {
        return new PruneSpec(method, k, seed, l1, leastActive, sampleSize);
    }

    public PruneSpec withSeed(long s) {
        return new PruneSpec(method, keep, s, l1, leastActive, sampleSize);
    }

    public PruneSpec withL1(boolean b) {
        return new PruneSpec(method, keep, seed, b, leastActive, sampleSize);
    }

    public PruneSpec withLeastActive(boolean b) {
        return new PruneSpec(method, keep, seed, l1, b, sampleSize);
    }

    public PruneSpec withSampleSize(int n) {
        return new PruneSpec(method, keep, seed, l1, leastActive, n);
    }

    /**
     * A short name of the method with its options, used as a sweep key and legend:
     * random, activation, activation-least, magnitude, magnitude-l1, goodness, greedy, weights; a
     * training-data method with a sample other than its {@link PruneMethod#defaultSampleSize()} adds
     * "-sN" (activation-s500), so a resumed sweep never mixes samples.
     */
    public String label() {
        String base;
        switch (method) {
            case ACTIVATION:
                base = leastActive ? "activation-least" : "activation";
                break;
            case MAGNITUDE:
                base = l1 ? "magnitude-l1" : "magnitude";
                break;
            default:
                base = method.id();
        }
        return method.needsTrainingData() && sampleSize != method.defaultSampleSize() ? base + "-s" + sampleSize : base;
    }

    /** Parses a {@link #label()} back into a spec with the given keep and seed. */
    public static PruneSpec fromLabel(String label, KeepCounts keep, long seed) {
        String s = label.trim().toLowerCase(java.util.Locale.ROOT);
        int sample = -1;
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(.*)-s(\\d+)").matcher(s);
        if (m.matches()) {
            s = m.group(1);
            sample = Integer.parseInt(m.group(2));
        }
        PruneSpec spec;
        switch (s) {
            case "activation-least":
                spec = of(PruneMethod.ACTIVATION, keep, seed).withLeastActive(true);
                break;
            case "magnitude-l1":
                spec = of(PruneMethod.MAGNITUDE, keep, seed).withL1(true);
                break;
            default:
                spec = of(PruneMethod.fromId(s), keep, seed);
        }
        return sample < 0 ? spec : spec.withSampleSize(sample);
    }
}
