package org.fftk.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.fftk.edge.data.Split;
import org.fftk.edge.model.Model;
import org.fftk.edge.data.Dataset;
import org.fftk.pruner.io.ModelFiles;
import org.fftk.pruner.report.Inspection;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code fftk inspect}: per-layer sparsity and weight statistics (docs/algorithms.md "Sparsity metrics"). */
@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = {"Per layer: the four weight sparsity metrics (Hoyer, L1/L2 negative entropy, Gini), weight min/max/mean/std,",
                "polarity and mean bias. With --dataset (or --data), also activation sparsity and class ensembles on a sample of test images."})
final class InspectCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "MODEL.onnx")
    Path model;

    @Mixin
    DataOptions data;

    @Option(names = "--sample", converter = PositiveInt.class, paramLabel = "N", defaultValue = "1000", description = "images for activation statistics (default: ${DEFAULT-VALUE})")
    int sample;

    @Option(names = "--plots", paramLabel = "DIR",
            description = "write PNGs per layer: positive-weight share histogram; with data also the class-ensemble matrix, "
                    + "the classes' Jaccard matrix and the HSV functional-sparsity map")
    Path plots;

    @Option(names = "--correct-only", description = "activation sparsity over the correctly classified sample images only (paper 000, Table 2)")
    boolean correctOnly;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "1", description = "seed of the image sample (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--json", description = "print JSON instead of text")
    boolean json;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Model m = ModelFiles.read(model);
        boolean withData = spec.commandLine().getParseResult().hasMatchedOption("--dataset")
                || spec.commandLine().getParseResult().hasMatchedOption("--data");
        if (withData && m.conv() != null) {
            throw new IllegalArgumentException("activation sparsity and class ensembles are measured on dense layers' neurons; "
                    + "for an ffcnn (conv maps) inspect the weights only, without --dataset");
        }
        Dataset images = withData ? (data.load(Split.TEST)) : null;
        Inspection ins = Inspection.of(m, ModelFiles::onnx, images, sample, seed, correctOnly);
        PrintWriter o = spec.commandLine().getOut();
        o.println(json ? Json.pretty(ins) : ins.toText());
        if (plots != null) {
            java.nio.file.Files.createDirectories(plots);
            java.util.List<String> names = m.classes().isEmpty() && withData ? data.name().classNames() : m.classes();
            for (Path f : org.fftk.pruner.plot.InspectionPlots.write(m, ins, names, plots)) {
                if (!json) {
                    o.println("wrote " + f);
                }
            }
        }
        o.flush();
        return 0;
    }
}
