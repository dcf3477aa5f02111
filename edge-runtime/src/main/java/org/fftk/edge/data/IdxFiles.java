package org.fftk.edge.data;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import org.fftk.edge.io.InputFiles;
import java.util.zip.ZipException;

/**
 * Readers for IDX files (MNIST, Fashion-MNIST), plain or gzipped (detected by the gzip magic
 * 1f 8b, not by the file name). The header's magic and dimensions are checked, and the data must
 * have exactly the length the header announces; every problem is a one-line
 * {@link DataFormatException} naming the file. Memory is only allocated for data actually present.
 */
public final class IdxFiles {
    public static final int IMAGES_MAGIC = 0x00000803;
    public static final int LABELS_MAGIC = 0x00000801;
    /** Largest payload accepted (Java arrays top out near 2 GiB). */
    static final long MAX_BYTES = Integer.MAX_VALUE - 64;

    private IdxFiles() {
    }

    /** The images of an idx3 file: count × rows × cols unsigned bytes. */
    public static final class Images {
        private final int count;
        private final int rows;
        private final int cols;
        private final byte[] pixels;

        Images(int count, int rows, int cols, byte[] pixels) {
            this.count = count;
            this.rows = rows;
            this.cols = cols;
            this.pixels = pixels;
        }

        public int count() {
            return count;
        }

        public int rows() {
            return rows;
        }

        public int cols() {
            return cols;
        }

        /** Raw pixel bytes, row-major, not copied. */
        public byte[] pixels() {
            return pixels;
        }

        /** Pixels scaled to [0,1] (byte / 255), count × (rows·cols). */
        public float[] toFloats() {
            return Datasets.scale(pixels, 0, pixels.length);
        }
    }

    /** Reads an idx3-ubyte image file (optionally gzipped). */
    public static Images readImages(Path file) throws IOException {
        return readImages(file, Integer.MAX_VALUE);
    }

    /**
     * Reads the first {@code limit} images of an idx3-ubyte file (all when it holds fewer): only those
     * bytes are decompressed and allocated, so a small limit on a huge file costs little memory.
     */
    public static Images readImages(Path file, int limit) throws IOException {
        try (InputStream in = open(file)) {
            int[] h = imageHeader(file, in);
            int n = h[0];
            int rows = h[1];
            int cols = h[2];
            long payload = (long) n * rows * cols;
            String what = n + " images of " + rows + "x" + cols;
            if (limit < n) {
                checkPlainSize(file, 16, payload, what);
                int k = Math.max(0, limit);
                long part = (long) k * rows * cols;
                if (part > MAX_BYTES) {
                    throw new DataFormatException(file + ": " + k + " images of " + rows + "x" + cols
                            + " are more than this reader handles at once");
                }
                byte[] data = new byte[(int) part];
                int have = 0;
                while (have < data.length) {
                    int got = readUpTo(file, in, data, have, data.length - have);
                    if (got <= 0) {
                        throw new DataFormatException(file + ": truncated IDX file: header says " + what
                                + ", but the data ends after " + have / (rows * cols) + " images");
                    }
                    have += got;
                }
                return new Images(k, rows, cols, data);
            }
            byte[] data = readPayload(file, in, 16, payload, what);
            return new Images(n, rows, cols, data);
        }
    }

    /** Reads an idx1-ubyte label file (optionally gzipped): one unsigned byte per image. */
    public static int[] readLabels(Path file) throws IOException {
        try (InputStream in = open(file)) {
            int n = labelHeader(file, in);
            byte[] data = readPayload(file, in, 8, n, n + " labels");
            int[] labels = new int[n];
            for (int i = 0; i < n; i++) {
                labels[i] = data[i] & 0xff;
            }
            return labels;
        }
    }

    /**
     * An IDX file read a block of items at a time, so that memory is bounded by the block and not by
     * the file (a 1 GB device can evaluate any file size). The header is checked on opening (and a
     * plain file's size against it); a gzip file's length is checked as it is read: missing data is
     * an error when the block that needs it is read, data beyond the announced count when the last
     * item has been read.
     */
    public static final class Reader implements java.io.Closeable {
        private final Path file;
        private final InputStream in;
        private final int count;
        private final int rows;
        private final int cols;
        private final String what;
        private int done;

        private Reader(Path file, InputStream in, int count, int rows, int cols, String what) {
            this.file = file;
            this.in = in;
            this.count = count;
            this.rows = rows;
            this.cols = cols;
            this.what = what;
        }

