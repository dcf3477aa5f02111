package org.fftk.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.fftk.edge.data.Dataset;
import org.fftk.edge.data.Datasets;
import org.fftk.edge.data.Split;
import org.fftk.edge.infer.Predictor;
import org.fftk.edge.model.Model;
import org.fftk.edge.onnx.OnnxModelReader;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code fftk predict}: labels (and optionally scores) for images. */
@Command(name = "predict", mixinStandardHelpOptions = true,
        description = "Predict labels for images from an IDX file or a dataset split; one line per image.")
final class PredictCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "MODEL.onnx")
    Path model;

    @Option(names = "--images", paramLabel = "FILE",
            description = "IDX image file (gzipped or not) or CIFAR-10 .bin; without it, the --dataset split is used")
    Path images;

    @Mixin
    DataOptions data;

    @Option(names = "--split", paramLabel = "SPLIT", defaultValue = "test", description = "with --dataset: test or train")
    String split;

    @Option(names = "--engine", paramLabel = "ENGINE", defaultValue = "edge", description = "edge or onnxruntime")
    String engine;

    @Option(names = "--limit", converter = PositiveInt.class, paramLabel = "N", defaultValue = "10", description = "first N images (default: ${DEFAULT-VALUE})")
    int limit;

    @Option(names = "--scores", description = "also print the per-label scores")
    boolean scores;

    @Option(names = "--json", description = "print JSON instead of text")
    boolean json;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (limit < 1) {
            throw new IllegalArgumentException("--limit must be at least 1");
        }
        Model m = OnnxModelReader.read(model);
        float[] pixels;
        int[] truth = null;
        int n;
        if (images != null) {
            int[] shape = new int[2];
            pixels = Datasets.loadImages(images, shape, limit);
            n = shape[0];
            if (shape[1] != m.inputSize()) {
                throw new IllegalArgumentException(images + " holds images of " + shape[1] + " values, "
                        + model + " reads " + m.inputSize());
            }
        } else {
            Dataset d = data.loadSplit(split);
            if (d.inputSize() != m.inputSize()) {
                throw new IllegalArgumentException(model + " reads " + m.inputSize() + " values per image but "
                        + data.dataset + " images have " + d.inputSize());
            }
            pixels = d.images();
            truth = d.labels();
            n = d.size();
        }
        n = Math.min(n, limit);
        EngineOption eng = EngineOption.fromId(engine);
        Predictor p = eng.open(model, m, 0);
        float[] s = new float[n * p.numLabels()];
        try {
            p.scores(pixels, 0, n, s);
        } finally {
            if (p instanceof AutoCloseable) {
                ((AutoCloseable) p).close();
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int label = p.label(s, i);
            float[] row = java.util.Arrays.copyOfRange(s, i * p.numLabels(), (i + 1) * p.numLabels());
            if (json) {
                Map<String, Object> r = new LinkedHashMap<>();
                r.put("index", i);
                r.put("label", label);
                if (!m.classes().isEmpty()) {
                    r.put("class", m.className(label));
                }
                if (truth != null) {
                    r.put("true_label", truth[i]);
                }
                if (scores) {
                    r.put("scores", row);
                }
                rows.add(r);
            } else {
                StringBuilder b = new StringBuilder().append(i).append('\t').append(label);
                if (!m.classes().isEmpty() && !m.className(label).equals(Integer.toString(label))) {
                    b.append('\t').append(m.className(label));
                }
                if (truth != null) {
                    b.append("\ttrue=").append(truth[i]);
                }
                if (scores) {
                    for (float v : row) {
                        b.append('\t').append(String.format("%.5g", v));
                    }
                }
                out.println(b);
            }
        }
        if (json) {
            out.println(Json.pretty(rows));
        }
        out.flush();
        return 0;
    }
}
