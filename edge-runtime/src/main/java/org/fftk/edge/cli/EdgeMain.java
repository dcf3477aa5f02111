package org.fftk.edge.cli;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.List;
import java.util.Random;
import org.fftk.edge.data.DataFormatException;
import org.fftk.edge.data.Dataset;
import org.fftk.edge.data.Datasets;
import org.fftk.edge.data.IdxFiles;
import org.fftk.edge.infer.Inference;
import org.fftk.edge.infer.Parallel;
import org.fftk.edge.infer.Predictor;
import org.fftk.edge.io.InputFiles;
import org.fftk.edge.model.Model;
import org.fftk.edge.onnx.OnnxFile;

/**
 * {@code java -jar fftk-edge.jar}: evaluate, run and time fftk ONNX models with nothing but a
 * Java 11 runtime. Errors are printed as one line (never a stack trace) with exit status 1 for
 * bad input files and 2 for bad usage.
 */
public final class EdgeMain {
    static final String USAGE = String.join("\n",
            "usage: java -jar fftk-edge.jar COMMAND MODEL.onnx [options]",
            "",
            "commands:",
            "  eval MODEL --images FILE [--labels FILE] [--limit N] [--batch B] [--threads T]",
            "        accuracy and throughput on a labelled set (IDX images + IDX labels,",
            "        or a CIFAR-10 batch .bin that holds its own labels)",
            "  predict MODEL --images FILE|DIR|-|FIFO [--limit N] [--batch B] [--threads T] [--scores | --json]",
            "                [--invert] [--raw]",
            "        one line per image on standard output: the predicted label; with --scores",
            "        the label and the model's score of every label; with --json one JSON",
            "        object per line {\"image\", \"label\", \"scores\"}. FILE: IDX images, a CIFAR-10",
            "        batch, or an image (PNG, JPEG, BMP, GIF, PGM: scaled to the model's input, grey",
            "        for MNIST-sized models; --invert for dark writing on light paper); DIR: every",
            "        image in it, by name; - (standard input) or a named pipe: image paths, one per",
            "        line, or with --raw rows of unsigned bytes (one byte per model input, 784 for",
            "        MNIST), each answered as it arrives (a camera pipeline)",
            "  bench MODEL [--batch B] [--iterations N] [--warmup N] [--threads T] [--images FILE] [--labels-only]",
            "        latency per call (p50/p90/p99) and throughput; synthetic sparse images",
            "        unless --images is given; --threads T runs T callers at once, each with",
            "        its own predictor (throughput of the whole device); all scores are",
            "        computed unless --labels-only (as eval and predict do: ffnn",
            "        minimize models then skip candidates that cannot win); timing starts",
            "        after --warmup N calls (default: 20 calls and 2 seconds, whichever",
            "        ends later)",
            "  info MODEL",
            "        metadata, initializers and graph inputs/outputs of an ONNX file",
            "",
            "in a jar made by 'fftk bundle', MODEL may be left out: the bundled model is used.",
            "files may be gzipped (.gz); --batch sets the images per call (default 64 for",
            "eval/predict, 1 for bench); --threads splits the images over T threads that",
            "share one copy of the weights (default 1).",
            "  -h, --help    this help (COMMAND --help: that command's)",
            "  -V, --version the version");

    /** Where {@code fftk bundle} puts the model inside the jar; used when no MODEL is given. */
    public static final String BUNDLED_MODEL = "fftk/model.onnx";

    /** The model bundled in this jar ({@code fftk bundle}), read once and bounded, or null. */
    static byte[] bundledModel() throws IOException {
        try (java.io.InputStream in = EdgeMain.class.getClassLoader().getResourceAsStream(BUNDLED_MODEL)) {
            if (in == null) {
                return null;
            }
            java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
            byte[] buf = new byte[1 << 16];
            int n;
            while ((n = in.read(buf)) > 0) {
                if (b.size() + n > OnnxFile.MAX_BYTES) {
                    throw new IOException("the bundled model is larger than this reader handles");
                }
                b.write(buf, 0, n);
            }
            return b.toByteArray();
        }
    }

