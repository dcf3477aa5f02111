package org.fftk.pruner.method;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;
import java.util.function.Function;
import org.fftk.edge.model.Model;
import org.fftk.pruner.io.ModelFile;
import org.fftk.edge.data.Dataset;
import org.fftk.edge.io.Sha256;
import org.fftk.pruner.report.Evaluator;
import org.fftk.pruner.report.ModelMeasures;
import org.fftk.pruner.report.PruneReport;
import org.fftk.pruner.surgery.NeuronSurgery;

/**
 * One-shot pruning (docs/algorithms.md "Pruning"): select, cut, and record it in the model's provenance.
 *
 * <pre>{@code
 * Pruner p = new Pruner(OnnxExporter::toBytes);
 * Model small = p.prune(model, PruneSpec.of(PruneMethod.RANDOM, KeepCounts.same(512), 1), train);
 * }</pre>
 *
 * <p>The pruned model's provenance JSON keeps every earlier field and appends to its "pruning" array
 * an object with: method, options (l1, least_active, sample_size where they apply), keep (the spec as
 * given), kept (per-layer counts), widths_before, seed, source_sha256, and for {@code weights}
 * zero_fraction per layer.
 */
public final class Pruner {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Function<Model, byte[]> serializer;

    /** @param serializer writes a model file (the ONNX exporter); used for the source model's SHA-256 */
    public Pruner(Function<Model, byte[]> serializer) {
        this.serializer = Objects.requireNonNull(serializer, "serializer");
    }

    public Function<Model, byte[]> serializer() {
        return serializer;
    }

    /** Per-layer keep counts this spec gives for the model (an error when one exceeds its layer). */
    public static int[] keepCounts(Model m, PruneSpec spec) {
        NeuronSurgery.refuseFactored(m);
        if (m.architecture().isConv() && spec.method() == PruneMethod.ACTIVATION) {
            throw new IllegalArgumentException("activation ranking is not built for " + m.architecture()
                    + " filters (use random, magnitude, goodness, greedy or weights)");
        }
        return spec.keep().resolve(m.widths());
    }

    /**
     * The neurons each layer keeps (sorted indices) for a structured method.
     *
     * @param train training images, needed by {@code activation} only (may be null otherwise)
     */
    public static int[][] select(Model m, PruneSpec spec, Dataset train) {
        int[] keep = keepCounts(m, spec);
        switch (spec.method()) {
            case RANDOM:
                return NeuronSelection.random(m.widths(), keep, spec.seed());
            case MAGNITUDE:
                return NeuronSelection.magnitude(m, keep, spec.l1());
            case ACTIVATION:
                return NeuronSelection.activation(m, keep, train, spec.sampleSize(), spec.seed(), spec.leastActive());
            case GOODNESS:
            case GREEDY:
                return NeuronSelection.head(NeuronSelection.ranking(m, spec, train), keep);
            default:
                throw new IllegalArgumentException(spec.method() + " pruning does not select neurons");
        }
    }

    /** Prunes; the source SHA-256 in the provenance is that of {@code serializer.apply(m)}. */
    public Model prune(Model m, PruneSpec spec, Dataset train) {
        return prune(m, spec, train, Sha256.hex(serializer.apply(m)));
    }

    /**
     * Prunes and records the given source SHA-256 (the CLI passes the input file's hash).
     *
     * @throws IllegalArgumentException for impossible keep counts, a missing training set for
     *                                  activation, or mismatched data
     */
    public static Model prune(Model m, PruneSpec spec, Dataset train, String sourceSha256) {
        int[] keep = keepCounts(m, spec);
        return apply(m, spec, keep, spec.method().structured() ? select(m, spec, train) : null, sourceSha256);
    }

    /**
     * Applies an already made selection (e.g. the head of a cached {@link NeuronSelection#ranking}):
     * surgery with {@code indices} for structured methods, weight zeroing by {@code keep} for
     * {@code weights} (indices unused, may be null); records the provenance entry.
     */
    public static Model apply(Model m, PruneSpec spec, int[] keep, int[][] indices, String sourceSha256) {
        Model out;
        double[] zero = null;
        if (spec.method() == PruneMethod.WEIGHTS) {
            zero = WeightPruning.zeroFractions(m.widths(), keep);
            out = WeightPruning.zeroSmallest(m, zero);
        } else {
            out = NeuronSurgery.keep(m, indices);
        }
        return out.toBuilder().provenance(appendPruning(m.provenance(), spec, m.widths(), keep, zero, sourceSha256))
                .build();
    }

