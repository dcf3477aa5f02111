package org.fftk.edge.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.fftk.edge.testutil.TestImages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetsTest {
    @TempDir
    Path dir;

    // ---------- real files ----------

    private static Path root(String name) {
        Path r = TestImages.datasetsRoot();
        assumeTrue(r != null && Files.isDirectory(r.resolve(name)),
                "SKIPPED: real " + name + " not found ($FFTK_DATA or shared/datasets above the working directory)");
        return r;
    }

    @Test
    void realMnistTestSet() throws IOException {
        Path r = root("mnist");
        Dataset d = Datasets.load(DatasetName.MNIST, r, Split.TEST);
        assertEquals(10000, d.size());
        assertEquals(784, d.inputSize());
        assertEquals(7, d.label(0));
        assertEquals("mnist test", d.name());
        // per-class counts of the MNIST test set (LeCun's published table)
        int[] counts = new int[10];
        for (int l : d.labels()) {
            counts[l]++;
        }
        assertArrayEquals(new int[] {980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009}, counts);
        // pixels equal the decompressed bytes / 255, checked with an independent decoding
        byte[] raw = gunzip(r.resolve("mnist/t10k-images-idx3-ubyte.gz"));
        assertEquals(16 + 10000 * 784, raw.length);
        float[] px = d.images();
        for (int i = 0; i < px.length; i += 97) {
            assertEquals((raw[16 + i] & 0xff) / 255f, px[i], 0f);
        }
        float min = 1;
        float max = 0;
        int zeros = 0;
        for (float v : px) {
            min = Math.min(min, v);
            max = Math.max(max, v);
            zeros += v == 0 ? 1 : 0;
        }
        assertEquals(0f, min);
        assertEquals(1f, max);
        assertTrue(zeros > px.length * 0.7, "MNIST is mostly background");
    }

    @Test
    void realMnistTrainLabelsAndHeader() throws IOException {
        Path r = root("mnist");
        int[] labels = IdxFiles.readLabels(r.resolve("mnist/train-labels-idx1-ubyte.gz"));
        assertEquals(60000, labels.length);
        assertArrayEquals(new int[] {5, 0, 4, 1, 9, 2, 1, 3, 1, 4}, Arrays.copyOf(labels, 10));
        assertTrue(Datasets.isPresent(DatasetName.MNIST, r, Split.TRAIN));
    }

    @Test
    void realFashionMnistTestSetIsBalanced() throws IOException {
        Path r = root("fashion-mnist");
        Dataset d = Datasets.load(DatasetName.FASHION_MNIST, r.resolve("fashion-mnist"), Split.TEST);
        assertEquals(10000, d.size());
        int[] counts = new int[10];
        for (int l : d.labels()) {
            counts[l]++;
        }
        int[] thousand = new int[10];
        Arrays.fill(thousand, 1000);
        assertArrayEquals(thousand, counts);
    }

    // ---------- IDX files written by the test ----------

    private static byte[] idxImages(int n, int rows, int cols, long seed) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        writeInt(b, IdxFiles.IMAGES_MAGIC);
        writeInt(b, n);
        writeInt(b, rows);
        writeInt(b, cols);
        byte[] px = new byte[n * rows * cols];
        new Random(seed).nextBytes(px);
        b.write(px, 0, px.length);
        return b.toByteArray();
    }

    private static byte[] idxLabels(int... labels) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        writeInt(b, IdxFiles.LABELS_MAGIC);
        writeInt(b, labels.length);
        for (int l : labels) {
            b.write(l);
        }
        return b.toByteArray();
    }

    private static void writeInt(ByteArrayOutputStream b, int v) {
        b.write(v >>> 24);
        b.write(v >>> 16 & 0xff);
        b.write(v >>> 8 & 0xff);
        b.write(v & 0xff);
    }

    private Path file(String name, byte[] content) throws IOException {
        Path p = dir.resolve(name);
        Files.createDirectories(p.getParent());
        Files.write(p, content);
        return p;
    }

    private static byte[] gzip(byte[] b) throws IOException {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        try (GZIPOutputStream g = new GZIPOutputStream(o)) {
            g.write(b);
        }
        return o.toByteArray();
    }

    private static byte[] gunzip(Path p) throws IOException {
        try (InputStream in = new GZIPInputStream(Files.newInputStream(p))) {
            return in.readAllBytes();
        }
    }

    @Test
    void idxPlainAndGzippedReadTheSame() throws IOException {
        byte[] im = idxImages(3, 28, 28, 1);
        byte[] lb = idxLabels(4, 0, 9);
        file("plain/t10k-images-idx3-ubyte", im);
        file("plain/t10k-labels-idx1-ubyte", lb);
        file("gz/mnist/t10k-images-idx3-ubyte.gz", gzip(im));
        file("gz/mnist/t10k-labels-idx1-ubyte.gz", gzip(lb));
        Dataset a = Datasets.load(DatasetName.MNIST, dir.resolve("plain"), Split.TEST);
        Dataset b = Datasets.load(DatasetName.MNIST, dir.resolve("gz"), Split.TEST);
        assertEquals(3, a.size());
        assertArrayEquals(new int[] {4, 0, 9}, a.labels());
        assertArrayEquals(a.images(), b.images(), 0f);
        assertArrayEquals(a.labels(), b.labels());
        for (int i = 0; i < 3 * 784; i++) {
            assertEquals((im[16 + i] & 0xff) / 255f, a.images()[i], 0f);
        }
        Dataset h = a.head(2);
        assertEquals(2, h.size());
        assertEquals(a.images()[a.offset(1) + 5], h.images()[h.offset(1) + 5], 0f);
    }

    @Test
    void truncatedIdxFilesGiveOneLineErrorsNamingTheFile() throws IOException {
        byte[] im = idxImages(2, 4, 4, 2);
        for (int len = 0; len < im.length; len++) {
            Path p = file("cut-" + len, Arrays.copyOf(im, len));
            DataFormatException e = assertThrows(DataFormatException.class, () -> IdxFiles.readImages(p));
            assertOneLine(e, p);
            Path g = file("cut-" + len + ".gz", gzip(Arrays.copyOf(im, len)));
            e = assertThrows(DataFormatException.class, () -> IdxFiles.readImages(g));
            assertOneLine(e, g);
        }
        Path p = file("cut", Arrays.copyOf(im, 30));
        DataFormatException e = assertThrows(DataFormatException.class, () -> IdxFiles.readImages(p));
        assertEquals(p + ": truncated IDX file: header says 2 images of 4x4, which needs 48 bytes, but the file has 30",
                e.getMessage());
        byte[] longer = Arrays.copyOf(im, im.length + 1);
        Path l = file("long", longer);
        e = assertThrows(DataFormatException.class, () -> IdxFiles.readImages(l));
        assertTrue(e.getMessage().contains("IDX file too long"), e.getMessage());
        Path lg = file("long.gz", gzip(longer));
        e = assertThrows(DataFormatException.class, () -> IdxFiles.readImages(lg));
        assertTrue(e.getMessage().contains("IDX file too long"), e.getMessage());
    }

    @Test
    void truncatedGzipStreamIsACleanError() throws IOException {
        byte[] gz = gzip(idxImages(50, 28, 28, 3));
        for (int len : new int[] {1, 2, 5, 10, 20, gz.length / 2, gz.length - 4, gz.length - 1}) {
            Path p = file("gzcut-" + len, Arrays.copyOf(gz, len));
            Exception e = assertThrows(DataFormatException.class, () -> IdxFiles.readImages(p));
            assertOneLine(e, p);
        }
    }

    @Test
    void wrongMagicDimsAndLyingHeadersAreRefused() throws IOException {
        Path labels = file("labels", idxLabels(1, 2, 3));
        DataFormatException e = assertThrows(DataFormatException.class, () -> IdxFiles.readImages(labels));
        assertEquals(labels + ": not an IDX image file (magic 0x00000801, expected 0x00000803: this is a label file)",
                e.getMessage());
        Path images = file("images", idxImages(1, 2, 2, 4));
        e = assertThrows(DataFormatException.class, () -> IdxFiles.readLabels(images));
        assertTrue(e.getMessage().contains("this is an image file"), e.getMessage());
        // a gzip file of 40 bytes whose header claims 2^31-2^24 images of 1x1: refused without allocating 2 GB
        byte[] lie = idxImages(0, 1, 1, 5);
        lie[4] = 0x7f;
        Path g = file("lie.gz", gzip(lie));
        e = assertThrows(DataFormatException.class, () -> IdxFiles.readImages(g));
        assertTrue(e.getMessage().contains("truncated IDX file"), e.getMessage());
        // absurd total size
        byte[] huge = idxImages(0, 1, 1, 5);
        huge[4] = 0x7f;
        huge[11] = 100;
        huge[15] = 100;
        Path h = file("huge", huge);
        e = assertThrows(DataFormatException.class, () -> IdxFiles.readImages(h));
        assertTrue(e.getMessage().contains("more than this reader handles"), e.getMessage());
        byte[] neg = idxImages(0, 1, 1, 5);
        neg[8] = (byte) 0x80;
        Path n = file("neg", neg);
        e = assertThrows(DataFormatException.class, () -> IdxFiles.readImages(n));
        assertTrue(e.getMessage().contains("impossible dimensions"), e.getMessage());
    }

    @Test
    void mismatchedCountsBadLabelsAndWrongSizesAreRefused() throws IOException {
        Path im = file("a/t10k-images-idx3-ubyte", idxImages(3, 28, 28, 6));
        Path lb = file("a/t10k-labels-idx1-ubyte", idxLabels(1, 2));
        DataFormatException e = assertThrows(DataFormatException.class,
                () -> Datasets.load(DatasetName.MNIST, dir.resolve("a"), Split.TEST));
        assertEquals(im + " holds 3 images but " + lb + " holds 2 labels", e.getMessage());
        file("b/t10k-images-idx3-ubyte", idxImages(2, 28, 28, 6));
        Path bad = file("b/t10k-labels-idx1-ubyte", idxLabels(1, 12));
        e = assertThrows(DataFormatException.class, () -> Datasets.load(DatasetName.MNIST, dir.resolve("b"), Split.TEST));
        assertEquals(bad + ": label 12 of image 1 is outside 0..9", e.getMessage());
        file("c/t10k-images-idx3-ubyte", idxImages(1, 32, 32, 6));
        file("c/t10k-labels-idx1-ubyte", idxLabels(1));
        e = assertThrows(DataFormatException.class, () -> Datasets.load(DatasetName.MNIST, dir.resolve("c"), Split.TEST));
        assertTrue(e.getMessage().contains("images have 1024 pixels, mnist images have 784"), e.getMessage());
    }

    @Test
    void missingFilesSayWhereTheyWereLookedFor() {
        assertFalse(Datasets.isPresent(DatasetName.FASHION_MNIST, dir, Split.TRAIN));
        NoSuchFileException e = assertThrows(NoSuchFileException.class,
                () -> Datasets.load(DatasetName.FASHION_MNIST, dir, Split.TRAIN));
        assertEquals("no train-images-idx3-ubyte[.gz] for fashion-mnist in " + dir + " or " + dir.resolve("fashion-mnist"),
                e.getMessage());
    }

    // ---------- CIFAR-10 ----------

    private static byte[] cifar(long seed, int... labels) {
        Random r = new Random(seed);
        byte[] b = new byte[labels.length * CifarFiles.RECORD];
        for (int i = 0; i < labels.length; i++) {
            b[i * CifarFiles.RECORD] = (byte) labels[i];
            for (int k = 1; k < CifarFiles.RECORD; k++) {
                b[i * CifarFiles.RECORD + k] = (byte) r.nextInt(256);
            }
        }
        return b;
    }

    @Test
    void cifarBatchesLoadInOrder() throws IOException {
        byte[][] batches = new byte[5][];
        for (int i = 0; i < 5; i++) {
            batches[i] = cifar(i, i, 9 - i);
            byte[] content = i % 2 == 0 ? batches[i] : gzip(batches[i]);
            file("cifar-10-batches-bin/data_batch_" + (i + 1) + ".bin" + (i % 2 == 0 ? "" : ".gz"), content);
        }
        byte[] test = cifar(7, 3, 8, 0);
        file("cifar-10-batches-bin/test_batch.bin", test);
        Dataset tr = Datasets.load(DatasetName.CIFAR10, dir, Split.TRAIN);
        assertEquals(10, tr.size());
        assertEquals(3072, tr.inputSize());
        assertArrayEquals(new int[] {0, 9, 1, 8, 2, 7, 3, 6, 4, 5}, tr.labels());
        // image 3 = second record of batch 2; pixel k is byte k+1 of its record, channel-major as stored
        for (int k = 0; k < 3072; k += 7) {
            assertEquals((batches[1][CifarFiles.RECORD + 1 + k] & 0xff) / 255f, tr.images()[tr.offset(3) + k], 0f);
        }
        Dataset te = Datasets.load(DatasetName.CIFAR10, dir, Split.TEST);
        assertArrayEquals(new int[] {3, 8, 0}, te.labels());
        Dataset viaFile = Datasets.loadFiles(dir.resolve("cifar-10-batches-bin/test_batch.bin"), null);
        assertArrayEquals(te.images(), viaFile.images(), 0f);
        int[] shape = new int[2];
        float[] px = Datasets.loadImages(dir.resolve("cifar-10-batches-bin/test_batch.bin"), shape);
        assertArrayEquals(new int[] {3, 3072}, shape);
        assertArrayEquals(te.images(), px, 0f);
    }

    @Test
    void corruptCifarBatchesAreRefused() throws IOException {
        byte[] ok = cifar(1, 1, 2);
        Path cut = file("cut.bin", Arrays.copyOf(ok, ok.length - 1));
        DataFormatException e = assertThrows(DataFormatException.class, () -> Datasets.loadFiles(cut, null));
        assertEquals(cut + ": not a CIFAR-10 batch: 6145 bytes is not a whole number of 3073-byte records (1 records and 3072 bytes)",
                e.getMessage());
        Path empty = file("empty.bin", new byte[0]);
        e = assertThrows(DataFormatException.class, () -> Datasets.loadFiles(empty, null));
        assertTrue(e.getMessage().contains("empty"), e.getMessage());
        byte[] badLabel = cifar(1, 1, 10);
        Path bl = file("bad.bin", badLabel);
        e = assertThrows(DataFormatException.class, () -> Datasets.loadFiles(bl, null));
        assertEquals(bl + ": record 1 has label 10 (CIFAR-10 labels are 0..9)", e.getMessage());
        Path gzCut = file("cut.bin.gz", gzip(Arrays.copyOf(ok, 100)));
        e = assertThrows(DataFormatException.class, () -> Datasets.loadFiles(gzCut, null));
        assertOneLine(e, gzCut);
        byte[] gz = gzip(ok);
        Path gzTrunc = file("trunc.bin.gz", Arrays.copyOf(gz, gz.length - 3));
        e = assertThrows(DataFormatException.class, () -> Datasets.loadFiles(gzTrunc, null));
        assertOneLine(e, gzTrunc);
    }

    @Test
    void datasetNamesAndFiles() {
        assertEquals(DatasetName.FASHION_MNIST, DatasetName.fromId("Fashion-MNIST"));
        assertEquals(DatasetName.CIFAR10, DatasetName.fromId("cifar-10"));
        assertEquals(3072, DatasetName.CIFAR10.inputSize());
        assertEquals("t10k-labels-idx1-ubyte", DatasetName.MNIST.labelFile(Split.TEST));
        assertEquals(5, DatasetName.CIFAR10.files(Split.TRAIN).size());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DatasetName.fromId("svhn"));
        assertTrue(e.getMessage().contains("expected mnist, fashion-mnist or cifar10"));
        assertEquals(Split.TEST, Split.fromId("TEST"));
    }

    private static void assertOneLine(Exception e, Path file) {
        String m = e.getMessage();
        assertTrue(m != null && m.startsWith(file.toString()) && !m.contains("\n"), "message: " + m);
    }
}