    /** Options that take no value. */
    static final java.util.Set<String> FLAGS = new java.util.HashSet<>(Arrays.asList("help", "scores", "json", "invert", "raw", "labels-only"));

    /** This runtime's version, from the jar's manifest ("dev" when run from classes). */
    static String version() {
        String v = EdgeMain.class.getPackage().getImplementationVersion();
        return "fftk-edge " + (v == null ? "dev" : v);
    }

    /** The lines of {@link #USAGE} that describe one command (its usage line and what follows it). */
    static String commandHelp(String cmd) {
        StringBuilder b = new StringBuilder("usage: java -jar fftk-edge.jar ");
        boolean in = false;
        for (String line : USAGE.split("\n")) {
            if (line.startsWith("  " + cmd + " ")) {
                in = true;
                b.append(line.trim()).append('\n');
            } else if (in && line.startsWith("        ")) {
                b.append(line).append('\n');
            } else {
                in = false;
            }
        }
        return b.toString().trim();
    }

    static final int USAGE_ERROR = 2;
    /** Upper bound for --batch, --iterations and --warmup. */
    static final int MAX_COUNT = 10_000_000;
    /**
     * Images decoded at once when eval or predict stream an IDX file: 8192 28×28 images are 6.4 MB of
     * bytes and 25.7 MB of floats, so a 1 GB device evaluates a file of any size.
     */
    static final int BLOCK_IMAGES = 8192;
    static final int INPUT_ERROR = 1;

