package org.fftk.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.fftk.edge.model.Architecture;
import org.fftk.edge.model.Model;
import org.fftk.edge.model.Objective;
import org.fftk.exporter.OnnxExporter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** What a user gets for a mistake: one line on stderr naming the problem, a non-zero exit, no damage. */
class BadInputTest {
    @TempDir
    Path tmp;

    /** The one line of stderr; fails when there are more (a second line, a stack trace). */
    private static String oneLine(CliRun r) {
        String[] lines = r.err.strip().split("\n");
        assertEquals(1, lines.length, "one line expected: " + r.err);
        assertFalse(r.err.contains("\tat "), "no stack trace: " + r.err);
        return lines[0];
    }

    /** A named pipe at {@code p}; the test is skipped where mkfifo is missing. */
    private static Path fifo(Path p) throws Exception {
        Process mk;
        try {
            mk = new ProcessBuilder("mkfifo", p.toString()).start();
        } catch (java.io.IOException e) {
            assumeTrue(false, "no mkfifo here: test skipped");
            return p;
        }
        assumeTrue(mk.waitFor() == 0, "mkfifo failed: test skipped");
        return p;
    }

    @Test
    void everyCommandsHelpRendersWithoutPicocliWarnings() {
        PrintStream saved = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        List<String> names = new ArrayList<>();
        try {
            System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
            CommandLine root = FftkMain.commandLine();
            List<CommandLine> all = new ArrayList<>(root.getSubcommands().values());
            all.add(root);
            for (CommandLine c : all) {
                names.add(c.getCommandName());
                StringWriter w = new StringWriter();
                c.usage(new PrintWriter(w));
                assertTrue(w.toString().contains("Usage:"), w.toString());
                assertFalse(w.toString().contains("%n"), c.getCommandName() + " help shows a raw %n: " + w);
            }
        } finally {
            System.setErr(saved);
        }
        assertTrue(names.containsAll(List.of("train", "eval", "sweep", "prune", "inspect", "info", "predict", "data")), names.toString());
        String err = captured.toString(StandardCharsets.UTF_8);
        assertEquals("", err, "rendering help must not warn");
    }

    @Test
    void aCommandLineThatDoesNotParseIsOneLineWithTheHelpHint() {
        CliRun r = CliRun.of("info");
        assertEquals(2, r.exit, r.toString());
        String line = oneLine(r);
        assertTrue(line.startsWith("fftk info: Missing required parameter"), line);
        assertTrue(line.endsWith("(see 'fftk info --help')"), line);
        CliRun n = CliRun.of("inspect", "m.onnx", "--sample", "-5");
        assertEquals(2, n.exit, n.toString());
        String l = oneLine(n);
        assertTrue(l.contains("--sample") && l.contains("'-5' must be at least 1"), l);
    }

    @Test
    void aFolderOrADeviceWhereAModelIsExpectedIsNamedInTheError() throws Exception {
        CliRun dir = CliRun.of("info", tmp.toString());
        assertEquals(1, dir.exit, dir.toString());
        assertEquals("fftk info: error: " + tmp + " is a directory, not a file", oneLine(dir));
        assumeTrue(Files.exists(Path.of("/dev/zero")), "no /dev/zero here");
        CliRun zero = CliRun.of("info", "/dev/zero");
        assertEquals(1, zero.exit, zero.toString());
        assertTrue(oneLine(zero).contains("/dev/zero is not a regular file"), zero.err);
    }

