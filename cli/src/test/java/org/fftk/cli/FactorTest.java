package org.fftk.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.fftk.edge.data.Dataset;
import org.fftk.edge.data.DatasetName;
import org.fftk.edge.data.Datasets;
import org.fftk.edge.data.Split;
import org.fftk.edge.model.Model;
import org.fftk.edge.onnx.OnnxModelReader;
import org.fftk.trainer.Trainer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code fftk factor} (docs/algorithms.md "Low-rank layers") on the shipped 2×200 MNIST ffnn: the file
 * holds the factors at the asked ranks and scores what the report says; --target-ratio keeps within its
 * weight budget; fine-tuning a factored file moves the factors and continues bit-exactly as training in
 * memory would; what cannot be factored is refused in one line.
 */
class FactorTest {
    @TempDir
    Path tmp;

    static Path model(String name) {
        for (Path p : new Path[] {Paths.get("models", name), Paths.get("..", "models", name)}) {
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        throw new IllegalStateException("models/" + name + " not found");
    }

    @Test
    void factorWritesTheFactorsAndScoresWhatItReports() throws Exception {
        Path data = CliRun.dataRoot();
        assumeTrue(data != null, "SKIPPED: MNIST not found (set FFTK_DATA or put shared/datasets beside the repo)");
        Path src = model("mnist-ffnn-2x200.onnx");
        Path f = tmp.resolve("f.onnx");
        CliRun r = CliRun.of("factor", src.toString(), "--rank", "24,8", "--data", data.toString(), "--limit", "1000",
                "--out", f.toString(), "--json");
        assertEquals(0, r.exit, r.toString());
        JsonNode rep = Json.MAPPER.readTree(r.out);
        Model m = OnnxModelReader.read(f);
        assertArrayEquals(new int[] {24, 8}, m.ranks());
        assertEquals(24L * (200 + 794) + 200 + 8L * (200 + 200) + 200, m.parameterCount());
        assertEquals(Files.size(f), rep.get("after").get("fileBytes").asLong());
        CliRun e = CliRun.of("eval", f.toString(), "--data", data.toString(), "--limit", "1000", "--json");
        assertEquals(0, e.exit, e.toString());
        double acc = Json.MAPPER.readTree(e.out).get("accuracy").asDouble();
        assertEquals(rep.get("accuracyAfter").asDouble(), acc, 1e-12);
        assertTrue(acc > 0.85, "rank 24/8 of a 96.6% model keeps most of it: " + acc);
        assertEquals("[24,8]", Json.MAPPER.readTree(m.provenance()).get("factorization").get("ranks").toString());

        Path t = tmp.resolve("t.onnx");
        CliRun target = CliRun.of("factor", src.toString(), "--target-ratio", "10", "--plain", "--out", t.toString(), "--json");
        assertEquals(0, target.exit, target.toString());
        Model tm = OnnxModelReader.read(t);
        long all = 200L * 794 + 200L * 200 + 400;
        assertTrue(tm.parameterCount() <= all / 10, "within the budget: " + tm.parameterCount());
        assertTrue(tm.parameterCount() > all / 10 - 994, "the budget is filled up to one rank: " + tm.parameterCount());

        // fine-tuning the factored file: the factors move, the ranks stay, bit-exact with training in memory
        Path tuned = tmp.resolve("tuned.onnx");
        CliRun ft = CliRun.of("finetune", f.toString(), "--epochs", "1", "--lr", "0.001", "--seed", "7",
                "--limit-train", "1500", "--data", data.toString(), "--out", tuned.toString(), "--json");
        assertEquals(0, ft.exit, ft.toString());
        Model after = OnnxModelReader.read(tuned);
        assertArrayEquals(new int[] {24, 8}, after.ranks());
        assertNotEquals(m.layers().get(0).factorU()[0], after.layers().get(0).factorU()[0], "training moved U");
        assertNotEquals(m.layers().get(1).factorV()[0], after.layers().get(1).factorV()[0], "training moved V");
        Dataset train = Datasets.load(DatasetName.MNIST, data.resolve("mnist"), Split.TRAIN);
        Model inMemory = Trainer.train(Finetuning.config(m).withEpochs(1).withLearningRate(0.001f)
                .withSeed(7).withLimitTrain(1500), train, null).model();
        assertEquals(inMemory.layers(), after.layers(), "the file's factors continue bit-exactly");
        // bpnn: its factors train by backprop, bit-exact with training in memory too
        Path bp = tmp.resolve("bp.onnx");
        assertEquals(0, CliRun.of("train", "--arch", "bpnn", "--preset", "quickstart", "--hidden", "32,24", "--epochs", "1",
                "--limit-train", "1500", "--data", data.toString(), "--out", bp.toString()).exit);
        Path bpf = tmp.resolve("bp-f.onnx");
        CliRun bfr = CliRun.of("factor", bp.toString(), "--rank", "8,4", "--data", data.toString(), "--limit", "500", "--out",
                bpf.toString());
        assertEquals(0, bfr.exit, bfr.toString());
        Path bpt = tmp.resolve("bp-t.onnx");
        CliRun bft = CliRun.of("finetune", bpf.toString(), "--epochs", "1", "--lr", "0.001", "--seed", "7",
                "--limit-train", "1500", "--data", data.toString(), "--out", bpt.toString());
        assertEquals(0, bft.exit, bft.toString());
        Model bpStart = OnnxModelReader.read(bpf);
        Model bpTuned = OnnxModelReader.read(bpt);
        assertArrayEquals(new int[] {8, 4}, bpTuned.ranks());
        assertTrue(!java.util.Arrays.equals(bpStart.layers().get(0).factorV(), bpTuned.layers().get(0).factorV())
                && !java.util.Arrays.equals(bpStart.layers().get(1).factorU(), bpTuned.layers().get(1).factorU()),
                "training moved the factors");
        Model bpMemory = Trainer.train(Finetuning.config(bpStart).withEpochs(1).withLearningRate(0.001f)
                .withSeed(7).withLimitTrain(1500), train, null).model();
        assertEquals(bpMemory.layers(), bpTuned.layers(), "bpnn: the file's factors continue bit-exactly");
        assertEquals(bpMemory.classifier(), bpTuned.classifier());

        JsonNode prov = Json.MAPPER.readTree(after.provenance());
        assertEquals("[24,8]", prov.get("factorization").get("ranks").toString(), "the factorization record is kept");
        assertEquals(1, prov.get("finetuning").get(0).get("epochs").asInt());
    }

    @Test
    void whatCannotBeFactoredIsRefusedInOneLine() throws Exception {
        Path src = model("mnist-ffnn-2x200.onnx");
        String[][] cases = {
                {"factor", model("mnist-bpcnn-3x32.onnx").toString(), "--rank", "4", "--out", tmp.resolve("a.onnx").toString()},
                {"factor", src.toString(), "--rank", "300", "--out", tmp.resolve("b.onnx").toString()},
                {"factor", src.toString(), "--rank", "4,4,4", "--out", tmp.resolve("c.onnx").toString()},
                {"factor", src.toString(), "--target-ratio", "0.5", "--out", tmp.resolve("d.onnx").toString()},
                {"factor", src.toString(), "--out", tmp.resolve("e.onnx").toString()},
                {"factor", src.toString(), "--rank", "0", "--plain", "--out", tmp.resolve("f0.onnx").toString()},
        };
        String[] expect = {"low-rank factorisation is for ffnn and bpnn models, not bpcnn", "layer 0 rank must be 0 (full) or 1..200",
                "3 ranks for 2 hidden layers", "--target-ratio must be in (1, 1e6]", "Error: Missing required argument",
                "with every rank 0 there is nothing to factor"};
        for (int i = 0; i < cases.length; i++) {
            CliRun r = CliRun.of(cases[i]);
            assertNotEquals(0, r.exit, r.toString());
            assertTrue(r.err.contains(expect[i]), r.err);
            assertTrue(r.err.strip().lines().count() <= 3, "short: " + r.err);
        }
        Path f = tmp.resolve("f.onnx");
        assertEquals(0, CliRun.of("factor", src.toString(), "--rank", "8", "--plain", "--out", f.toString()).exit);
        CliRun again = CliRun.of("factor", f.toString(), "--rank", "4", "--out", tmp.resolve("g.onnx").toString());
        assertTrue(again.err.contains("already factored"), again.err);
        CliRun prune = CliRun.of("prune", f.toString(), "--keep", "100", "--out", tmp.resolve("h.onnx").toString());
        assertEquals(1, prune.exit, prune.toString());
        assertTrue(prune.err.contains("prune the full model first, then factor it"), prune.err);
        // int8 factors: quantize keeps the ranks; both engines are checked in exporter's FactoredModelTest
        Path q = tmp.resolve("q.onnx");
        assertEquals(0, CliRun.of("quantize", f.toString(), "--out", q.toString()).exit);
        Model qm = OnnxModelReader.read(q);
        assertTrue(qm.isInt8());
        assertArrayEquals(new int[] {8, 8}, qm.ranks());
    }
}
