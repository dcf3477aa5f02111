package org.fftk.trainer.cnn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** fftk's morphological labels are rotations by 360°·c/L about the image centre (docs/algorithms.md "FF-CNN"). */
class MorphologyLabelsTest {
    @Test
    void quarterTurnsAreExactPermutationsAndLabelZeroIsTheImage() {
        int h = 28;
        int w = 28;
        int d = 2 * h * w;
        int[] m = MorphologyLabels.maps(4, 2, h, w);
        assertEquals(4 * d, m.length);
        for (int ch = 0; ch < 2; ch++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int i = ch * h * w + y * w + x;
                    assertEquals(i, m[i], "label 0: unchanged");
                    // 180°: (y, x) reads (27 − y, 27 − x) of the same channel
                    assertEquals(ch * h * w + (h - 1 - y) * w + (w - 1 - x), m[2 * d + i], "label 2: half turn");
                    // 90° (t = π/2): source x = y, source y = 27 − x
                    assertEquals(ch * h * w + (h - 1 - x) * w + y, m[d + i], "label 1: quarter turn");
                }
            }
        }
        // a 36° turn of a 28 × 28 image loses its corners to zero (index D) but keeps the centre
        int[] ten = MorphologyLabels.maps(10, 1, 28, 28);
        assertEquals(28 * 28, ten[28 * 28 + 0], "corner of label 1 is outside: zero");
        int centre = 14 * 28 + 14;
        assertTrue(ten[28 * 28 + centre] >= 13 * 28 + 13 && ten[28 * 28 + centre] <= 15 * 28 + 15, "the centre stays near the centre");
    }
}
