package org.fftk.pruner.sweep;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import org.fftk.edge.model.Model;
import org.fftk.edge.data.Dataset;
import org.fftk.pruner.method.KeepCounts;
import org.fftk.pruner.method.PruneMethod;
import org.fftk.pruner.method.PruneSpec;
import org.fftk.pruner.report.Accuracy;
import org.fftk.pruner.report.Evaluator;

/**
 * What a sweep runs: models × methods × keep counts × seeds, evaluated on a test set. Build with
 * {@link #builder(Path, Function)}.
 */
public final class SweepConfig {
    /** docs/algorithms.md "Pruning"'s default keep list (clipped to each layer's width, duplicates after clipping dropped). */
    public static final int[] DEFAULT_KEEPS = {2000, 1500, 1024, 512, 256, 128, 64, 32, 16, 8, 4, 2};

    final Path outDir;
    final Function<Model, byte[]> serializer;
    final List<SweepModel> models;
    final List<PruneSpec> methods;
    final List<KeepCounts> keeps;
    final List<Long> seeds;
    final Dataset test;
    final Dataset train;
    final int threads;
    final Evaluator evaluator;
    final SweepListener listener;
    final boolean plot;
    final String title;
    /** When set, every method is also swept with the pruned models fine-tuned. */
    final FineTuning fineTuning;
    /** When set, every curve is also swept with int8 weights. */
    final boolean int8;
    /** Models trained small from scratch, compared with the first sweep model (points of method "scratch"). */
    final List<SweepModel> references;

    private SweepConfig(Builder b) {
        this.outDir = b.outDir;
        this.serializer = b.serializer;
        this.models = List.copyOf(b.models);
        this.methods = List.copyOf(b.methods.isEmpty() ? List.of(PruneSpec.of(PruneMethod.RANDOM, KeepCounts.same(1), 0))
                : b.methods);
        List<KeepCounts> k = new ArrayList<>(b.keeps);
        if (k.isEmpty()) {
            for (int t : DEFAULT_KEEPS) {
                k.add(KeepCounts.same(t));
            }
        }
        this.keeps = List.copyOf(k);
        this.seeds = List.copyOf(b.seeds.isEmpty() ? List.of(1L) : b.seeds);
        this.test = b.test;
        this.train = b.train;
        this.threads = b.threads;
        this.evaluator = b.evaluator;
        this.listener = b.listener;
        this.plot = b.plot;
        this.title = b.title;
        this.fineTuning = b.fineTuning;
        this.int8 = b.int8;
        this.references = List.copyOf(b.references);
        if (models.isEmpty()) {
            throw new IllegalArgumentException("a sweep needs at least one model");
        }
        if (test == null || test.size() == 0) {
            throw new IllegalArgumentException("a sweep needs a non-empty test set");
        }
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
        java.util.Set<String> names = new java.util.HashSet<>();
        java.util.Set<String> hashes = new java.util.HashSet<>();
        for (SweepModel m : models) {
            if (!names.add(m.name())) {
                throw new IllegalArgumentException("two sweep models are named '" + m.name() + "'; names must differ");
            }
            if (!hashes.add(m.sha256())) {
                throw new IllegalArgumentException("model '" + m.name() + "' is the same file as another sweep model");
            }
            if (m.model().inputSize() != test.inputSize()) {
                throw new IllegalArgumentException("model " + m.name() + " reads images of width "
                        + m.model().inputSize() + " but the test images have width " + test.inputSize());
            }
        }
        for (PruneSpec s : methods) {
            if (s.method().needsTrainingData() && (train == null || train.size() == 0)) {
                throw new IllegalArgumentException(s.method() + " pruning needs training images (never the test set)");
            }
        }
    }

    public static Builder builder(Path outDir, Function<Model, byte[]> serializer) {
        return new Builder(outDir, serializer);
    }

    public static final class Builder {
        private final Path outDir;
        private final Function<Model, byte[]> serializer;
        private final List<SweepModel> models = new ArrayList<>();
        private final List<PruneSpec> methods = new ArrayList<>();
        private final List<KeepCounts> keeps = new ArrayList<>();
        private final List<Long> seeds = new ArrayList<>();
        private Dataset test;
        private Dataset train;
        private int threads = Math.max(1, Math.min(2, Runtime.getRuntime().availableProcessors()));
        private Evaluator evaluator = Accuracy.serial();
        private SweepListener listener = new SweepListener() {
        };
        private boolean plot = true;
        private String title = "Accuracy vs compression ratio";
        private FineTuning fineTuning;
        private boolean int8;
        private final List<SweepModel> references = new ArrayList<>();

        private Builder(Path outDir, Function<Model, byte[]> serializer) {
            this.outDir = Objects.requireNonNull(outDir, "outDir");
            this.serializer = Objects.requireNonNull(serializer, "serializer");
        }

        /** Also sweep every method with its pruned models fine-tuned (one-shot and fine-tuned curves side by side). */
        public Builder fineTuning(FineTuning f) {
            this.fineTuning = f;
            return this;
        }

        /** Also sweep every curve with int8 weights ({@code +int8}). */
        public Builder int8(boolean b) {
            this.int8 = b;
            return this;
        }

        /**
         * A model of the same architecture trained small from scratch: measured on the test set as a
         * point of method "scratch" of the FIRST sweep model, its ratio that model's bytes over its own.
         */
        public Builder reference(SweepModel m) {
            references.add(m);
            return this;
        }

        public Builder model(SweepModel m) {
            models.add(m);
            return this;
        }

        /** Adds a model; its key is the SHA-256 of its serialised bytes. */
        public Builder model(String name, Model m) {
            return model(SweepModel.of(name, m, serializer));
        }

        /**
         * Adds a method with its options (the spec's keep counts and seed are ignored; the sweep's keep
         * list and seeds are used). Default: random only.
         */
        public Builder method(PruneSpec spec) {
            methods.add(spec);
            return this;
        }

        public Builder method(PruneMethod m) {
            return method(PruneSpec.of(m, KeepCounts.same(1), 0));
        }

        /** Adds a keep count; default {@link #DEFAULT_KEEPS}. */
        public Builder keep(KeepCounts k) {
            keeps.add(k);
            return this;
        }

        public Builder keeps(int... ts) {
            for (int t : ts) {
                keeps.add(KeepCounts.same(t));
            }
            return this;
        }

        /** Seeds for seeded methods (random); deterministic methods use the first only. Default: 1. */
        public Builder seeds(long... s) {
            for (long v : s) {
                seeds.add(v);
            }
            return this;
        }

        public Builder test(Dataset t) {
            this.test = t;
            return this;
        }

        /** Training images, for activation ranking. */
        public Builder train(Dataset t) {
            this.train = t;
            return this;
        }

        /** Worker threads; each evaluates one point at a time with its own predictor. Default: min(2, cores). */
        public Builder threads(int n) {
            this.threads = n;
            return this;
        }

        /** How a worker measures accuracy; default {@link Accuracy#serial()} (one predictor per call). */
        public Builder evaluator(Evaluator e) {
            this.evaluator = Objects.requireNonNull(e);
            return this;
        }

        public Builder listener(SweepListener l) {
            this.listener = Objects.requireNonNull(l);
            return this;
        }

        /** Whether to write sweep.png and sweep.svg (default true). */
        public Builder plot(boolean p) {
            this.plot = p;
            return this;
        }

        public Builder title(String t) {
            this.title = Objects.requireNonNull(t);
            return this;
        }

        public SweepConfig build() {
            return new SweepConfig(this);
        }
    }
}