    /** A usage problem: printed with a hint to --help, exit status 2. */
    static final class UsageException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UsageException(String m) {
            super(m);
        }
    }

    private EdgeMain() {
    }

    public static void main(String[] args) {
        PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), false);
        int rc = run(args, out, System.err);
        out.flush();
        System.exit(rc);
    }

    /** Runs a command; returns the exit status. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        return run(args, System.in, out, err);
    }

    /** Runs a command reading standard input from {@code in}; returns the exit status. */
    public static int run(String[] args, java.io.InputStream in, PrintStream out, PrintStream err) {
        try {
            if (args.length == 0) {
                err.println(USAGE);
                return USAGE_ERROR;
            }
            String cmd = args[0];
            if (cmd.equals("-h") || cmd.equals("--help") || cmd.equals("help")) {
                out.println(USAGE);
                return 0;
            }
            if (cmd.equals("-V") || cmd.equals("--version") || cmd.equals("version")) {
                out.println(version());
                return 0;
            }
            Options o = Options.parse(Arrays.copyOfRange(args, 1, args.length));
            if (o.flags.containsKey("help")) {
                String h = commandHelp(cmd);
                out.println(h.contains("\n") || !h.endsWith("fftk-edge.jar") ? h : USAGE);
                return 0;
            }
            switch (cmd) {
                case "eval":
                    return eval(o, out);
                case "predict":
                    return predict(o, in, out);
                case "bench":
                    return bench(o, out);
                case "info":
                    return info(o, out);
                default:
                    throw new UsageException("unknown command '" + cmd + "' (expected eval, predict, bench or info)");
            }
        } catch (UsageException e) {
            err.println("fftk-edge: " + e.getMessage() + " (see --help)");
            return USAGE_ERROR;
        } catch (NoSuchFileException e) {
            err.println("fftk-edge: no such file: " + e.getMessage());
            return INPUT_ERROR;
        } catch (AccessDeniedException e) {
            err.println("fftk-edge: permission denied: " + e.getMessage());
            return INPUT_ERROR;
        } catch (IOException e) {
            err.println("fftk-edge: cannot read: " + oneLine(e));
            return INPUT_ERROR;
        } catch (IllegalArgumentException | UnsupportedOperationException | IllegalStateException e) {
            err.println("fftk-edge: " + oneLine(e));
            return INPUT_ERROR;
        } catch (OutOfMemoryError e) {
            err.println("fftk-edge: out of memory (use --limit or a smaller --batch, or give java more heap with -Xmx)");
            return INPUT_ERROR;
        } catch (RuntimeException e) {
            err.println("fftk-edge: internal error: " + e.getClass().getSimpleName() + ": " + oneLine(e));
            return 3;
        }
    }

    private static String oneLine(Exception e) {
        String m = e.getMessage();
        if (m == null || m.isEmpty()) {
            m = e.getClass().getSimpleName();
        }
        return m.replace('\n', ' ').replace('\r', ' ');
    }

    // ---------------------------------------------------------------- commands

    private static int eval(Options o, PrintStream out) throws IOException {
        o.allow("images", "labels", "limit", "batch", "threads");
        Path images = o.path("images", true);
        Path labels = o.path("labels", false);
        int limit = o.positiveInt("limit", Integer.MAX_VALUE);
        int batch = o.positiveInt("batch", 64);
        int threads = o.threads();
        Model m = o.model();
        long[] nc = Datasets.isCifarName(images) ? evalLoaded(m, Datasets.loadFiles(images, labels, limit), images,
                batch, threads) : evalStreamed(m, images, labels, limit, batch, threads);
        int n = (int) nc[0];
        long correct = nc[1];
        double sec = nc[2] / 1e9; // inference only, as before streaming: reading and decoding are not counted
        out.println("model: " + describe(m));
        out.println("data: " + images + " (" + n + " images)");
        out.printf(Locale.ROOT, "accuracy: %.2f%% (%d/%d)%n", n == 0 ? 0.0 : 100.0 * correct / n, correct, n);
        out.printf(Locale.ROOT, "throughput: %.1f samples/s (%.3f s, %d thread%s)%n", n / Math.max(sec, 1e-9), sec,
                threads, threads == 1 ? "" : "s");
        return 0;
    }

    /** {images, correct, inference nanoseconds} of a data set held in memory (a CIFAR-10 batch). */
    private static long[] evalLoaded(Model m, Dataset d, Path images, int batch, int threads) {
        checkShape(m, d.inputSize(), images);
        checkLabels(m, d.numLabels());
        int n = d.size();
        int[] pred = new int[n];
        long t0 = System.nanoTime();
        runAll(m, threads, d.images(), n, Math.max(1, Math.min(batch, n)), pred);
        long nanos = System.nanoTime() - t0;
        int correct = 0;
        for (int i = 0; i < n; i++) {
            if (pred[i] == d.label(i)) {
                correct++;
            }
        }
        return new long[] {n, correct, nanos};
    }

    /**
     * {images, correct, inference nanoseconds} of the first {@code limit} images of an IDX image file and its label file,
     * read {@link #BLOCK_IMAGES} at a time: memory is bounded by the block, not by the file.
     */
    private static long[] evalStreamed(Model m, Path images, Path labels, int limit, int batch, int threads)
            throws IOException {
        if (labels == null) {
            throw new IllegalArgumentException("IDX images " + images + " need a label file");
        }
        try (IdxFiles.Reader ir = IdxFiles.openImages(images); IdxFiles.Reader lr = IdxFiles.openLabels(labels)) {
            int total = Math.min(ir.count(), limit);
            if (limit < ir.count() ? lr.count() < total : lr.count() != ir.count()) {
                throw new DataFormatException(images + " holds " + ir.count() + " images but " + labels + " holds "
                        + lr.count() + " labels");
            }
            checkShape(m, ir.itemBytes(), images);
            checkLabels(m, 10);
            byte[] px = new byte[Math.multiplyExact(Math.min(BLOCK_IMAGES, Math.max(total, 1)), ir.itemBytes())];
            byte[] lb = new byte[px.length / ir.itemBytes()];
            int[] pred = new int[lb.length];
            int done = 0;
            int correct = 0;
            long nanos = 0;
            int k;
            while ((k = ir.next(px, total - done)) > 0) {
                if (lr.next(lb, k) != k) {
                    throw new DataFormatException(labels + ": fewer labels than images");
                }
                float[] x = Datasets.scale(px, 0, k * ir.itemBytes());
                long t0 = System.nanoTime();
                runAll(m, threads, x, k, Math.max(1, Math.min(batch, k)), pred);
                nanos += System.nanoTime() - t0;
                for (int i = 0; i < k; i++) {
                    int label = lb[i] & 0xff;
                    if (label > 9) {
                        throw new DataFormatException(labels + ": label " + label + " of image " + (done + i)
                                + " is outside 0..9");
                    }
                    if (pred[i] == label) {
                        correct++;
                    }
                }
                done += k;
            }
            if (total == lr.count()) {
                lr.next(lb, 1); // all labels read: checks that nothing follows them
            }
            return new long[] {done, correct, nanos};
        }
    }

    private static void checkLabels(Model m, int dataLabels) {
        if (dataLabels > m.numLabels()) {
            throw new IllegalArgumentException("model predicts " + m.numLabels() + " labels, the data has " + dataLabels);
        }
    }

    private static int predict(Options o, java.io.InputStream in, PrintStream out) throws IOException {
        o.allow("images", "limit", "batch", "threads", "scores", "json", "invert", "raw");
        Path images = o.path("images", true);
        int limit = o.positiveInt("limit", Integer.MAX_VALUE);
        int batch = o.positiveInt("batch", 64);
        int threads = o.threads();
        boolean withScores = o.flags.containsKey("scores");
        boolean json = o.flags.containsKey("json");
        boolean invert = o.flags.containsKey("invert");
        if (withScores && json) {
            throw new UsageException("--scores and --json: choose one (--json includes the scores)");
        }
        boolean raw = o.flags.containsKey("raw");
        boolean stdin = images.toString().equals("-");
        if (stdin || InputFiles.isFifo(images)) {
            // a stream: standard input or a named pipe (opening a pipe waits for its writer, by design)
            Model m = o.model();
            try (java.io.InputStream s = stdin ? new java.io.FilterInputStream(in) {
                @Override
                public void close() {
                    // standard input stays open
                }
            } : java.nio.file.Files.newInputStream(images)) {
                return raw ? predictRows(m, images, s, out, limit, withScores, json, invert)
                        : predictImages(m, images, s, out, limit, withScores, json, invert);
            }
        }
        if (raw) {
            throw new UsageException("--raw reads rows from standard input (-) or a named pipe, not " + images);
        }
        if (java.nio.file.Files.isDirectory(images) || org.fftk.edge.data.ImageFiles.isImageName(images)) {
            return predictImages(o.model(), images, in, out, limit, withScores, json, invert);
        }
        if (invert) {
            throw new UsageException("--invert is for image files (PNG, JPEG, BMP, GIF, PGM), not " + images);
        }
        Model m = o.model();
        Writer w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.US_ASCII), 1 << 16);
        if (Datasets.isCifarName(images)) {
            int[] shape = new int[2];
            float[] px = Datasets.loadImages(images, shape, limit);
            checkShape(m, shape[1], images);
            int n = Math.min(shape[0], limit);
            predictBlock(m, px, 0, n, batch, threads, withScores || json, json, w);
        } else {
            // IDX: a block at a time (memory bounded by the block), each block answered as it is read
            try (IdxFiles.Reader ir = IdxFiles.openImages(images)) {
                checkShape(m, ir.itemBytes(), images);
                int total = Math.min(ir.count(), limit);
                byte[] px = new byte[Math.multiplyExact(Math.min(BLOCK_IMAGES, Math.max(total, 1)), ir.itemBytes())];
                int done = 0;
                int k;
                while ((k = ir.next(px, total - done)) > 0) {
                    predictBlock(m, Datasets.scale(px, 0, k * ir.itemBytes()), done, k, batch, threads,
                            withScores || json, json, w);
                    done += k;
                    w.flush();
                }
            }
        }
        w.flush();
        return 0;
    }

    /** Predicts n images of px and writes one line each, numbered from {@code first}: "LABEL [scores]" or JSON. */
    private static void predictBlock(Model m, float[] px, int first, int n, int batch, int threads, boolean withScores,
                                     boolean json, Writer w) throws IOException {
        int labels = m.numLabels();
        int[] pred = new int[n];
        float[] scores = withScores ? new float[Math.multiplyExact(n, labels)] : null;
        runAll(m, threads, px, n, Math.max(1, Math.min(batch, n)), pred, scores);
        for (int i = 0; i < n; i++) {
            writeLine(w, m, first + i, pred[i], scores, i * labels, json);
        }
    }

    /** One answer: "LABEL [scores]" (scores when not null, from {@code off}) or a JSON object. */
    private static void writeLine(Writer w, Model m, int index, int label, float[] scores, int off, boolean json)
            throws IOException {
        if (json) {
            w.write("{\"image\":" + index + ",\"label\":" + label
                    + (m.classes().isEmpty() ? "" : ",\"class\":\"" + org.fftk.edge.io.JsonText.escape(m.className(label)) + "\"")
                    + ",\"scores\":[");
        } else {
            w.write(Integer.toString(label));
        }
        if (scores != null) {
            for (int c = 0; c < m.numLabels(); c++) {
                w.write(json ? (c == 0 ? "" : ",") : " ");
                w.write(Float.toString(scores[off + c]));
            }
        }
        w.write(json ? "]}\n" : "\n");
    }

    /**
     * Image files: one (FILE), all in a folder (DIR, sorted by name), or a stream of paths on standard
     * input (-), each answered on its own line, flushed at once: "PATH LABEL [scores]" or JSON.
     */
    private static int predictImages(Model m, Path images, java.io.InputStream in, PrintStream out, int limit,
                                     boolean withScores, boolean json, boolean invert) throws IOException {
        Predictor p = Inference.predictor(m, 1);
        float[] scores = new float[m.numLabels()];
        int done = 0;
        if (images.toString().equals("-") || InputFiles.isFifo(images)) {
            java.io.BufferedReader r = new java.io.BufferedReader(new java.io.InputStreamReader(in, StandardCharsets.UTF_8));
            String line;
            while (done < limit && (line = r.readLine()) != null) {
                if (!line.isBlank()) {
                    answer(m, p, Paths.get(line.trim()), scores, out, withScores, json, invert, done++);
                }
            }
            return 0;
        }
        List<Path> files = new java.util.ArrayList<>();
        if (java.nio.file.Files.isDirectory(images)) {
            try (java.util.stream.Stream<Path> st = java.nio.file.Files.list(images)) {
                st.filter(org.fftk.edge.data.ImageFiles::isImageName).sorted().forEach(files::add);
            }
            if (files.isEmpty()) {
                throw new IllegalArgumentException(images + " holds no image files (PNG, JPEG, BMP, GIF, PGM)");
            }
        } else {
            files.add(images);
        }
        for (Path f : files) {
            if (done >= limit) {
                break;
            }
            answer(m, p, f, scores, out, withScores, json, invert, done++);
        }
        return 0;
    }

    /**
     * Raw rows from a stream: each image is {@code inputSize} unsigned bytes (pixel / 255, or
     * (255 − pixel) / 255 with --invert), answered and flushed as soon as its last byte arrives.
     */
    private static int predictRows(Model m, Path source, java.io.InputStream in, PrintStream out, int limit,
                                   boolean withScores, boolean json, boolean invert) throws IOException {
        Predictor p = Inference.predictor(m, 1);
        int d = m.inputSize();
        byte[] row = new byte[d];
        float[] x = new float[d];
        float[] scores = new float[m.numLabels()];
        Writer w = new OutputStreamWriter(out, StandardCharsets.US_ASCII);
        String name = source.toString().equals("-") ? "standard input" : source.toString();
        for (int done = 0; done < limit; done++) {
            int got = in.readNBytes(row, 0, d);
            if (got == 0) {
                break;
            }
            if (got < d) {
                throw new DataFormatException(name + " ended inside image " + done + ": " + got + " of the " + d
                        + " bytes of a row");
            }
            for (int i = 0; i < d; i++) {
                int v = row[i] & 0xff;
                x[i] = (invert ? 255 - v : v) / 255f;
            }
            p.scores(x, 0, 1, scores);
            writeLine(w, m, done, p.label(scores, 0), withScores || json ? scores : null, 0, json);
            w.flush();
        }
        return 0;
    }

    private static void answer(Model m, Predictor p, Path file, float[] scores, PrintStream out, boolean withScores,
                               boolean json, boolean invert, int index) throws IOException {
        float[] x = org.fftk.edge.data.ImageFiles.read(file, m.inputSize(), invert);
        p.scores(x, 0, 1, scores);
        int label = p.label(scores, 0);
        StringBuilder b = new StringBuilder();
        if (json) {
            b.append("{\"image\":").append(index).append(",\"file\":\"").append(org.fftk.edge.io.JsonText.escape(file.toString()))
                    .append("\",\"label\":").append(label);
            if (!m.classes().isEmpty()) {
                b.append(",\"class\":\"").append(org.fftk.edge.io.JsonText.escape(m.className(label))).append('"');
            }
            b.append(",\"scores\":[");
            for (int c = 0; c < scores.length; c++) {
                b.append(c == 0 ? "" : ",").append(scores[c]);
            }
            b.append("]}");
        } else {
            b.append(file).append('\t').append(label);
            if (withScores) {
                for (float v : scores) {
                    b.append(' ').append(v);
                }
            }
        }
        out.println(b);
        out.flush();
    }

    private static int bench(Options o, PrintStream out) throws IOException {
        o.allow("batch", "iterations", "warmup", "images", "threads", "labels-only");
        boolean labelsOnly = o.flags.containsKey("labels-only");
        int threadCount = o.threads();
        int batch = o.positiveInt("batch", 1);
        int iterations = o.positiveInt("iterations", 200);
        // default warm-up: 20 calls and 2 seconds, whichever ends later (the JIT compiles a method after
        // about 10,000 invocations: a fixed share of the timed calls left batch-64 runs of small models
        // partly interpreted, 2.1 ms against 0.27 ms per call warmed)
        int warmup = o.nonNegativeInt("warmup", -1);
        if (warmup > MAX_COUNT) {
            throw new UsageException("--warmup must be at most " + MAX_COUNT);
        }
        Path images = o.path("images", false);
        Model m = o.model();
        int d = m.inputSize();
        float[] px;
        int count;
        String source;
        if (images != null) {
            int[] shape = new int[2];
            px = Datasets.loadImages(images, shape);
            checkShape(m, shape[1], images);
            count = shape[0];
            source = images.toString();
            if (count < batch) {
                throw new IllegalArgumentException(images + " holds " + count + " images, fewer than --batch " + batch);
            }
        } else {
            count = Math.max(batch, 256);
            px = syntheticImages(count, d);
            source = "synthetic (80% zero pixels)";
        }
        List<Predictor> ps = Inference.predictors(m, threadCount);
        int windows = count / batch;
        long[] ns = new long[Math.multiplyExact(iterations, threadCount)];
        int w0 = warmup;
        float[] imgs = px;
        long[] wall = new long[1];
        int[] warmed = new int[threadCount];
        // every thread warms up, then all start timing together (a barrier), each with its own predictor
        java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(threadCount,
                () -> wall[0] = System.nanoTime());
        Parallel.split(threadCount, threadCount, (t, from, to) -> {
            Predictor p = ps.get(t);
            float[] scores = new float[batch * m.numLabels()];
            int[] labels = new int[batch];
            long t0 = System.nanoTime();
            int done = 0;
            for (; w0 >= 0 ? done < w0 : done < 20 || System.nanoTime() - t0 < 2_000_000_000L; done++) {
                call(p, imgs, ((done + t) % windows) * batch * d, batch, scores, labelsOnly ? labels : null);
            }
            warmed[t] = done;
            try {
                start.await();
            } catch (Exception e) {
                throw new IllegalStateException("benchmark threads could not start together", e);
            }
            for (int i = 0; i < iterations; i++) {
                long st = System.nanoTime();
                call(p, imgs, ((i + t) % windows) * batch * d, batch, scores, labelsOnly ? labels : null);
                ns[t * iterations + i] = System.nanoTime() - st;
            }
        });
        double total = (System.nanoTime() - wall[0]) / 1e9;
        Arrays.sort(ns);
        out.println("model: " + describe(m));
        out.println("images: " + source + ", batch " + batch + ", " + iterations + " iterations after " + warmed[0]
                + " warm-up calls" + (threadCount > 1 ? ", on each of " + threadCount + " threads" : "")
                + (labelsOnly ? ", labels only" : ", all scores"));
        out.printf(Locale.ROOT, "latency per call: p50 %.3f ms, p90 %.3f ms, p99 %.3f ms%n", pct(ns, 50), pct(ns, 90),
                pct(ns, 99));
        out.printf(Locale.ROOT, "throughput: %.1f samples/s%n",
                (double) iterations * threadCount * batch / Math.max(total, 1e-9));
        return 0;
    }

    private static int info(Options o, PrintStream out) throws IOException {
        o.allow();
        OnnxFile f = OnnxFile.read(o.modelPath());
        out.println("file: " + o.modelPath() + " (" + f.byteSize() + " bytes)");
        out.println("producer: " + f.producerName() + " " + f.producerVersion() + ", ir_version " + f.irVersion()
                + ", opsets " + f.opsets());
        out.println("graph: " + f.nodeCount() + " nodes, inputs " + f.inputs() + ", outputs " + f.outputs());
        out.println("metadata:");
        for (Map.Entry<String, String> e : f.metadata().entrySet()) {
            out.println("  " + e.getKey() + " = " + e.getValue().replaceAll("\\s*[\\r\\n]\\s*", " "));
        }
        out.println("initializers:");
        for (OnnxFile.Initializer i : f.initializers()) {
            out.println("  " + i.name() + " " + i.dataTypeName() + " " + i.shapeString());
        }
        if (f.isFftk()) {
            Model m = f.toModel();
            out.println("model: " + describe(m) + ", " + m.parameterCount() + " parameters");
        } else {
            out.println("model: not an fftk model (no fftk.* metadata)");
        }
        return 0;
    }

    // ---------------------------------------------------------------- helpers

    /** Predicts images [0, n) into pred, split into contiguous chunks over the given number of threads. */
    static void runAll(Model m, int threads, float[] px, int n, int batch, int[] pred) {
        runAll(m, threads, px, n, batch, pred, null);
    }

    /** As above, also keeping every image's scores in {@code all} (n × labels) when it is not null. */
    static void runAll(Model m, int threads, float[] px, int n, int batch, int[] pred, float[] all) {
        List<Predictor> ps = Inference.predictors(m, Parallel.workers(n, threads));
        Parallel.split(n, threads, (w, from, to) -> runRange(ps.get(w), px, from, to, batch, pred, all));
    }

    private static void runRange(Predictor p, float[] px, int from, int to, int batch, int[] pred, float[] all) {
        int d = p.inputSize();
        int labels = p.numLabels();
        if (all == null) { // labels only: the predictor may skip candidates that cannot win
            int[] part = new int[batch];
            for (int s = from; s < to; s += batch) {
                int k = Math.min(batch, to - s);
                p.labels(px, s * d, k, part);
                System.arraycopy(part, 0, pred, s, k);
            }
            return;
        }
        float[] scores = new float[batch * labels];
        for (int s = from; s < to; s += batch) {
            int k = Math.min(batch, to - s);
            p.scores(px, s * d, k, scores);
            for (int i = 0; i < k; i++) {
                pred[s + i] = p.label(scores, i);
            }
            if (all != null) {
                System.arraycopy(scores, 0, all, s * labels, k * labels);
            }
        }
    }

    /** One timed call: all scores, or only the labels when {@code labels} is given. */
    private static void call(Predictor p, float[] px, int off, int n, float[] scores, int[] labels) {
        if (labels != null) {
            p.labels(px, off, n, labels);
        } else {
            p.scores(px, off, n, scores);
        }
    }

    private static void checkShape(Model m, int pixels, Path file) {
        if (pixels != m.inputSize()) {
            throw new IllegalArgumentException("the model reads images of " + m.inputSize() + " values, but " + file
                    + " holds images of " + pixels);
        }
    }

    static String describe(Model m) {
        StringBuilder s = new StringBuilder(m.architecture().id()).append(' ').append(m.inputSize());
        for (int w : m.widths()) {
            s.append('-').append(w);
        }
        s.append('-').append(m.numLabels());
        if (m.architecture().usesGoodness()) {
            s.append(", ").append(m.objective().id()).append(", theta ").append(m.theta());
        }
        return s.toString();
    }

    private static float[] syntheticImages(int n, int d) {
        Random r = new Random(1);
        float[] x = new float[n * d];
        for (int i = 0; i < x.length; i++) {
            if (r.nextInt(5) == 0) {
                x[i] = (1 + r.nextInt(255)) / 255f;
            }
        }
        return x;
    }

    private static double pct(long[] sorted, int p) {
        int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))] / 1e6;
    }

    /** Hand-written option parsing: one positional MODEL, then --name VALUE or --name=VALUE. */
    static final class Options {
        private String model;
        final Map<String, String> flags = new HashMap<>();

        static Options parse(String[] args) {
            Options o = new Options();
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                if (a.equals("-h") || a.equals("--help")) {
                    o.flags.put("help", "");
                } else if (a.startsWith("--")) {
                    String name = a.substring(2);
                    String value;
                    int eq = name.indexOf('=');
                    if (eq >= 0) {
                        value = name.substring(eq + 1);
                        name = name.substring(0, eq);
                    } else if (FLAGS.contains(name)) {
                        value = "true";
                    } else {
                        if (i + 1 >= args.length) {
                            throw new UsageException("option --" + name + " needs a value");
                        }
                        value = args[++i];
                    }
                    if (name.isEmpty()) {
                        throw new UsageException("empty option name in '" + a + "'");
                    }
                    if (o.flags.put(name, value) != null) {
                        throw new UsageException("option --" + name + " given twice");
                    }
                } else if (a.startsWith("-") && a.length() > 1) {
                    throw new UsageException("unknown option '" + a + "'");
                } else if (o.model == null) {
                    o.model = a;
                } else {
                    throw new UsageException("unexpected argument '" + a + "' (one model file only)");
                }
            }
            return o;
        }

        void allow(String... names) {
            for (String k : flags.keySet()) {
                if (!Arrays.asList(names).contains(k)) {
                    throw new UsageException("unknown option --" + k + " for this command");
                }
            }
        }

        Path modelPath() {
            if (model == null) {
                throw new UsageException("missing MODEL.onnx");
            }
            return Paths.get(model);
        }

        Model model() throws IOException {
            if (model == null) {
                byte[] bundled = bundledModel();
                if (bundled != null) {
                    return org.fftk.edge.onnx.OnnxModelReader.read(Paths.get(BUNDLED_MODEL), bundled);
                }
            }
            return org.fftk.edge.onnx.OnnxModelReader.read(modelPath());
        }

        Path path(String name, boolean required) {
            String v = flags.get(name);
            if (v == null) {
                if (required) {
                    throw new UsageException("missing --" + name + " FILE");
                }
                return null;
            }
            return Paths.get(v);
        }

        int positiveInt(String name, int def) {
            int v = nonNegativeInt(name, def);
            if (v == 0) {
                throw new UsageException("--" + name + " must be at least 1");
            }
            if (!name.equals("limit") && v > MAX_COUNT) {
                throw new UsageException("--" + name + " must be at most " + MAX_COUNT);
            }
            return v;
        }

        int threads() {
            int t = positiveInt("threads", 1);
            if (t > 1024) {
                throw new UsageException("--threads must be at most 1024");
            }
            return t;
        }

        int nonNegativeInt(String name, int def) {
            String v = flags.get(name);
            if (v == null) {
                return def;
            }
            try {
                int i = Integer.parseInt(v.trim());
                if (i < 0) {
                    throw new NumberFormatException();
                }
                return i;
            } catch (NumberFormatException e) {
                throw new UsageException("--" + name + " expects a whole number, got '" + v + "'");
            }
        }
    }
}
