package org.fftk.trainer.cnn;

/**
 * Morphological labels (docs/algorithms.md "FF-CNN"; paper 002's second label kind, whose exact
 * transformations its text leaves to a supplement): label c is a fixed geometric transformation of
 * the image itself rather than a pattern added to it, so a network cannot separate positive from
 * negative data by recognising the label alone; it has to judge whether the digit it sees, so
 * transformed, is a digit of class c. fftk's set: label c rotates the image by 360°·c/L about its
 * centre ((H − 1)/2, (W − 1)/2), every channel alike, sampled nearest-neighbour (each output pixel
 * takes the input pixel its inverse rotation lands nearest to; outside the image: 0). Label 0 is the
 * image unchanged. As a map: output value i reads input value map_c[i], or zero when map_c[i] = C·H·W.
 * For many classes the angles crowd together (CIFAR-100: 3.6° apart), which is this set's limit.
 */
public final class MorphologyLabels {
    private MorphologyLabels() {
    }

    /** L maps of C·H·W source indices each (C·H·W: zero), label after label. */
    public static int[] maps(int labels, int channels, int height, int width) {
        if (labels < 2) {
            throw new IllegalArgumentException("morphological labels: at least 2 labels, got " + labels);
        }
        int plane = height * width;
        int d = channels * plane;
        int[] maps = new int[labels * d];
        double cy = (height - 1) / 2.0;
        double cx = (width - 1) / 2.0;
        for (int c = 0; c < labels; c++) {
            double t = 2 * Math.PI * c / labels;
            double cos = StrictMath.cos(t);
            double sin = StrictMath.sin(t);
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    double dy = y - cy;
                    double dx = x - cx;
                    // the inverse rotation of the output position gives the source position
                    long sx = Math.round(cos * dx + sin * dy + cx);
                    long sy = Math.round(-sin * dx + cos * dy + cy);
                    boolean inside = sx >= 0 && sx < width && sy >= 0 && sy < height;
                    for (int ch = 0; ch < channels; ch++) {
                        maps[c * d + ch * plane + y * width + x] = inside ? (int) (ch * plane + sy * width + sx) : d;
                    }
                }
            }
        }
        return maps;
    }
}
