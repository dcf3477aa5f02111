package org.fftk.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code fftk compress}: the smallest candidate within budget on the validation split, written and reported. */
class CompressTest {
    @TempDir
    Path tmp;

    @Test
    void writesTheSmallestCandidateWithinTheValidationBudget() throws Exception {
        Path data = CliRun.dataRoot();
        assumeTrue(data != null, "SKIPPED: MNIST not found (set FFTK_DATA or put shared/datasets beside the repo)");
        Path m = tmp.resolve("m.onnx");
        CliRun t = CliRun.of("train", "--preset", "quickstart", "--hidden", "40,40", "--epochs", "2",
                "--limit-train", "3000", "--data", data.toString(), "--out", m.toString(), "--json");
        assertEquals(0, t.exit, t.toString());
        Path out = tmp.resolve("small.onnx");
        CliRun c = CliRun.of("compress", m.toString(), "--data", data.toString(), "--max-drop", "2", "--int8",
                "--finetune-epochs", "1", "--method", "magnitude", "--out", out.toString(), "--json");
        assertEquals(0, c.exit, c.toString());
        JsonNode r = Json.MAPPER.readTree(c.out);
        double base = r.get("validationAccuracyBefore").asDouble();
        long smallest = Long.MAX_VALUE;
        for (JsonNode cand : r.get("candidates")) {
            boolean within = cand.get("validationAccuracy").asDouble() >= base - 0.02 - 1e-12;
            assertEquals(within, cand.get("withinBudget").asBoolean(), cand.toString());
            if (within) {
                smallest = Math.min(smallest, cand.get("fileBytes").asLong());
            }
        }
        double bestAcc = -1;
        for (JsonNode cand : r.get("candidates")) {
            if (cand.get("withinBudget").asBoolean() && cand.get("fileBytes").asLong() <= smallest * 1.01) {
                bestAcc = Math.max(bestAcc, cand.get("validationAccuracy").asDouble());
            }
        }
        assertTrue(Files.size(out) <= smallest * 1.01, "the smallest candidate within budget is written");
        assertEquals(bestAcc, r.get("validationAccuracyAfter").asDouble(), 0, "the most accurate of the smallest");
        assertTrue(r.get("compressionRatio").asDouble() > 3, "int8 alone gives ~4x: " + r.get("compressionRatio"));
        // its validation accuracy is what the search measured
        CliRun e = CliRun.of("eval", out.toString(), "--data", data.toString(), "--split", "validation", "--json");
        assertEquals(r.get("validationAccuracyAfter").asDouble(), Json.MAPPER.readTree(e.out).get("accuracy").asDouble(), 1e-12);
        // the low-rank route: candidates at growing ratios, the chosen one written with its factors
        Path lr = tmp.resolve("lowrank.onnx");
        CliRun l = CliRun.of("compress", m.toString(), "--data", data.toString(), "--max-drop", "2", "--int8",
                "--finetune-epochs", "0", "--method", "lowrank", "--out", lr.toString(), "--json");
        assertEquals(0, l.exit, l.toString());
        JsonNode lj = Json.MAPPER.readTree(l.out);
        int lowRankCandidates = 0;
        for (JsonNode cand : lj.get("candidates")) {
            String path = cand.get("path").asText();
            assertTrue(path.equals("original") || path.startsWith("lowrank ranks "), path);
            lowRankCandidates += path.startsWith("lowrank") ? 1 : 0;
        }
        assertTrue(lowRankCandidates >= 4, lj.toString());
        assertTrue(lj.get("chosen").asText().startsWith("lowrank"), lj.get("chosen").asText());
        org.fftk.edge.model.Model chosen = org.fftk.edge.onnx.OnnxModelReader.read(lr);
        assertTrue(chosen.isFactored() && chosen.isInt8() == lj.get("chosen").asText().endsWith("int8"), lj.get("chosen").asText());
        CliRun le = CliRun.of("eval", lr.toString(), "--data", data.toString(), "--split", "validation", "--json");
        assertEquals(lj.get("validationAccuracyAfter").asDouble(), Json.MAPPER.readTree(le.out).get("accuracy").asDouble(), 1e-12);
        CliRun bad = CliRun.of("compress", m.toString(), "--data", data.toString(), "--max-drop", "-1", "--out",
                tmp.resolve("x.onnx").toString());
        assertEquals(1, bad.exit, bad.toString());
        assertTrue(bad.err.contains("--max-drop must be"), bad.err);
    }
}
