package org.fftk.trainer.cnn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The Fourier label set: deterministic, in [0, 1], the same wave in every channel, every pattern a
 * sampled cosine along each row (a plane wave ½ + ½·cos(a·x + b·y + c) satisfies
 * p(x+1) + p(x−1) − 1 = 2·cos(a)·(p(x) − ½)), and far less correlated than ten candidates drawn at random.
 */
class FourierLabelsTest {
    @Test
    void tenPatternsForMnistAreWavesAndNearlyUncorrelated() {
        float[] p = FourierLabels.patterns(10, 1, 28, 28, FourierLabels.SEED);
        assertArrayEquals(p, FourierLabels.patterns(10, 1, 28, 28, FourierLabels.SEED), "deterministic");
        assertEquals(10 * 784, p.length);
        double worst = 0;
        for (int a = 0; a < 10; a++) {
            for (int i = 0; i < 784; i++) {
                assertTrue(p[a * 784 + i] >= 0 && p[a * 784 + i] <= 1);
            }
            // one factor 2·cos(a) per row, fitted by least squares, must explain every pixel
            for (int y = 0; y < 28; y++) {
                double num = 0;
                double den = 0;
                for (int x = 1; x < 27; x++) {
                    double c = p[a * 784 + y * 28 + x] - 0.5;
                    double s2 = p[a * 784 + y * 28 + x - 1] + p[a * 784 + y * 28 + x + 1] - 1;
                    num += s2 * c;
                    den += c * c;
                }
                double twoCos = den > 1e-9 ? num / den : 0;
                for (int x = 1; x < 27 && den > 1e-9; x++) {
                    double c = p[a * 784 + y * 28 + x] - 0.5;
                    double s2 = p[a * 784 + y * 28 + x - 1] + p[a * 784 + y * 28 + x + 1] - 1;
                    assertEquals(twoCos * c, s2, 1e-5, "pattern " + a + " row " + y + " is a sampled cosine");
                }
            }
            for (int b = 0; b < a; b++) {
                worst = Math.max(worst, Math.abs(corr(p, a, b, 784)));
            }
        }
        // ten of the candidates taken at random: their largest |correlation|, averaged over draws
        double randomWorst = 0;
        Random r = new Random(5);
        for (int t = 0; t < 20; t++) {
            float[] q = new float[10 * 784];
            for (int c = 0; c < 10; c++) {
                double[] w = FourierLabels.wave(new double[] {1 + 0.5 * r.nextInt(11), Math.PI * r.nextDouble(),
                    2 * Math.PI * r.nextDouble()}, 28, 28);
                for (int i = 0; i < 784; i++) {
                    q[c * 784 + i] = (float) w[i];
                }
            }
            double m = 0;
            for (int a = 0; a < 10; a++) {
                for (int b = 0; b < a; b++) {
                    m = Math.max(m, Math.abs(corr(q, a, b, 784)));
                }
            }
            randomWorst += m / 20;
        }
        System.out.printf("[FourierLabelsTest] largest |correlation|: selected %.3f, ten random candidates %.3f%n", worst,
                randomWorst);
        assertTrue(worst < 0.5 * randomWorst, "selection lowers the largest correlation: " + worst + " vs " + randomWorst);
    }

    @Test
    void coloursRepeatTheWave() {
        float[] p = FourierLabels.patterns(3, 3, 8, 8, 7);
        for (int c = 0; c < 3; c++) {
            for (int ch = 1; ch < 3; ch++) {
                for (int i = 0; i < 64; i++) {
                    assertEquals(p[(c * 3) * 64 + i], p[(c * 3 + ch) * 64 + i]);
                }
            }
        }
    }

    private static double corr(float[] p, int a, int b, int n) {
        double[] x = new double[n];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = p[a * n + i];
            y[i] = p[b * n + i];
        }
        return FourierLabels.dot(FourierLabels.standardised(x), FourierLabels.standardised(y));
    }
}
