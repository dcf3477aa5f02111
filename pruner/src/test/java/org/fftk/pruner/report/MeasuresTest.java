package org.fftk.pruner.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.util.zip.GZIPOutputStream;
import org.fftk.edge.model.Architecture;
import org.fftk.edge.model.Model;
import org.fftk.edge.data.Dataset;
import org.fftk.pruner.forward.Forward;
import org.fftk.pruner.method.KeepCounts;
import org.fftk.pruner.method.PruneMethod;
import org.fftk.pruner.method.PruneResult;
import org.fftk.pruner.method.PruneSpec;
import org.fftk.pruner.method.Pruner;
import org.fftk.pruner.testutil.Models;
import org.junit.jupiter.api.Test;

class MeasuresTest {

    @Test
    void macsPerArchitecture() {
        int[] w = {4, 2};
        // D = 5, L = 3
        assertEquals(5 * 4 + 3 * 4 + 3 * (4 * 2), Macs.perPrediction(Models.random(Architecture.FFNN, 5, 3, w, 1)));
        assertEquals(5 * 4 + 4 * 2 + 3 * 2, Macs.perPrediction(Models.random(Architecture.BPNN, 5, 3, w, 1)));
        assertEquals(5 * 4 + 4 * 2 + 3 * (4 + 2), Macs.perPrediction(Models.random(Architecture.FFNN_C, 5, 3, w, 1)));
        // ffrnn, frames 2..4 → K = 4, S = 4·2: D·h0 + S + L·K·(2S + h_last)
        assertEquals(5 * 4 + 8 + 3 * 4 * (2 * 8 + 2), Macs.perPrediction(Models.random(Architecture.FFRNN, 5, 3, w, 1)));
        // the paper's MNIST ffnn 784-2000-2000: 784·2000 + 10·2000 + 10·2000·2000
        int[] big = {3, 3};
        assertEquals(784L * 3 + 10 * 3 + 10 * 9, Macs.perPrediction(Models.random(Architecture.FFNN, 784, 10, big, 1)));
    }

    @Test
    void compressionRatioIsTheByteRatioOfTheSerialisedModels() throws Exception {
        Model m = Models.random(Architecture.FFNN, 12, 3, new int[] {20, 16}, 3);
        Pruner pruner = new Pruner(Models::serialize);
        Dataset test = Models.data(30, 12, 3, 4);
        PruneResult r = pruner.pruneWithReport(m, PruneSpec.of(PruneMethod.RANDOM, KeepCounts.same(5), 9), null, test,
                Accuracy.serial(), null);
        byte[] a = Models.serialize(m);
        byte[] b = Models.serialize(r.model());
        assertEquals((double) a.length / b.length, r.report().compressionRatio(), 0);
        assertEquals(a.length, r.report().before().fileBytes());
        assertEquals(b.length, r.report().after().fileBytes());
        assertEquals((double) gzip(a) / gzip(b), r.report().gzipCompressionRatio(), 0);
        assertEquals(m.parameterCount(), r.report().before().parameters());
        assertEquals((15L * 5 + 5) + (5 * 5 + 5), r.report().after().parameters());
        assertTrue(r.report().compressionRatio() > 3);
        assertEquals(30, r.report().testSize());
        assertEquals(Accuracy.correctFraction(r.model(), test), r.report().accuracyAfter(), 0);
        String json = new ObjectMapper().writeValueAsString(r.report());
        JsonNode j = new ObjectMapper().readTree(json);
        assertEquals("random", j.get("method").asText());
        assertEquals(5, j.get("kept").get(1).asInt());
        assertEquals(b.length, j.get("after").get("fileBytes").asLong());
    }

    @Test
    void weightsPruningKeepsShapesAndShowsInNonzeroCount() {
        Model m = Models.random(Architecture.BPNN, 10, 3, new int[] {8, 6}, 5);
        PruneResult r = new Pruner(Models::serialize).pruneWithReport(m,
                PruneSpec.of(PruneMethod.WEIGHTS, KeepCounts.ratio(0.25), 1), null, null, null, "x");
        // same shapes: the file grows only by the provenance entry the pruning appended
        assertEquals(r.model().provenance().length() - m.provenance().length(),
                r.report().after().fileBytes() - r.report().before().fileBytes());
        assertEquals((double) Models.serialize(m).length / Models.serialize(r.model()).length,
                r.report().compressionRatio(), 0);
        assertEquals(m.parameterCount(), r.report().after().parameters());
        // ratio 0.25 keeps round(0.25·8) = 2 and round(0.25·6) = 2 neurons' worth: zero 6/8 of 80 and 4/6 of 48 weights
        assertEquals(m.parameterCount() - 60 - 32, r.report().after().nonzeroParameters());
        assertNull(r.report().accuracyAfter());
    }

    @Test
    void accuracyParallelEqualsSerialEqualsHandCount() {
        Model m = Models.random(Architecture.FFNN, 6, 4, new int[] {9, 7}, 6);
        Dataset test = Models.data(57, 6, 4, 7);
        long correct = 0;
        for (int i = 0; i < test.size(); i++) {
            float[] s = Forward.scores(m, test.images(), test.offset(i));
            int best = 0;
            for (int c = 1; c < 4; c++) {
                if (s[c] > s[best]) {
                    best = c;
                }
            }
            if (best == test.label(i)) {
                correct++;
            }
        }
        assertEquals(correct / 57.0, Accuracy.serial().accuracy(m, test), 1e-12);
        assertEquals(correct / 57.0, Accuracy.parallel(2).accuracy(m, test), 1e-12);
        assertEquals(correct / 57.0, Accuracy.parallel(3).accuracy(m, test), 1e-12);
    }

    @Test
    void inspectionReportsEveryMatrixAndSerialises() throws Exception {
        Model m = Models.random(Architecture.FFRNN, 6, 3, new int[] {5, 4}, 8).toBuilder()
                .provenance("{\"dataset\":\"toy\"}").build();
        Dataset data = Models.data(20, 6, 3, 9);
        Inspection in = Inspection.of(m, Models::serialize, data, 10, 1);
        assertEquals(4, in.layers().size(), "layer0, layer0.backward, layer1, layer1.backward");
        assertEquals("layer0.backward", in.layers().get(1).name());
        assertEquals(5 * 4, in.layers().get(1).parameters());
        assertEquals(10, in.activationSample());
        LayerInspection l0 = in.layers().get(0);
        assertEquals(org.fftk.edge.stats.Sparsity.hoyer(m.layers().get(0).weights()), l0.hoyer(), 0);
        assertNotNull(l0.activationHoyer());
        assertNull(in.layers().get(1).meanBias());
        JsonNode j = new ObjectMapper().readTree(new ObjectMapper().writeValueAsString(in));
        assertEquals("toy", j.get("provenance").get("dataset").asText(), "provenance embedded as JSON");
        assertEquals(m.parameterCount(), j.get("parameters").asLong());
        assertTrue(in.toText().contains("layer1.backward"));
        Inspection bp = Inspection.of(Models.random(Architecture.BPNN, 6, 3, new int[] {5}, 8), null, null, 0, 0);
        assertEquals("classifier", bp.layers().get(1).name());
        assertNull(bp.fileBytes());
    }

    private static long gzip(byte[] a) throws Exception {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (GZIPOutputStream g = new GZIPOutputStream(bos)) {
            g.write(a);
        }
        return bos.size();
    }
}
