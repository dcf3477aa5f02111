package org.fftk.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code fftk plot}: charts from real training histories, and one-line errors for files that are not histories. */
class PlotTest {
    @TempDir
    Path tmp;

    @Test
    void drawsEveryChartFromRealHistories() throws Exception {
        Path data = CliRun.dataRoot();
        org.junit.jupiter.api.Assumptions.assumeTrue(data != null, "SKIPPED: MNIST not found (set FFTK_DATA)");
        Path ff = tmp.resolve("ff.history.json");
        Path bp = tmp.resolve("bp.history.json");
        for (String[] a : new String[][] {{"ffnn", ff.toString()}, {"bpnn", bp.toString()}}) {
            CliRun t = CliRun.of("train", "--arch", a[0], "--preset", "quickstart", "--hidden", "16,8", "--epochs", "3",
                    "--limit-train", "600", "--data", data.toString(), "--out", tmp.resolve(a[0] + ".onnx").toString(),
                    "--history", a[1], "--json");
            assertEquals(0, t.exit, t.toString());
        }
        Path out = tmp.resolve("plots");
        CliRun p = CliRun.of("plot", ff.toString(), bp.toString(), "--out", out.toString());
        assertEquals(0, p.exit, p.toString());
        for (String name : new String[] {"validation-accuracy", "loss", "layer-accuracy", "label-accuracy", "layer-loss",
                "sparsity-hoyer", "sparsity-gini", "sparsity-l1-neg-entropy", "sparsity-l2-neg-entropy"}) {
            BufferedImage img = ImageIO.read(out.resolve(name + ".png").toFile());
            assertTrue(img != null && img.getWidth() >= 1000, name);
            String svg = Files.readString(out.resolve(name + ".svg"));
            assertTrue(svg.contains("<svg"), name);
        }
        // bpnn has no per-layer FF accuracy: from its history alone, only the charts it has values for
        Path bpOnly = tmp.resolve("bp-plots");
        CliRun b = CliRun.of("plot", bp.toString(), "--out", bpOnly.toString());
        assertEquals(0, b.exit, b.toString());
        assertTrue(Files.exists(bpOnly.resolve("validation-accuracy.png")) && Files.exists(bpOnly.resolve("sparsity-gini.png")));
        assertFalse(Files.exists(bpOnly.resolve("layer-accuracy.png")));
        assertFalse(Files.exists(bpOnly.resolve("label-accuracy.png")));
    }

    @Test
    void refusesWhatIsNotAHistory() throws Exception {
        Path json = Files.writeString(tmp.resolve("x.json"), "{\"a\": 1}");
        CliRun r = CliRun.of("plot", json.toString(), "--out", tmp.resolve("p").toString());
        assertEquals(1, r.exit, r.toString());
        assertEquals(1, r.err.strip().lines().count(), r.err);
        assertTrue(r.err.contains("not a training history"), r.err);
        Path text = Files.writeString(tmp.resolve("y.json"), "epochs: [");
        r = CliRun.of("plot", text.toString(), "--out", tmp.resolve("p").toString());
        assertEquals(1, r.exit, r.toString());
        assertTrue(r.err.contains("is not JSON"), r.err);
        r = CliRun.of("plot", "/dev/null", "--out", tmp.resolve("p").toString());
        assertEquals(1, r.exit, r.toString());
        assertTrue(r.err.contains("not a regular file"), r.err);
    }
}
