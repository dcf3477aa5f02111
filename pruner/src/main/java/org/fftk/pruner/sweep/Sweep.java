package org.fftk.pruner.sweep;

import org.fftk.edge.io.Sha256;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.fftk.edge.model.Model;
import org.fftk.edge.data.Dataset;
import org.fftk.pruner.method.NeuronSelection;
import org.fftk.pruner.method.PruneMethod;
import org.fftk.pruner.method.PruneSpec;
import org.fftk.pruner.method.Pruner;
import org.fftk.pruner.report.ModelMeasures;

/**
 * Runs a pruning sweep (backs {@code fftk sweep}): for every model × method × keep count × seed,
 * prune, measure and evaluate on the test set; write DIR/sweep.json (every measurement, rewritten
 * atomically after each finished point), DIR/sweep.csv (aggregates per model × method × keep) and
 * DIR/sweep.png / DIR/sweep.svg (accuracy vs compression ratio).
 *
 * <ul>
 *   <li>Resume: points already in DIR/sweep.json (key: model file SHA-256, method, kept counts,
 *       seed) are not recomputed; the file must come from the same test set.</li>
 *   <li>Keep counts are clipped to each layer's width and duplicates after clipping are dropped.</li>
 *   <li>Seeds: random uses every seed; magnitude and activation are deterministic given their
 *       sample and use the first seed only (activation draws its training sample with it).</li>
 *   <li>Each model's unpruned accuracy is measured once (its baseline); a point that keeps every
 *       neuron is the unpruned network and reuses it ({@code fromBaseline}).</li>
 *   <li>Rankings (activation, magnitude, random permutations) are computed once per model, method
 *       and seed and cut for every keep count.</li>
 *   <li>Parallelism: {@code threads} workers, each pruning and evaluating one point at a time with
 *       its own predictor (baselines first, then the points).</li>
 * </ul>
 */
public final class Sweep {
    private Sweep() {
    }

    /** A planned point. */
    /**
     * One point: a model pruned by spec to kept neurons with seed, fine-tuned when {@code tuned}, made
     * int8 when {@code int8}; or, with {@code reference} set, a model trained small from scratch.
     */
    private record Task(SweepModel model, PruneSpec spec, int[] kept, long seed, String key, boolean tuned,
                        boolean int8, SweepModel reference) {
        String label(SweepConfig c) {
            if (reference != null) {
                return Variant.reference(reference.model(), int8).label();
            }
            return new Variant(spec.label(), tuned ? c.fineTuning.epochs() : 0, int8).label();
        }

        boolean plain() {
            return !tuned && !int8 && reference == null;
        }
    }

