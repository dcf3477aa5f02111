package org.fftk.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code fftk analyze}: paper 004's delay and correlations on histories whose answers are known. */
class AnalyzeTest {
    @TempDir
    Path tmp;

    /** A history: per epoch the model's validation accuracy and the two layers' label accuracies. */
    private Path history(String name, double[] model, double[] l0, double[] l1) throws Exception {
        StringBuilder s = new StringBuilder("{\"config\":{},\"epochs\":[");
        for (int e = 0; e < model.length; e++) {
            s.append(e == 0 ? "" : ",").append("{\"epoch\":").append(e + 1).append(",\"trainLoss\":1,\"validationAccuracy\":")
                    .append(model[e]).append(",\"layers\":[{\"layer\":0,\"labelAccuracy\":").append(l0[e])
                    .append("},{\"layer\":1,\"labelAccuracy\":").append(l1[e]).append("}]}");
        }
        return Files.writeString(tmp.resolve(name), s.append("]}").toString());
    }

    @Test
    void delaysAndCorrelationsAreThoseOfTheData() throws Exception {
        // layer 0 equals the model's accuracy (r = ρ = 1); layer 1 rises late and falls with it (ρ = −1)
        Path a = history("a.json", new double[] {0.5, 0.75, 0.8, 0.9}, new double[] {0.5, 0.75, 0.8, 0.9},
                new double[] {0.9, 0.6, 0.55, 0.5});
        Path b = history("b.json", new double[] {0.4, 0.7, 0.85, 0.95}, new double[] {0.4, 0.7, 0.85, 0.95},
                new double[] {0.97, 0.62, 0.52, 0.42});
        CliRun r = CliRun.of("analyze", a.toString(), b.toString(), "--json", "--out", tmp.resolve("plots").toString());
        assertEquals(0, r.exit, r.toString());
        JsonNode rows = Json.MAPPER.readTree(r.out).get("layers");
        // mean curves: layer 0 0.45, 0.725, 0.825, 0.925 → first ≥ 0.7 at epoch 2; layer 1 0.935 at epoch 1
        assertEquals(2, rows.get(0).get("delay").asInt());
        assertEquals("[2,2]", rows.get(0).get("delayPerRun").toString());
        assertEquals(1, rows.get(1).get("delay").asInt());
        assertEquals(8, rows.get(0).get("pairs").asInt());
        assertEquals(1.0, rows.get(0).get("pearson").asDouble(), 1e-12);
        assertEquals(1.0, rows.get(0).get("spearman").asDouble(), 1e-12);
        assertEquals(-1.0, rows.get(1).get("spearman").asDouble(), 1e-12);
        assertTrue(rows.get(1).get("pearson").asDouble() < -0.9);
        assertTrue(Files.exists(tmp.resolve("plots/layer-delay.png")) && Files.exists(tmp.resolve("plots/layer-correlation.svg")));
    }

    @Test
    void aHistoryWithoutLayerAccuracyIsRefused() throws Exception {
        Path h = Files.writeString(tmp.resolve("bp.json"), "{\"epochs\":[{\"epoch\":1,\"validationAccuracy\":0.9,\"layers\":[{\"layer\":0}]}]}");
        CliRun r = CliRun.of("analyze", h.toString());
        assertEquals(1, r.exit, r.toString());
        assertTrue(r.err.contains("no per-layer label-accuracy"), r.err);
    }
}
