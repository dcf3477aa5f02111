package org.fftk.cli;

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
import org.fftk.edge.model.Model;
import org.fftk.edge.onnx.OnnxModelReader;
import org.fftk.trainer.Trainer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --label-encoding overwrite} (paper 000, docs/algorithms.md "Label encoding") from the command
 * line: ffnn and ffnn-c train with it and learn, the file records it, both engines count the same
 * correct predictions, fine-tuning continues bit-exactly under it, pruning by activation reads it;
 * architectures without an input label refuse it in one line.
 */
class LabelEncodingTest {
    @TempDir
    Path tmp;

    @Test
    void overwriteEncodingTrainsEvaluatesFinetunesAndPrunes() throws Exception {
        Path data = CliRun.dataRoot();
        assumeTrue(data != null, "SKIPPED: MNIST not found (set FFTK_DATA or put shared/datasets beside the repo)");
        for (String arch : new String[] {"ffnn", "ffnn-c"}) {
            Path a = tmp.resolve(arch + ".onnx");
            CliRun t = CliRun.of("train", "--arch", arch, "--preset", "quickstart", "--hidden", "100,100", "--epochs", "4",
                    "--label-encoding", "overwrite", "--limit-train", "12000", "--data", data.toString(), "--out", a.toString(),
                    "--json");
            assertEquals(0, t.exit, t.toString());
            Model m = OnnxModelReader.read(a);
            assertEquals(Model.LABEL_ENCODING_OVERWRITE, m.labelEncoding());
            assertEquals(784, m.layers().get(0).in(), "layer 0 reads the image only");
            assertEquals("overwrite", Json.MAPPER.readTree(m.provenance()).path("labelEncoding").asText());
            String[] correct = new String[2];
            String[] engines = {"edge", "onnxruntime"};
            for (int e = 0; e < 2; e++) {
                CliRun ev = CliRun.of("eval", a.toString(), "--engine", engines[e], "--data", data.toString(),
                        "--limit", "1000", "--json");
                assertEquals(0, ev.exit, ev.toString());
                JsonNode r = Json.MAPPER.readTree(ev.out);
                correct[e] = r.path("correct").asText();
                assertTrue(r.path("accuracy").asDouble() > 0.5, arch + " learns with the label in the corner: " + ev.out);
            }
            assertEquals(correct[0], correct[1], arch + ": both engines count the same correct predictions");

            Path b = tmp.resolve(arch + "-ft.onnx");
            CliRun f = CliRun.of("finetune", a.toString(), "--epochs", "1", "--seed", "3", "--limit-train", "1000",
                    "--data", data.toString(), "--out", b.toString());
            assertEquals(0, f.exit, f.toString());
            Model tuned = OnnxModelReader.read(b);
            assertEquals(Model.LABEL_ENCODING_OVERWRITE, tuned.labelEncoding());
            Dataset train = Datasets.load(DatasetName.MNIST, data.resolve("mnist"), Split.TRAIN);
            Model inMemory = Trainer.train(Finetuning.config(m).withEpochs(1).withSeed(3).withLimitTrain(1000)
                    .withFfEpochs(0), train, null).model();
            assertEquals(inMemory.layers(), tuned.layers(), arch + ": the file's weights continue bit-exactly");
            assertEquals(inMemory.classifier(), tuned.classifier(), arch);
            assertNotEquals(m.classifier() == null ? m.layers() : m.classifier(),
                    tuned.classifier() == null ? tuned.layers() : tuned.classifier(), arch + ": training moved the weights");

            Path p = tmp.resolve(arch + "-pruned.onnx");
            CliRun pr = CliRun.of("prune", a.toString(), "--method", "activation", "--keep", "16", "--data", data.toString(),
                    "--limit", "500", "--out", p.toString());
            assertEquals(0, pr.exit, pr.toString());
            Model pm = OnnxModelReader.read(p);
            assertEquals(16, pm.layers().get(0).out());
            assertEquals(Model.LABEL_ENCODING_OVERWRITE, pm.labelEncoding());
            if (arch.equals("ffnn")) {
                // a classifier on the frozen overwrite layers: the ffnn-c keeps the encoding and its layers
                Path c = tmp.resolve("added.onnx");
                CliRun add = CliRun.of("finetune", a.toString(), "--add-classifier", "--epochs", "1", "--limit-train", "1000",
                        "--data", data.toString(), "--out", c.toString());
                assertEquals(0, add.exit, add.toString());
                Model cm = OnnxModelReader.read(c);
                assertEquals(Model.LABEL_ENCODING_OVERWRITE, cm.labelEncoding());
                assertEquals(m.layers(), cm.layers());
                CliRun ce = CliRun.of("eval", c.toString(), "--engine", "onnxruntime", "--data", data.toString(), "--limit", "200");
                assertEquals(0, ce.exit, ce.toString());
            }
        }
        for (String[] bad : new String[][] {{"--arch", "ffrnn", "--label-encoding", "overwrite"},
                {"--arch", "bpnn", "--label-encoding", "overwrite"}, {"--arch", "ffnn", "--label-encoding", "corner"}}) {
            Path out = tmp.resolve("bad.onnx");
            String[] common = {"train", "--preset", "quickstart", "--epochs", "1", "--data", data.toString(), "--out", out.toString()};
            String[] args = new String[common.length + bad.length];
            System.arraycopy(common, 0, args, 0, common.length);
            System.arraycopy(bad, 0, args, common.length, bad.length);
            CliRun r = CliRun.of(args);
            assertNotEquals(0, r.exit, r.toString());
            assertEquals(1, r.err.strip().split("\n").length, "one line: " + r.err);
            assertTrue(r.err.contains("label-encoding"), r.err);
            assertTrue(!Files.exists(out));
        }
    }
}
