package org.fftk.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.fftk.edge.infer.Inference;
import org.fftk.edge.model.Architecture;
import org.fftk.edge.model.Model;
import org.fftk.edge.model.Objective;
import org.fftk.exporter.OnnxExporter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code fftk bundle}: one jar that runs with {@code java -jar} and predicts what the model predicts. */
class BundleTest {
    @TempDir
    Path tmp;

    @Test
    void theBundleRunsOnItsOwn() throws Exception {
        try {
            BundleCommand.runtimeJar();
        } catch (java.io.IOException e) {
            assumeTrue(false, "SKIPPED: the edge runtime is not packaged as a jar in this build (" + e.getMessage() + ")");
        }
        Model m = CliTest.randomModel(Architecture.FFNN, Objective.MINIMIZE, 12, 24, 16);
        Path f = tmp.resolve("m.onnx");
        OnnxExporter.write(m, f);
        Path jar = tmp.resolve("digits.jar");
        CliRun b = CliRun.of("bundle", f.toString(), "--out", jar.toString());
        assertEquals(0, b.exit, b.toString());
        assertTrue(Files.size(jar) < Files.size(f) + 100_000, "runtime + model: " + Files.size(jar)); // the issue asks under 100 KB plus the model
        // 6 images of 28x28 as an IDX file
        int n = 6;
        Random r = new Random(3);
        ByteBuffer idx = ByteBuffer.allocate(16 + n * 784).putInt(0x00000803).putInt(n).putInt(28).putInt(28);
        float[] px = new float[n * 784];
        for (int i = 0; i < n * 784; i++) {
            int v = r.nextInt(4) == 0 ? r.nextInt(256) : 0;
            idx.put((byte) v);
            px[i] = v / 255f;
        }
        Path images = Files.write(tmp.resolve("images-idx3-ubyte"), idx.array());
        Process p = new ProcessBuilder(List.of(ProcessHandle.current().info().command().orElse("java"), "-jar",
                jar.toString(), "predict", "--images", images.toString())).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        int[] got = out.strip().lines().mapToInt(Integer::parseInt).toArray();
        assertArrayEquals(Inference.predict(m, px, 0, n, 1), got);
        // the runtime's version travels with its classes
        Process v = new ProcessBuilder(List.of(ProcessHandle.current().info().command().orElse("java"), "-jar",
                jar.toString(), "--version")).redirectErrorStream(true).start();
        String version = new String(v.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).strip();
        assertTrue(v.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, v.exitValue(), version);
        assertTrue(version.startsWith("fftk-edge ") && !version.endsWith(" dev"), version);
    }
}
