package org.fftk.cli;

import java.nio.file.Path;
import org.fftk.edge.infer.Inference;
import org.fftk.edge.infer.Predictor;
import org.fftk.edge.model.Model;
import org.fftk.edge.infer.LabelRule;

/** The two engines that run an fftk ONNX file. */
enum EngineOption {
    EDGE("edge"),
    ONNXRUNTIME("onnxruntime");

    final String id;

    EngineOption(String id) {
        this.id = id;
    }

    static EngineOption fromId(String s) {
        for (EngineOption e : values()) {
            if (e.id.equalsIgnoreCase(s.trim())) {
                return e;
            }
        }
        throw new IllegalArgumentException("unknown engine '" + s + "' (expected edge or onnxruntime)");
    }

    /** A predictor for the file (ONNX Runtime runs single-threaded for comparable per-core numbers when threads = 1). */
    Predictor open(Path file, Model m, int ortThreads) throws Exception {
        if (this == EDGE) {
            return Inference.predictor(m);
        }
        return new OrtPredictor(file, m.inputSize(), m.numLabels(), LabelRule.argmin(m), ortThreads);
    }
}
