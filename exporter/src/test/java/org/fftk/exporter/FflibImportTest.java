package org.fftk.exporter;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.fftk.edge.data.DatasetName;
import org.fftk.edge.infer.Inference;
import org.fftk.edge.model.Architecture;
import org.fftk.edge.model.Model;
import org.fftk.edge.model.Objective;
import org.fftk.exporter.fflib.FflibImporter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code fftk import fflib} against FFLib itself: the checkpoints in src/test/resources/fflib were
 * trained and saved by FFLib under PyTorch ({@code benchmarks/scripts/fflib-fixtures.sh}), which
 * also stored what FFLib computes on the first 300 MNIST test images (scores and labels). The
 * imported model must give those scores to 1e-4 and those labels, on the edge runtime and on ONNX
 * Runtime.
 */
class FflibImportTest {
    private static final Path DIR = Paths.get("src/test/resources/fflib");

    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(strings = {"ffnet", "ffc", "ffrnn", "bp"})
    void reproducesFflibsScoresAndLabels(String name) throws Exception {
        FflibImporter.Result r = FflibImporter.read(DIR.resolve(name + ".pt"), DatasetName.MNIST);
        Model m = r.model();
        assertEquals(784, m.inputSize());
        assertArrayEquals(new int[] {8, 8}, m.widths());
        assertEquals("mnist", m.dataset());
        String meta = Files.readString(DIR.resolve(name + ".json"));
        int n = intField(meta, "images");
        float[] images = MnistImages.testImages(n);
        assumeTrue(images != null, "SKIPPED: MNIST is not on this machine (set FFTK_DATA): FFLib parity not checked");
        float[] expected = floats(DIR.resolve(name + ".scores.bin"), n * 10);

        float[] edge = new float[n * 10];
        Inference.predictor(m).scores(images, 0, n, edge);
        float[][] ort;
        int[] ortLabels;
        try (OrtRunner runner = new OrtRunner(OnnxExporter.toBytes(m))) {
            OrtRunner.Result o = runner.run(images, n, 784);
            ort = o.scores;
            ortLabels = Arrays.stream(o.labels).mapToInt(Math::toIntExact).toArray();
        }
        double worst = 0;
        for (int i = 0; i < n * 10; i++) {
            double tol = 1e-4 * Math.max(1, Math.abs(expected[i]));
            worst = Math.max(worst, Math.abs(edge[i] - expected[i]));
            assertEquals(expected[i], edge[i], tol, name + " edge score " + i);
            assertEquals(expected[i], ort[i / 10][i % 10], tol, name + " ORT score " + i);
        }
        int[] fflib = intArray(meta, "fflib_labels");
        int[] labels = Inference.predict(m, images, 0, n, 1);
        assertArrayEquals(labels, ortLabels, name + ": ORT labels");
        int differ = 0;
        switch (name) {
            case "ffc":
                // FFLib's argmax runs on ReLU(logits): on a row of logits all <= 0 it answers 0
                for (int s = 0; s < n; s++) {
                    boolean allNonPositive = true;
                    for (int c = 0; c < 10; c++) {
                        allNonPositive &= expected[s * 10 + c] <= 0;
                    }
                    if (allNonPositive) {
                        assertEquals(0, fflib[s]);
                        differ++;
                    } else {
                        assertEquals(fflib[s], labels[s], "ffc image " + s);
                    }
                }
                assertEquals(intField(meta, "rows_all_logits_nonpositive"), differ);
                break;
            case "ffrnn": {
                // the stored scores are FFLib's forward from the deterministic start: same argmax
                for (int s = 0; s < n; s++) {
                    assertEquals(argmax(expected, s), labels[s], "ffrnn image " + s);
                }
                // FFLib's own random starts: the import agrees with them about as often as they agree with each other
                double agree = 0;
                int[][] own = intArrays(meta, "fflib_labels_seeds");
                for (int[] o : own) {
                    int same = 0;
                    for (int s = 0; s < n; s++) {
                        same += o[s] == labels[s] ? 1 : 0;
                    }
                    agree += (double) same / n / own.length;
                }
                System.out.printf("[FflibImportTest] ffrnn: labels agree with FFLib's own random-start runs on %.1f%% "
                        + "(measured when made: 81-94%%; FFLib's runs agree with each other on 76-90%%)%n", 100 * agree);
                assertTrue(agree > 0.8, "agreement " + agree);
                assertEquals(Objective.MAXIMIZE, m.objective());
                assertEquals(5, m.testFrameLow());
                assertEquals(8, m.testFrameHigh());
                assertEquals(0.5f, m.startState());
                break;
            }
            default:
                assertArrayEquals(fflib, labels, name + ": labels");
        }
        System.out.printf("[FflibImportTest] %s (%s): %d images, largest score difference %.2e, %d labels differ from "
                + "FFLib's%n", name, r.kind(), n, worst, differ);
        Architecture expect = Arrays.asList(Architecture.FFNN, Architecture.FFNN_C, Architecture.FFRNN, Architecture.BPNN)
                .get(Arrays.asList("ffnet", "ffc", "ffrnn", "bp").indexOf(name));
        assertEquals(expect, m.architecture());
    }