    @Test
    void keepingMoreNeuronsThanALayerHasIsAnErrorAndWritesNothing() throws Exception {
        Model m = CliTest.randomModel(Architecture.FFNN, Objective.MAXIMIZE, 4, 20, 12);
        Path f = tmp.resolve("m.onnx");
        OnnxExporter.write(m, f);
        Path out = tmp.resolve("p.onnx");
        CliRun r = CliRun.of("prune", f.toString(), "--keep", "16", "--out", out.toString());
        assertEquals(1, r.exit, r.toString());
        assertTrue(oneLine(r).contains("cannot keep 16 neurons of hidden layer 1, which has 12"), r.err);
        assertFalse(Files.exists(out));
        CliRun ok = CliRun.of("prune", f.toString(), "--keep", "12", "--out", out.toString(), "--json");
        assertEquals(0, ok.exit, ok.toString());
        // prune reads the file once: "before" is the file on disk, "after" the bytes it wrote
        var rep = Json.MAPPER.readTree(ok.out);
        assertEquals(Files.size(f), rep.get("before").get("fileBytes").asLong());
        assertEquals(Files.size(out), rep.get("after").get("fileBytes").asLong());
        assertEquals(org.fftk.edge.io.Sha256.hex(Files.readAllBytes(out)), rep.get("after").get("sha256").asText());
        assertEquals(org.fftk.edge.io.Sha256.hex(Files.readAllBytes(f)), Json.MAPPER.readTree(
                org.fftk.edge.onnx.OnnxModelReader.read(out).provenance()).get("pruning").get(0).get("source_sha256").asText());
    }

    @Test
    void aHistoryPathThatCannotBeWrittenFailsBeforeTraining() throws Exception {
        Path out = tmp.resolve("m.onnx");
        Path data = tmp.resolve("nodata"); // never reached: the check comes first
        CliRun r = CliRun.of("train", "--history", tmp.toString(), "--out", out.toString(), "--data", data.toString());
        assertEquals(1, r.exit, r.toString());
        assertEquals("fftk train: error: " + tmp + " is a directory, not a file", oneLine(r));
        CliRun same = CliRun.of("train", "--history", out.toString(), "--out", out.toString(), "--data", data.toString());
        assertEquals(1, same.exit, same.toString());
        assertTrue(oneLine(same).contains("different files"), same.err);
    }

    @Test
    void trainHelpAndCodeAgreeOnTheDepth() {
        StringWriter w = new StringWriter();
        FftkMain.commandLine().getSubcommands().get("train").usage(new PrintWriter(w));
        assertTrue(w.toString().contains("any depth from 1"), w.toString());
        CliRun deep = CliRun.of("train", "--hidden", String.join(",", java.util.Collections.nCopies(65, "4")),
                "--out", tmp.resolve("m.onnx").toString());
        assertEquals(1, deep.exit, deep.toString());
        assertTrue(oneLine(deep).contains("expected 1 to 64 hidden layers, got 65"), deep.err);
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void tensorFlowsNativeStartUpLinesStayOffStderr() throws Exception {
        // a child JVM as a user starts it, without TF_CPP_MIN_LOG_LEVEL; the GPU check loads TensorFlow
        // and fails on a machine without one (with one, the missing dataset folder fails next)
        List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"), "-cp",
                System.getProperty("java.class.path"), FftkMain.class.getName(), "train", "--device", "gpu",
                "--dataset", "cifar10", "--data", tmp.resolve("empty").toString(), "--epochs", "1",
                "--out", tmp.resolve("m.onnx").toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.environment().remove("TF_CPP_MIN_LOG_LEVEL");
        pb.environment().remove("FFTK_TF_LOG");
        Process p = pb.start();
        byte[] err = p.getErrorStream().readAllBytes();
        p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(100, TimeUnit.SECONDS));
        String e = new String(err, StandardCharsets.UTF_8).strip();
        assertEquals(1, p.exitValue(), e);
        assertEquals(1, e.lines().count(), "only the error line: " + e);
        assertTrue(e.startsWith("fftk train: error: "), e);
    }

