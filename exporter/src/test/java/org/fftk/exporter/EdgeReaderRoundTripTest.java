package org.fftk.exporter;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.fftk.edge.model.Model;
import org.fftk.edge.onnx.OnnxModelReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A file this exporter writes reads back through the edge runtime's own ONNX reader as the same model. */
class EdgeReaderRoundTripTest {
    @TempDir
    Path dir;

    @Test
    void everyArchitectureRoundTrips() throws Exception {
        List<Model> models = new ArrayList<>(OnnxFileTest.models());
        models.addAll(FfrnnCases.exportable());
        for (int i = 0; i < models.size(); i++) {
            Model m = models.get(i);
            Path f = dir.resolve("m" + i + ".onnx");
            OnnxExporter.write(m, f);
            Model back = OnnxModelReader.read(f);
            OnnxFileTest.assertModelsEqual(m, back);
            assertEquals(m.beta(), back.beta(), "beta");
            assertEquals(m.testFrameLow(), back.testFrameLow());
            assertEquals(m.testFrameHigh(), back.testFrameHigh());
            assertEquals(m.trainFrames(), back.trainFrames());
            OnnxFileTest.assertModelsEqual(m, OnnxModelReader.read(OnnxExporter.toBytes(m)));
        }
    }
}
