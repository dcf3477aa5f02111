package org.fftk.trainer.bench;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import org.fftk.trainer.TrainData;

/**
 * Minimal IDX reader for the benchmark mains (MNIST / Fashion-MNIST, raw or .gz). Temporary: the
 * CLI uses edge-runtime's dataset readers.
 */
public final class IdxData {
    private IdxData() {
    }

    /** Reads {@code <prefix>-images-idx3-ubyte[.gz]} and {@code <prefix>-labels-idx1-ubyte[.gz]} (prefix train or t10k). */
    public static TrainData load(Path dir, String prefix) throws IOException {
        byte[] img = read(dir, prefix + "-images-idx3-ubyte", 0x803);
        byte[] lab = read(dir, prefix + "-labels-idx1-ubyte", 0x801);
        int n = lab.length;
        int dim = img.length / n;
        float[] px = new float[img.length];
        for (int i = 0; i < px.length; i++) {
            px[i] = (img[i] & 0xff) / 255f;
        }
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = lab[i] & 0xff;
        }
        return new TrainData(px, y, dim, 10);
    }

    private static byte[] read(Path dir, String name, int magic) throws IOException {
        Path p = dir.resolve(name);
        boolean gz = false;
        if (!Files.exists(p)) {
            p = dir.resolve(name + ".gz");
            gz = true;
        }
        try (InputStream raw = Files.newInputStream(p);
             DataInputStream in = new DataInputStream(gz ? new GZIPInputStream(raw, 1 << 16) : raw)) {
            int m = in.readInt();
            if (m != magic) {
                throw new IOException(p + ": not an IDX file of the expected kind (magic " + Integer.toHexString(m) + ")");
            }
            int dims = m & 0xff;
            long size = 1;
            for (int i = 0; i < dims; i++) {
                size *= in.readInt();
            }
            byte[] b = new byte[(int) size];
            try {
                in.readFully(b);
            } catch (EOFException e) {
                throw new IOException(p + ": truncated IDX file");
            }
            return b;
        }
    }

    /** $FFTK_DATA/&lt;name&gt; if present, else /work/shared/datasets/&lt;name&gt; style: ../shared/datasets. */
    public static Path dataDir(String name) {
        String env = System.getenv("FFTK_DATA");
        if (env != null && !env.isBlank() && Files.isDirectory(Path.of(env, name))) {
            return Path.of(env, name);
        }
        for (Path base : new Path[] {Path.of("../shared/datasets"), Path.of("../../shared/datasets"),
                Path.of("/work/shared/datasets")}) {
            if (Files.isDirectory(base.resolve(name))) {
                return base.resolve(name);
            }
        }
        return null;
    }
}