    @Test
    void recordsWhereTheModelCameFrom() throws Exception {
        Model m = FflibImporter.read(DIR.resolve("ffnet.pt"), null).model();
        assertEquals(Objective.MINIMIZE, m.objective());
        assertEquals(2f, m.theta());
        assertEquals("", m.dataset());
        assertTrue(m.provenance().contains("\"importedFrom\":\"fflib\""), m.provenance());
        assertTrue(m.provenance().contains("\"fflibClass\":\"fflib.nn.ff_net.FFNet\""), m.provenance());
        assertTrue(m.provenance().contains("\"current_epoch\":5"), m.provenance());
    }

    @Test
    void refusesWhatItCannotImportWithOneLine() throws Exception {
        assertRefused(DIR.resolve("state_dict.pt"), "a state_dict only");
        // truncated: the first half of a real checkpoint
        byte[] full = Files.readAllBytes(DIR.resolve("ffc.pt"));
        assertRefused(Files.write(tmp.resolve("half.pt"), Arrays.copyOf(full, full.length / 2)), "not a readable PyTorch checkpoint");
        // not a zip at all
        assertRefused(Files.write(tmp.resolve("text.pt"), "hello".getBytes(StandardCharsets.US_ASCII)), "not a readable PyTorch checkpoint");
        // a zip without data.pkl
        assertRefused(zip("nothing.pt", "model/other.txt", new byte[] {1}), "not a PyTorch checkpoint");
        // a pickle that would run os.system('ls') in Python: refused by name, nothing run
        assertRefused(zip("evil.pt", "evil/data.pkl", pickle("\u0080\u0002cos\nsystem\nX\u0002\u0000\u0000\u0000ls\u0085R.")),
                "refused global os.system");
        // builtins.eval by STACK_GLOBAL (protocol 4)
        assertRefused(zip("eval.pt", "eval/data.pkl", pickle("\u0080\u0004\u008c\u0008builtins\u0094\u008c\u0004eval\u0094\u0093.")),
                "refused global builtins.eval");
        // an unknown network class
        assertRefused(zip("conv.pt", "conv/data.pkl", pickle("\u0080\u0002}X\u0003\u0000\u0000\u0000net"
                + "ctorch.nn.modules.conv\nConv2d\n)\u0081}b" + "s.")), "unknown network class torch.nn.modules.conv.Conv2d");
        // a length prefix far beyond the file: refused before anything is allocated
        assertRefused(zip("long.pt", "long/data.pkl", pickle("\u0080\u0002B\u00ff\u00ff\u00ff\u007f.")), "truncated or damaged");
        // a device or pipe where a file is expected
        assertRefused(Paths.get("/dev/null"), "not a regular file");
        // a wrong dataset for the network
        IOException e = assertThrows(IOException.class, () -> FflibImporter.read(DIR.resolve("bp.pt"), DatasetName.CIFAR10));
        assertTrue(e.getMessage().contains("cifar10 has 3072"), e.getMessage());
    }

    private static void assertRefused(Path file, String why) {
        IOException e = assertThrows(IOException.class, () -> FflibImporter.read(file, null));
        assertTrue(e.getMessage().contains(why), e.getMessage());
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }

    private Path zip(String name, String entry, byte[] data) throws IOException {
        Path p = tmp.resolve(name);
        try (OutputStream o = Files.newOutputStream(p); ZipOutputStream z = new ZipOutputStream(o)) {
            z.putNextEntry(new ZipEntry(entry));
            z.write(data);
            z.closeEntry();
        }
        return p;
    }

    /** Pickle bytes from a string of chars 0..255. */
    private static byte[] pickle(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static int argmax(float[] s, int row) {
        int best = 0;
        for (int c = 1; c < 10; c++) {
            if (s[row * 10 + c] > s[row * 10 + best]) {
                best = c;
            }
        }
        return best;
    }

    private static float[] floats(Path p, int n) throws IOException {
        byte[] b = Files.readAllBytes(p);
        assertEquals(4L * n, b.length, p.toString());
        float[] f = new float[n];
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(f);
        return f;
    }

    private static int intField(String json, String key) {
        Matcher m = Pattern.compile("\"" + key + "\":\\s*(\\d+)").matcher(json);
        assertTrue(m.find(), key);
        return Integer.parseInt(m.group(1));
    }

    private static int[] intArray(String json, String key) {
        Matcher m = Pattern.compile("\"" + key + "\":\\s*\\[([^\\[\\]]*)\\]").matcher(json);
        assertTrue(m.find(), key);
        return parse(m.group(1));
    }

    private static int[][] intArrays(String json, String key) {
        Matcher m = Pattern.compile("\"" + key + "\":\\s*\\[(\\s*\\[[^\\]]*\\]\\s*,?)+\\s*\\]").matcher(json);
        assertTrue(m.find(), key);
        Matcher row = Pattern.compile("\\[([^\\[\\]]*)\\]").matcher(m.group().substring(m.group().indexOf('[') + 1));
        java.util.List<int[]> rows = new java.util.ArrayList<>();
        while (row.find()) {
            rows.add(parse(row.group(1)));
        }
        return rows.toArray(new int[0][]);
    }

    private static int[] parse(String list) {
        return Arrays.stream(list.split(",")).map(String::trim).filter(s -> !s.isEmpty()).mapToInt(Integer::parseInt).toArray();
    }
}
