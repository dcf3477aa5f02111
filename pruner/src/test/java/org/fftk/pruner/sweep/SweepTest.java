package org.fftk.pruner.sweep;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.fftk.edge.model.Architecture;
import org.fftk.edge.model.Model;
import org.fftk.edge.data.Dataset;
import org.fftk.pruner.method.KeepCounts;
import org.fftk.pruner.method.PruneMethod;
import org.fftk.pruner.method.PruneSpec;
import org.fftk.pruner.report.Accuracy;
import org.fftk.pruner.report.Evaluator;
import org.fftk.pruner.testutil.Models;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SweepTest {
    private static final int D = 12;
    private static final int L = 3;

    private static final Model FFNN = Models.random(Architecture.FFNN, D, L, new int[] {20, 16}, 1);
    private static final Model BPNN = Models.random(Architecture.BPNN, D, L, new int[] {18, 10}, 2);
    private static final Dataset TEST = Models.data(40, D, L, 3);
    private static final Dataset TRAIN = Models.data(60, D, L, 4);

    private static SweepConfig.Builder config(Path dir, Evaluator e, int threads) {
        return SweepConfig.builder(dir, Models::serialize)
                .model("ffnn", FFNN).model("bpnn", BPNN)
                .method(PruneMethod.RANDOM).method(PruneMethod.MAGNITUDE)
                .method(PruneSpec.of(PruneMethod.ACTIVATION, KeepCounts.same(1), 0).withSampleSize(30))
                .method(PruneMethod.WEIGHTS)
                .keeps(20, 16, 8, 4, 2).seeds(1, 2, 3)
                .test(TEST).train(TRAIN).threads(threads).evaluator(e);
    }

    /** Counts evaluations; throws once {@code failAfter} of them were made (−1: never). */
    private static final class Counting implements Evaluator {
        final AtomicInteger calls = new AtomicInteger();
        final int failAfter;

        Counting(int failAfter) {
            this.failAfter = failAfter;
        }

        @Override
        public double accuracy(Model m, Dataset test) {
            int n = calls.incrementAndGet();
            if (failAfter >= 0 && n > failAfter) {
                throw new RuntimeException("simulated crash");
            }
            return Accuracy.correctFraction(m, test);
        }
    }

    @Test
    void planCoversModelsMethodsKeepsAndSeeds(@TempDir Path dir) throws Exception {
        Counting ev = new Counting(-1);
        SweepResult r = Sweep.run(config(dir, ev, 2).build());
        // ffnn widths 20,16: keeps 20→(20,16) 16→(16,16) 8 4 2 = 5; bpnn 18,10: 20→(18,10) 16→(16,10) 8 4 2 = 5
        // random 3 seeds, magnitude/activation/weights 1 seed each: (3 + 1 + 1 + 1) × 5 per model
        assertEquals(2 * 6 * 5, r.file().points().size());
        assertEquals(2 * 6 * 5, r.computed());
        assertEquals(0, r.reused());
        long full = r.file().points().stream().filter(SweepPoint::fromBaseline).count();
        assertEquals(2 * 6, full, "one full-width point per model × method × seed");
        assertEquals(2 + 2 * 6 * 5 - full, ev.calls.get(), "baselines + every non-full point, once");
        for (SweepPoint p : r.file().points()) {
            assertTrue(p.compressionRatio() > 0);
            if (p.method().equals("magnitude")) {
                assertEquals(1, p.seed(), "deterministic methods use the first seed");
            }
            if (p.fromBaseline()) {
                SweepBaseline b = r.file().baselines().stream().filter(x -> x.modelSha256().equals(p.modelSha256()))
                        .findFirst().orElseThrow();
                assertEquals(b.accuracy(), p.accuracy());
            }
        }
        SweepPoint p = find(r.file().points(), "ffnn", "random", "4", 2);
        // pruned ffnn (4,4): layer0 4×15+4, layer1 4×4+4
        assertEquals(4 * 15 + 4 + 4 * 4 + 4, p.parameters());
        assertEquals((double) Models.serialize(FFNN).length / p.fileBytes(), p.compressionRatio(), 1e-12);
        assertArrayEquals(new int[] {16, 10}, find(r.file().points(), "bpnn", "magnitude", "16;10", 1).kept());
        assertTrue(Files.size(r.png()) > 10_000);
        assertTrue(Files.readString(r.svg()).contains("<svg"));
        BufferedImage img = ImageIO.read(r.png().toFile());
        assertEquals(1300, img.getWidth(), "8 lines: the legend goes to the right of a wider plot");
    }

    @Test
    void interruptedSweepResumesWithoutRecomputingFinishedPoints(@TempDir Path dir) throws Exception {
        Counting crash = new Counting(9);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Sweep.run(config(dir, crash, 2).plot(false).build()));
        assertTrue(e.getMessage().contains("simulated crash"), e.getMessage());
        SweepFile first = SweepStore.read(dir.resolve("sweep.json"));
        int k = first.points().size();
        assertTrue(k >= 5 && k < 60, "some but not all points were saved: " + k);
        Map<String, SweepPoint> saved = new HashMap<>();
        for (SweepPoint p : first.points()) {
            saved.put(p.key(), p);
        }
        Set<String> baselinesSaved = new HashSet<>();
        for (SweepBaseline b : first.baselines()) {
            baselinesSaved.add(b.modelSha256());
        }

        Counting ev = new Counting(-1);
        SweepResult r = Sweep.run(config(dir, ev, 2).plot(false).build());
        assertEquals(60, r.file().points().size());
        assertEquals(k, r.reused());
        assertEquals(60 - k, r.computed());
        long expected = 2 - baselinesSaved.size();
        for (SweepPoint p : r.file().points()) {
            SweepPoint old = saved.get(p.key());
            if (old != null) {
                assertEquals(old.seconds(), p.seconds(), "point " + p.key() + " kept as saved, not recomputed");
                assertEquals(old.accuracy(), p.accuracy());
            } else if (!p.fromBaseline()) {
                expected++;
            }
        }
        assertEquals(expected, ev.calls.get(), "only unfinished points (and missing baselines) were evaluated");

        Counting none = new Counting(-1);
        SweepResult again = Sweep.run(config(dir, none, 1).plot(false).build());
        assertEquals(0, none.calls.get());
        assertEquals(0, again.computed());
        assertEquals(60, again.reused());
    }

    @Test
    void csvAggregatesMatchTheJsonPoints(@TempDir Path dir) throws Exception {
        SweepResult r = Sweep.run(config(dir, Accuracy.serial(), 2).plot(false).build());
        SweepFile f = SweepStore.read(r.json());
        List<CSVRecord> recs;
        try (Reader in = Files.newBufferedReader(r.csv())) {
            recs = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).build().parse(in).getRecords();
        }
        // ffnn + bpnn, 4 methods, 5 keeps
        assertEquals(2 * 4 * 5, recs.size());
        for (CSVRecord rec : recs) {
            List<Double> acc = new ArrayList<>();
            double ratio = 0;
            long params = -1;
            for (SweepPoint p : f.points()) {
                if (p.model().equals(rec.get("model")) && p.method().equals(rec.get("method"))
                        && p.keep().equals(rec.get("keep"))) {
                    acc.add(p.accuracy());
                    ratio += p.compressionRatio();
                    params = p.parameters();
                }
            }
            int n = acc.size();
            assertEquals(rec.get("method").equals("random") ? 3 : 1, n);
            assertEquals(n, Integer.parseInt(rec.get("n")));
            double mean = acc.stream().mapToDouble(Double::doubleValue).sum() / n;
            double ss = 0;
            for (double a : acc) {
                ss += (a - mean) * (a - mean);
            }
            double sd = n > 1 ? Math.sqrt(ss / (n - 1)) : 0;
            assertEquals(mean, Double.parseDouble(rec.get("accuracy_mean")), 1e-12);
            assertEquals(sd, Double.parseDouble(rec.get("accuracy_sd")), 1e-12);
            assertEquals(acc.stream().mapToDouble(Double::doubleValue).min().getAsDouble(),
                    Double.parseDouble(rec.get("accuracy_min")), 0);
            assertEquals(acc.stream().mapToDouble(Double::doubleValue).max().getAsDouble(),
                    Double.parseDouble(rec.get("accuracy_max")), 0);
            assertEquals(ratio / n, Double.parseDouble(rec.get("compression_ratio")), 1e-12);
            assertEquals(params, Long.parseLong(rec.get("parameters")));
        }
        assertTrue(Files.notExists(dir.resolve("sweep.png")));
    }

    @Test
    void refusesBadOptionsAndForeignSweepFiles(@TempDir Path dir) throws Exception {
        assertThrows(IllegalArgumentException.class, () -> Sweep.run(SweepConfig.builder(dir, Models::serialize)
                .model("ffnn", FFNN).keep(KeepCounts.perLayer(4, 4, 4)).test(TEST).plot(false).build()));
        assertThrows(IllegalArgumentException.class, () -> SweepConfig.builder(dir, Models::serialize)
                .model("ffnn", FFNN).method(PruneMethod.ACTIVATION).test(TEST).build(), "activation without training data");
        assertThrows(IllegalArgumentException.class, () -> SweepConfig.builder(dir, Models::serialize)
                .model("a", FFNN).model("a", BPNN).test(TEST).build(), "duplicate names");
        assertThrows(IllegalArgumentException.class, () -> SweepConfig.builder(dir, Models::serialize)
                .model("a", FFNN).model("b", FFNN).test(TEST).build(), "the same model twice");
        Sweep.run(SweepConfig.builder(dir, Models::serialize).model("ffnn", FFNN).keeps(4).seeds(1).test(TEST)
                .plot(false).build());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Sweep.run(SweepConfig.builder(dir, Models::serialize).model("ffnn", FFNN).keeps(4).seeds(1)
                        .test(Models.data(40, D, L, 99)).plot(false).build()));
        assertTrue(e.getMessage().contains("different test set"), e.getMessage());
        Files.writeString(dir.resolve("sweep.json"), "{ not json");
        e = assertThrows(IllegalArgumentException.class,
                () -> Sweep.run(SweepConfig.builder(dir, Models::serialize).model("ffnn", FFNN).keeps(4).test(TEST)
                        .plot(false).build()));
        assertTrue(e.getMessage().contains("not a readable sweep file"), e.getMessage());
    }

    private static SweepPoint find(List<SweepPoint> ps, String model, String method, String keep, long seed) {
        return ps.stream().filter(p -> p.model().equals(model) && p.method().equals(method) && p.keep().equals(keep)
                && p.seed() == seed).findFirst().orElseThrow(() -> new AssertionError(model + " " + method + " " + keep));
    }

    /**
     * Fine-tuning in a sweep: every method also gets a "+ftN" curve whose points are the pruned
     * models passed through the tuner (here a stand-in that halves every bias, so the expected
     * accuracy is computable), the full-width tuned point included; the best-point writer re-creates
     * a tuned point by tuning again.
     */
    @Test
    void fineTunedCurvesSitBesideTheOneShotOnes(@TempDir Path dir) throws Exception {
        java.util.function.UnaryOperator<Model> halve = m -> {
            List<org.fftk.edge.model.DenseLayer> ls = new ArrayList<>();
            for (org.fftk.edge.model.DenseLayer l : m.layers()) {
                float[] b = l.biases();
                for (int j = 0; j < b.length; j++) {
                    b[j] /= 2;
                }
                ls.add(new org.fftk.edge.model.DenseLayer(l.out(), l.in(), l.weights(), b));
            }
            return m.toBuilder().layers(ls).build();
        };
        Model small = Models.random(Architecture.FFNN, D, L, new int[] {8, 6}, 11);
        // a reference made by fftk factor and fine-tuned for 2 epochs: points "lowrank+ft2", keep "r4;2"
        Model factored = org.fftk.pruner.lowrank.LowRank.of(FFNN).truncate(new int[] {4, 2}).toBuilder()
                .provenance("{\"finetuning\":[{\"epochs\":2}]}").build();
        Model factored2 = org.fftk.pruner.lowrank.LowRank.of(FFNN).truncate(new int[] {6, 3}).toBuilder()
                .provenance("{\"finetuning\":[{\"epochs\":2}]}").build();
        AtomicInteger tunings = new AtomicInteger();
        SweepConfig c = SweepConfig.builder(dir, Models::serialize).model("ffnn", FFNN).method(PruneMethod.RANDOM)
                .keeps(20, 8).seeds(1, 2).test(TEST).train(TRAIN).threads(2).evaluator(Accuracy.serial())
                .fineTuning(new FineTuning(3, m -> {
                    tunings.incrementAndGet();
                    return halve.apply(m);
                })).int8(true).reference(SweepModel.of("small", small, Models::serialize))
                .reference(SweepModel.of("factored", factored, Models::serialize))
                .reference(SweepModel.of("factored2", factored2, Models::serialize))
                .plot(false).build();
        SweepResult r = Sweep.run(c);
        Map<String, Double> acc = new HashMap<>();
        for (SweepPoint p : r.file().points()) {
            acc.put(p.method() + "/" + p.keep() + "/" + p.seed(), p.accuracy());
        }
        // 2 keeps x 2 seeds x (plain, ft, int8, ft+int8) + 2 scratch + 2 x 2 lowrank
        assertEquals(22, acc.size(), acc.toString());
        assertEquals(Accuracy.correctFraction(factored2, TEST), acc.get("lowrank+ft2/r6;3/0"), 1e-12);
        assertEquals(Accuracy.correctFraction(factored, TEST), acc.get("lowrank+ft2/r4;2/0"), 1e-12);
        assertEquals(Accuracy.correctFraction(factored.quantized(), TEST), acc.get("lowrank+ft2+int8/r4;2/0"), 1e-12);
        assertEquals(4, tunings.get(), "one fine-tuning per pruned model, shared by its +int8 point");
        for (long seed : new long[] {1, 2}) {
            Model pruned = org.fftk.pruner.method.Pruner.prune(FFNN,
                    PruneSpec.of(PruneMethod.RANDOM, KeepCounts.same(8), seed), null, "x");
            assertEquals(Accuracy.correctFraction(pruned, TEST), acc.get("random/8/" + seed), 1e-12);
            assertEquals(Accuracy.correctFraction(halve.apply(pruned), TEST), acc.get("random+ft3/8/" + seed), 1e-12);
            assertEquals(Accuracy.correctFraction(halve.apply(pruned).quantized(), TEST),
                    acc.get("random+ft3+int8/8/" + seed), 1e-12);
            assertEquals(Accuracy.correctFraction(pruned.quantized(), TEST), acc.get("random+int8/8/" + seed), 1e-12);
        }
        String sk = SweepPoint.keepLabel(small.widths());
        assertEquals(Accuracy.correctFraction(small, TEST), acc.get("scratch/" + sk + "/0"), 1e-12);
        assertEquals(Accuracy.correctFraction(small.quantized(), TEST), acc.get("scratch+int8/" + sk + "/0"), 1e-12);
        for (SweepPoint p : r.file().points()) {
            if (p.method().equals("scratch") || p.method().equals("lowrank+ft2") && p.keep().equals("r4;2")) {
                assertEquals((double) Models.serialize(FFNN).length / Models.serialize(p.method().equals("scratch") ? small
                        : factored).length, p.compressionRatio(),
                        1e-9, "a reference's ratio is the first model's bytes over its own");
            }
        }
        assertEquals(Accuracy.correctFraction(halve.apply(FFNN), TEST),
                acc.get("random+ft3/" + SweepPoint.keepLabel(FFNN.widths()) + "/1"), 1e-12,
                "the full-width tuned point is measured, not copied from the baseline");
        assertEquals(new Variant("random", 3, false), Variant.parse("random+ft3"));
        assertEquals(new Variant("magnitude-l1", 3, true), Variant.parse("magnitude-l1+ft3+int8"));
        assertEquals(new Variant("activation-s500", 0, false), Variant.parse("activation-s500"));
        Path best = dir.resolve("best.onnx");
        SweepPoint b = SweepBest.write(r, c.models, TRAIN, 1.0, best, c.fineTuning);
        Model written = org.fftk.pruner.io.ModelFiles.read(best);
        assertEquals(b.accuracy(), Accuracy.correctFraction(written, TEST), 1e-12, b.method() + " re-created exactly");
    }
}
