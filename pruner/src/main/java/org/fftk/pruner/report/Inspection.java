package org.fftk.pruner.report;

import org.fftk.edge.stats.Sparsity;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonRawValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import org.fftk.edge.model.DenseLayer;
import org.fftk.edge.model.Model;
import org.fftk.edge.data.Dataset;
import org.fftk.pruner.activation.Activations;

/**
 * A model's structure and per-layer statistics (backs {@code fftk inspect}). Jackson-serialisable;
 * {@link #toText()} gives a fixed-width table for a terminal.
 *
 * @param fileBytes size of the serialised model, or null when no serializer was given
 * @param activationSample images used for activation statistics, or null when none were given
 * @param provenance the model's provenance JSON, embedded as JSON
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Inspection(String architecture, int inputSize, int numLabels, int[] widths, String objective,
                         double theta, long parameters, long nonzeroParameters, long macs, Long fileBytes,
                         Long gzipBytes, String sha256, Integer activationSample, List<LayerInspection> layers,
                         @JsonRawValue String provenance) {

    /**
     * Inspects a model.
     *
     * @param serializer model-file writer for file sizes, or null
     * @param images     images (with labels) for activation statistics, or null; a seeded sample of
     *                   {@code sampleSize} of them is run with the true label embedded (positive data,
     *                   {@link Activations}); the correctly classified ones also give the
     *                   class ensembles of every hidden layer ({@link Ensembles})
     */
    public static Inspection of(Model m, Function<Model, byte[]> serializer, Dataset images, int sampleSize,
                                long seed) {
        return of(m, serializer, images, sampleSize, seed, false);
    }

    /**
     * As above; with {@code correctOnly} the activation statistics (Hoyer, mean) average over the
     * sampled images the model classifies correctly only, as paper 000's Table 2 does (the ensembles
     * always do). Dead units are counted over the whole sample.
     */
    public static Inspection of(Model m, Function<Model, byte[]> serializer, Dataset images, int sampleSize,
                                long seed, boolean correctOnly) {
        int nl = m.layers().size();
        double[] actHoyer = null;
        double[] actMean = null;
        int[] dead = null;
        int[] idx = null;
        double[][][] classMean = null;
        int[] classCount = null;
        if (images != null) {
            if (images.inputSize() != m.inputSize()) {
                throw new IllegalArgumentException("images have width " + images.inputSize()
                        + " but the model reads " + m.inputSize());
            }
            idx = images.sampleIndices(sampleSize, seed);
            if (idx.length == 0) {
                throw new IllegalArgumentException("no images to inspect activations on");
            }
            actHoyer = new double[nl];
            actMean = new double[nl];
            dead = new int[nl];
            // ensembles: per-class mean activations over the correctly classified sample images
            classMean = new double[nl][m.numLabels()][];
            classCount = new int[m.numLabels()];
            for (int l = 0; l < nl; l++) {
                for (int c = 0; c < m.numLabels(); c++) {
                    classMean[l][c] = new double[m.layers().get(l).out()];
                }
            }
            boolean[][] alive = new boolean[nl][];
            for (int l = 0; l < nl; l++) {
                alive[l] = new boolean[m.layers().get(l).out()];
            }
            // one trace: every sampled image's activations (true label embedded) and its predicted label
            float[][][] hs = new float[idx.length][nl][];
            int[] predicted = Activations.visit(m, images, idx, (sample, layer, h) -> hs[sample][layer] = h.clone());
            int counted = 0;
            for (int s = 0; s < idx.length; s++) {
                float[][] h = hs[s];
                int y = images.label(idx[s]);
                if (predicted[s] == y) {
                    classCount[y]++;
                    for (int l = 0; l < nl; l++) {
                        for (int j = 0; j < h[l].length; j++) {
                            classMean[l][y][j] += h[l][j];
                        }
                    }
                }
                boolean counts = !correctOnly || predicted[s] == y;
                counted += counts ? 1 : 0;
                for (int l = 0; l < nl; l++) {
                    double sum = 0;
                    for (int j = 0; j < h[l].length; j++) {
                        sum += h[l][j];
                        if (h[l][j] > 0) {
                            alive[l][j] = true;
                        }
                    }
                    if (counts) {
                        actHoyer[l] += Sparsity.hoyer(h[l]);
                        actMean[l] += sum / h[l].length;
                    }
                }
                hs[s] = null;
            }
            if (counted == 0) {
                throw new IllegalArgumentException("the model classifies none of the " + idx.length
                        + " sampled images correctly: no activation statistics over correct images");
            }
            for (int l = 0; l < nl; l++) {
                actHoyer[l] /= counted;
                actMean[l] /= counted;
                for (boolean a : alive[l]) {
                    if (!a) {
                        dead[l]++;
                    }
                }
                for (int c = 0; c < classCount.length; c++) {
                    for (int j = 0; j < classMean[l][c].length && classCount[c] > 0; j++) {
                        classMean[l][c][j] /= classCount[c];
                    }
                }
            }
        }
        List<LayerInspection> rows = new ArrayList<>();
        for (int l = 0; l < nl; l++) {
            DenseLayer L = m.layers().get(l);
            rows.add(layer("layer" + l, L.weights(), L.out(), L.in(), (long) L.out() * L.in() + L.out(),
                    WeightStats.meanBias(L), actHoyer == null ? null : actHoyer[l],
                    actMean == null ? null : actMean[l], dead == null ? null : dead[l],
                    classMean == null ? null : Ensembles.of(classMean[l], classCount, actHoyer[l])));
            if (L.hasBackward()) {
                rows.add(layer("layer" + l + ".backward", L.backWeights(), L.out(), L.backIn(),
                        (long) L.out() * L.backIn(), null, null, null, null, null));
            }
        }
        DenseLayer c = m.classifier();
        if (c != null) {
            rows.add(layer("classifier", c.weights(), c.out(), c.in(), c.parameterCount(), WeightStats.meanBias(c),
                    null, null, null, null));
        }
        Long fileBytes = null;
        Long gzipBytes = null;
        String sha = null;
        if (serializer != null) {
            ModelMeasures mm = ModelMeasures.of(m, serializer);
            fileBytes = mm.fileBytes();
            gzipBytes = mm.gzipBytes();
            sha = mm.sha256();
        }
        return new Inspection(m.architecture().id(), m.inputSize(), m.numLabels(), m.widths(), m.objective().id(),
                m.theta(), m.parameterCount(), ModelMeasures.nonzero(m), Macs.perPrediction(m), fileBytes, gzipBytes,
                sha, idx == null ? null : idx.length, rows, m.provenance());
    }

    private static LayerInspection layer(String name, float[] w, int rows, int cols, long params, Double meanBias,
                                         Double actHoyer, Double actMean, Integer dead, Ensembles ens) {
        return new LayerInspection(name, rows, cols, params, WeightStats.of(w), Sparsity.hoyer(w),
                Sparsity.gini(w), Sparsity.l1NegEntropy(w), Sparsity.l2NegEntropy(w),
                WeightStats.polarity(w, rows, cols), meanBias, actHoyer, actMean, dead, ens);
    }

    /** A plain-text summary and per-layer table. */
    public String toText() {
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "%s  input %d  labels %d  widths %s  objective %s  theta %s%n",
                architecture, inputSize, numLabels, java.util.Arrays.toString(widths), objective, theta));
        s.append(String.format(Locale.ROOT, "parameters %d (non-zero %d)  MACs/prediction %d", parameters,
                nonzeroParameters, macs));
        if (fileBytes != null) {
            s.append(String.format(Locale.ROOT, "  file %d B  gzip %d B", fileBytes, gzipBytes));
        }
        s.append(System.lineSeparator());
        boolean act = activationSample != null;
        s.append(String.format(Locale.ROOT, "%-18s %11s %10s %10s %9s %9s %6s %6s %6s %6s %6s %8s",
                "layer", "shape", "min", "max", "mean", "std", "hoyer", "gini", "negL1", "negL2", "pol+", "bias"));
        if (act) {
            s.append(String.format(Locale.ROOT, " %7s %9s %5s %8s %6s", "actHoy", "actMean", "dead", "ens%", "jacc"));
        }
        s.append(System.lineSeparator());
        for (LayerInspection r : layers) {
            s.append(String.format(Locale.ROOT, "%-18s %11s %10.4g %10.4g %9.3g %9.3g %6.3f %6.3f %6.3f %6.3f %6.3f %8s",
                    r.name(), r.rows() + "x" + r.cols(), r.weights().min(), r.weights().max(), r.weights().mean(),
                    r.weights().std(), r.hoyer(), r.gini(), r.l1NegEntropy(), r.l2NegEntropy(), r.polarity(),
                    r.meanBias() == null ? "-" : String.format(Locale.ROOT, "%.3g", r.meanBias())));
            if (act && r.activationHoyer() != null) {
                double ens = 0;
                int k = 0;
                for (int c = 0; c < r.ensembles().sizes().length; c++) {
                    if (r.ensembles().samples()[c] > 0) {
                        ens += r.ensembles().sizePercent()[c];
                        k++;
                    }
                }
                s.append(String.format(Locale.ROOT, " %7.3f %9.3g %5d %7.1f%s %6.3f", r.activationHoyer(),
                        r.meanActivation(), r.deadUnits(), k == 0 ? 0 : ens / k, r.ensembles().meaningful() ? " " : "*",
                        r.ensembles().meanJaccard()));
            }
            s.append(System.lineSeparator());
        }
        if (act) {
            s.append("(ens% = mean class-ensemble size, jacc = mean pairwise Jaccard; * = activation Hoyer < 0.5,"
                    + " ensembles not meaningful)").append(System.lineSeparator());
        }
        return s.toString();
    }
}
