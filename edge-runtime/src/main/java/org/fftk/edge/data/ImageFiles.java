package org.fftk.edge.data;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.fftk.edge.io.InputFiles;

/**
 * Ordinary image files as model input (docs/algorithms.md, "Data"): PNG, JPEG, BMP and GIF through
 * the JDK's own decoders (javax.imageio), PGM (P2 and P5) read here. The image is scaled to the
 * model's input size with bilinear interpolation — s × s for a grey model of s² inputs (MNIST 28 × 28),
 * s × s × 3 planes R, G, B for a colour model of 3·s² inputs (CIFAR-10's layout) — and its pixels to
 * [0, 1]; grey is the mean of R, G and B. {@code invert} maps v to 1 − v, for dark writing on light
 * paper (MNIST digits are light on dark).
 */
public final class ImageFiles {
    /** Largest image file read (a photo from a phone fits easily). */
    public static final long MAX_BYTES = 64L << 20;

    private ImageFiles() {
    }

    /** True when the file name has an image extension this reader takes. */
    public static boolean isImageName(Path p) {
        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
        return n.endsWith(".png") || n.endsWith(".jpg") || n.endsWith(".jpeg") || n.endsWith(".bmp")
                || n.endsWith(".gif") || n.endsWith(".pgm");
    }

    /** One image as {@code inputSize} values in [0,1], laid out as described in the class comment. */
    public static float[] read(Path file, int inputSize, boolean invert) throws IOException {
        System.setProperty("java.awt.headless", "true");
        int side = (int) Math.round(Math.sqrt(inputSize));
        boolean colour = side * side != inputSize;
        if (colour) {
            side = (int) Math.round(Math.sqrt(inputSize / 3.0));
            if (3 * side * side != inputSize) {
                throw new IllegalArgumentException("the model reads " + inputSize
                        + " values, which is neither s×s grey nor s×s×3 colour pixels: images cannot be fed to it");
            }
        }
        byte[] bytes = InputFiles.readAll(file, MAX_BYTES, "image file");
        BufferedImage img = file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".pgm")
                ? pgm(file, bytes) : ImageIO.read(new ByteArrayInputStream(bytes));
        if (img == null) {
            throw new DataFormatException(file + ": not an image this reader decodes (PNG, JPEG, BMP, GIF, PGM)");
        }
        BufferedImage scaled = new BufferedImage(side, side, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = scaled.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
        g.drawImage(img, 0, 0, side, side, null);
        g.dispose();
        float[] x = new float[inputSize];
        int plane = side * side;
        for (int y = 0; y < side; y++) {
            for (int c = 0; c < side; c++) {
                int rgb = scaled.getRGB(c, y);
                float r = ((rgb >> 16) & 0xff) / 255f;
                float gr = ((rgb >> 8) & 0xff) / 255f;
                float b = (rgb & 0xff) / 255f;
                int at = y * side + c;
                if (colour) {
                    x[at] = invert ? 1 - r : r;
                    x[plane + at] = invert ? 1 - gr : gr;
                    x[2 * plane + at] = invert ? 1 - b : b;
                } else {
                    float v = (r + gr + b) / 3f;
                    x[at] = invert ? 1 - v : v;
                }
            }
        }
        return x;
    }

    /** A PGM (P2 text or P5 binary, maxval up to 65535) as a grey image. */
    static BufferedImage pgm(Path file, byte[] b) {
        int[] pos = {0};
        String magic = token(file, b, pos);
        if (!magic.equals("P2") && !magic.equals("P5")) {
            throw new DataFormatException(file + ": not a PGM file (magic '" + magic + "', expected P2 or P5)");
        }
        int w = number(file, b, pos, "width");
        int h = number(file, b, pos, "height");
        int max = number(file, b, pos, "maxval");
        if (w < 1 || h < 1 || (long) w * h > 64L << 20 || max < 1 || max > 65535) {
            throw new DataFormatException(file + ": PGM header has impossible values " + w + " x " + h + ", maxval " + max);
        }
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        int bytesPer = max > 255 ? 2 : 1;
        pos[0]++; // the one whitespace after maxval
        for (int i = 0; i < w * h; i++) {
            int v;
            if (magic.equals("P5")) {
                int at = pos[0] + i * bytesPer;
                if (at + bytesPer > b.length) {
                    throw new DataFormatException(file + ": PGM data is truncated (" + i + " of " + w * h + " pixels)");
                }
                v = bytesPer == 1 ? b[at] & 0xff : ((b[at] & 0xff) << 8) | (b[at + 1] & 0xff);
            } else {
                v = number(file, b, pos, "pixel " + i);
            }
            int g = Math.min(255, Math.round(255f * v / max));
            img.setRGB(i % w, i / w, (g << 16) | (g << 8) | g);
        }
        return img;
    }

    private static String token(Path file, byte[] b, int[] pos) {
        int i = pos[0];
        while (i < b.length && (Character.isWhitespace(b[i]) || b[i] == '#')) {
            if (b[i] == '#') {
                while (i < b.length && b[i] != '\n') {
                    i++;
                }
            } else {
                i++;
            }
        }
        int start = i;
        while (i < b.length && !Character.isWhitespace(b[i]) && i - start < 16) {
            i++;
        }
        pos[0] = i;
        return new String(b, start, i - start, StandardCharsets.US_ASCII);
    }

    private static int number(Path file, byte[] b, int[] pos, String what) {
        String t = token(file, b, pos);
        try {
            return Integer.parseInt(t);
        } catch (NumberFormatException e) {
            throw new DataFormatException(file + ": PGM " + what + " is '" + t + "', not a number");
        }
    }
}
