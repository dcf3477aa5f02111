package org.fftk.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.fftk.edge.data.Dataset;
import org.fftk.edge.data.Split;
import org.fftk.edge.io.AtomicFiles;
import org.fftk.edge.model.Model;
import org.fftk.pruner.io.ModelFile;
import org.fftk.pruner.io.ModelFiles;
import org.fftk.pruner.lowrank.LowRank;
import org.fftk.pruner.report.Accuracy;
import org.fftk.pruner.report.ModelMeasures;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code fftk factor}: low-rank layers by truncated SVD (docs/algorithms.md "Low-rank layers"). */
@Command(name = "factor", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Replace each hidden layer's weight W of an ffnn (or bpnn) by a rank-r",
                "approximation U·V stored as two factors: r·(out + in) weights instead of",
                "out·in, every neuron kept. By default the factors best keep the layer's",
                "pre-activations on its own inputs (training images with every label);",
                "--plain: the truncated SVD of W. The file is standard ONNX (two Gemms per",
                "layer). With --finetune-epochs the factors are then trained with the",
                "model's own rule. With --dataset (or --data), reports accuracy before and",
                "after on the test split."})
final class FactorCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "MODEL.onnx")
    Path model;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Size size;

    static final class Size {
        @Option(names = "--rank", paramLabel = "R|R1,R2", split = ",",
                description = "the rank of every hidden layer, or one per layer (0 keeps a layer full)")
        int[] ranks;

        @Option(names = "--target-ratio", paramLabel = "X",
                description = {"choose the ranks so the parameters shrink X",
                        "times: each added rank goes to the layer whose",
                        "next singular value keeps the largest share of",
                        "that layer's energy per weight"})
        Double ratio;
    }

    @Mixin
    DataOptions data;

    @Mixin
    FinetuneOptions finetune;

    @Option(names = "--plain", description = {"the plain truncated SVD of each weight (best",
            "in ‖W − Ŵ‖; needs no data) instead of the",
            "data-aware factors (best on the layer's own",
            "inputs over --sample training images; default)"})
    boolean plain;

    /** Training images the data-aware factorisation reads by default. */
    static final int DEFAULT_SAMPLE = 2000;

    @Option(names = "--sample", converter = PositiveInt.class, paramLabel = "N", defaultValue = "" + DEFAULT_SAMPLE,
            description = "training images the data-aware factorisation measures each layer's inputs on (default: ${DEFAULT-VALUE})")
    int sample;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "1", description = "seed of that sample (default: ${DEFAULT-VALUE})")
    long seed;

    @Mixin
    TestLimit limit;

    @Option(names = "--out", paramLabel = "FACTORED.onnx", required = true, description = "where to write the factored model")
    Path out;

    @Option(names = "--json", description = "print the report as JSON")
    boolean json;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        OutputFiles.checkTarget(out, model);
        finetune.check();
        ModelFile src = ModelFile.read(model);
        Model m = src.model();
        LowRank.check(m);
        if (size.ratio != null) {
            LowRank.checkRatio(size.ratio);
        }
        LowRank lr = plain ? LowRank.of(m) : LowRank.of(m, data.loadTrainingPart(), sample, seed);
        int[] ranks = size.ranks;
        if (size.ratio != null) {
            ranks = lr.ranksForRatio(size.ratio);
        } else if (ranks.length == 1 && m.layers().size() > 1) {
            int r = ranks[0];
            ranks = new int[m.layers().size()];
            Arrays.fill(ranks, r);
        }
        if (Arrays.stream(ranks).allMatch(r -> r == 0)) {
            throw new IllegalArgumentException("--rank 0 keeps a layer full; with every rank 0 there is nothing to factor");
        }
        Model f = lr.truncate(ranks);
        f = f.toBuilder().provenance(provenance(m.provenance(), src.sha256(), ranks, plain ? null : sample, seed)).build();
        boolean withData = DataOptions.given(spec) || finetune.epochs != null;
        Double accBefore = null;
        Double accOneShot = null;
        Double accAfter = null;
        Dataset test = null;
        int threads = Runtime.getRuntime().availableProcessors();
        if (withData) {
            test = data.testImages(limit.limit);
            accBefore = Accuracy.parallel(threads).accuracy(m, test);
            accAfter = Accuracy.parallel(threads).accuracy(f, test);
        }
        if (finetune.epochs != null) {
            accOneShot = accAfter;
            f = finetune.tuner(data.load(Split.TRAIN)).apply(f);
            accAfter = Accuracy.parallel(threads).accuracy(f, test);
        }
        byte[] bytes = ModelFiles.onnx(f);
        ModelMeasures before = ModelMeasures.of(m, src.bytes());
        ModelMeasures after = ModelMeasures.of(f, bytes);
        AtomicFiles.write(out, bytes);
        PrintWriter o = spec.commandLine().getOut();
        double ratio = (double) before.fileBytes() / after.fileBytes();
        if (json) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("ranks", ranks);
            r.put("before", before);
            r.put("after", after);
            r.put("compressionRatio", ratio);
            r.put("accuracyBefore", accBefore);
            r.put("accuracyOneShot", accOneShot);
            r.put("finetuneEpochs", finetune.epochs);
            r.put("accuracyAfter", accAfter);
            r.put("testSize", test == null ? null : test.size());
            r.put("model", out.toString());
            o.println(Json.pretty(r));
        } else {
            o.printf("ranks %s (of %s)%n", Arrays.toString(ranks), Arrays.toString(fullRanks(m)));
            o.printf("%-22s %14s %14s%n", "", "before", "after");
            o.printf("%-22s %,14d %,14d%n", "parameters", before.parameters(), after.parameters());
            o.printf("%-22s %,14d %,14d%n", "file bytes", before.fileBytes(), after.fileBytes());
            o.printf("%-22s %,14d %,14d%n", "xz bytes", before.xzBytes(), after.xzBytes());
            if (accBefore != null) {
                o.printf("%-22s %13.2f%% %13.2f%%   (%d test images)%n", "accuracy", 100 * accBefore, 100 * accAfter,
                        test.size());
            }
            if (accOneShot != null) {
                o.printf("%-22s %28.2f%%   (before %d epochs of fine-tuning)%n", "one-shot", 100 * accOneShot, finetune.epochs);
            }
            o.printf("compression ratio %.2fx; wrote %s%n", ratio, out);
        }
        o.flush();
        return 0;
    }

    private static int[] fullRanks(Model m) {
        return m.layers().stream().mapToInt(l -> Math.min(l.out(), l.in())).toArray();
    }

    /** The source's provenance plus a "factorization" record. */
    static String provenance(String source, String sha256, int[] ranks, Integer sample, long seed) throws Exception {
        JsonNode n = Json.parseOrNull(source);
        ObjectNode root = n instanceof ObjectNode ? (ObjectNode) n : Json.MAPPER.createObjectNode();
        ObjectNode q = root.putObject("factorization");
        if (sample == null) {
            q.put("method", "truncated SVD of W, factors U·sqrt(S) and sqrt(S)·V^T");
        } else {
            q.put("method", "data-aware truncated SVD of W·C^(1/2), C the layer's input moments (docs/algorithms.md)");
            q.put("sample", sample);
            q.put("seed", seed);
        }
        q.putPOJO("ranks", ranks);
        q.put("source_sha256", sha256);
        return Json.MAPPER.writeValueAsString(root);
    }
}
