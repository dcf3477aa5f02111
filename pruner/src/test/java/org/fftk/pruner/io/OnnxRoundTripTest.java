package org.fftk.pruner.io;

import org.fftk.edge.io.Sha256;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.fftk.edge.infer.Inference;
import org.fftk.edge.model.Architecture;
import org.fftk.edge.model.Model;
import org.fftk.edge.data.Dataset;
import org.fftk.pruner.method.KeepCounts;
import org.fftk.pruner.method.PruneMethod;
import org.fftk.pruner.method.PruneResult;
import org.fftk.pruner.method.PruneSpec;
import org.fftk.pruner.method.Pruner;
import org.fftk.pruner.report.Accuracy;
import org.fftk.pruner.testutil.Models;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Pruning with the real ONNX exporter: sizes are the ONNX file sizes, and the pruned file reads back. */
class OnnxRoundTripTest {

    @ParameterizedTest
    // ffcnn: Models.random builds dense networks; channel pruning is tested in ChannelSurgeryTest
    @EnumSource(value = Architecture.class, names = {"FFCNN", "FFCNN_C", "BPCNN"}, mode = EnumSource.Mode.EXCLUDE)
    void prunedOnnxFileReadsBackAndRatioIsTheFileRatio(Architecture arch, @TempDir Path dir) throws Exception {
        Model m = Models.random(arch, 30, 10, new int[] {64, 48}, 31);
        Path src = dir.resolve("src.onnx");
        ModelFiles.write(m, src);
        Model read = ModelFiles.read(src);
        Pruner pruner = new Pruner(ModelFiles::onnx);
        Dataset test = Models.data(20, 30, 10, 32);
        PruneResult r = pruner.pruneWithReport(read, PruneSpec.of(PruneMethod.MAGNITUDE, KeepCounts.same(16), 0), null,
                test, Accuracy.serial(), Sha256.hex(Files.readAllBytes(src)));
        Path out = dir.resolve("pruned.onnx");
        ModelFiles.write(r.model(), out);
        assertEquals((double) Files.size(src) / Files.size(out), r.report().compressionRatio(), 0.01,
                "ratio of the files on disk (the pruned file also carries the provenance entry)");
        assertEquals(Files.size(out), r.report().after().fileBytes());
        Model back = ModelFiles.read(out);
        assertArrayEquals(new int[] {16, 16}, back.widths());
        assertEquals(r.model().layers(), back.layers());
        JsonNode prov = new ObjectMapper().readTree(back.provenance());
        assertEquals(Sha256.hex(Files.readAllBytes(src)), prov.get("pruning").get(0).get("source_sha256").asText());
        float[] a = new float[20 * 10];
        float[] b = new float[20 * 10];
        Inference.predictor(back).scores(test.images(), 0, 20, a);
        Inference.predictor(r.model()).scores(test.images(), 0, 20, b);
        assertArrayEquals(b, a, 0f);
        assertTrue(r.report().compressionRatio() > 2, "64,48 → 16,16 is a large cut: " + r.report().compressionRatio());
    }
}
