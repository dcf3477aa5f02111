package org.fftk.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.fftk.edge.model.DenseLayer;
import org.fftk.edge.model.Model;
import org.fftk.edge.model.ModelFormat;
import org.fftk.edge.onnx.OnnxFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code fftk info}: what a model file holds. */
@Command(name = "info", mixinStandardHelpOptions = true,
        description = "Show a model's architecture, widths, parameter count, file size and metadata.")
final class InfoCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "MODEL.onnx", description = "an fftk ONNX model")
    Path model;

    @Option(names = "--json", description = "print JSON instead of text")
    boolean json;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        OnnxFile file = OnnxFile.read(model);
        Model m = file.toModel();
        Map<String, Object> r = describe(model, file, m);
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(Json.pretty(r));
        } else {
            out.printf("model         %s%n", model);
            out.printf("architecture  %s%n", m.architecture());
            out.printf("input         %d values (image) -> %d labels%n", m.inputSize(), m.numLabels());
            out.printf("layers        %s%n", r.get("layers"));
            if (m.architecture().usesGoodness() || m.architecture().hasFfClassifier()) {
                out.printf("objective     %s, theta %s%n", m.objective(), Json.num(m.theta()));
            }
            if (m.labelOverwrites()) {
                out.printf("label         overwrites the image's first %d values (paper 000)%n", m.numLabels());
            }
            if (m.architecture() == org.fftk.edge.model.Architecture.FFRNN) {
                out.printf("ffrnn         beta %s, train frames %d, test frames %d..%d%n", Json.num(m.beta()),
                        m.trainFrames(), m.testFrameLow(), m.testFrameHigh());
                if (m.hasConstantStart()) {
                    out.printf("start state   FFLib's: every unit %s, then one sequential pass%n", Json.num(m.startState()));
                }
            }
            out.printf("parameters    %,d%n", m.parameterCount());
            out.printf("file bytes    %,d%n", file.byteSize());
            out.printf("graph         %d nodes, inputs %s, outputs %s, producer %s%n", file.nodeCount(), file.inputs(),
                    file.outputs(), file.producerName());
            JsonNode prov = Json.parseOrNull(m.provenance());
            if (prov != null && prov.size() > 0) {
                out.printf("provenance    %s%n", prov.toString());
            }
        }
        out.flush();
        return 0;
    }

    static Map<String, Object> describe(Path path, OnnxFile file, Model m) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("file", path.toString());
        r.put("architecture", m.architecture().id());
        r.put("input_size", m.inputSize());
        r.put("num_labels", m.numLabels());
        r.put("widths", m.widths());
        r.put("layers", layerSummary(m));
        r.put("objective", m.objective().id());
        r.put("theta", m.theta());
        r.put("label_encoding", m.labelEncoding());
        r.put("parameters", m.parameterCount());
        r.put("file_bytes", file.byteSize());
        r.put("nodes", file.nodeCount());
        r.put("inputs", file.inputs());
        r.put("outputs", file.outputs());
        Map<String, Object> meta = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : file.metadata().entrySet()) {
            if (e.getKey().equals(ModelFormat.KEY_PROVENANCE)) {
                JsonNode n = Json.parseOrNull(e.getValue());
                meta.put(e.getKey(), n == null ? e.getValue() : n);
            } else {
                meta.put(e.getKey(), e.getValue());
            }
        }
        r.put("metadata", meta);
        return r;
    }

    private static List<String> layerSummary(Model m) {
        List<String> s = new java.util.ArrayList<>();
        for (int i = 0; i < m.layers().size(); i++) {
            DenseLayer l = m.layers().get(i);
            s.add("layer" + i + " " + l.in() + "->" + l.out() + (l.rank() > 0 ? " (rank " + l.rank() + ")" : "")
                    + (l.hasBackward() ? " (+backward " + l.backIn() + ")" : ""));
        }
        if (m.classifier() != null) {
            s.add("classifier " + m.classifier().in() + "->" + m.classifier().out());
        }
        return s;
    }
}
