package org.fftk.trainer.cnn;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Paper 002's Fourier label patterns (docs/algorithms.md "FF-CNN", label patterns): label c is a
 * grey-value plane wave p_c(y, x) = ½ + ½·cos(2π·f·(x·cos φ + y·sin φ)/S + ψ) over the image
 * (S = the image's larger side; the same wave in every channel), with frequency f, orientation φ
 * and phase ψ drawn per candidate. As paper 002 does for CIFAR-100, {@value #CANDIDATES} candidates
 * are drawn and L of them kept so that the ten (or L) patterns are as uncorrelated as possible:
 * greedily, starting from the first candidate, each step adds the candidate whose largest |Pearson
 * correlation| with the patterns kept so far is smallest. Deterministic for a seed.
 */
public final class FourierLabels {
    /** The seed of fftk's Fourier label set (one fixed set, as paper 002 uses its "set 1"). */
    public static final long SEED = 1;
    /** Candidates drawn before the selection (paper 002: 2000). */
    public static final int CANDIDATES = 2000;
    /** Frequencies in waves per image side: 1 to 6, in steps of a half. */
    static final double MIN_FREQUENCY = 1;
    static final double MAX_FREQUENCY = 6;

    private FourierLabels() {
    }

    /** Sets already made (a training run asks once per validated epoch), by labels, shape and seed. */
    private static final java.util.Map<String, float[]> MADE = new java.util.concurrent.ConcurrentHashMap<>();

    /** L patterns, L × C·H·W values in [0, 1] (plane after plane, row-major); a fresh copy each call. */
    public static float[] patterns(int labels, int channels, int height, int width, long seed) {
        String key = labels + "," + channels + "," + height + "," + width + "," + seed;
        return MADE.computeIfAbsent(key, k -> make(labels, channels, height, width, seed)).clone();
    }

    private static float[] make(int labels, int channels, int height, int width, long seed) {
        if (labels < 2 || labels > CANDIDATES) {
            throw new IllegalArgumentException("Fourier labels: 2.." + CANDIDATES + " labels, got " + labels);
        }
        Random r = new Random(seed);
        double[][] waves = new double[CANDIDATES][];
        List<double[]> z = new ArrayList<>();
        int steps = (int) ((MAX_FREQUENCY - MIN_FREQUENCY) * 2) + 1;
        for (int i = 0; i < CANDIDATES; i++) {
            waves[i] = new double[] {MIN_FREQUENCY + 0.5 * r.nextInt(steps), Math.PI * r.nextDouble(), 2 * Math.PI * r.nextDouble()};
            z.add(standardised(wave(waves[i], height, width)));
        }
        List<Integer> kept = new ArrayList<>();
        kept.add(0);
        double[] worst = new double[CANDIDATES];
        while (kept.size() < labels) {
            double[] last = z.get(kept.get(kept.size() - 1));
            int best = -1;
            for (int i = 0; i < CANDIDATES; i++) {
                worst[i] = Math.max(worst[i], Math.abs(dot(z.get(i), last)));
                if (!kept.contains(i) && (best < 0 || worst[i] < worst[best])) {
                    best = i;
                }
            }
            kept.add(best);
        }
        int plane = height * width;
        float[] out = new float[labels * channels * plane];
        for (int c = 0; c < labels; c++) {
            double[] p = wave(waves[kept.get(c)], height, width);
            for (int ch = 0; ch < channels; ch++) {
                for (int i = 0; i < plane; i++) {
                    out[(c * channels + ch) * plane + i] = (float) p[i];
                }
            }
        }
        return out;
    }

    /** The wave of (f, φ, ψ) on an H × W plane, row-major, values in [0, 1]. */
    static double[] wave(double[] fPhiPsi, int height, int width) {
        double side = Math.max(height, width);
        double f = fPhiPsi[0];
        double cos = Math.cos(fPhiPsi[1]);
        double sin = Math.sin(fPhiPsi[1]);
        double[] p = new double[height * width];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                p[y * width + x] = 0.5 + 0.5 * Math.cos(2 * Math.PI * f * (x * cos + y * sin) / side + fPhiPsi[2]);
            }
        }
        return p;
    }

    /** (p − mean) / (‖p − mean‖), so that the dot product of two is their Pearson correlation. */
    static double[] standardised(double[] p) {
        double m = 0;
        for (double v : p) {
            m += v;
        }
        m /= p.length;
        double ss = 0;
        double[] z = new double[p.length];
        for (int i = 0; i < p.length; i++) {
            z[i] = p[i] - m;
            ss += z[i] * z[i];
        }
        double n = Math.sqrt(ss);
        for (int i = 0; i < z.length; i++) {
            z[i] = n > 0 ? z[i] / n : 0;
        }
        return z;
    }

    static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }
}
