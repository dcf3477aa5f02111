package org.fftk.exporter;

import java.util.Map;
import org.fftk.edge.model.Model;
import org.tribuo.util.onnx.ONNXInitializer;
import org.tribuo.util.onnx.ONNXPlaceholder;
import org.tribuo.util.onnx.ONNXRef;

/** FFRNN graph: frames unrolled, all label candidates batched (SPEC §3). */
final class FfrnnGraph {
    private FfrnnGraph() {
    }

    static ONNXRef<?> scores(GraphBuilder g, Model m, ONNXPlaceholder image, Map<String, ONNXInitializer> w) {
        throw new UnsupportedOperationException("exporting ffrnn models is not implemented yet");
    }
}