    /**
     * Runs (or resumes) the sweep.
     *
     * @throws IllegalArgumentException for inconsistent options (e.g. a per-layer keep list of the wrong
     *                                  length) or a sweep.json from another test set
     * @throws IllegalStateException    when a point fails; the points finished before are saved
     */
    public static SweepResult run(SweepConfig c) throws IOException {
        Path json = c.outDir.resolve("sweep.json");
        SweepStore store = SweepStore.open(json, testSha256(c.test), c.test.size());

        List<Task> plan = plan(c);
        int already = 0;
        List<Task> todo = new ArrayList<>();
        for (Task t : plan) {
            if (store.has(t.key())) {
                already++;
            } else {
                todo.add(t);
            }
        }
        c.listener.planned(plan.size(), already);

        ExecutorService pool = Executors.newFixedThreadPool(c.threads, r -> {
            Thread th = new Thread(r, "fftk-sweep");
            th.setDaemon(true);
            return th;
        });
        AtomicInteger computed = new AtomicInteger();
        try {
            // Phase 1: baselines of models that still have points to do.
            Map<String, SweepModel> need = new LinkedHashMap<>();
            for (Task t : todo) {
                if (store.baseline(t.model().sha256()) == null) {
                    need.put(t.model().sha256(), t.model());
                }
            }
            List<Callable<Void>> phase1 = new ArrayList<>();
            for (SweepModel m : need.values()) {
                phase1.add(() -> {
                    long t0 = System.nanoTime();
                    ModelMeasures mm = ModelMeasures.withoutXz(m.model(), c.serializer);
                    double acc = c.evaluator.accuracy(m.model(), c.test);
                    SweepBaseline b = new SweepBaseline(m.name(), m.sha256(), m.model().architecture().id(),
                            m.model().widths(), mm.parameters(), mm.macs(), mm.fileBytes(), mm.gzipBytes(), acc,
                            c.test.size(), seconds(t0));
                    store.add(b);
                    c.listener.baseline(b);
                    return null;
                });
            }
            runAll(pool, phase1);

            // Phase 2: the points.
            Map<String, FutureTask<int[][]>> rankings = new ConcurrentHashMap<>();
            Map<String, FutureTask<Model>> tuned = new ConcurrentHashMap<>();
            AtomicInteger done = new AtomicInteger(already);
            List<Callable<Void>> phase2 = new ArrayList<>();
            for (Task t : todo) {
                phase2.add(() -> {
                    SweepPoint p = point(c, store, rankings, tuned, t);
                    store.add(p);
                    computed.incrementAndGet();
                    c.listener.finished(p, done.incrementAndGet(), plan.size());
                    return null;
                });
            }
            runAll(pool, phase2);
        } finally {
            pool.shutdownNow();
            try {
                pool.awaitTermination(1, TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        store.save();
        SweepFile file = store.snapshot();
        List<SweepRow> rows = SweepCsv.aggregate(file.points());
        Path csv = c.outDir.resolve("sweep.csv");
        SweepCsv.write(rows, csv);
        Path png = null;
        Path svg = null;
        if (c.plot) {
            png = c.outDir.resolve("sweep.png");
            svg = c.outDir.resolve("sweep.svg");
            SweepPlot.write(rows, c.title, png, svg);
            SweepPlot.writeTop(rows, c.title, c.outDir.resolve("sweep-top.png"), c.outDir.resolve("sweep-top.svg"));
        }
        return new SweepResult(file, rows, computed.get(), already, json, csv, png, svg);
    }

    /** Every point of the sweep in order: model, method, keep (deduplicated after clipping), seed. */
    private static List<Task> plan(SweepConfig c) {
        List<Task> plan = new ArrayList<>();
        for (SweepModel m : c.models) {
            int[] widths = m.model().widths();
            List<int[]> kepts = new ArrayList<>();
            for (org.fftk.pruner.method.KeepCounts k : c.keeps) {
                int[] r = k.clipped(widths);
                boolean dup = false;
                for (int[] e : kepts) {
                    dup |= Arrays.equals(e, r);
                }
                if (!dup) {
                    kepts.add(r);
                }
            }
            List<Boolean> q8 = c.int8 ? List.of(false, true) : List.of(false);
            for (boolean int8 : q8) {
                for (boolean tuned : c.fineTuning == null ? List.of(false) : List.of(false, true)) {
                    for (PruneSpec spec : c.methods) {
                        List<Long> seeds = spec.method().seeded() ? c.seeds : List.of(c.seeds.get(0));
                        String label = new Variant(spec.label(), tuned ? c.fineTuning.epochs() : 0, int8).label();
                        for (int[] kept : kepts) {
                            for (long seed : seeds) {
                                String key = SweepPoint.key(m.sha256(), label, SweepPoint.keepLabel(kept), seed);
                                plan.add(new Task(m, spec.withSeed(seed).withKeep(
                                        org.fftk.pruner.method.KeepCounts.perLayer(kept)), kept, seed, key, tuned, int8,
                                        null));
                            }
                        }
                    }
                }
            }
            if (m == c.models.get(0)) {
                for (SweepModel r : c.references) {
                    for (boolean int8 : q8) {
                        String label = Variant.reference(r.model(), int8).label();
                        int[] w = r.model().widths();
                        plan.add(new Task(m, null, w, 0, SweepPoint.key(m.sha256(), label, Variant.referenceKeep(r.model()), 0),
                                false, int8, r));
                    }
                }
            }
        }
        return plan;
    }

    private static SweepPoint point(SweepConfig c, SweepStore store, Map<String, FutureTask<int[][]>> rankings,
                                    Map<String, FutureTask<Model>> tunedModels,
                                    Task t) throws Exception {
        long t0 = System.nanoTime();
        Model m = t.model().model();
        SweepBaseline base = store.baseline(t.model().sha256());
        boolean full = Arrays.equals(t.kept(), m.widths()) && t.reference() == null;
        int[][] idx = null;
        if (t.reference() != null) {
            Model r = t.int8() ? t.reference().model().quantized() : t.reference().model();
            ModelMeasures rm = ModelMeasures.withoutXz(r, c.serializer);
            return new SweepPoint(t.model().name(), t.model().sha256(), t.label(c), Variant.referenceKeep(t.reference().model()),
                    t.kept(), 0, rm.parameters(), rm.nonzeroParameters(), rm.macs(), rm.fileBytes(), rm.gzipBytes(),
                    (double) base.fileBytes() / rm.fileBytes(), (double) base.gzipBytes() / rm.gzipBytes(),
                    c.evaluator.accuracy(r, c.test), c.test.size(), false, seconds(t0));
        }
        if (t.spec().method().structured()) {
            if (full) {
                idx = new int[t.kept().length][];
                for (int l = 0; l < idx.length; l++) {
                    idx[l] = new int[t.kept()[l]];
                    Arrays.setAll(idx[l], i -> i);
                }
            } else {
                idx = NeuronSelection.head(ranking(c, rankings, t), t.kept());
            }
        }
        Model pruned = Pruner.apply(m, t.spec(), t.kept(), idx, t.model().sha256());
        if (t.tuned()) {
            // the "+ftN" and "+ftN+int8" points share one fine-tuning run
            Model source = pruned;
            String key = t.model().sha256() + "|" + t.spec().label() + "|" + SweepPoint.keepLabel(t.kept()) + "|" + t.seed();
            FutureTask<Model> f = new FutureTask<>(() -> c.fineTuning.tune().apply(source));
            FutureTask<Model> prev = tunedModels.putIfAbsent(key, f);
            if (prev == null) {
                f.run();
                prev = f;
            }
            try {
                pruned = prev.get();
            } catch (ExecutionException e) {
                throw unwrap(e);
            }
        }
        if (t.int8()) {
            pruned = pruned.quantized();
        }
        ModelMeasures mm = ModelMeasures.withoutXz(pruned, c.serializer);
        double acc = full && t.plain() ? base.accuracy() : c.evaluator.accuracy(pruned, c.test);
        return new SweepPoint(t.model().name(), t.model().sha256(), t.label(c), SweepPoint.keepLabel(t.kept()),
                t.kept(), t.seed(), mm.parameters(), mm.nonzeroParameters(), mm.macs(), mm.fileBytes(),
                mm.gzipBytes(), (double) base.fileBytes() / mm.fileBytes(),
                (double) base.gzipBytes() / mm.gzipBytes(), acc, c.test.size(), full && t.plain(), seconds(t0));
    }

    /** The ranking of a (model, method, seed), computed once and shared by every keep count. */
    private static int[][] ranking(SweepConfig c, Map<String, FutureTask<int[][]>> cache, Task t) throws Exception {
        long seedKey = t.spec().method() == PruneMethod.MAGNITUDE ? 0 : t.seed();
        String key = t.model().sha256() + "|" + t.spec().label() + "|" + seedKey;
        FutureTask<int[][]> f = new FutureTask<>(() -> NeuronSelection.ranking(t.model().model(), t.spec(), c.train));
        FutureTask<int[][]> prev = cache.putIfAbsent(key, f);
        if (prev == null) {
            f.run();
            prev = f;
        }
        try {
            return prev.get();
        } catch (ExecutionException e) {
            throw unwrap(e);
        }
    }

    private static void runAll(ExecutorService pool, List<Callable<Void>> tasks) {
        List<Future<Void>> fs = new ArrayList<>();
        for (Callable<Void> t : tasks) {
            fs.add(pool.submit(t));
        }
        try {
            for (Future<Void> f : fs) {
                f.get();
            }
        } catch (ExecutionException e) {
            for (Future<Void> f : fs) {
                f.cancel(true);
            }
            Exception cause = unwrap(e);
            if (cause instanceof IllegalArgumentException) {
                throw (IllegalArgumentException) cause;
            }
            throw new IllegalStateException("sweep stopped: " + cause.getMessage()
                    + " (finished points are saved; run again to resume)", cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            for (Future<Void> f : fs) {
                f.cancel(true);
            }
            throw new IllegalStateException("sweep interrupted (finished points are saved; run again to resume)", e);
        }
    }

    private static Exception unwrap(ExecutionException e) {
        Throwable c = e.getCause();
        while (c instanceof ExecutionException && c.getCause() != null) {
            c = c.getCause();
        }
        if (c instanceof Exception) {
            return (Exception) c;
        }
        if (c instanceof Error) {
            throw (Error) c;
        }
        return new IllegalStateException(String.valueOf(c));
    }

    private static double seconds(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }

    /** SHA-256 over the labels and pixels (little-endian int32 and float32 bits) of a labelled set. */
    public static String testSha256(Dataset d) {
        MessageDigest md = Sha256.digest();
        ByteBuffer b = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(d.inputSize());
        for (int y : d.labels()) {
            if (b.remaining() < 4) {
                md.update(b.array(), 0, b.position());
                b.clear();
            }
            b.putInt(y);
        }
        for (float v : d.images()) {
            if (b.remaining() < 4) {
                md.update(b.array(), 0, b.position());
                b.clear();
            }
            b.putFloat(v);
        }
        md.update(b.array(), 0, b.position());
        return Sha256.toHex(md.digest());
    }
}
