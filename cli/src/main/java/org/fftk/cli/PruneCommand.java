package org.fftk.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.fftk.edge.data.Split;
import org.fftk.edge.model.Model;
import org.fftk.edge.data.Dataset;
import org.fftk.edge.io.AtomicFiles;
import org.fftk.pruner.io.ModelFile;
import org.fftk.pruner.io.ModelFiles;
import org.fftk.pruner.method.AutoKeep;
import org.fftk.pruner.method.KeepCounts;
import org.fftk.pruner.method.PruneMethod;
import org.fftk.pruner.method.PruneResult;
import org.fftk.pruner.method.PruneSpec;
import org.fftk.pruner.method.Pruner;
import org.fftk.pruner.report.Accuracy;
import org.fftk.pruner.report.Evaluator;
import org.fftk.pruner.report.ModelMeasures;
import org.fftk.pruner.report.PruneReport;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code fftk prune}: one-shot pruning that physically removes neurons (docs/algorithms.md "Pruning"). */
@Command(name = "prune", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Prune a model once, without fine-tuning, and write the smaller model.",
                "Structured methods (random, activation, magnitude, goodness, greedy) delete whole neurons: rows, biases and every column that reads them.",
                "'weights' zeroes the smallest weights instead (shapes stay). With --dataset, reports accuracy before and after on the test split."})
