package org.fftk.edge.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.fftk.edge.infer.Inference;
import org.fftk.edge.infer.Predictor;
import org.fftk.edge.model.Architecture;
import org.fftk.edge.model.Model;
import org.fftk.edge.model.Objective;
import org.fftk.edge.testutil.OnnxTestWriter;
import org.fftk.edge.testutil.RandomModels;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EdgeMainTest {
    @TempDir
    Path dir;
    private Model model;
    private Path modelFile;
    private Path images;
    private Path labels;
    private float[] pixels;
    private int[] truth;

    private String stdout;
    private String stderr;

    private int run(String... args) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        int rc = EdgeMain.run(args, new PrintStream(o, true), new PrintStream(e, true));
        stdout = o.toString(StandardCharsets.UTF_8);
        stderr = e.toString(StandardCharsets.UTF_8);
        return rc;
    }

    @BeforeEach
    void files() throws IOException {
        model = RandomModels.model(Architecture.FFNN, Objective.MAXIMIZE, 16, 10, 3, 12, 8);
        modelFile = OnnxTestWriter.writeFile(dir, "m.onnx", model);
        int n = 25;
        Random r = new Random(4);
        byte[] px = new byte[n * 16];
        for (int i = 0; i < px.length; i++) {
            px[i] = r.nextInt(3) == 0 ? (byte) r.nextInt(256) : 0;
        }
        pixels = new float[px.length];
        for (int i = 0; i < px.length; i++) {
            pixels[i] = (px[i] & 0xff) / 255f;
        }
        // labels = the model's own predictions for the first 15 images, deliberately wrong for the rest
        Predictor p = Inference.predictor(model);
        int[] pred = p.predict(pixels, 0, n);
        truth = pred.clone();
        for (int i = 15; i < n; i++) {
            truth[i] = (pred[i] + 1) % 10;
        }
        images = dir.resolve("img-idx3-ubyte");
        labels = dir.resolve("lab-idx1-ubyte");
        Files.write(images, concat(new byte[] {0, 0, 8, 3, 0, 0, 0, (byte) n, 0, 0, 0, 4, 0, 0, 0, 4}, px));
        byte[] lb = new byte[n];
        for (int i = 0; i < n; i++) {
            lb[i] = (byte) truth[i];
        }
        Files.write(labels, concat(new byte[] {0, 0, 8, 1, 0, 0, 0, (byte) n}, lb));
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    @Test
    void evalReportsAccuracyAndThroughput() {
        assertEquals(0, run("eval", modelFile.toString(), "--images", images.toString(), "--labels", labels.toString()), stderr);
        assertTrue(stdout.contains("accuracy: 60.00% (15/25)"), stdout);
        assertTrue(stdout.contains("model: ffnn 16-12-8-10, maximize"), stdout);
        assertTrue(Pattern.compile("throughput: [0-9.]+ samples/s").matcher(stdout).find(), stdout);
        assertEquals(0, run("eval", modelFile.toString(), "--images=" + images, "--labels=" + labels, "--limit", "10",
                "--batch", "3"), stderr);
        assertTrue(stdout.contains("accuracy: 100.00% (10/10)"), stdout);
        assertEquals(0, run("eval", modelFile.toString(), "--images=" + images, "--labels=" + labels, "--limit", "10",
                "--batch", "9000000"), stderr);
        assertTrue(stdout.contains("accuracy: 100.00% (10/10)"), stdout);
        assertEquals(0, run("eval", modelFile.toString(), "--images", images.toString(), "--labels", labels.toString(),
                "--threads", "3", "--batch", "2"), stderr);
        assertTrue(stdout.contains("accuracy: 60.00% (15/25)"), stdout);
        assertTrue(stdout.contains("3 threads)"), stdout);
    }

    @Test
    void predictPrintsOneLabelPerLine() {
        assertEquals(0, run("predict", modelFile.toString(), "--images", images.toString(), "--limit", "20"), stderr);
        String[] lines = stdout.split("\n");
        assertEquals(20, lines.length);
        int[] pred = Inference.predictor(model).predict(pixels, 0, 20);
        for (int i = 0; i < 20; i++) {
            assertEquals(Integer.toString(pred[i]), lines[i]);
        }
        assertEquals(0, run("predict", modelFile.toString(), "--images", images.toString(), "--threads", "4",
                "--limit", "20"), stderr);
        assertEquals(String.join("\n", lines), stdout.trim());
        assertUsage(run("predict", modelFile.toString(), "--images", images.toString(), "--threads", "0"),
                "--threads must be at least 1");
    }

    @Test
    void benchPrintsPercentiles() {
        assertEquals(0, run("bench", modelFile.toString(), "--iterations", "30", "--batch", "4"), stderr);
        Matcher m = Pattern.compile("p50 ([0-9.]+) ms, p90 ([0-9.]+) ms, p99 ([0-9.]+) ms").matcher(stdout);
        assertTrue(m.find(), stdout);
        double p50 = Double.parseDouble(m.group(1));
        double p99 = Double.parseDouble(m.group(3));
        assertTrue(p50 <= p99, stdout);
        assertTrue(stdout.contains("batch 4, 30 iterations"), stdout);
        assertEquals(0, run("bench", modelFile.toString(), "--iterations", "5", "--images", images.toString()), stderr);
        assertTrue(stdout.contains("images: " + images), stdout);
    }

    @Test
    void infoListsMetadataAndInitializers() {
        assertEquals(0, run("info", modelFile.toString()), stderr);
        assertTrue(stdout.contains("fftk.architecture = ffnn"), stdout);
        assertTrue(stdout.contains("layer1.weight FLOAT [8, 12]"), stdout);
        assertTrue(stdout.contains("inputs [image], outputs [scores, label]"), stdout);
    }

    @Test
    void helpAndUsageErrors() {
        assertEquals(0, run("--help"));
        assertTrue(stdout.contains("eval MODEL --images FILE"));
        assertEquals(0, run("eval", "--help"));
        assertEquals(2, run());
        assertUsage(run("frobnicate", modelFile.toString()), "unknown command 'frobnicate'");
        assertUsage(run("eval", modelFile.toString(), "--labels", labels.toString()), "missing --images FILE");
        assertUsage(run("eval", modelFile.toString(), "--images", images.toString(), "--labels", labels.toString(),
                "--limit", "ten"), "--limit expects a whole number, got 'ten'");
        assertUsage(run("eval", modelFile.toString(), "--images", images.toString(), "--limit", "0"), "--limit must be at least 1");
        assertUsage(run("predict", modelFile.toString(), "--images"), "option --images needs a value");
        assertUsage(run("predict", modelFile.toString(), "--images", images.toString(), "--labels", labels.toString()),
                "unknown option --labels for this command");
        assertUsage(run("predict", "--images", images.toString()), "missing MODEL.onnx");
        assertUsage(run("bench", modelFile.toString(), "extra"), "unexpected argument 'extra'");
        assertUsage(run("bench", modelFile.toString(), "-x"), "unknown option '-x'");
        assertUsage(run("bench", modelFile.toString(), "--batch", "2000000000"), "--batch must be at most 10000000");
        assertUsage(run("bench", modelFile.toString(), "--iterations", "99999999999"), "--iterations expects a whole number");
    }

    @Test
    void badFilesGiveOneLineErrors() throws IOException {
        assertInputError(run("eval", dir.resolve("nope.onnx").toString(), "--images", images.toString(), "--labels",
                labels.toString()), "no such file: " + dir.resolve("nope.onnx"));
        byte[] b = Files.readAllBytes(modelFile);
        Path cut = dir.resolve("cut.onnx");
        Files.write(cut, Arrays.copyOf(b, b.length - 7));
        assertInputError(run("predict", cut.toString(), "--images", images.toString()), cut + ": corrupt ONNX file: ");
        Path shortImages = dir.resolve("short-idx3");
        byte[] im = Files.readAllBytes(images);
        Files.write(shortImages, Arrays.copyOf(im, im.length - 1));
        assertInputError(run("predict", modelFile.toString(), "--images", shortImages.toString()),
                shortImages + ": truncated IDX file");
        assertInputError(run("predict", modelFile.toString(), "--images", labels.toString()), "not an IDX image file");
        Model wide = RandomModels.model(Architecture.BPNN, Objective.MAXIMIZE, 20, 10, 3, 5);
        Path wideFile = OnnxTestWriter.writeFile(dir, "wide.onnx", wide);
        assertInputError(run("eval", wideFile.toString(), "--images", images.toString(), "--labels", labels.toString()),
                "the model reads images of 20 values, but " + images + " holds images of 16");
        assertInputError(run("eval", modelFile.toString(), "--images", images.toString()), "need a label file");
        assertInputError(run("info", images.toString()), "corrupt ONNX file");
        assertInputError(run("info", dir.toString()), "");
    }

    private void assertUsage(int rc, String text) {
        assertEquals(2, rc, stderr);
        assertOneLine(text);
    }

    private void assertInputError(int rc, String text) {
        assertEquals(1, rc, stderr + stdout);
        assertOneLine(text);
    }

    private void assertOneLine(String text) {
        assertTrue(stderr.startsWith("fftk-edge: "), stderr);
        assertTrue(stderr.contains(text), stderr + " lacks " + text);
        assertEquals(1, stderr.split("\n").length, stderr);
        assertFalse(stderr.toLowerCase(Locale.ROOT).contains("exception"), stderr);
    }

    /** A named pipe given as the model or the images is refused at once (it used to block forever). */
    @Test
    @org.junit.jupiter.api.Timeout(value = 30, unit = java.util.concurrent.TimeUnit.SECONDS)
    void aNamedPipeIsRefusedNotWaitedOn() throws Exception {
        Path fifo = org.fftk.edge.testutil.Fifo.create(dir.resolve("pipe"));
        assertEquals(1, run("eval", fifo.toString(), "--images", images.toString(), "--labels", labels.toString()));
        assertTrue(stderr.contains(fifo + " is not a regular file"), stderr);
        assertEquals(1, stderr.strip().split("\n").length, stderr);
        assertEquals(1, run("predict", fifo.toString(), "--images", images.toString()));
        assertTrue(stderr.contains(fifo + " is not a regular file"), stderr);
    }

    /**
     * predict reads raw rows (one unsigned byte per model input) from standard input or a named pipe,
     * and image paths from a named pipe; the answers equal the IDX file's, a row cut short is one
     * line and exit 1 after the answers of the whole rows, and --raw on a regular file is a usage error.
     */
    @Test
    @org.junit.jupiter.api.Timeout(value = 60, unit = java.util.concurrent.TimeUnit.SECONDS)
    void predictReadsRawRowsAndNamedPipes() throws Exception {
        byte[] idx = Files.readAllBytes(images);
        byte[] rows = Arrays.copyOfRange(idx, 16, idx.length); // 25 rows of 16 bytes
        assertEquals(0, run("predict", modelFile.toString(), "--images", images.toString(), "--scores"), stderr);
        String want = stdout;
        assertEquals(25, want.split("\n").length);
        assertEquals(0, runWithInput(rows, "predict", modelFile.toString(), "--images", "-", "--raw", "--scores"), stderr);
        assertEquals(want, stdout);
        assertEquals(0, runWithInput(rows, "predict", modelFile.toString(), "--images", "-", "--raw", "--limit", "4"),
                stderr);
        assertEquals(4, stdout.split("\n").length);

        assertEquals(1, runWithInput(Arrays.copyOf(rows, 16 * 3 + 5), "predict", modelFile.toString(), "--images", "-",
                "--raw"));
        assertOneLine("standard input ended inside image 3: 5 of the 16 bytes of a row");
        assertEquals(3, stdout.split("\n").length, stdout);
        assertUsage(run("predict", modelFile.toString(), "--images", images.toString(), "--raw"), "--raw reads rows");

        Path fifo = org.fftk.edge.testutil.Fifo.create(dir.resolve("rows"));
        Thread writer = feed(fifo, rows);
        assertEquals(0, run("predict", modelFile.toString(), "--images", fifo.toString(), "--raw", "--scores"), stderr);
        writer.join();
        assertEquals(want, stdout);

        Path png = png(0, false);
        Thread paths = feed(fifo, (png + "\n" + png + "\n").getBytes(StandardCharsets.UTF_8));
        assertEquals(0, run("predict", modelFile.toString(), "--images", fifo.toString()), stderr);
        paths.join();
        String label = want.split("\n")[0].split(" ")[0];
        assertEquals(png + "\t" + label + "\n" + png + "\t" + label + "\n", stdout.replace("\r", ""));
    }

    /** Writes {@code bytes} into a named pipe from a daemon thread (opening it waits for the reader). */
    private static Thread feed(Path fifo, byte[] bytes) {
        Thread t = new Thread(() -> {
            try {
                Files.write(fifo, bytes);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        t.setDaemon(true);
        t.start();
        return t;
    }

    private int runWithInput(byte[] input, String... args) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        int rc = EdgeMain.run(args, new java.io.ByteArrayInputStream(input), new PrintStream(o, true),
                new PrintStream(e, true));
        stdout = o.toString(StandardCharsets.UTF_8);
        stderr = e.toString(StandardCharsets.UTF_8);
        return rc;
    }

    /** --version, per-command help, predict --scores/--json and bench --threads. */
    @Test
    void versionHelpScoresJsonAndThreadedBench() throws Exception {
        assertEquals(0, run("--version"));
        assertTrue(stdout.startsWith("fftk-edge "), stdout);
        assertEquals(0, run("predict", "--help"));
        assertTrue(stdout.startsWith("usage: java -jar fftk-edge.jar predict MODEL") && stdout.contains("--json")
                && !stdout.contains("bench MODEL"), stdout);
        int n = 5;
        assertEquals(0, run("predict", modelFile.toString(), "--images", images.toString(), "--limit", "5", "--scores"));
        String[] lines = stdout.strip().split("\n");
        assertEquals(n, lines.length);
        float[] want = new float[n * 10];
        Inference.predictor(model).scores(pixels, 0, n, want);
        for (int i = 0; i < n; i++) {
            String[] f = lines[i].split(" ");
            assertEquals(11, f.length, lines[i]);
            assertEquals(Inference.predictor(model).label(want, i), Integer.parseInt(f[0]));
            for (int c = 0; c < 10; c++) {
                assertEquals(want[i * 10 + c], Float.parseFloat(f[1 + c]), 0f, "image " + i + " label " + c);
            }
        }
        assertEquals(0, run("predict", modelFile.toString(), "--images", images.toString(), "--limit", "2", "--json"));
        String first = stdout.strip().split("\n")[0];
        assertTrue(first.startsWith("{\"image\":0,\"label\":") && first.endsWith("]}"), first);
        assertEquals(2, run("predict", modelFile.toString(), "--images", images.toString(), "--scores", "--json"));
        assertEquals(0, run("bench", modelFile.toString(), "--threads", "2", "--iterations", "20", "--warmup", "2"));
        assertTrue(stdout.contains("on each of 2 threads") && stdout.contains("throughput:"), stdout);
    }

    /**
     * --limit reads only the images it needs: an IDX header claiming 2,000,000 images (a gzip stream
     * that really holds them, 1.5 GB of pixels) answers --limit 3 without decoding the rest.
     */
    @Test
    @org.junit.jupiter.api.Timeout(value = 60, unit = java.util.concurrent.TimeUnit.SECONDS)
    void aSmallLimitOnAHugeFileReadsOnlyThoseImages() throws Exception {
        Path big = dir.resolve("big-images-idx3-ubyte.gz");
        int n = 2_000_000;
        try (java.io.OutputStream out = new java.util.zip.GZIPOutputStream(Files.newOutputStream(big), 1 << 16)) {
            java.nio.ByteBuffer h = java.nio.ByteBuffer.allocate(16);
            h.putInt(0x00000803).putInt(n).putInt(4).putInt(4);
            out.write(h.array());
            byte[] img = new byte[16 * 4096];
            for (int i = 0; i < img.length; i++) {
                img[i] = (byte) (i * 7);
            }
            for (int k = 0; k < n / 4096 + 1; k++) {
                out.write(img);
            }
        }
        long before = Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory();
        int[] shape = new int[2];
        float[] px = org.fftk.edge.data.Datasets.loadImages(big, shape, 3);
        assertEquals(3, shape[0]);
        assertEquals(16, shape[1]);
        assertEquals(48, px.length);
        assertEquals((7 & 0xff) / 255f, px[1], 0f);
        long after = Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory();
        assertTrue(after - before < 64L << 20, "read far less than the file: " + (after - before) + " bytes");
    }

    /**
     * eval and predict read an IDX file a block at a time (EdgeMain.BLOCK_IMAGES): over three blocks
     * of a gzip file, the answers equal one predictor's on the whole file loaded at once, image
     * numbers run on across blocks, and a file cut short or too long is one line and exit 1 after
     * (or, for predict, during) the answers.
     */
    @Test
    void evalAndPredictStreamLargeFilesBlockByBlock() throws Exception {
        int n = 2 * EdgeMain.BLOCK_IMAGES + 100;
        Random r = new Random(9);
        byte[] px = new byte[n * 16];
        for (int i = 0; i < px.length; i++) {
            px[i] = r.nextInt(3) == 0 ? (byte) r.nextInt(256) : 0;
        }
        float[] x = new float[px.length];
        for (int i = 0; i < px.length; i++) {
            x[i] = (px[i] & 0xff) / 255f;
        }
        int[] pred = Inference.predictor(model).predict(x, 0, n);
        byte[] lb = new byte[n];
        int right = 0;
        for (int i = 0; i < n; i++) {
            lb[i] = (byte) (i % 7 == 0 ? (pred[i] + 1) % 10 : pred[i]);
            right += lb[i] == pred[i] ? 1 : 0;
        }
        java.nio.ByteBuffer h = java.nio.ByteBuffer.allocate(16).putInt(0x00000803).putInt(n).putInt(4).putInt(4);
        byte[] imgFile = concat(h.array(), px);
        Path big = dir.resolve("stream-images-idx3-ubyte.gz");
        Files.write(big, gzip(imgFile));
        Path bigLabels = dir.resolve("stream-labels-idx1-ubyte");
        Files.write(bigLabels, concat(java.nio.ByteBuffer.allocate(8).putInt(0x00000801).putInt(n).array(), lb));

        assertEquals(0, run("eval", modelFile.toString(), "--images", big.toString(), "--labels", bigLabels.toString(),
                "--threads", "2"), stderr);
        assertTrue(stdout.contains("(" + right + "/" + n + ")") && stdout.contains("(" + n + " images)"), stdout);

        assertEquals(0, run("predict", modelFile.toString(), "--images", big.toString(), "--json"), stderr);
        String[] lines = stdout.split("\n");
        assertEquals(n, lines.length);
        for (int i = 0; i < n; i += 997) {
            assertTrue(lines[i].startsWith("{\"image\":" + i + ",\"label\":" + pred[i] + ","), lines[i]);
        }

        Path cut = dir.resolve("cut-images-idx3-ubyte.gz");
        Files.write(cut, gzip(Arrays.copyOf(imgFile, 16 + (EdgeMain.BLOCK_IMAGES + 5) * 16)));
        assertInputError(run("eval", modelFile.toString(), "--images", cut.toString(), "--labels", bigLabels.toString()),
                "truncated IDX file");
        assertTrue(stderr.contains("ends after " + (EdgeMain.BLOCK_IMAGES + 5) + " images"), stderr);
        assertInputError(run("predict", modelFile.toString(), "--images", cut.toString()), "truncated IDX file");
        assertEquals(EdgeMain.BLOCK_IMAGES, stdout.split("\n").length, "the first block was answered before the error");

        Path longer = dir.resolve("long-images-idx3-ubyte.gz");
        Files.write(longer, gzip(concat(imgFile, new byte[16])));
        assertInputError(run("eval", modelFile.toString(), "--images", longer.toString(), "--labels",
                bigLabels.toString()), "IDX file too long");
        assertEquals(0, run("eval", modelFile.toString(), "--images", longer.toString(), "--labels",
                bigLabels.toString(), "--limit", "10"), stderr);
    }

    private static byte[] gzip(byte[] b) throws IOException {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        try (java.util.zip.GZIPOutputStream g = new java.util.zip.GZIPOutputStream(o)) {
            g.write(b);
        }
        return o.toByteArray();
    }

    /** Writes image i of {@code px} (D = 16 here: 4 × 4) as a grey PNG, inverted when asked. */
    private Path png(int i, boolean inverted) throws IOException {
        java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(4, 4, java.awt.image.BufferedImage.TYPE_BYTE_GRAY);
        for (int k = 0; k < 16; k++) {
            int v = Math.round(pixels[i * 16 + k] * 255);
            if (inverted) {
                v = 255 - v;
            }
            img.getRaster().setSample(k % 4, k / 4, 0, v);
        }
        Path f = dir.resolve("img" + i + (inverted ? "-inv" : "") + ".png");
        javax.imageio.ImageIO.write(img, "png", f.toFile());
        return f;
    }

    /** predict on image files: one, a folder, paths on standard input; PGM equals PNG; --invert. */
    @Test
    void predictReadsImageFilesFoldersAndStandardInput() throws Exception {
        System.setProperty("java.awt.headless", "true");
        int[] want = Inference.predictor(model).predict(pixels, 0, 3);
        Path a = png(0, false);
        assertEquals(0, run("predict", modelFile.toString(), "--images", a.toString()));
        assertEquals(a + "\t" + want[0], stdout.strip());
        float[] read = org.fftk.edge.data.ImageFiles.read(a, 16, false);
        for (int k = 0; k < 16; k++) {
            assertEquals(pixels[k], read[k], 1e-6f, "pixel " + k);
        }
        // the same image as PGM (P5) reads the same values; an inverted PNG with --invert too
        Path pgm = dir.resolve("img0.pgm");
        java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
        b.write("P5\n# test\n4 4\n255\n".getBytes(StandardCharsets.US_ASCII));
        for (int k = 0; k < 16; k++) {
            b.write(Math.round(pixels[k] * 255));
        }
        Files.write(pgm, b.toByteArray());
        assertArrayEquals(read, org.fftk.edge.data.ImageFiles.read(pgm, 16, false), 0f);
        assertArrayEquals(read, org.fftk.edge.data.ImageFiles.read(png(0, true), 16, true), 1e-6f);
        // a folder: every image, by name
        Path folder = Files.createDirectory(dir.resolve("shots"));
        for (int i = 0; i < 3; i++) {
            Files.move(png(i, false), folder.resolve("img" + i + ".png"));
        }
        assertEquals(0, run("predict", modelFile.toString(), "--images", folder.toString()));
        String[] lines = stdout.strip().split("\n");
        assertEquals(3, lines.length, stdout);
        for (int i = 0; i < 3; i++) {
            assertEquals(folder.resolve("img" + i + ".png") + "\t" + want[i], lines[i]);
        }
        // standard input: paths, one per line, answered as they come
        String paths = folder.resolve("img2.png") + "\n\n" + folder.resolve("img1.png") + "\n";
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        int rc = EdgeMain.run(new String[] {"predict", modelFile.toString(), "--images", "-", "--json"},
                new java.io.ByteArrayInputStream(paths.getBytes(StandardCharsets.UTF_8)), new PrintStream(o, true),
                new PrintStream(e, true));
        assertEquals(0, rc, e.toString(StandardCharsets.UTF_8));
        String[] js = o.toString(StandardCharsets.UTF_8).strip().split("\n");
        assertEquals(2, js.length);
        assertTrue(js[0].contains("\"label\":" + want[2] + ",") && js[1].contains("\"label\":" + want[1] + ","), js[0]);
        // not an image: one line naming the file
        Path bad = Files.write(dir.resolve("bad.png"), new byte[] {1, 2, 3});
        assertEquals(1, run("predict", modelFile.toString(), "--images", bad.toString()));
        assertTrue(stderr.contains(bad + ": not an image"), stderr);
    }
}