    @Test
    void filesOfACrashedRunAreCleanedAndOldOutputsSurviveAFailedOne() throws Exception {
        Model m = CliTest.randomModel(Architecture.FFNN, Objective.MAXIMIZE, 5, 8);
        Path f = tmp.resolve("m.onnx");
        OnnxExporter.write(m, f);
        byte[] before = Files.readAllBytes(f);
        // what kill -9 during an earlier write of p.onnx left behind (pid 4206649 is above Linux's pid_max)
        Path stale = Files.write(tmp.resolve(".p.onnx.4206649.8731.tmp"), new byte[] {1, 2, 3});
        CliRun ok = CliRun.of("prune", f.toString(), "--keep", "4", "--out", tmp.resolve("p.onnx").toString());
        assertEquals(0, ok.exit, ok.toString());
        assertFalse(Files.exists(stale), "the stale temp file is gone");
        assertArrayEquals(before, Files.readAllBytes(f));
    }

    @Test
    void theStderrFilterDropsOnlyAbslInfoLines() {
        String in = "WARNING: All log messages before absl::InitializeLog() is called are written to STDERR\n"
                + "I0000 00:00:1796283029.222071    5405 mlir_graph_optimization_pass.cc:401] MLIR V1 optimization pass is not enabled\n"
                + "\repoch 1/2 [==   ] 10%\repoch 1/2 [=====] 100%\n"
                + "E0000 00:00:1796283029.222071    5405 op.cc:1] a real error\n"
                + "fftk train: error: no such file: x";
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        QuietTensorFlow.copyWithoutTfInfo(new java.io.ByteArrayInputStream(in.getBytes(StandardCharsets.UTF_8)), out);
        assertEquals("\repoch 1/2 [==   ] 10%\repoch 1/2 [=====] 100%\n"
                + "E0000 00:00:1796283029.222071    5405 op.cc:1] a real error\n"
                + "fftk train: error: no such file: x", out.toString(StandardCharsets.UTF_8));
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void anOutputThatIsAPipeIsRefusedAndLeftAlone() throws Exception {
        Model m = CliTest.randomModel(Architecture.FFNN, Objective.MAXIMIZE, 6, 8);
        Path f = tmp.resolve("m.onnx");
        OnnxExporter.write(m, f);
        Path fifo = fifo(tmp.resolve("pruned.onnx"));
        CliRun r = CliRun.of("prune", f.toString(), "--keep", "4", "--out", fifo.toString());
        assertEquals(1, r.exit, r.toString());
        assertTrue(oneLine(r).contains(fifo + " is not a regular file"), r.err);
        assertTrue(Files.exists(fifo) && !Files.isRegularFile(fifo), "the pipe is still a pipe");
    }

    @Test
    void aModelKnowsItsDatasetAndWarnsOnAnother() throws Exception {
        Path data = CliRun.dataRoot();
        assumeTrue(data != null && Files.isDirectory(data.resolve("fashion-mnist")),
                "SKIPPED: MNIST and Fashion-MNIST not found (set FFTK_DATA or put shared/datasets beside the repo)");
        Path m = tmp.resolve("fashion.onnx");
        CliRun t = CliRun.of("train", "--dataset", "fashion-mnist", "--preset", "quickstart", "--hidden", "16",
                "--epochs", "1", "--limit-train", "600", "--data", data.toString(), "--out", m.toString(), "--json");
        assertEquals(0, t.exit, t.toString());
        Model read = org.fftk.edge.onnx.OnnxModelReader.read(m);
        assertEquals("fashion-mnist", read.dataset());
        assertEquals("ankle boot", read.className(9));
        CliRun p = CliRun.of("predict", m.toString(), "--data", data.toString(), "--dataset", "fashion-mnist", "--limit",
                "3", "--json");
        assertEquals(0, p.exit, p.toString());
        com.fasterxml.jackson.databind.JsonNode rows = Json.MAPPER.readTree(p.out);
        assertEquals(read.className(rows.get(0).get("label").asInt()), rows.get(0).get("class").asText());
        CliRun e = CliRun.of("eval", m.toString(), "--data", data.toString(), "--dataset", "mnist", "--limit", "50");
        assertEquals(0, e.exit, e.toString());
        assertEquals("fftk eval: warning: " + m + " was trained on fashion-mnist, these are mnist images", oneLine(e));
    }
}