final class PruneCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "MODEL.onnx")
    Path model;

    @Option(names = "--method", paramLabel = "METHOD", defaultValue = "random",
            description = {"random, activation, magnitude, goodness, greedy or weights (default: ${DEFAULT-VALUE});",
                    "goodness: FF-aware, each neuron's share of the goodness gap between true and wrong labels;",
                    "greedy: FF-aware, adds one neuron at a time, the one with which the kept ones best predict",
                    "the training labels by goodness (both: FF-trained layers only)"})
    String method;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Keep keep;

    static final class Keep {
        @Option(names = "--keep", paramLabel = "T|T1,T2|auto",
                description = {"neurons to keep: one count for every hidden layer, or one per layer;",
                        "auto: per-layer counts searched on the validation split for --target-ratio or --max-drop"})
        String counts;

        @Option(names = "--ratio", paramLabel = "R", description = "share of each layer to keep, in (0, 1]")
        Double ratio;
    }

    @Option(names = "--target-ratio", paramLabel = "R",
            description = "--keep auto: shrink until the file is R times smaller")
    Double targetRatio;

    @Option(names = "--max-drop", paramLabel = "P",
            description = "--keep auto: never lose more than P points of validation accuracy")
    Double maxDrop;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "1", description = "seed for random pruning and the activation sample (default: ${DEFAULT-VALUE})")
    long seed;

    @Mixin
    DataOptions data;

    @Mixin
    RankingOptions ranking;

    @Mixin
    FinetuneOptions finetune;

    @Mixin
    TestLimit limit;

    @Option(names = "--out", paramLabel = "PRUNED.onnx", required = true, description = "where to write the pruned model")
    Path out;

    @Option(names = "--json", description = "print the report as JSON")
    boolean json;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        OutputFiles.checkTarget(out, model);
        finetune.check();
        PruneMethod pm = PruneMethod.fromId(method);
        boolean auto = keep.counts != null && keep.counts.trim().equalsIgnoreCase("auto");
        if (!auto && (targetRatio != null || maxDrop != null)) {
            throw new IllegalArgumentException("--target-ratio and --max-drop go with --keep auto");
        }
        if (auto && targetRatio == null && maxDrop == null) {
            throw new IllegalArgumentException("--keep auto needs --target-ratio R or --max-drop P");
        }
        if (maxDrop != null && !(maxDrop >= 0)) {
            throw new IllegalArgumentException("--max-drop must be a number of points, at least 0, got " + maxDrop);
        }
        KeepCounts kc = auto ? KeepCounts.same(1)
                : keep.ratio != null ? KeepCounts.ratio(keep.ratio) : KeepCounts.parse(keep.counts);
        PruneSpec ps = ranking.apply(PruneSpec.of(pm, kc, seed));
        ModelFile src = ModelFile.read(model);
        Model m = src.model();
        AutoKeep.Result searched = null;
        if (auto) {
            Dataset validation = data.loadSplit("validation");
            Dataset rank = pm.needsTrainingData() ? data.loadTrainingPart() : null;
            Evaluator ev = Accuracy.parallel(Runtime.getRuntime().availableProcessors());
            double floor = Double.NaN;
            if (maxDrop != null) {
                floor = ev.accuracy(m, validation) - maxDrop / 100;
            }
            searched = AutoKeep.search(m, ps, rank, validation, ev, ModelFiles::onnx,
                    targetRatio == null ? 0 : targetRatio, floor);
            ps = ps.withKeep(KeepCounts.perLayer(searched.keep()));
        }
        Pruner.keepCounts(m, ps); // refuses a keep count larger than a layer before any data is loaded
        boolean withData = DataOptions.given(spec) || pm.needsTrainingData();
        Dataset train = null;
        Dataset test = null;
        if (withData) {
            if (pm.needsTrainingData()) {
                train = data.loadTrainingPart();
            }
            test = data.testImages(limit.limit);
        }
        Evaluator accuracy = Accuracy.parallel(Runtime.getRuntime().availableProcessors());
        PruneResult r = new Pruner(ModelFiles::onnx).pruneWithReport(src, ps, train, test, accuracy);
        PruneReport rep = r.report();
        byte[] bytes = r.bytes();
        if (finetune.epochs != null) {
            Model tuned = finetune.tuner(data.load(Split.TRAIN)).apply(r.model());
            bytes = ModelFiles.onnx(tuned);
            rep = rep.finetuned(finetune.epochs, ModelMeasures.of(tuned, bytes),
                    test == null ? null : accuracy.accuracy(tuned, test));
        }
        AtomicFiles.write(out, bytes);
        PrintWriter o = spec.commandLine().getOut();
        if (json) {
            if (searched != null) {
                Map<String, Object> j = new LinkedHashMap<>();
                j.put("report", rep);
                j.put("autoKeepSteps", searched.steps());
                o.println(Json.pretty(j));
            } else {
                o.println(Json.pretty(rep));
            }
        } else {
            if (searched != null) {
                AutoKeep.Step last = searched.steps().get(searched.steps().size() - 1);
                o.printf("keep auto: %d steps on the validation split -> per-layer keep %s (%.2fx, validation %.2f%%)%n",
                        searched.steps().size() - 1, ModelDescription.widths(searched.keep()), last.compressionRatio(),
                        100 * last.accuracy());
            }
            print(o, rep, out);
        }
        o.flush();
        return 0;
    }

    static void print(PrintWriter o, PruneReport r, Path out) {
        ModelMeasures b = r.before();
        ModelMeasures a = r.after();
        o.printf("%-22s %14s %14s%n", "", "before", "after");
        o.printf("%-22s %14s %14s%n", "widths", ModelDescription.widths(b.widths()), ModelDescription.widths(a.widths()));
        o.printf("%-22s %,14d %,14d%n", "parameters", b.parameters(), a.parameters());
        o.printf("%-22s %,14d %,14d%n", "non-zero parameters", b.nonzeroParameters(), a.nonzeroParameters());
        o.printf("%-22s %,14d %,14d%n", "MACs per prediction", b.macs(), a.macs());
        o.printf("%-22s %,14d %,14d%n", "file bytes", b.fileBytes(), a.fileBytes());
        o.printf("%-22s %,14d %,14d%n", "gzip bytes", b.gzipBytes(), a.gzipBytes());
        if (b.xzBytes() != null && a.xzBytes() != null) {
            o.printf("%-22s %,14d %,14d%n", "xz bytes", b.xzBytes(), a.xzBytes());
        }
        if (r.accuracyBefore() != null) {
            if (r.finetuneEpochs() != null) {
                o.printf("%-22s %13.2f%% %13.2f%%   (%d test images; one-shot %.2f%%, then %d epochs of fine-tuning)%n",
                        "accuracy", 100 * r.accuracyBefore(), 100 * r.accuracyAfter(), r.testSize(),
                        100 * r.accuracyOneShot(), r.finetuneEpochs());
            } else {
                o.printf("%-22s %13.2f%% %13.2f%%   (%d test images)%n", "accuracy", 100 * r.accuracyBefore(),
                        100 * r.accuracyAfter(), r.testSize());
            }
        }
        o.printf("method %s, keep %s, seed %d: compression ratio %.2fx (gzip %.2fx, parameters %.2fx); wrote %s%n",
                r.method(), r.keep(), r.seed(), r.compressionRatio(), r.gzipCompressionRatio(), r.parameterRatio(), out);
    }
}
