package org.fftk.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code fftk train --checkpoint FILE --resume}: a real training process killed with SIGKILL in the
 * middle of a run, then resumed, ends with the same model file, byte for byte, and the same history
 * (timing fields aside) as a run that was never interrupted.
 */
class CheckpointTest {
    @TempDir
    Path tmp;

    @Test
    void aRunKilledMidwayAndResumedEqualsAnUninterruptedOne() throws Exception {
        Path data = CliRun.dataRoot();
        assumeTrue(data != null, "SKIPPED: MNIST not found (set FFTK_DATA or put shared/datasets beside the repo)");
        // ffnn-c has two phases: killed inside the second (classifier) phase; ffrnn: its frames and Adam steps per batch
        check(data, "ffnn-c", 24, 16);
        check(data, "ffrnn", 6, 2);
    }

    @Test
    void aDamagedOrForeignCheckpointIsRefusedWithOneLine() throws Exception {
        Path data = CliRun.dataRoot();
        assumeTrue(data != null, "SKIPPED: MNIST not found (set FFTK_DATA or put shared/datasets beside the repo)");
        Path ckpt = tmp.resolve("run.ckpt");
        String[] a = {"train", "--preset", "quickstart", "--hidden", "8", "--epochs", "2", "--limit-train", "500", "--data",
                data.toString(), "--dataset", "mnist", "--out", tmp.resolve("m.onnx").toString(), "--checkpoint", ckpt.toString()};
        assertEquals(0, CliRun.of(a).exit);
        // another seed is another run
        List<String> other = new ArrayList<>(List.of(a));
        other.addAll(List.of("--seed", "7", "--resume"));
        CliRun r = CliRun.of(other.toArray(new String[0]));
        assertEquals(1, r.exit, r.toString());
        assertEquals(1, r.err.strip().lines().count(), r.err);
        assertTrue(r.err.contains("belongs to another run"), r.err);
        // truncated
        byte[] b = Files.readAllBytes(ckpt);
        Files.write(ckpt, java.util.Arrays.copyOf(b, b.length / 2));
        List<String> again = new ArrayList<>(List.of(a));
        again.add("--resume");
        r = CliRun.of(again.toArray(new String[0]));
        assertEquals(1, r.exit, r.toString());
        assertEquals(1, r.err.strip().lines().count(), r.err);
        assertTrue(r.err.contains("truncated checkpoint") || r.err.contains("damaged checkpoint"), r.err);
        // --resume alone
        r = CliRun.of("train", "--resume", "--out", tmp.resolve("x.onnx").toString());
        assertTrue(r.exit != 0, r.toString());
        assertTrue(r.err.contains("--resume needs --checkpoint"), r.err);
    }

    private void check(Path data, String arch, int epochs, int killAfter) throws Exception {
        List<String> args = List.of("train", "--arch", arch, "--preset", "quickstart", "--hidden", "24,12", "--epochs",
                String.valueOf(epochs), "--limit-train", "2000", "--data", data.toString(), "--dataset", "mnist", "--json");
        Path full = tmp.resolve(arch + "-full.onnx");
        Path fullHistory = tmp.resolve(arch + "-full.json");
        assertEquals(0, run(args, "--out", full.toString(), "--history", fullHistory.toString()).waitFor());

        Path out = tmp.resolve(arch + ".onnx");
        Path history = tmp.resolve(arch + ".json");
        Path ckpt = tmp.resolve(arch + ".ckpt");
        String[] extra = {"--out", out.toString(), "--history", history.toString(), "--checkpoint", ckpt.toString()};
        Process p = run(args, extra);
        int seen = 0;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (p.isAlive() && seen < killAfter && System.nanoTime() < deadline) {
            Thread.sleep(2);
            seen = epochsIn(history);
        }
        assertTrue(p.isAlive(), arch + ": the run ended before it could be killed (after " + seen + " epochs)");
        p.destroyForcibly(); // SIGKILL
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        int killedAt = epochsIn(history);
        assertTrue(killedAt < epochs, arch + ": killed after " + killedAt + " of " + epochs + " epochs");
        assertTrue(Files.exists(ckpt) && !Files.exists(out), arch + ": a checkpoint and no model yet");

        List<String> resume = new ArrayList<>(List.of(extra));
        resume.add("--resume");
        assertEquals(0, run(args, resume.toArray(new String[0])).waitFor());
        assertArrayEquals(Files.readAllBytes(full), Files.readAllBytes(out), arch + ": model bytes (killed after "
                + killedAt + " epochs)");
        assertEquals(withoutTiming(fullHistory), withoutTiming(history), arch + ": history");
        System.out.printf("[CheckpointTest] %s killed after epoch %d of %d, resumed: identical model and history%n", arch,
                killedAt, epochs);
    }

    private static Process run(List<String> args, String... more) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"), "-cp",
                System.getProperty("java.class.path"), FftkMain.class.getName()));
        cmd.addAll(args);
        cmd.addAll(List.of(more));
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    }

    /** Epochs recorded so far (0 while the file is absent or being replaced). */
    private static int epochsIn(Path history) {
        try {
            return Json.MAPPER.readTree(Files.readAllBytes(history)).path("epochs").size();
        } catch (Exception e) {
            return 0;
        }
    }

    private static JsonNode withoutTiming(Path history) throws Exception {
        JsonNode h = Json.MAPPER.readTree(Files.readAllBytes(history));
        for (JsonNode e : h.get("epochs")) {
            ((ObjectNode) e).remove(List.of("seconds", "samplesPerSecond", "outsideRunShare", "evalSeconds"));
        }
        return h;
    }
}
