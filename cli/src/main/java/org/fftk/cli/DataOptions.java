package org.fftk.cli;

import java.io.IOException;
import java.nio.file.Path;
import org.fftk.edge.data.Dataset;
import org.fftk.edge.data.DatasetName;
import org.fftk.edge.data.Datasets;
import org.fftk.edge.data.Split;
import org.fftk.datasets.DatasetLocator;
import org.fftk.datasets.KnownDataset;
import org.fftk.datasets.LocatedDataset;
import picocli.CommandLine.Option;

/** {@code --dataset} and {@code --data}: which dataset, and where to look first (docs/algorithms.md "Datasets on a user's machine"). */
final class DataOptions {
    @Option(names = "--dataset", paramLabel = "NAME", description = "mnist, fashion-mnist or cifar10 (default: ${DEFAULT-VALUE})",
            defaultValue = "mnist")
    String dataset;

    @Option(names = "--data", paramLabel = "DIR",
            description = "folder holding the dataset files (else $FFTK_DATA, the user cache, system folders, then download)")
    Path dataDir;

    DatasetName name() {
        return DatasetName.fromId(dataset);
    }

    /** Share of the training split held out for validation (docs/algorithms.md "Data": its last 10%), as the trainer does. */
    static final double VALIDATION_FRACTION = 0.1;

    /**
     * Loads "train", "test", or "validation" (the last 10% of the training split, never used for
     * training by {@code fftk train} with its default --val-fraction).
     */
    Dataset loadSplit(String split) throws IOException {
        if ("validation".equalsIgnoreCase(split.trim()) || "val".equalsIgnoreCase(split.trim())) {
            Dataset t = load(Split.TRAIN);
            int n = (int) Math.round(t.size() * VALIDATION_FRACTION);
            return t.range(t.size() - n, n);
        }
        return load(Split.fromId(split));
    }

    /**
     * The part of the training split that trains and ranks: the training split without its
     * validation tail, so that a ranking sample never overlaps the images a sweep picks models on.
     */
    Dataset loadTrainingPart() throws IOException {
        Dataset t = load(Split.TRAIN);
        return t.range(0, t.size() - (int) Math.round(t.size() * VALIDATION_FRACTION));
    }

    /**
     * Warns on {@code err} (one line) when the model says it learnt another dataset than the images
     * come from: an MNIST model gives confident nonsense on Fashion-MNIST.
     */
    static void warnIfOther(org.fftk.edge.model.Model m, DatasetName images, Path file, java.io.PrintWriter err,
                            String command) {
        if (!m.dataset().isEmpty() && !m.dataset().equals(images.id())) {
            err.println("fftk " + command + ": warning: " + file + " was trained on " + m.dataset() + ", these are "
                    + images.id() + " images");
            err.flush();
        }
    }

    /** Whether {@code --dataset} or {@code --data} was given: commands that only report accuracy then load data. */
    static boolean given(picocli.CommandLine.Model.CommandSpec spec) {
        picocli.CommandLine.ParseResult r = spec.commandLine().getParseResult();
        return r.hasMatchedOption("--dataset") || r.hasMatchedOption("--data");
    }

    /** The test split, or its first {@code limit} images when a limit is given. */
    Dataset testImages(Integer limit) throws IOException {
        Dataset t = load(Split.TEST);
        return limit == null ? t : t.head(limit);
    }

    /** Finds (downloading if needed) and loads one split. */
    Dataset load(Split split) throws IOException {
        DatasetName n = name();
        LocatedDataset where = DatasetLocator.standard(dataDir).locate(KnownDataset.fromId(n.id()));
        return Datasets.load(n, where.dir(), split);
    }
}
