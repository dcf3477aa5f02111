package org.fftk.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.fftk.edge.model.Architecture;
import org.fftk.edge.model.ConvShape;
import org.fftk.edge.model.DenseLayer;
import org.fftk.edge.model.Model;
import org.fftk.exporter.OnnxExporter;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An ffcnn file through the CLI: info and eval read it, quantize writes an int8 file, magnitude
 * pruning removes filters (an activation ranking is refused in one line), a short training run
 * writes the geometry it was given and fine-tuning keeps it.
 */
class CnnCliTest {
    static Model randomCnn() {
        Random r = new Random(3);
        ConvShape cs = new ConvShape(1, 28, 28, new int[] {5, 3}, new int[] {1, 2}, new int[] {2, 1});
        int[] f = {4, 3};
        float[] pat = new float[10 * 784];
        for (int i = 0; i < pat.length; i++) {
            pat[i] = r.nextFloat();
        }
        Model.Builder b = Model.builder(Architecture.FFCNN).inputSize(784).conv(cs).labelPatterns(pat).dataset("mnist");
        for (int l = 0; l < 2; l++) {
            int in = cs.layerInput(l, f);
            float[] w = new float[f[l] * in];
            float[] bias = new float[f[l]];
            for (int i = 0; i < w.length; i++) {
                w[i] = (r.nextFloat() * 2 - 1) / (float) Math.sqrt(in);
            }
            b.addLayer(new DenseLayer(f[l], in, w, bias));
        }
        return b.build();
    }

    @Test
    void infoEvalQuantizeAndClearRefusals(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("cnn.onnx");
        OnnxExporter.write(randomCnn(), f);
        CliRun info = CliRun.of("info", f.toString());
        assertEquals(0, info.exit, info.toString());
        assertTrue(info.out.contains("ffcnn"), info.out);
        CliRun weights = CliRun.of("inspect", f.toString());
        assertEquals(0, weights.exit, weights.toString());
        assertTrue(weights.out.contains("4x25"), "layer 0: 4 filters of 1 x 5 x 5 weights\n" + weights.out);

        byte[] before = Files.readAllBytes(f);
        CliRun bad = CliRun.of("prune", f.toString(), "--method", "activation", "--keep", "2", "--out",
                dir.resolve("a.onnx").toString());
        assertFalse(bad.exit == 0, bad.toString());
        assertTrue(bad.err.contains("activation ranking is not built for ffcnn"), bad.err);
        assertEquals(1, bad.err.strip().split("\n").length, "one line: " + bad.err);
        assertFalse(Files.exists(dir.resolve("a.onnx")));
        CliRun prune = CliRun.of("prune", f.toString(), "--method", "magnitude", "--keep", "2", "--out",
                dir.resolve("p.onnx").toString());
        assertEquals(0, prune.exit, prune.toString());
        Model pm = org.fftk.edge.onnx.OnnxModelReader.read(dir.resolve("p.onnx"));
        assertTrue(java.util.Arrays.equals(new int[] {2, 2}, pm.widths()), "two filters per layer");
        assertTrue(java.util.Arrays.equals(before, Files.readAllBytes(f)), "the source file is untouched");

        Path data = CliRun.dataRoot();
        Assumptions.assumeTrue(data != null, "MNIST not found: set FFTK_DATA; ffcnn eval and train checks skipped");
        CliRun eval = CliRun.of("eval", f.toString(), "--dataset", "mnist", "--data", data.toString(), "--limit", "50");
        assertEquals(0, eval.exit, eval.toString());
        CliRun ens = CliRun.of("inspect", f.toString(), "--dataset", "mnist", "--data", data.toString());
        assertFalse(ens.exit == 0, ens.toString());
        assertEquals(1, ens.err.strip().split("\n").length, "one line: " + ens.err);
        Path q = dir.resolve("cnn-int8.onnx");
        CliRun quant = CliRun.of("quantize", f.toString(), "--out", q.toString(), "--data", data.toString(), "--limit", "20");
        assertEquals(0, quant.exit, quant.toString());
        // the file of this tiny net is mostly its label patterns (10 x 784 floats), so it is barely smaller
        Model back = org.fftk.edge.onnx.OnnxModelReader.read(q);
        assertTrue(back.isInt8() && back.conv() != null, "an int8 ffcnn");
        Path t = dir.resolve("t.onnx");
        CliRun train = CliRun.of("train", "--arch", "ffcnn", "--preset", "quickstart", "--dataset", "mnist", "--data",
                data.toString(), "--limit-train", "300", "--epochs", "1", "--hidden", "2,3,2", "--kernels", "3,5,3", "--out",
                t.toString());
        assertEquals(0, train.exit, train.toString());
        Model tm = org.fftk.edge.onnx.OnnxModelReader.read(t);
        assertEquals(Architecture.FFCNN, tm.architecture());
        assertEquals(new ConvShape(1, 28, 28, new int[] {3, 5, 3}, new int[] {1, 2, 2}, new int[] {1, 2, 1}), tm.conv());
        Path ft = dir.resolve("ft.onnx");
        CliRun tune = CliRun.of("finetune", t.toString(), "--dataset", "mnist", "--data", data.toString(), "--limit-train", "200",
                "--epochs", "1", "--out", ft.toString());
        assertEquals(0, tune.exit, tune.toString());
        Model fm = org.fftk.edge.onnx.OnnxModelReader.read(ft);
        assertEquals(tm.conv(), fm.conv());
        assertTrue(java.util.Arrays.equals(tm.labelPatterns(), fm.labelPatterns()), "fine-tuning keeps the file's label patterns");
        bad = CliRun.of("train", "--arch", "ffcnn", "--preset", "quickstart", "--dataset", "mnist", "--data",
                data.toString(), "--kernels", "3,3", "--out", dir.resolve("u.onnx").toString());
        assertFalse(bad.exit == 0, bad.toString());
        assertTrue(bad.err.contains("3 conv layers but 2 kernels"), bad.err);
        assertFalse(Files.exists(dir.resolve("u.onnx")));
    }

