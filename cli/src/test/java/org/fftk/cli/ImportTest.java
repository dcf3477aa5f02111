package org.fftk.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code fftk import fflib}, then the other commands on its output (the checkpoints are the
 * exporter's FFLib test resources; FflibImportTest checks their scores against FFLib's).
 */
class ImportTest {
    private static final Path FFLIB = Paths.get("..", "exporter", "src", "test", "resources", "fflib");

    @TempDir
    Path tmp;

    @Test
    void anImportedFflibModelWorksWithEveryCommand() throws Exception {
        Path data = CliRun.dataRoot();
        assumeTrue(data != null, "SKIPPED: MNIST not found (set FFTK_DATA or put shared/datasets beside the repo)");
        Path m = tmp.resolve("ffnet.onnx");
        CliRun i = CliRun.of("import", "fflib", FFLIB.resolve("ffnet.pt").toString(), "--out", m.toString(), "--dataset", "mnist");
        assertEquals(0, i.exit, i.toString());
        assertTrue(i.out.contains("as ffnn 784-8-8-10, minimize, theta 2, mnist"), i.out);
        CliRun info = CliRun.of("info", m.toString(), "--json");
        assertEquals(0, info.exit, info.toString());
        assertEquals("ffnn", Json.MAPPER.readTree(info.out).get("architecture").asText());
        CliRun e = CliRun.of("eval", m.toString(), "--data", data.toString(), "--dataset", "mnist", "--limit", "300", "--json");
        assertEquals(0, e.exit, e.toString());
        // FFLib measured 232 of these 300 right (exporter/src/test/resources/fflib/ffnet.json)
        JsonNode r = Json.MAPPER.readTree(e.out);
        assertEquals(232.0 / 300, r.get("accuracy").asDouble(), 1e-9, e.out);
        Path pruned = tmp.resolve("pruned.onnx");
        CliRun p = CliRun.of("prune", m.toString(), "--data", data.toString(), "--dataset", "mnist", "--keep", "6",
                "--method", "magnitude", "--limit", "300", "--out", pruned.toString());
        assertEquals(0, p.exit, p.toString());
        assertTrue(Files.size(pruned) < Files.size(m));
        // the FFRNN's constant start travels with the file
        Path rnn = tmp.resolve("ffrnn.onnx");
        assertEquals(0, CliRun.of("import", "fflib", FFLIB.resolve("ffrnn.pt").toString(), "--out", rnn.toString()).exit);
        CliRun ri = CliRun.of("info", rnn.toString());
        assertTrue(ri.out.contains("test frames 5..8") && ri.out.contains("start state   FFLib's: every unit 0.5"), ri.out);
    }

    @Test
    void badCheckpointsGetOneLineAndNoOutputFile() throws Exception {
        Path out = tmp.resolve("x.onnx");
        CliRun s = CliRun.of("import", "fflib", FFLIB.resolve("state_dict.pt").toString(), "--out", out.toString());
        assertEquals(1, s.exit, s.toString());
        assertEquals(1, s.err.strip().lines().count(), s.err);
        assertTrue(s.err.contains("a state_dict only"), s.err);
        assertFalse(Files.exists(out));
        Path half = tmp.resolve("half.pt");
        byte[] b = Files.readAllBytes(FFLIB.resolve("bp.pt"));
        Files.write(half, java.util.Arrays.copyOf(b, b.length - 100));
        CliRun t = CliRun.of("import", "fflib", half.toString(), "--out", out.toString());
        assertEquals(1, t.exit, t.toString());
        assertEquals(1, t.err.strip().lines().count(), t.err);
        assertFalse(Files.exists(out));
        CliRun w = CliRun.of("import", "fflib", FFLIB.resolve("bp.pt").toString(), "--out", out.toString(), "--dataset", "cifar10");
        assertEquals(1, w.exit, w.toString());
        assertTrue(w.err.contains("cifar10 has 3072"), w.err);
    }
}