        /** Items the header announces. */
        public int count() {
            return count;
        }

        /** Bytes per item: rows × cols for images, 1 for labels. */
        public int itemBytes() {
            return rows * cols;
        }

        public int rows() {
            return rows;
        }

        public int cols() {
            return cols;
        }

        /**
         * Reads the next items, at most {@code max} and at most {@code dst.length / itemBytes()}, into
         * {@code dst}; returns how many, 0 once all {@link #count()} are read (after checking that
         * nothing follows them).
         */
        public int next(byte[] dst, int max) throws IOException {
            int k = Math.min(Math.min(max, count - done), dst.length / itemBytes());
            if (k <= 0) {
                if (done == count && readByte(file, in) >= 0) {
                    throw new DataFormatException(file + ": IDX file too long: header says " + what
                            + ", but more data follows");
                }
                return 0;
            }
            int len = k * itemBytes();
            int got = readUpTo(file, in, dst, 0, len);
            if (got < len) {
                throw new DataFormatException(file + ": truncated IDX file: header says " + what
                        + ", but the data ends after " + (done + got / itemBytes()) + (rows * cols == 1 ? " labels" : " images"));
            }
            done += k;
            return k;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }

    /** Opens an idx3-ubyte image file (optionally gzipped) for reading a block at a time. */
    public static Reader openImages(Path file) throws IOException {
        InputStream in = open(file);
        try {
            int[] h = imageHeader(file, in);
            long payload = (long) h[0] * h[1] * h[2];
            String what = h[0] + " images of " + h[1] + "x" + h[2];
            checkPlainSize(file, 16, payload, what);
            return new Reader(file, in, h[0], h[1], h[2], what);
        } catch (IOException | RuntimeException e) {
            in.close();
            throw e;
        }
    }

    /** Opens an idx1-ubyte label file (optionally gzipped) for reading a block at a time. */
    public static Reader openLabels(Path file) throws IOException {
        InputStream in = open(file);
        try {
            int n = labelHeader(file, in);
            checkPlainSize(file, 8, n, n + " labels");
            return new Reader(file, in, n, 1, 1, n + " labels");
        } catch (IOException | RuntimeException e) {
            in.close();
            throw e;
        }
    }

    /** A plain (not gzipped) file must be exactly header + payload bytes long. */
    private static void checkPlainSize(Path file, int headerLen, long payload, String what) throws IOException {
        if (isGzip(file)) {
            return;
        }
        long size = Files.size(file);
        long expected = headerLen + payload;
        if (size != expected) {
            throw new DataFormatException(file + ": " + (size < expected ? "truncated IDX file" : "IDX file too long")
                    + ": header says " + what + ", which needs " + expected + " bytes, but the file has " + size);
        }
    }

    /** Reads and checks an image file's 16-byte header: {count, rows, cols}. */
    private static int[] imageHeader(Path file, InputStream in) throws IOException {
        byte[] head = readHeader(file, in, 16, 4, "image");
        int magic = be(head, 0);
        if (magic != IMAGES_MAGIC) {
            throw new DataFormatException(file + ": not an IDX image file (magic " + hex(magic) + ", expected "
                    + hex(IMAGES_MAGIC) + (magic == LABELS_MAGIC ? ": this is a label file" : "") + ")");
        }
        readRest(file, in, head, 4, "image");
        int n = be(head, 4);
        int rows = be(head, 8);
        int cols = be(head, 12);
        if (n < 0 || rows <= 0 || cols <= 0 || (long) rows * cols > MAX_BYTES) {
            throw new DataFormatException(file + ": IDX header has impossible dimensions " + n + " x " + rows + " x " + cols);
        }
        return new int[] {n, rows, cols};
    }

    /** Reads and checks a label file's 8-byte header: the count. */
    private static int labelHeader(Path file, InputStream in) throws IOException {
        byte[] head = readHeader(file, in, 8, 4, "label");
        int magic = be(head, 0);
        if (magic != LABELS_MAGIC) {
            throw new DataFormatException(file + ": not an IDX label file (magic " + hex(magic) + ", expected "
                    + hex(LABELS_MAGIC) + (magic == IMAGES_MAGIC ? ": this is an image file" : "") + ")");
        }
        readRest(file, in, head, 4, "label");
        int n = be(head, 4);
        if (n < 0) {
            throw new DataFormatException(file + ": IDX header has a negative label count " + n);
        }
        return n;
    }

