package org.fftk.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.fftk.edge.data.Dataset;
import org.fftk.edge.data.DatasetName;
import org.fftk.edge.data.Datasets;
import org.fftk.edge.data.Split;
import org.fftk.edge.model.Architecture;
import org.fftk.edge.model.DenseLayer;
import org.fftk.edge.model.Model;
import org.fftk.edge.model.Objective;
import org.fftk.exporter.OnnxExporter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CliTest {
    @TempDir
    Path tmp;

    static Model randomModel(Architecture a, Objective o, long seed, int... widths) {
        Random r = new Random(seed);
        Model.Builder b = Model.builder(a).objective(o).theta(0.5f);
        int in = a == Architecture.BPNN ? 784 : 794;
        for (int w : widths) {
            b.addLayer(layer(r, w, in));
            in = w;
        }
        if (a == Architecture.BPNN) {
            b.classifier(layer(r, 10, in));
        }
        return b.build();
    }

    static DenseLayer layer(Random r, int out, int in) {
        float bound = (float) (1 / Math.sqrt(in));
        float[] w = new float[out * in];
        float[] bias = new float[out];
        for (int i = 0; i < w.length; i++) {
            w[i] = (r.nextFloat() * 2 - 1) * bound;
        }
        for (int i = 0; i < out; i++) {
            bias[i] = (r.nextFloat() * 2 - 1) * bound;
        }
        return new DenseLayer(out, in, w, bias);
    }

    @Test
    void infoReportsTheModelAsJson() throws Exception {
        Model m = randomModel(Architecture.FFNN, Objective.MINIMIZE, 1, 30, 20);
        Path f = tmp.resolve("m.onnx");
        OnnxExporter.write(m, f);
        CliRun r = CliRun.of("info", f.toString(), "--json");
        assertEquals(0, r.exit, r.toString());
        JsonNode j = Json.MAPPER.readTree(r.out);
        assertEquals("ffnn", j.get("architecture").asText());
        assertEquals("minimize", j.get("objective").asText());
        assertEquals(794 * 30 + 30 + 30 * 20 + 20, j.get("parameters").asLong());
        assertEquals(Files.size(f), j.get("file_bytes").asLong());
        assertEquals(30, j.get("widths").get(0).asInt());
    }

    @Test
    void corruptModelGivesOneLineErrorAndExitOne() throws Exception {
        Model m = randomModel(Architecture.FFNN, Objective.MAXIMIZE, 2, 16);
        byte[] bytes = OnnxExporter.toBytes(m);
        Path f = tmp.resolve("cut.onnx");
        Files.write(f, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        for (String cmd : new String[] {"info", "eval", "predict"}) {
            CliRun r = CliRun.of(cmd, f.toString());
            assertEquals(1, r.exit, r.toString());
            String[] lines = r.err.strip().split("\n");
            assertEquals(1, lines.length, "one line expected: " + r.err);
            assertTrue(lines[0].startsWith("fftk " + cmd + ": error: "), r.err);
            assertFalse(r.err.contains("\tat "), "no stack trace: " + r.err);
        }
    }

    @Test
    void impossibleOptionsAreRejectedBeforeWork() throws Exception {
        CliRun r = CliRun.of("train", "--out", tmp.resolve("no/such/dir/m.onnx").toString(), "--epochs", "1");
        assertEquals(1, r.exit, r.toString());
        assertTrue(r.err.contains("does not exist"), r.err);
        CliRun bad = CliRun.of("train", "--out", tmp.resolve("m.onnx").toString(), "--hidden", "10,0");
        assertEquals(1, bad.exit, bad.toString());
        CliRun arch = CliRun.of("train", "--out", tmp.resolve("m.onnx").toString(), "--arch", "resnet");
        assertEquals(1, arch.exit, arch.toString());
        assertTrue(arch.err.contains("unknown architecture"), arch.err);
        assertFalse(Files.exists(tmp.resolve("m.onnx")));
    }

    @Test
    void bothEnginesGiveTheSameAccuracyAndLabelsOnRealImages() throws Exception {
        Path data = CliRun.dataRoot();
        assumeTrue(data != null, "SKIPPED: MNIST not found (set FFTK_DATA or put shared/datasets beside the repo)");
        Model m = randomModel(Architecture.FFNN, Objective.MAXIMIZE, 3, 64, 32);
        Path f = tmp.resolve("m.onnx");
        OnnxExporter.write(m, f);
        CliRun edge = CliRun.of("eval", f.toString(), "--data", data.toString(), "--limit", "500", "--json");
        CliRun ort = CliRun.of("eval", f.toString(), "--data", data.toString(), "--limit", "500", "--json",
                "--engine", "onnxruntime");
        assertEquals(0, edge.exit, edge.toString());
        assertEquals(0, ort.exit, ort.toString());
        JsonNode a = Json.MAPPER.readTree(edge.out);
        JsonNode b = Json.MAPPER.readTree(ort.out);
        assertEquals(500, a.get("samples").asInt());
        assertEquals(a.get("correct").asInt(), b.get("correct").asInt());
        CliRun one = CliRun.of("eval", f.toString(), "--data", data.toString(), "--limit", "500", "--json", "--threads", "1");
        CliRun three = CliRun.of("eval", f.toString(), "--data", data.toString(), "--limit", "500", "--json", "--threads", "3");
        assertEquals(a.get("correct").asInt(), Json.MAPPER.readTree(one.out).get("correct").asInt(), one.toString());
        assertEquals(a.get("correct").asInt(), Json.MAPPER.readTree(three.out).get("correct").asInt(), three.toString());
        CliRun zero = CliRun.of("eval", f.toString(), "--data", data.toString(), "--threads", "0");
        assertEquals(2, zero.exit, zero.toString());
        assertTrue(zero.err.contains("--threads") && zero.err.contains("must be at least 1"), zero.err);

        CliRun pe = CliRun.of("predict", f.toString(), "--data", data.toString(), "--limit", "200", "--json");
        CliRun po = CliRun.of("predict", f.toString(), "--data", data.toString(), "--limit", "200", "--json",
                "--engine", "onnxruntime");
        assertArrayEquals(labels(Json.MAPPER.readTree(pe.out)), labels(Json.MAPPER.readTree(po.out)));
    }

    private static int[] labels(JsonNode rows) {
        int[] l = new int[rows.size()];
        for (int i = 0; i < l.length; i++) {
            l[i] = rows.get(i).get("label").asInt();
        }
        return l;
    }

    @Test
    void trainedModelEvaluatesToTheTrainersOwnTestAccuracyAndFailuresKeepOldFiles() throws Exception {
        Path data = CliRun.dataRoot();
        assumeTrue(data != null, "SKIPPED: MNIST not found (set FFTK_DATA or put shared/datasets beside the repo)");
        Path out = tmp.resolve("trained.onnx");
        CliRun t = CliRun.of("train", "--data", data.toString(), "--hidden", "64,64", "--epochs", "4", "--limit-train",
                "3000", "--theta", "2", "--lr", "0.1", "--out", out.toString(), "--json");
        assertEquals(0, t.exit, t.toString());
        double reported = Json.MAPPER.readTree(t.out).get("test_accuracy").asDouble();

        // Independent reference: ONNX Runtime running the written file over the same test images.
        CliRun ort = CliRun.of("eval", out.toString(), "--data", data.toString(), "--json", "--engine", "onnxruntime");
        assertEquals(0, ort.exit, ort.toString());
        double reference = Json.MAPPER.readTree(ort.out).get("accuracy").asDouble();
        CliRun e = CliRun.of("eval", out.toString(), "--data", data.toString(), "--json");
        assertEquals(0, e.exit, e.toString());
        double evaluated = Json.MAPPER.readTree(e.out).get("accuracy").asDouble();
        assertEquals(reference, evaluated, 1.5e-4, "fftk eval vs ONNX Runtime on the 10k test images");
        assertEquals(reported, evaluated, 0.0);
        assertTrue(evaluated > 0.2, "predictions must not be one constant label (chance is 0.10): " + evaluated);

        // A run that fails (no such dataset folder) leaves the existing model untouched.
        byte[] before = Files.readAllBytes(out);
        CliRun fail = CliRun.of("train", "--data", tmp.resolve("empty").toString(), "--dataset", "cifar10",
                "--epochs", "1", "--out", out.toString());
        assertEquals(1, fail.exit, fail.toString());
        assertArrayEquals(before, Files.readAllBytes(out));
    }
}
