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

    @Option(names = "--cam", paramLabel = "IMAGE", arity = "1..*",
            description = "ffcnn, ffcnn-c, bpcnn: class activation maps of these image files (PNG, JPEG, BMP, GIF, PGM), one PNG per "
                    + "layer in --plots DIR: yellow where a position supports the predicted label, pink where it speaks against it")
    java.util.List<Path> cam;

    @Option(names = "--cam-test", converter = PositiveInt.class, paramLabel = "N",
            description = "ffcnn, ffcnn-c, bpcnn: class activation maps of the first N test images of --dataset")
    Integer camTest;

    @Option(names = "--invert", description = "--cam images: dark ink on light paper (inverted to MNIST's light on dark)")
    boolean invert;

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
        if (cam != null || camTest != null) {
            return classActivationMaps(m);
        }
        boolean withData = DataOptions.given(spec);
        if (withData && m.conv() != null) {
            throw new IllegalArgumentException("activation sparsity and class ensembles are measured on dense layers' neurons; "
                    + "for an " + m.architecture() + " (conv maps) inspect the weights without --dataset, or draw --cam maps");
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

    /** --cam, --cam-test: per image and layer a PNG in --plots DIR (docs/algorithms.md "Class activation maps"). */
    private int classActivationMaps(Model m) throws Exception {
        if (m.conv() == null) {
            throw new IllegalArgumentException("class activation maps are for conv models (ffcnn, ffcnn-c, bpcnn); " + model + " is "
                    + m.architecture());
        }
        if (plots == null) {
            throw new IllegalArgumentException("--cam and --cam-test write their PNGs into --plots DIR");
        }
        java.util.List<String> names = new java.util.ArrayList<>();
        java.util.List<float[]> images = new java.util.ArrayList<>();
        if (cam != null) {
            for (Path f : cam) {
                images.add(org.fftk.edge.data.ImageFiles.read(f, m.inputSize(), invert));
                String n = f.getFileName().toString();
                names.add(n.contains(".") ? n.substring(0, n.lastIndexOf('.')) : n);
            }
        }
        if (camTest != null) {
            Dataset test = data.load(Split.TEST);
            if (test.inputSize() != m.inputSize()) {
                throw new IllegalArgumentException(data.name() + " images have " + test.inputSize() + " values, the model reads "
                        + m.inputSize());
            }
            for (int i = 0; i < Math.min(camTest, test.size()); i++) {
                images.add(java.util.Arrays.copyOfRange(test.images(), test.offset(i), test.offset(i) + m.inputSize()));
                names.add("test" + i + "-label" + test.label(i));
            }
        }
        java.nio.file.Files.createDirectories(plots);
        PrintWriter o = spec.commandLine().getOut();
        for (int i = 0; i < images.size(); i++) {
            org.fftk.pruner.cam.ClassActivationMaps.Result r = org.fftk.pruner.cam.ClassActivationMaps.of(m, images.get(i));
            String label = Integer.toString(r.predicted());
            if (m.classes().size() > r.predicted() && !m.classes().get(r.predicted()).equals(label)) {
                label += " (" + m.classes().get(r.predicted()) + ")";
            }
            StringBuilder line = new StringBuilder(names.get(i) + ": predicted " + label + ";");
            for (org.fftk.pruner.cam.ClassActivationMaps.LayerMap lm : r.layers()) {
                Path f = plots.resolve("cam-" + names.get(i) + "-layer" + lm.layer() + ".png");
                org.fftk.pruner.cam.CamImages.write(images.get(i), m.conv(), lm, f);
                line.append(' ').append(f);
            }
            o.println(line);
        }
        o.flush();
        return 0;
    }
}
