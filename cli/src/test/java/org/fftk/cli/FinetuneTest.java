package org.fftk.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.fftk.edge.data.Dataset;
import org.fftk.edge.data.DatasetName;
import org.fftk.edge.data.Datasets;
import org.fftk.edge.data.Split;
import org.fftk.edge.io.Sha256;
import org.fftk.edge.model.Model;
import org.fftk.edge.onnx.OnnxModelReader;
import org.fftk.trainer.Trainer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code fftk finetune}: continues from exactly the file's weights, as training in memory would. */
class FinetuneTest {
    @TempDir
    Path tmp;

    @Test
    void finetuningAFileIsTrainingContinuedFromItsWeights() throws Exception {
        Path data = CliRun.dataRoot();
        assumeTrue(data != null, "SKIPPED: MNIST not found (set FFTK_DATA or put shared/datasets beside the repo)");
        Dataset train = Datasets.load(DatasetName.MNIST, data.resolve("mnist"), Split.TRAIN);
        for (String arch : new String[] {"ffnn", "ffnn-c"}) {
            Path a = tmp.resolve(arch + "-a.onnx");
            Path b = tmp.resolve(arch + "-b.onnx");
            CliRun t = CliRun.of("train", "--arch", arch, "--preset", "quickstart", "--hidden", "32,24", "--epochs", "2",
                    "--limit-train", "1500", "--data", data.toString(), "--out", a.toString(), "--json");
            assertEquals(0, t.exit, t.toString());
            CliRun f = CliRun.of("finetune", a.toString(), "--epochs", "2", "--lr", "0.05", "--seed", "7",
                    "--limit-train", "1500", "--data", data.toString(), "--out", b.toString(), "--json");
            assertEquals(0, f.exit, f.toString());

            Model start = OnnxModelReader.read(a);
            Model tuned = OnnxModelReader.read(b);
            Model inMemory = Trainer.train(Finetuning.config(start).withEpochs(2).withLearningRate(0.05f)
                    .withSeed(7).withLimitTrain(1500).withFfEpochs(0), train, null).model();
            assertEquals(inMemory.layers(), tuned.layers(), arch + ": the file's weights continue bit-exactly");
            assertEquals(inMemory.classifier(), tuned.classifier(), arch);
            assertNotEquals(start.parameters().get(start.parameters().size() - 1)[0],
                    tuned.parameters().get(tuned.parameters().size() - 1)[0], arch + ": training moved the weights");
            if (arch.equals("ffnn-c")) {
                assertEquals(start.layers(), tuned.layers(), "classifier-only fine-tuning leaves the FF layers alone");
            }
            JsonNode prov = Json.MAPPER.readTree(tuned.provenance());
            JsonNode e = prov.get("finetuning").get(0);
            assertEquals(Sha256.hex(Files.readAllBytes(a)), e.get("source_sha256").asText());
            assertEquals(2, e.get("epochs").asInt());
            assertEquals(Json.MAPPER.readTree(f.out).get("test_accuracy").asDouble(), e.get("test_accuracy").asDouble(), 0);
            assertEquals(0.1, prov.get("learningRate").asDouble(), 1e-6, "the original training record is kept");
        }
        // prune --finetune-epochs: the written file is the fine-tuned one, and it scores what the report says
        Path pruned = tmp.resolve("pruned-ft.onnx");
        CliRun p = CliRun.of("prune", tmp.resolve("ffnn-a.onnx").toString(), "--keep", "16", "--finetune-epochs", "1",
                "--data", data.toString(), "--limit", "2000", "--out", pruned.toString(), "--json");
        assertEquals(0, p.exit, p.toString());
        JsonNode rep = Json.MAPPER.readTree(p.out);
        assertEquals(1, rep.get("finetuneEpochs").asInt());
        assertTrue(rep.get("accuracyOneShot").isNumber());
        assertEquals(Files.size(pruned), rep.get("after").get("fileBytes").asLong());
        CliRun e = CliRun.of("eval", pruned.toString(), "--data", data.toString(), "--limit", "2000", "--json");
        assertEquals(rep.get("accuracyAfter").asDouble(), Json.MAPPER.readTree(e.out).get("accuracy").asDouble(), 1e-12);
        JsonNode prov = Json.MAPPER.readTree(OnnxModelReader.read(pruned).provenance());
        assertEquals("random", prov.get("pruning").get(0).get("method").asText());
        assertEquals(1, prov.get("finetuning").get(0).get("epochs").asInt());

        CliRun bad = CliRun.of("finetune", tmp.resolve("ffnn-a.onnx").toString(), "--epochs", "1", "--ff-epochs", "1",
                "--data", data.toString(), "--out", tmp.resolve("x.onnx").toString());
        assertEquals(1, bad.exit, bad.toString());
        assertTrue(bad.err.contains("--ff-epochs is for ffnn-c and ffcnn-c models"), bad.err);
        CliRun none = CliRun.of("finetune", tmp.resolve("ffnn-a.onnx").toString(), "--out", tmp.resolve("x.onnx").toString());
        assertEquals(1, none.exit, none.toString());
        assertTrue(none.err.contains("--epochs is required"), none.err);
    }
}