    /** Opens a file, decompressing it when it starts with the gzip magic. */
    static InputStream open(Path file) throws IOException {
        InputStream raw = new BufferedInputStream(InputFiles.open(file), 1 << 16);
        raw.mark(2);
        int b0 = raw.read();
        int b1 = raw.read();
        raw.reset();
        if (b0 == 0x1f && b1 == 0x8b) {
            try {
                return new BufferedInputStream(new GZIPInputStream(raw, 1 << 16), 1 << 16);
            } catch (IOException e) {
                raw.close();
                throw new DataFormatException(file + ": corrupt gzip header (" + e.getMessage() + ")", e);
            }
        }
        return raw;
    }

    static boolean isGzip(Path file) throws IOException {
        try (InputStream in = InputFiles.open(file)) {
            return in.read() == 0x1f && in.read() == 0x8b;
        }
    }

    /** A header buffer of {@code len} bytes with its first {@code first} bytes (the magic) read. */
    private static byte[] readHeader(Path file, InputStream in, int len, int first, String kind) throws IOException {
        byte[] h = new byte[len];
        int got = readUpTo(file, in, h, 0, first);
        if (got < first) {
            throw new DataFormatException(file + ": truncated IDX " + kind + " file: " + got
                    + " bytes, the header alone needs " + len);
        }
        return h;
    }

    private static void readRest(Path file, InputStream in, byte[] h, int from, String kind) throws IOException {
        int got = from + readUpTo(file, in, h, from, h.length - from);
        if (got < h.length) {
            throw new DataFormatException(file + ": truncated IDX " + kind + " file: " + got
                    + " bytes, the header alone needs " + h.length);
        }
    }

    /** Reads exactly {@code payload} bytes and checks that nothing follows. */
    private static byte[] readPayload(Path file, InputStream in, int headerLen, long payload, String what) throws IOException {
        long expected = headerLen + payload;
        if (payload > MAX_BYTES) {
            throw new DataFormatException(file + ": IDX header claims " + what + " (" + expected
                    + " bytes), more than this reader handles");
        }
        boolean gz = isGzip(file);
        checkPlainSize(file, headerLen, payload, what);
        // a lying header in a small gzip file must not force a huge allocation
        // plain files: the size was checked above; gzip: start small and grow as data arrives
        byte[] data = new byte[(int) (gz ? Math.min(payload, 1 << 20) : payload)];
        int have = 0;
        while (have < payload) {
            if (have == data.length) {
                data = Arrays.copyOf(data, (int) Math.min(payload, (long) data.length * 2));
            }
            int got = readUpTo(file, in, data, have, data.length - have);
            have += got;
            if (have < data.length) {
                break; // end of data
            }
        }
        String sizes = gz ? "decompressed size" : "size";
        if (have < payload) {
            throw new DataFormatException(file + ": truncated IDX file: header says " + what + ", which needs "
                    + expected + " bytes, but the " + sizes + " is " + (headerLen + have));
        }
        if (readByte(file, in) >= 0) {
            throw new DataFormatException(file + ": IDX file too long: header says " + what + ", which needs " + expected
                    + " bytes, but the " + sizes + " is larger");
        }
        return data;
    }

    /** Reads until len bytes or end of stream; turns gzip errors into one-line messages. */
    static int readUpTo(Path file, InputStream in, byte[] b, int off, int len) throws IOException {
        int total = 0;
        try {
            while (total < len) {
                int r = in.read(b, off + total, len - total);
                if (r < 0) {
                    break;
                }
                total += r;
            }
        } catch (EOFException | ZipException e) {
            throw new DataFormatException(file + ": gzip data is truncated or corrupt (" + e.getMessage() + ")", e);
        }
        return total;
    }

    private static int readByte(Path file, InputStream in) throws IOException {
        try {
            return in.read();
        } catch (EOFException | ZipException e) {
            throw new DataFormatException(file + ": gzip data is truncated or corrupt (" + e.getMessage() + ")", e);
        }
    }

    private static int be(byte[] b, int o) {
        return (b[o] & 0xff) << 24 | (b[o + 1] & 0xff) << 16 | (b[o + 2] & 0xff) << 8 | (b[o + 3] & 0xff);
    }

    private static String hex(int v) {
        return String.format("0x%08x", v);
    }
}
