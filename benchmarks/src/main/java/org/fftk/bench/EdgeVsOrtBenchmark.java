package org.fftk.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import org.fftk.edge.infer.Inference;
import org.fftk.edge.infer.Predictor;
import org.fftk.edge.model.Architecture;
import org.fftk.edge.model.DenseLayer;
import org.fftk.edge.model.Model;
import org.fftk.edge.onnx.OnnxModelReader;
import org.fftk.exporter.OnnxExporter;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The pure-Java edge runtime against ONNX Runtime (Java API, CPU) on the same ffnn ONNX file: time to
 * turn a batch of images (float[]) into per-label scores (float[]), both ends in Java arrays. See
 * benchmarks/EDGE_VS_ORT.md.
 *
 * <p>The model is {@code -p model=random} (default: a seeded random ffnn 784+10 → width → width, PyTorch
 * init; random weights give dense activations, so they understate what a trained, sparse model gives
 * the edge runtime) or a path to an .onnx file; a {@code {width}} in the path is replaced by the width
 * parameter, so a set of pruned models can be swept. Images are the first 1024 MNIST test images when
 * the data is found ($FFTK_DATA, -Dfftk.data, or shared/datasets beside the repository), otherwise
 * seeded synthetic MNIST-like images (a message says which).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class EdgeVsOrtBenchmark {
    static final int D = 784;
    static final int POOL = 1024;

    /** Model, batch and images shared by both runtimes. */
    @State(Scope.Thread)
    public static class Input {
        @Param({"random"})
        public String model;
        @Param({"2000", "512", "128", "32"})
        public int width;
        @Param({"1", "64"})
        public int batch;

        byte[] onnx;
        float[] images;
        int labels;
        int cursor;

        @Setup(Level.Trial)
        public void load() throws IOException {
            if ("random".equals(model)) {
                onnx = OnnxExporter.toBytes(randomFfnn(width, 42));
            } else {
                Path p = Paths.get(model.replace("{width}", Integer.toString(width)));
                onnx = Files.readAllBytes(p);
            }
            images = images();
            labels = OnnxModelReader.read(onnx).numLabels();
        }

        /** Offset of the next batch, cycling through the image pool. */
        int next() {
            int off = cursor;
            cursor += batch;
            if (cursor + batch > POOL) {
                cursor = 0;
            }
            return off * D;
        }
    }

    @State(Scope.Thread)
    public static class Edge {
        /**
         * ffnn, ffnn-c, bpnn: the edge runtime's choice of kernel path ("default"), or the row path
         * ("row") or the block path ("block") for every width (docs/algorithms.md "Prediction"; system property
         * fftk.edge.rowPathMaxWeights).
         */
        @Param({"default"})
        public String path;

        Predictor predictor;
        float[] out;
        int[] labels;

        @Setup(Level.Trial)
        public void setup(Input in) throws IOException {
            String key = "fftk.edge.rowPathMaxWeights";
            switch (path) {
                case "default":
                    System.clearProperty(key);
                    break;
                case "row":
                    System.setProperty(key, Long.toString(Long.MAX_VALUE));
                    break;
                case "block":
                    System.setProperty(key, "0");
                    break;
                default:
                    throw new IllegalArgumentException("path must be default, row or block, got " + path);
            }
            predictor = Inference.predictor(OnnxModelReader.read(in.onnx));
            System.clearProperty(key);
            out = new float[in.batch * in.labels];
            labels = new int[in.batch];
        }
    }

    @State(Scope.Thread)
    public static class Ort {
        /** ORT intra-op threads: 1 (same as the single-threaded edge runtime) or 0 (ORT's default: one per core). */
        @Param({"1", "0"})
        public int ortThreads;

        OrtEnvironment env;
        OrtSession session;
        float[] out;

        @Setup(Level.Trial)
        public void setup(Input in) throws IOException, OrtException {
            env = OrtEnvironment.getEnvironment();
            try (OrtSession.SessionOptions o = new OrtSession.SessionOptions()) {
                o.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
                if (ortThreads > 0) {
                    o.setIntraOpNumThreads(ortThreads);
                }
                o.setInterOpNumThreads(1);
                session = env.createSession(in.onnx, o);
            }
            out = new float[in.batch * in.labels];
        }

        @TearDown(Level.Trial)
        public void close() throws OrtException {
            session.close();
        }
    }

    @Benchmark
    public float[] edge(Input in, Edge e) {
        e.predictor.scores(in.images, in.next(), in.batch, e.out);
        return e.out;
    }

    /** Labels only, as eval and predict run: minimize models skip candidates that cannot win. */
    @Benchmark
    public int[] edgeLabels(Input in, Edge e) {
        e.predictor.labels(in.images, in.next(), in.batch, e.labels);
        return e.labels;
    }

    @Benchmark
    public float[] onnxRuntime(Input in, Ort o) throws OrtException {
        int off = in.next();
        try (OnnxTensor t = OnnxTensor.createTensor(o.env, FloatBuffer.wrap(in.images, off, in.batch * D),
                new long[] {in.batch, D});
                OrtSession.Result r = o.session.run(Map.of(OnnxExporter.INPUT, t))) {
            ((OnnxTensor) r.get(OnnxExporter.SCORES).orElseThrow()).getFloatBuffer().get(o.out);
        }
        return o.out;
    }

    /** A seeded random ffnn 784 → width → width with PyTorch's nn.Linear init, θ 20, maximize. */
    static Model randomFfnn(int width, long seed) {
        Random r = new Random(seed);
        Model.Builder b = Model.builder(Architecture.FFNN).inputSize(D)
                .provenance("{\"source\":\"random weights (EdgeVsOrtBenchmark), seed " + seed + "\"}");
        int in = D + 10;
        for (int l = 0; l < 2; l++) {
            double a = 1 / Math.sqrt(in);
            float[] w = new float[width * in];
            float[] bias = new float[width];
            for (int i = 0; i < w.length; i++) {
                w[i] = (float) ((r.nextDouble() * 2 - 1) * a);
            }
            for (int i = 0; i < width; i++) {
                bias[i] = (float) ((r.nextDouble() * 2 - 1) * a);
            }
            b.addLayer(new DenseLayer(width, in, w, bias));
            in = width;
        }
        return b.build();
    }

    static float[] images() throws IOException {
        Path f = mnistTestImages();
        float[] x = new float[POOL * D];
        if (f == null) {
            System.err.println("[EdgeVsOrt] MNIST not found (set FFTK_DATA or -Dfftk.data): using synthetic images");
            Random r = new Random(7);
            for (int i = 0; i < x.length; i++) {
                x[i] = r.nextDouble() < 0.8 ? 0f : r.nextFloat();
            }
            return x;
        }
        try (InputStream raw = Files.newInputStream(f);
                DataInputStream in = new DataInputStream(new GZIPInputStream(raw, 1 << 16))) {
            if (in.readInt() != 0x803 || in.readInt() < POOL || in.readInt() * in.readInt() != D) {
                throw new IOException(f + " is not an MNIST image file");
            }
            byte[] b = new byte[POOL * D];
            in.readFully(b);
            for (int i = 0; i < x.length; i++) {
                x[i] = (b[i] & 0xff) / 255f;
            }
        }
        return x;
    }

    static Path mnistTestImages() {
        String name = "mnist/t10k-images-idx3-ubyte.gz";
        for (String dir : new String[] {System.getProperty("fftk.data"), System.getenv("FFTK_DATA")}) {
            if (dir != null && !dir.isBlank() && Files.isRegularFile(Paths.get(dir, name))) {
                return Paths.get(dir, name);
            }
        }
        for (Path p = Paths.get("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path c = p.resolve("shared/datasets").resolve(name);
            if (Files.isRegularFile(c)) {
                return c;
            }
        }
        return null;
    }
}
