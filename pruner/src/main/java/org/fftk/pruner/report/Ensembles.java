package org.fftk.pruner.report;

/**
 * Class ensembles of one layer (docs/algorithms.md "Sparsity metrics", paper 000). From the mean activation x̄_{j,c} of unit j over
 * the correctly classified samples of class c, unit j belongs to ensemble E_c iff
 * x̄_{j,c} &gt; 2 · (mean of x̄_{i,c} over i ≠ j). Only meaningful when the layer's mean activation
 * Hoyer sparsity is at least 0.5 ({@code meaningful}).
 *
 * @param sizes         |E_c| per class (0 for classes without correctly classified samples)
 * @param sizePercent   |E_c| as % of the layer's units
 * @param samples       correctly classified samples per class that were averaged
 * @param shared        pairwise shared units |E_a ∩ E_b| (classes × classes, diagonal = |E_a|)
 * @param meanJaccard   mean Jaccard index |E_a ∩ E_b| / |E_a ∪ E_b| over pairs a &lt; b of classes with samples and a non-empty union
 * @param maxJaccard    the largest such Jaccard index (0 when there is no pair)
 * @param meaningful    activation Hoyer ≥ 0.5
 * @param classMeans    x̄ [class][unit] behind them (for plots; not in the JSON report)
 */
public record Ensembles(int[] sizes, double[] sizePercent, int[] samples, int[][] shared, double meanJaccard,
                        double maxJaccard, boolean meaningful,
                        @com.fasterxml.jackson.annotation.JsonIgnore double[][] classMeans) {

    /** Membership [class][unit]: unit j is in E_c (the rule above; classes without samples have none). */
    public boolean[][] members() {
        return members(classMeans, samples);
    }

    private static boolean[][] members(double[][] meanAct, int[] samples) {
        int units = meanAct[0].length;
        boolean[][] in = new boolean[meanAct.length][units];
        for (int c = 0; c < meanAct.length; c++) {
            if (samples[c] == 0) {
                continue;
            }
            double total = 0;
            for (double v : meanAct[c]) {
                total += v;
            }
            for (int j = 0; j < units; j++) {
                double others = units > 1 ? (total - meanAct[c][j]) / (units - 1) : 0;
                in[c][j] = meanAct[c][j] > 2 * others;
            }
        }
        return in;
    }

    /**
     * @param meanAct  x̄ [class][unit] (rows of classes without samples are ignored)
     * @param samples  samples per class behind each row
     * @param hoyer    the layer's mean activation Hoyer sparsity
     */
    public static Ensembles of(double[][] meanAct, int[] samples, double hoyer) {
        int classes = meanAct.length;
        int units = meanAct[0].length;
        boolean[][] in = members(meanAct, samples);
        int[] sizes = new int[classes];
        double[] pct = new double[classes];
        for (int c = 0; c < classes; c++) {
            for (boolean b : in[c]) {
                sizes[c] += b ? 1 : 0;
            }
            pct[c] = 100.0 * sizes[c] / units;
        }
        int[][] shared = new int[classes][classes];
        double sumJ = 0;
        double maxJ = 0;
        int pairs = 0;
        for (int a = 0; a < classes; a++) {
            for (int b = 0; b < classes; b++) {
                int inter = 0;
                int union = 0;
                for (int j = 0; j < units; j++) {
                    inter += in[a][j] && in[b][j] ? 1 : 0;
                    union += in[a][j] || in[b][j] ? 1 : 0;
                }
                shared[a][b] = inter;
                if (a < b && union > 0 && samples[a] > 0 && samples[b] > 0) {
                    double jac = (double) inter / union;
                    sumJ += jac;
                    maxJ = Math.max(maxJ, jac);
                    pairs++;
                }
            }
        }
        return new Ensembles(sizes, pct, samples.clone(), shared, pairs == 0 ? 0 : sumJ / pairs, maxJ, hoyer >= 0.5,
                meanAct);
    }
}