    /**
     * Prunes and measures (backs {@code fftk prune}): sizes before and after through the serializer,
     * and accuracy before and after when a test set is given.
     *
     * @param train        training images for activation ranking (may be null for other methods)
     * @param test         test images for accuracy, or null
     * @param evaluator    how to measure accuracy (e.g. {@code Accuracy.parallel(2)}; null: serial); unused
     *                     without test
     * @param sourceSha256 SHA-256 of the source model file, or null to hash {@code serializer.apply(m)}
     */
    public PruneResult pruneWithReport(Model m, PruneSpec spec, Dataset train, Dataset test,
                                       Evaluator evaluator, String sourceSha256) {
        byte[] file = serializer.apply(m);
        return pruneWithReport(m, file, sourceSha256 == null ? Sha256.hex(file) : sourceSha256, spec, train, test,
                evaluator);
    }

    /**
     * Prunes a model read from a file: "before" measures the file's own bytes and its SHA-256 goes
     * into the provenance; the pruned model is serialised once, and those bytes are both measured
     * and returned for writing.
     */
    public PruneResult pruneWithReport(ModelFile source, PruneSpec spec, Dataset train, Dataset test,
                                       Evaluator evaluator) {
        return pruneWithReport(source.model(), source.bytes(), source.sha256(), spec, train, test, evaluator);
    }

    private PruneResult pruneWithReport(Model m, byte[] file, String sha, PruneSpec spec, Dataset train,
                                        Dataset test, Evaluator evaluator) {
        ModelMeasures before = ModelMeasures.of(m, file);
        Model p = prune(m, spec, train, sha);
        byte[] out = serializer.apply(p);
        ModelMeasures after = ModelMeasures.of(p, out);
        Double accBefore = null;
        Double accAfter = null;
        if (test != null) {
            Evaluator ev = evaluator == null ? org.fftk.pruner.report.Accuracy.serial() : evaluator;
            accBefore = ev.accuracy(m, test);
            accAfter = ev.accuracy(p, test);
        }
        PruneReport r = new PruneReport(spec.label(), spec.keep().toString(), keepCounts(m, spec), spec.seed(),
                before, after, (double) before.fileBytes() / after.fileBytes(),
                (double) before.gzipBytes() / after.gzipBytes(), (double) before.parameters() / after.parameters(),
                accBefore, accAfter, test == null ? null : test.size());
        return new PruneResult(p, out, r);
    }

    /** The provenance JSON with one more entry in its "pruning" array. */
    static String appendPruning(String provenance, PruneSpec spec, int[] widths, int[] keep, double[] zero,
                                String sourceSha256) {
        ObjectNode root;
        try {
            JsonNode n = JSON.readTree(provenance == null || provenance.isBlank() ? "{}" : provenance);
            if (n instanceof ObjectNode) {
                root = (ObjectNode) n;
            } else {
                root = JSON.createObjectNode();
                root.set("previous", n);
            }
        } catch (java.io.IOException e) {
            root = JSON.createObjectNode();
            root.put("previous_unparsed", provenance);
        }
        ArrayNode arr;
        JsonNode existing = root.get("pruning");
        if (existing instanceof ArrayNode) {
            arr = (ArrayNode) existing;
        } else {
            arr = root.putArray("pruning");
            if (existing != null) {
                arr.add(existing);
            }
        }
        ObjectNode e = arr.addObject();
        e.put("method", spec.method().id());
        if (spec.method() == PruneMethod.MAGNITUDE) {
            e.put("norm", spec.l1() ? "l1" : "l2");
        }
        if (spec.method() == PruneMethod.ACTIVATION) {
            e.put("least_active", spec.leastActive());
        }
        if (spec.method().needsTrainingData()) {
            e.put("sample_size", spec.sampleSize());
        }
        e.put("keep", spec.keep().toString());
        ArrayNode k = e.putArray("kept");
        for (int t : keep) {
            k.add(t);
        }
        ArrayNode w = e.putArray("widths_before");
        for (int t : widths) {
            w.add(t);
        }
        if (zero != null) {
            ArrayNode z = e.putArray("zero_fraction");
            for (double f : zero) {
                z.add(f);
            }
        }
        e.put("seed", spec.seed());
        e.put("source_sha256", sourceSha256);
        try {
            return JSON.writeValueAsString(root);
        } catch (java.io.IOException ex) {
            throw new IllegalStateException("cannot write provenance JSON", ex);
        }
    }
}
