package org.fftk.pruner.method;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.fftk.edge.data.Dataset;
import org.fftk.edge.model.Model;
import org.fftk.pruner.report.Evaluator;

/**
 * Per-layer keep counts chosen on held-out images ({@code --keep auto}, docs/algorithms.md
 * "Pruning"): layers are not equally prunable, so instead of one count for all, a greedy search
 * shrinks one layer at a time. Each step tries, for every layer, keeping {@link #STEP} of its
 * current neurons (by the method's ranking, which is nested: a smaller keep is a subset), measures
 * the validation accuracy of each trial, and takes the trial that loses the least accuracy per
 * byte saved. It stops when the file is {@code targetRatio} times smaller, or before a step would
 * take the accuracy below {@code minAccuracy} — whichever target is given.
 */
public final class AutoKeep {
    /** Share of a layer's current neurons a step keeps. */
    public static final double STEP = 0.8;
    /** Most steps a search takes (0.8^60 < 1e-5: far below any useful size). */
    static final int MAX_STEPS = 60;

    private AutoKeep() {
    }

    /** One accepted step: the counts after it, the file size ratio and the validation accuracy. */
    public record Step(int[] keep, double compressionRatio, double accuracy) {
    }

    /** The search's result: the chosen counts (the last step) and every step on the way. */
    public record Result(int[] keep, List<Step> steps) {
    }

    /**
     * Searches per-layer counts for a structured {@code spec} (its own counts are ignored).
     *
     * @param train       training images for the methods that rank on them (activation, goodness)
     * @param validation  held-out images the accuracy is measured on (never the test split)
     * @param targetRatio stop once original bytes / pruned bytes reaches this (≤ 0: no size target)
     * @param minAccuracy never accept a step below this validation accuracy (NaN: no accuracy floor)
     */
    public static Result search(Model m, PruneSpec spec, Dataset train, Dataset validation, Evaluator evaluator,
                                Function<Model, byte[]> serializer, double targetRatio, double minAccuracy) {
        if (!spec.method().structured()) {
            throw new IllegalArgumentException("--keep auto chooses neurons per layer; " + spec.method() + " removes none");
        }
        if (!(targetRatio > 1) && Double.isNaN(minAccuracy)) {
            throw new IllegalArgumentException("--keep auto needs a target: a compression ratio above 1 or an accuracy drop");
        }
        int[][] ranking = NeuronSelection.ranking(m, spec, train);
        double original = serializer.apply(m).length;
        int[] keep = m.widths();
        List<Step> steps = new ArrayList<>();
        double acc = evaluator.accuracy(m, validation);
        steps.add(new Step(keep.clone(), 1, acc));
        for (int s = 0; s < MAX_STEPS; s++) {
            if (targetRatio > 1 && steps.get(steps.size() - 1).compressionRatio() >= targetRatio) {
                break;
            }
            Step best = null;
            double bestCost = Double.POSITIVE_INFINITY;
            Step last = steps.get(steps.size() - 1);
            double lastBytes = original / last.compressionRatio();
            for (int l = 0; l < keep.length; l++) {
                int k = (int) Math.floor(keep[l] * STEP);
                if (k < 1 || k == keep[l]) {
                    continue;
                }
                int[] trial = keep.clone();
                trial[l] = k;
                Model p = Pruner.apply(m, spec, trial, NeuronSelection.head(ranking, trial), "");
                double bytes = serializer.apply(p).length;
                double a = evaluator.accuracy(p, validation);
                if (!Double.isNaN(minAccuracy) && a < minAccuracy - 1e-12) {
                    continue;
                }
                double cost = (last.accuracy() - a) / Math.max(1, lastBytes - bytes);
                if (cost < bestCost) {
                    bestCost = cost;
                    best = new Step(trial, original / bytes, a);
                }
            }
            if (best == null) {
                break;
            }
            keep = best.keep().clone();
            steps.add(best);
        }
        return new Result(keep, steps);
    }
}
