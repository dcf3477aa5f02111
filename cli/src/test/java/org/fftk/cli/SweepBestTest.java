package org.fftk.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.fftk.edge.model.Model;
import org.fftk.edge.onnx.OnnxModelReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code fftk sweep --best-within --best-out}: the written model is the smallest qualifying sweep point. */
class SweepBestTest {
    @TempDir
    Path tmp;

    @Test
    void writesTheSmallestPointWithinToleranceOfItsBaseline() throws Exception {
        Path data = CliRun.dataRoot();
        assumeTrue(data != null, "SKIPPED: MNIST not found (set FFTK_DATA or put shared/datasets beside the repo)");
        Path model = tmp.resolve("ff.onnx");
        CliRun t = CliRun.of("train", "--preset", "quickstart", "--data", data.toString(), "--hidden", "64,64",
                "--epochs", "3", "--limit-train", "5000", "--out", model.toString(), "--json");
        assertEquals(0, t.exit, t.toString());

        Path dir = tmp.resolve("sweep");
        Path best = tmp.resolve("best.onnx");
        double tolerance = 2.0;
        CliRun s = CliRun.of("sweep", model.toString(), "--data", data.toString(), "--split", "validation", "--limit",
                "1500", "--keep", "64,48,40,32,24,16,8", "--seeds", "2", "--no-plot", "--out", dir.toString(),
                "--best-within", Double.toString(tolerance), "--best-out", best.toString());
        assertEquals(0, s.exit, s.toString());

        JsonNode sweep = Json.MAPPER.readTree(dir.resolve("sweep.json").toFile());
        double baseline = sweep.get("baselines").get(0).get("accuracy").asDouble();
        JsonNode chosen = null;
        for (JsonNode p : sweep.get("points")) {
            if (p.get("accuracy").asDouble() >= baseline - tolerance / 100 - 1e-12
                    && (chosen == null || p.get("fileBytes").asLong() < chosen.get("fileBytes").asLong())) {
                chosen = p;
            }
        }
        assertTrue(chosen != null);
        Model m = OnnxModelReader.read(best);
        int[] kept = new int[chosen.get("kept").size()];
        for (int i = 0; i < kept.length; i++) {
            kept[i] = chosen.get("kept").get(i).asInt();
        }
        assertArrayEquals(kept, m.widths(), "written model has the chosen point's widths");
        assertEquals(chosen.get("fileBytes").asLong(), Files.size(best), "same bytes as the measured point");
        assertTrue(kept[0] < 64, "a smaller model than the unpruned one qualifies: " + s.out);

        // summary.csv: the unpruned accuracy is the sweep's baseline; a bad --at is refused before any work
        java.util.List<String> summary = Files.readAllLines(dir.resolve("summary.csv"));
        assertEquals(2, summary.size(), summary.toString());
        assertEquals(baseline, Double.parseDouble(summary.get(1).split(",")[2]), 1e-12);
        assertTrue(s.out.contains("acc% at 8x"), s.out);
        CliRun again = CliRun.of("sweep", model.toString(), "--data", data.toString(), "--split", "validation", "--limit",
                "1500", "--keep", "64,48,40,32,24,16,8", "--seeds", "2", "--no-plot", "--out", dir.toString(), "--json");
        assertEquals(0, again.exit, again.toString()); // resumed: nothing recomputed
        JsonNode j = Json.MAPPER.readTree(again.out);
        assertEquals(7, j.get("rows").size());
        assertEquals(baseline, j.get("summary").get(0).get("baseline").asDouble(), 1e-12);
        assertEquals(8.0, j.get("summary").get(0).get("at").asDouble(), 0);
        Path other = tmp.resolve("other");
        CliRun bad = CliRun.of("sweep", model.toString(), "--data", data.toString(), "--at", "0.5", "--out", other.toString());
        assertEquals(1, bad.exit, bad.toString());
        assertTrue(bad.err.contains("at least 1") && bad.err.trim().lines().count() == 1, bad.err);
        assertTrue(!Files.exists(other), "nothing written for a refused command");

        // The written model really scores what the sweep measured, on the same validation images.
        CliRun e = CliRun.of("eval", best.toString(), "--data", data.toString(), "--split", "validation", "--limit",
                "1500", "--json");
        assertEquals(0, e.exit, e.toString());
        assertEquals(chosen.get("accuracy").asDouble(), Json.MAPPER.readTree(e.out).get("accuracy").asDouble(), 1e-9);
    }
}
