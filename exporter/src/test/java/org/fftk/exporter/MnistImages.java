package org.fftk.exporter;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.zip.GZIPInputStream;

/** The first images of the real MNIST test set, or null when the dataset is not on this machine. */
final class MnistImages {
    static final int D = 784;

    private MnistImages() {
    }

    /** $FFTK_DATA/mnist, else shared/datasets/mnist in the repository's parent (or an ancestor's). */
    static Path dir() {
        String env = System.getenv("FFTK_DATA");
        if (env != null && !env.isBlank()) {
            Path p = Paths.get(env, "mnist");
            if (Files.isDirectory(p)) {
                return p;
            }
        }
        for (Path p = Paths.get("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path c = p.resolve("shared/datasets/mnist");
            if (Files.isRegularFile(c.resolve("t10k-images-idx3-ubyte.gz"))) {
                return c;
            }
        }
        return null;
    }

    /** n test images (pixels / 255), row-major n × 784, or null when MNIST is absent. */
    static float[] testImages(int n) throws IOException {
        Path dir = dir();
        if (dir == null) {
            return null;
        }
        try (InputStream raw = Files.newInputStream(dir.resolve("t10k-images-idx3-ubyte.gz"));
                DataInputStream in = new DataInputStream(new GZIPInputStream(raw, 1 << 16))) {
            int magic = in.readInt();
            int count = in.readInt();
            int rows = in.readInt();
            int cols = in.readInt();
            if (magic != 0x803 || rows * cols != D || count < n) {
                throw new IOException("unexpected MNIST header in " + dir);
            }
            byte[] b = new byte[n * D];
            in.readFully(b);
            float[] x = new float[n * D];
            for (int i = 0; i < x.length; i++) {
                x[i] = (b[i] & 0xff) / 255f;
            }
            return x;
        }
    }
}
