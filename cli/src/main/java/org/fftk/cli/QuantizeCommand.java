package org.fftk.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.fftk.edge.data.Dataset;
import org.fftk.edge.io.AtomicFiles;
import org.fftk.edge.model.Model;
import org.fftk.pruner.io.ModelFile;
import org.fftk.pruner.io.ModelFiles;
import org.fftk.pruner.report.Accuracy;
import org.fftk.pruner.report.ModelMeasures;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code fftk quantize}: int8 weights (docs/algorithms.md, "int8 weights"). */
@Command(name = "quantize", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Store a model's weights as int8: symmetric, one scale per output neuron (biases stay float32).",
                "The file is standard ONNX (int8 initializers + DequantizeLinear) that any runtime opens; the edge",
                "runtime keeps the weights as int8 in memory. Low-rank factors (fftk factor) get one scale per rank component.",
                "With --dataset (or --data), reports accuracy before and after."})
final class QuantizeCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "MODEL.onnx")
    Path model;

    @Mixin
    DataOptions data;

    @Mixin
    TestLimit limit;

    @Option(names = "--out", paramLabel = "INT8.onnx", required = true, description = "where to write the int8 model")
    Path out;

    @Option(names = "--json", description = "print the report as JSON")
    boolean json;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        OutputFiles.checkTarget(out, model);
        ModelFile src = ModelFile.read(model);
        Model m = src.model();
        if (m.isInt8()) {
            throw new IllegalArgumentException(model + " already has int8 weights");
        }
        Model q = m.quantized().toBuilder().provenance(provenance(m.provenance(), src.sha256())).build();
        byte[] bytes = ModelFiles.onnx(q);
        ModelMeasures before = ModelMeasures.of(m, src.bytes());
        ModelMeasures after = ModelMeasures.of(q, bytes);
        boolean withData = DataOptions.given(spec);
        Double accBefore = null;
        Double accAfter = null;
        Dataset test = null;
        if (withData) {
            test = data.testImages(limit.limit);
            int threads = Runtime.getRuntime().availableProcessors();
            accBefore = Accuracy.parallel(threads).accuracy(m, test);
            accAfter = Accuracy.parallel(threads).accuracy(q, test);
        }
        AtomicFiles.write(out, bytes);
        PrintWriter o = spec.commandLine().getOut();
        if (json) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("before", before);
            r.put("after", after);
            r.put("compressionRatio", (double) before.fileBytes() / after.fileBytes());
            r.put("accuracyBefore", accBefore);
            r.put("accuracyAfter", accAfter);
            r.put("testSize", test == null ? null : test.size());
            r.put("model", out.toString());
            o.println(Json.pretty(r));
        } else {
            o.printf("%-22s %14s %14s%n", "", "float32", "int8");
            o.printf("%-22s %,14d %,14d%n", "file bytes", before.fileBytes(), after.fileBytes());
            o.printf("%-22s %,14d %,14d%n", "gzip bytes", before.gzipBytes(), after.gzipBytes());
            o.printf("%-22s %,14d %,14d%n", "xz bytes", before.xzBytes(), after.xzBytes());
            if (accBefore != null) {
                o.printf("%-22s %13.2f%% %13.2f%%   (%d test images)%n", "accuracy", 100 * accBefore, 100 * accAfter,
                        test.size());
            }
            o.printf("compression ratio %.2fx (xz %.2fx); wrote %s%n", (double) before.fileBytes() / after.fileBytes(),
                    (double) before.xzBytes() / after.xzBytes(), out);
        }
        o.flush();
        return 0;
    }

    /** The source's provenance plus a "quantization" record. */
    static String provenance(String source, String sha256) throws Exception {
        JsonNode n = Json.parseOrNull(source);
        ObjectNode root = n instanceof ObjectNode ? (ObjectNode) n : Json.MAPPER.createObjectNode();
        ObjectNode q = root.putObject("quantization");
        q.put("weights", "int8");
        q.put("scheme", "symmetric, one scale per output neuron (max |w| / 127), biases float32");
        q.put("source_sha256", sha256);
        return Json.MAPPER.writeValueAsString(root);
    }
}
