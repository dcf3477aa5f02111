package org.fftk.pruner.method;

import java.util.Locale;

/** The pruning methods of docs/algorithms.md "Pruning". */
public enum PruneMethod {
    /** Per layer a seeded random permutation; keep its first t entries (nested in t). */
    RANDOM("random", true),
    /** Rank by mean activation on positive training data; keep the t most (or least) active. */
    ACTIVATION("activation", true),
    /** Rank by the L2 (or L1) norm of the incoming weight row; keep the t largest. */
    MAGNITUDE("magnitude", true),
    /**
     * FF-aware: rank by the neuron's share of the layer's goodness gap between positive and negative
     * training data, signed by the objective ({@link GoodnessRanking}); keep the t largest.
     */
    GOODNESS("goodness", true),
    /**
     * FF-aware: forward selection, each step adding the neuron with which the kept ones best predict
     * the training labels by goodness ({@link GreedyRanking}); keep the first t added.
     */
    GREEDY("greedy", true),
    /** Unstructured: zero the smallest-|w| fraction of every hidden layer's weights; shapes stay. */
    WEIGHTS("weights", false);

    private final String id;
    private final boolean structured;

    PruneMethod(String id, boolean structured) {
        this.id = id;
        this.structured = structured;
    }

    public String id() {
        return id;
    }

    /** True when the method removes whole neurons (the model gets smaller). */
    public boolean structured() {
        return structured;
    }

    /** True when the method ranks neurons on a sample of training images (activation, goodness, greedy). */
    public boolean needsTrainingData() {
        return this == ACTIVATION || this == GOODNESS || this == GREEDY;
    }

    /**
     * Training images a ranking method reads by default: 1000, and 3000 for greedy, which scores a
     * set on its sample and overfits a small one (the 2×2000 FFNN at 8.3× one-shot: 96.94% on 1000
     * images, 97.59% on 3000, 97.58% on 6000; docs/algorithms.md "Pruning").
     */
    public int defaultSampleSize() {
        return this == GREEDY ? 3000 : 1000;
    }

    /** True when the result depends on the seed (random); the others need one seed only in a sweep. */
    public boolean seeded() {
        return this == RANDOM;
    }

    public static PruneMethod fromId(String s) {
        String k = s.trim().toLowerCase(Locale.ROOT);
        for (PruneMethod m : values()) {
            if (m.id.equals(k)) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown pruning method '" + s
                + "' (expected random, activation, magnitude, goodness, greedy or weights)");
    }

    @Override
    public String toString() {
        return id;
    }
}