    /**
     * bpcnn through the CLI: a short training run writes the geometry, eval and ONNX Runtime read the
     * file, magnitude pruning removes filters (and the output layer's blocks), int8 quantisation and
     * fine-tuning keep the geometry; options that only mean something for ffcnn are refused in one line.
     * ffcnn with --ff-loss pairwise records the loss, and fine-tuning continues with it.
     */
    @Test
    void bpcnnTrainsPrunesQuantizesAndFinetunes(@TempDir Path dir) throws Exception {
        Path data = CliRun.dataRoot();
        Assumptions.assumeTrue(data != null, "MNIST not found: set FFTK_DATA; bpcnn CLI checks skipped");
        Path t = dir.resolve("bp.onnx");
        CliRun train = CliRun.of("train", "--arch", "bpcnn", "--preset", "quickstart", "--dataset", "mnist", "--data",
                data.toString(), "--limit-train", "300", "--epochs", "1", "--hidden", "4,3", "--kernels", "3,3", "--strides", "1,2",
                "--out", t.toString());
        assertEquals(0, train.exit, train.toString());
        Model tm = org.fftk.edge.onnx.OnnxModelReader.read(t);
        assertEquals(Architecture.BPCNN, tm.architecture());
        assertEquals(new ConvShape(1, 28, 28, new int[] {3, 3}, new int[] {1, 2}, new int[] {1, 1}), tm.conv());
        assertEquals(3 * 14 * 14, tm.classifier().in());
        CliRun eval = CliRun.of("eval", t.toString(), "--dataset", "mnist", "--data", data.toString(), "--limit", "100",
                "--engine", "onnxruntime");
        assertEquals(0, eval.exit, eval.toString());
        CliRun prune = CliRun.of("prune", t.toString(), "--method", "magnitude", "--keep", "2", "--out",
                dir.resolve("p.onnx").toString());
        assertEquals(0, prune.exit, prune.toString());
        Model pm = org.fftk.edge.onnx.OnnxModelReader.read(dir.resolve("p.onnx"));
        assertEquals(2 * 14 * 14, pm.classifier().in());
        CliRun quant = CliRun.of("quantize", t.toString(), "--out", dir.resolve("q.onnx").toString(), "--data", data.toString(),
                "--limit", "20");
        assertEquals(0, quant.exit, quant.toString());
        Path ft = dir.resolve("ft.onnx");
        CliRun tune = CliRun.of("finetune", t.toString(), "--dataset", "mnist", "--data", data.toString(), "--limit-train", "200",
                "--epochs", "1", "--out", ft.toString());
        assertEquals(0, tune.exit, tune.toString());
        assertEquals(tm.conv(), org.fftk.edge.onnx.OnnxModelReader.read(ft).conv());
        java.awt.image.BufferedImage png = new java.awt.image.BufferedImage(28, 28, java.awt.image.BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 6; y < 22; y++) {
            png.getRaster().setSample(14, y, 0, 255);
        }
        Path one = dir.resolve("one.png");
        javax.imageio.ImageIO.write(png, "png", one.toFile());
        CliRun cams = CliRun.of("inspect", t.toString(), "--cam", one.toString(), "--cam-test", "2", "--dataset", "mnist",
                "--data", data.toString(), "--plots", dir.resolve("cam").toString());
        assertEquals(0, cams.exit, cams.toString());
        assertTrue(Files.exists(dir.resolve("cam/cam-one-layer1.png")), cams.out);
        assertTrue(Files.exists(dir.resolve("cam/cam-test1-label2-layer1.png")), cams.out);
        CliRun noDir = CliRun.of("inspect", t.toString(), "--cam", one.toString());
        assertFalse(noDir.exit == 0, noDir.toString());
        assertTrue(noDir.err.contains("--plots DIR"), noDir.err);
        for (String[] opt : new String[][] {{"--label-intensity", "0.3"}, {"--ff-loss", "pairwise"}}) {
            CliRun bad = CliRun.of("train", "--arch", "bpcnn", "--preset", "quickstart", "--dataset", "mnist", "--data",
                    data.toString(), opt[0], opt[1], "--out", dir.resolve("u.onnx").toString());
            assertFalse(bad.exit == 0, bad.toString());
            assertEquals(1, bad.err.strip().split("\n").length, "one line: " + bad.err);
            assertFalse(Files.exists(dir.resolve("u.onnx")));
        }
        Path mo = dir.resolve("morph.onnx");
        CliRun morph = CliRun.of("train", "--arch", "ffcnn", "--preset", "quickstart", "--dataset", "mnist", "--data",
                data.toString(), "--limit-train", "200", "--epochs", "1", "--hidden", "2,2", "--kernels", "3,3", "--strides", "1,2",
                "--label-pattern", "morphology", "--out", mo.toString());
        assertEquals(0, morph.exit, morph.toString());
        Model mm = org.fftk.edge.onnx.OnnxModelReader.read(mo);
        assertTrue(java.util.Arrays.equals(org.fftk.trainer.cnn.MorphologyLabels.maps(10, 1, 28, 28), mm.labelMaps()),
                "the file holds fftk's rotations");
        Path mf = dir.resolve("morph-ft.onnx");
        CliRun mtune = CliRun.of("finetune", mo.toString(), "--dataset", "mnist", "--data", data.toString(), "--limit-train", "100",
                "--epochs", "1", "--out", mf.toString());
        assertEquals(0, mtune.exit, mtune.toString());
        assertTrue(java.util.Arrays.equals(mm.labelMaps(), org.fftk.edge.onnx.OnnxModelReader.read(mf).labelMaps()),
                "fine-tuning keeps the morphological labels");
        CliRun badPattern = CliRun.of("train", "--arch", "ffcnn", "--preset", "quickstart", "--dataset", "mnist", "--data",
                data.toString(), "--label-pattern", "stripes", "--out", dir.resolve("u.onnx").toString());
        assertTrue(badPattern.err.contains("expected fourier or morphology"), badPattern.err);
        Path pw = dir.resolve("pw.onnx");
        CliRun pair = CliRun.of("train", "--arch", "ffcnn", "--preset", "quickstart", "--dataset", "mnist", "--data",
                data.toString(), "--limit-train", "200", "--epochs", "1", "--hidden", "2,2", "--kernels", "3,3", "--strides", "1,2",
                "--ff-loss", "pairwise", "--pair-scale", "5", "--goodness", "mean", "--out", pw.toString());
        assertEquals(0, pair.exit, pair.toString());
        String prov = org.fftk.edge.onnx.OnnxModelReader.read(pw).provenance();
        com.fasterxml.jackson.databind.JsonNode pj = Json.parseOrNull(prov);
        assertEquals("pairwise", pj.path("loss").asText(), prov);
        assertEquals(5.0, pj.path("pairScale").asDouble(), prov);
        assertEquals(org.fftk.trainer.TrainConfig.defaults(Architecture.FFCNN).pairScale(), 0f, "threshold loss by default");
        assertEquals(5f, Finetuning.config(org.fftk.edge.onnx.OnnxModelReader.read(pw)).pairScale(),
                "fine-tuning continues with the file's pairwise loss");
    }

