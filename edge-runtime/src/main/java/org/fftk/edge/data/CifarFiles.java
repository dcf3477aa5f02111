package org.fftk.edge.data;

import org.fftk.edge.io.InputFiles;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Reader for CIFAR-10 binary batches (data_batch_N.bin, test_batch.bin, plain or gzipped): records
 * of 1 label byte (0..9) and 3072 pixel bytes (channel-major: 1024 red, 1024 green, 1024 blue, each
 * 32×32 row-major). Pixels are kept in that order, scaled to [0,1].
 */
public final class CifarFiles {
    public static final int PIXELS = 3072;
    public static final int RECORD = PIXELS + 1;
    public static final int LABELS = 10;

    private CifarFiles() {
    }

    /** Reads one or more batch files, concatenated in the given order. */
    public static Dataset read(String name, Path... files) throws IOException {
        byte[][] parts = new byte[files.length][];
        long total = 0;
        for (int f = 0; f < files.length; f++) {
            parts[f] = readRecords(files[f]);
            total += parts[f].length / RECORD;
        }
        if (total * PIXELS > IdxFiles.MAX_BYTES) {
            throw new DataFormatException(name + ": " + total + " CIFAR-10 images are more than this reader handles");
        }
        int n = (int) total;
        float[] images = new float[n * PIXELS];
        int[] labels = new int[n];
        int at = 0;
        for (byte[] p : parts) {
            for (int r = 0; r < p.length / RECORD; r++, at++) {
                labels[at] = p[r * RECORD] & 0xff;
                Datasets.scaleInto(p, r * RECORD + 1, images, at * PIXELS, PIXELS);
            }
        }
        return new Dataset(name, PIXELS, LABELS, images, labels);
    }

    /** The raw records of one batch file, after checking its size and labels. */
    static byte[] readRecords(Path file) throws IOException {
        byte[] data;
        boolean gz = IdxFiles.isGzip(file);
        if (!gz) {
            long size = Files.size(file);
            if (size == 0 || size % RECORD != 0 || size > IdxFiles.MAX_BYTES) {
                throw new DataFormatException(file + ": not a CIFAR-10 batch: " + size + " bytes is "
                        + (size == 0 ? "empty" : "not a whole number of " + RECORD + "-byte records") + " ("
                        + size / RECORD + " records and " + size % RECORD + " bytes)");
            }
            data = InputFiles.readAll(file, IdxFiles.MAX_BYTES, "CIFAR-10 batch");
        } else {
            try (InputStream in = IdxFiles.open(file)) {
                data = new byte[1 << 20];
                int have = 0;
                while (true) {
                    if (have == data.length) {
                        if (data.length >= IdxFiles.MAX_BYTES / 2) {
                            throw new DataFormatException(file + ": decompressed CIFAR-10 batch is too large");
                        }
                        data = Arrays.copyOf(data, data.length * 2);
                    }
                    int got = IdxFiles.readUpTo(file, in, data, have, data.length - have);
                    have += got;
                    if (have < data.length) {
                        break;
                    }
                }
                if (have == 0 || have % RECORD != 0) {
                    throw new DataFormatException(file + ": not a CIFAR-10 batch: decompressed size " + have + " bytes is "
                            + (have == 0 ? "empty" : "not a whole number of " + RECORD + "-byte records"));
                }
                data = Arrays.copyOf(data, have);
            }
        }
        for (int r = 0; r < data.length / RECORD; r++) {
            int label = data[r * RECORD] & 0xff;
            if (label >= LABELS) {
                throw new DataFormatException(file + ": record " + r + " has label " + label + " (CIFAR-10 labels are 0..9)");
            }
        }
        return data;
    }
}
