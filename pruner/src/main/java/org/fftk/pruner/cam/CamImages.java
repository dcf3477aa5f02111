package org.fftk.pruner.cam;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.fftk.edge.io.AtomicFiles;
import org.fftk.edge.model.ConvShape;

/**
 * A class activation map drawn over its image (paper 002 Fig. 4's colours): the image in grey
 * (colour images: the mean of their planes), each pixel tinted by the map at its position (the
 * map's cell covering it, nearest neighbour): yellow where the map is positive (supports the
 * prediction), pink where negative, with an opacity of 0.7 · |value| / max |value|. Scaled up
 * {@link #SCALE} times so a 28 × 28 digit is visible.
 */
public final class CamImages {
    /** Output pixels per image pixel. */
    public static final int SCALE = 8;

    private CamImages() {
    }

    public static void write(float[] image, ConvShape shape, ClassActivationMaps.LayerMap map, Path file) throws IOException {
        int h = shape.height();
        int w = shape.width();
        int planes = shape.channels();
        double max = 0;
        for (double v : map.values()) {
            max = Math.max(max, Math.abs(v));
        }
        BufferedImage img = new BufferedImage(w * SCALE, h * SCALE, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double grey = 0;
                for (int c = 0; c < planes; c++) {
                    grey += image[(c * h + y) * w + x];
                }
                grey = Math.max(0, Math.min(1, grey / planes)) * 255;
                double v = map.values()[(y * map.rows() / h) * map.cols() + x * map.cols() / w];
                double a = max > 0 ? 0.7 * Math.abs(v) / max : 0;
                int[] tint = v >= 0 ? new int[] {255, 215, 0} : new int[] {255, 60, 170};
                int rgb = 0;
                for (int k = 0; k < 3; k++) {
                    int ch = (int) Math.round((1 - a) * grey + a * tint[k]);
                    rgb = (rgb << 8) | Math.max(0, Math.min(255, ch));
                }
                for (int dy = 0; dy < SCALE; dy++) {
                    for (int dx = 0; dx < SCALE; dx++) {
                        img.setRGB(x * SCALE + dx, y * SCALE + dy, rgb);
                    }
                }
            }
        }
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        ImageIO.write(img, "png", b);
        AtomicFiles.write(file, b.toByteArray());
    }
}