    /**
     * ffcnn-c through the CLI: training runs the FF phase then the classifier (--ff-epochs), finetune
     * --add-classifier turns an ffcnn file into an ffcnn-c with the same layers and labels, and eval
     * --route gives both prediction routes on both engines with equal accuracy; pruning keeps the
     * classifier's blocks of the kept filters; class activation maps come from every layer it reads.
     */
    @Test
    void ffcnnClassifierRouteTrainsAddsEvaluatesAndPrunes(@TempDir Path dir) throws Exception {
        Path data = CliRun.dataRoot();
        Assumptions.assumeTrue(data != null, "MNIST not found: set FFTK_DATA; ffcnn-c CLI checks skipped");
        Path t = dir.resolve("c.onnx");
        CliRun train = CliRun.of("train", "--arch", "ffcnn-c", "--preset", "quickstart", "--dataset", "mnist", "--data",
                data.toString(), "--limit-train", "300", "--epochs", "3", "--ff-epochs", "1", "--hidden", "3,2", "--kernels", "3,3",
                "--strides", "1,2", "--history", dir.resolve("h.json").toString(), "--out", t.toString());
        assertEquals(0, train.exit, train.toString());
        com.fasterxml.jackson.databind.JsonNode hist = Json.MAPPER.readTree(dir.resolve("h.json").toFile()).path("epochs");
        assertEquals("ff", hist.get(0).path("phase").asText(), hist.toString());
        assertEquals("classifier", hist.get(2).path("phase").asText(), hist.toString());
        Model tm = org.fftk.edge.onnx.OnnxModelReader.read(t);
        assertEquals(Architecture.FFCNN_C, tm.architecture());
        assertEquals(2 * 14 * 14, tm.classifier().in(), "the classifier reads layer 1 only");
        Path ff = dir.resolve("ff.onnx");
        OnnxExporter.write(tm.goodnessModel(), ff);
        Path added = dir.resolve("added.onnx");
        CliRun add = CliRun.of("finetune", ff.toString(), "--add-classifier", "--dataset", "mnist", "--data", data.toString(),
                "--limit-train", "200", "--epochs", "1", "--out", added.toString());
        assertEquals(0, add.exit, add.toString());
        Model am = org.fftk.edge.onnx.OnnxModelReader.read(added);
        assertEquals(Architecture.FFCNN_C, am.architecture());
        assertEquals(tm.layers(), am.layers(), "the FF layers stay frozen");
        assertTrue(java.util.Arrays.equals(tm.labelPatterns(), am.labelPatterns()));
        for (String route : new String[] {"classifier", "goodness"}) {
            String[] acc = new String[2];
            String[] engines = {"edge", "onnxruntime"};
            for (int e = 0; e < 2; e++) {
                CliRun ev = CliRun.of("eval", added.toString(), "--route", route, "--engine", engines[e], "--dataset", "mnist",
                        "--data", data.toString(), "--limit", "60", "--json");
                assertEquals(0, ev.exit, ev.toString());
                acc[e] = Json.parseOrNull(ev.out).path("correct").asText();
            }
            assertEquals(acc[0], acc[1], route + ": both engines count the same correct predictions");
        }
        String[] soft = new String[2];
        String[] engines = {"edge", "onnxruntime"};
        for (int e = 0; e < 2; e++) {
            CliRun ev = CliRun.of("eval", added.toString(), "--route", "goodness", "--score-rule", "softmax", "--engine",
                    engines[e], "--dataset", "mnist", "--data", data.toString(), "--limit", "60", "--json");
            assertEquals(0, ev.exit, ev.toString());
            soft[e] = Json.parseOrNull(ev.out).path("correct").asText();
        }
        assertEquals(soft[0], soft[1], "paper 000's softmax rule: both engines count the same correct predictions");
        Path st = dir.resolve("soft.onnx");
        CliRun softTrain = CliRun.of("train", "--arch", "ffcnn", "--preset", "quickstart", "--dataset", "mnist", "--data",
                data.toString(), "--limit-train", "100", "--epochs", "1", "--hidden", "2,2", "--kernels", "3,3", "--strides", "1,2",
                "--score-rule", "softmax", "--out", st.toString());
        assertEquals(0, softTrain.exit, softTrain.toString());
        assertEquals(Model.SCORE_SOFTMAX, org.fftk.edge.onnx.OnnxModelReader.read(st).scoreRule());
        CliRun denseRule = CliRun.of("eval", added.toString(), "--score-rule", "softmax", "--dataset", "mnist",
                "--data", data.toString(), "--limit", "5");
        assertFalse(denseRule.exit == 0, denseRule.toString());
        assertEquals(1, denseRule.err.strip().split("\n").length, "one line: " + denseRule.err);
        CliRun ffc = CliRun.of("eval", ff.toString(), "--route", "goodness", "--dataset", "mnist", "--data", data.toString(),
                "--limit", "5");
        assertFalse(ffc.exit == 0, ffc.toString());
        assertEquals(1, ffc.err.strip().split("\n").length, "one line: " + ffc.err);
        CliRun again = CliRun.of("finetune", added.toString(), "--add-classifier", "--dataset", "mnist", "--data",
                data.toString(), "--limit-train", "100", "--epochs", "1", "--out", dir.resolve("again.onnx").toString());
        assertEquals(0, again.exit, again.toString());
        Model agm = org.fftk.edge.onnx.OnnxModelReader.read(dir.resolve("again.onnx"));
        assertEquals(am.layers(), agm.layers(), "a fresh classifier on the same frozen layers");
        assertFalse(am.classifier().equals(agm.classifier()));
        Path bp = dir.resolve("bp.onnx");
        OnnxExporter.write(Model.builder(Architecture.BPNN).inputSize(784).addLayer(new DenseLayer(2, 784, new float[2 * 784],
                new float[2])).classifier(new DenseLayer(10, 2, new float[20], new float[10])).build(), bp);
        CliRun badAdd = CliRun.of("finetune", bp.toString(), "--add-classifier", "--dataset", "mnist", "--data", data.toString(),
                "--epochs", "1", "--out", dir.resolve("u.onnx").toString());
        assertFalse(badAdd.exit == 0, badAdd.toString());
        assertTrue(badAdd.err.contains("--add-classifier is for ffnn, ffcnn, ffnn-c and ffcnn-c models"), badAdd.err);
        assertFalse(Files.exists(dir.resolve("u.onnx")));
        CliRun prune = CliRun.of("prune", added.toString(), "--method", "goodness", "--keep", "2,1", "--dataset", "mnist",
                "--data", data.toString(), "--out", dir.resolve("p.onnx").toString());
        assertEquals(0, prune.exit, prune.toString());
        assertEquals(1 * 14 * 14, org.fftk.edge.onnx.OnnxModelReader.read(dir.resolve("p.onnx")).classifier().in());
        CliRun cams = CliRun.of("inspect", added.toString(), "--cam-test", "1", "--dataset", "mnist", "--data", data.toString(),
                "--plots", dir.resolve("cam").toString());
        assertEquals(0, cams.exit, cams.toString());
        assertTrue(Files.exists(dir.resolve("cam/cam-test0-label7-layer1.png")), cams.out);
    }
}
