package org.fftk.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.fftk.edge.data.Dataset;
import org.fftk.edge.data.Split;
import org.fftk.edge.infer.Inference;
import org.fftk.edge.infer.Predictor;
import org.fftk.edge.model.Model;
import org.fftk.edge.onnx.OnnxModelReader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code fftk eval}: accuracy and speed of a model on a dataset's test split. */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = "Measure a model's accuracy and speed on a dataset (test split by default).")
final class EvalCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "MODEL.onnx")
    Path model;

    @Mixin
    DataOptions data;

    @Option(names = "--engine", paramLabel = "ENGINE", defaultValue = "edge",
            description = "edge (pure-Java runtime) or onnxruntime (default: ${DEFAULT-VALUE})")
    String engine;

    @Option(names = "--split", paramLabel = "SPLIT", defaultValue = "test", description = "test, train, or validation (the last 10%% of train) (default: ${DEFAULT-VALUE})")
    String split;

    @Option(names = "--limit", converter = PositiveInt.class, paramLabel = "N", description = "evaluate only the first N images")
    Integer limit;

    @Option(names = "--batch", converter = PositiveInt.class, paramLabel = "N", defaultValue = "64", description = "images per call (default: ${DEFAULT-VALUE})")
    int batch;

    @Option(names = "--threads", converter = PositiveInt.class, paramLabel = "N",
            description = "edge engine: threads, each with its own predictor sharing the weights (default: all cores)")
    Integer threads;

    @Option(names = "--route", paramLabel = "ROUTE",
            description = "ffnn-c, ffcnn-c: classifier (the file's own output, default) or goodness (its FF layers alone, "
                    + "one pass per label: paper 002's other prediction route)")
    String route;

    @Option(names = "--score-rule", paramLabel = "RULE",
            description = "ffnn, ffcnn (and --route goodness): score by sum (the layers' goodness summed) or softmax (paper 000: per layer a softmax over "
                    + "the labels of its l2 norm, summed) instead of the file's rule")
    String scoreRule;

    @Option(names = "--json", description = "print JSON instead of text")
    boolean json;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        EngineOption eng = EngineOption.fromId(engine);
        Model m = OnnxModelReader.read(model);
        Model asRead = m;
        if (route != null && !TrainingRun.either("--route", route, "classifier", "goodness")) {
            if (!m.architecture().hasFfClassifier()) {
                throw new IllegalArgumentException("--route is for ffnn-c and ffcnn-c models; " + model + " is "
                        + m.architecture() + " (it predicts by " + (m.architecture().usesGoodness() ? "goodness" : "its output layer")
                        + " only)");
            }
            m = m.goodnessModel();
        }
        if (scoreRule != null) {
            String rule = TrainingRun.either("--score-rule", scoreRule, "sum", "softmax") ? Model.SCORE_SUM : Model.SCORE_SOFTMAX;
            if (m.architecture() != org.fftk.edge.model.Architecture.FFCNN && m.architecture() != org.fftk.edge.model.Architecture.FFNN) {
                throw new IllegalArgumentException("--score-rule is for ffnn and ffcnn models (and ffnn-c, ffcnn-c with --route goodness); "
                        + model + " is " + m.architecture());
            }
            m = m.toBuilder().scoreRule(rule).build();
        }
        if (m == asRead || eng == EngineOption.EDGE) {
            return evaluate(eng, m, model);
        }
        // ONNX Runtime runs the changed model's own graph, from a temporary file of its own
        Path temp = java.nio.file.Files.createTempFile("fftk-eval-", ".onnx");
        try {
            org.fftk.exporter.OnnxExporter.write(m, temp);
            return evaluate(eng, m, temp);
        } finally {
            java.nio.file.Files.deleteIfExists(temp);
        }
    }

    private int evaluate(EngineOption eng, Model m, Path file) throws Exception {
        Dataset d = data.loadSplit(split);
        DataOptions.warnIfOther(m, data.name(), model, spec.commandLine().getErr(), "eval");
        if (d.inputSize() != m.inputSize()) {
            throw new IllegalArgumentException(model + " reads " + m.inputSize() + " values per image but " + data.dataset
                    + " images have " + d.inputSize());
        }
        if (limit != null) {
            d = d.head(Math.min(limit, d.size()));
        }
        int t = threads != null ? threads : Runtime.getRuntime().availableProcessors();
        Result r;
        if (eng == EngineOption.EDGE && t > 1) {
            r = evaluate(m, d, t);
        } else {
            Predictor p = eng.open(file, m, 0);
            try {
                r = evaluate(p, d, batch);
            } finally {
                if (p instanceof AutoCloseable) {
                    ((AutoCloseable) p).close();
                }
            }
        }
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("model", model.toString());
        o.put("architecture", m.architecture().id());
        if (route != null) {
            o.put("route", route.trim().toLowerCase(java.util.Locale.ROOT));
        }
        o.put("engine", eng.id);
        o.put("dataset", data.dataset);
        o.put("split", split);
        o.put("samples", d.size());
        o.put("correct", r.correct);
        o.put("accuracy", r.accuracy());
        o.put("seconds", r.seconds);
        o.put("samples_per_second", d.size() / r.seconds);
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(Json.pretty(o));
        } else {
            out.printf("%s on %s %s (%d images, engine %s): accuracy %.2f%% (%d correct), %.0f images/s%n", model,
                    data.dataset, split, d.size(), eng.id, 100 * r.accuracy(), r.correct, d.size() / r.seconds);
        }
        out.flush();
        return 0;
    }

    /** Correct predictions and wall time. */
    static final class Result {
        final int correct;
        final int total;
        final double seconds;

        Result(int correct, int total, double seconds) {
            this.correct = correct;
            this.total = total;
            this.seconds = seconds;
        }

        double accuracy() {
            return total == 0 ? 0 : (double) correct / total;
        }
    }

    /** Edge runtime on {@code threads} threads (the images split into contiguous parts). */
    static Result evaluate(Model m, Dataset d, int threads) {
        long t0 = System.nanoTime();
        long correct = Inference.correct(m, d, threads);
        return new Result((int) correct, d.size(), Math.max(1e-9, (System.nanoTime() - t0) / 1e9));
    }

    static Result evaluate(Predictor p, Dataset d, int batch) {
        long t0 = System.nanoTime();
        long correct = Inference.correct(p, d, 0, d.size(), batch);
        return new Result((int) correct, d.size(), Math.max(1e-9, (System.nanoTime() - t0) / 1e9));
    }
}
