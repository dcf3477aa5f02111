package org.fftk.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.fftk.edge.io.Sha256;
import org.fftk.edge.model.Architecture;
import org.fftk.edge.model.Model;
import org.fftk.edge.model.Objective;
import org.fftk.edge.onnx.OnnxModelReader;
import org.fftk.exporter.OnnxExporter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code fftk quantize}: an int8 file, its provenance, the sizes; an int8 input is refused. */
class QuantizeTest {
    @TempDir
    Path tmp;

    @Test
    void quantizeWritesAnInt8FileAndRefusesOne() throws Exception {
        Model m = CliTest.randomModel(Architecture.FFNN, Objective.MINIMIZE, 9, 120, 60);
        Path f = tmp.resolve("m.onnx");
        OnnxExporter.write(m, f);
        Path q = tmp.resolve("q.onnx");
        CliRun r = CliRun.of("quantize", f.toString(), "--out", q.toString(), "--json");
        assertEquals(0, r.exit, r.toString());
        JsonNode j = Json.MAPPER.readTree(r.out);
        assertEquals(Files.size(f), j.get("before").get("fileBytes").asLong());
        assertEquals(Files.size(q), j.get("after").get("fileBytes").asLong());
        double ratio = j.get("compressionRatio").asDouble();
        assertTrue(ratio > 3.5 && ratio < 4, "float32 / int8 bytes " + ratio);
        assertTrue(j.get("after").get("xzBytes").asLong() < j.get("after").get("fileBytes").asLong());
        Model back = OnnxModelReader.read(q);
        assertTrue(back.isInt8());
        assertEquals(m.quantized().layers(), back.layers());
        JsonNode prov = Json.MAPPER.readTree(back.provenance());
        assertEquals("int8", prov.get("quantization").get("weights").asText());
        assertEquals(Sha256.hex(Files.readAllBytes(f)), prov.get("quantization").get("source_sha256").asText());
        CliRun again = CliRun.of("quantize", q.toString(), "--out", tmp.resolve("qq.onnx").toString());
        assertEquals(1, again.exit, again.toString());
        assertTrue(again.err.contains("already has int8 weights"), again.err);
        CliRun info = CliRun.of("info", q.toString(), "--json");
        assertEquals("int8", Json.MAPPER.readTree(info.out).get("metadata").get("fftk.weights").asText());
    }
}
