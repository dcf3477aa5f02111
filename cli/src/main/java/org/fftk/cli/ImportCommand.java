package org.fftk.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.fftk.edge.data.DatasetName;
import org.fftk.edge.io.AtomicFiles;
import org.fftk.edge.model.Model;
import org.fftk.exporter.fflib.FflibImporter;
import org.fftk.pruner.io.ModelFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code fftk import}: models trained elsewhere, as fftk ONNX files. */
@Command(name = "import", mixinStandardHelpOptions = true, subcommands = ImportCommand.Fflib.class,
        description = "Convert a model trained elsewhere into an fftk ONNX file (see 'fftk import fflib --help').")
final class ImportCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return 2;
    }

    /** {@code fftk import fflib MODEL.pt --out MODEL.onnx} (docs/algorithms.md "Importing FFLib checkpoints"). */
    @Command(name = "fflib", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Import a checkpoint written by FFLib (paper 003's PyTorch library,",
                    "FFSuite.save) or its ff-research scripts: FFNet -> ffnn, FFC -> ffnn-c,",
                    "FFRNN -> ffrnn, the backprop network -> bpnn. The pickle is read as data",
                    "by a restricted reader (no Python, no code from the file). Every fftk",
                    "command and the edge jar then work on the ONNX file."})
    static final class Fflib implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "MODEL.pt", description = "the checkpoint (torch.save zip)")
        Path checkpoint;

        @Option(names = "--out", paramLabel = "MODEL.onnx", required = true, description = "where to write the fftk model")
        Path out;

        @Option(names = "--dataset", paramLabel = "NAME",
                description = "the data it was trained on (mnist, fashion-mnist, cifar10): recorded with its class names, "
                        + "and the image size checked; labels default to 10 without it")
        String dataset;

        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            OutputFiles.checkTarget(out, checkpoint);
            DatasetName name = dataset == null ? null : DatasetName.fromId(dataset);
            FflibImporter.Result r = FflibImporter.read(checkpoint, name);
            Model m = r.model();
            AtomicFiles.write(out, ModelFiles.onnx(m));
            PrintWriter o = spec.commandLine().getOut();
            o.printf("imported %s (%s) as %s %s, %s%s: %s%n", checkpoint, r.kind(), m.architecture().id(),
                    widths(m), m.architecture() == org.fftk.edge.model.Architecture.BPNN ? "cross-entropy"
                            : m.objective().id() + ", theta " + Json.num(m.theta()),
                    m.dataset().isEmpty() ? "" : ", " + m.dataset(), out);
            for (String n : r.notes()) {
                o.println("note: " + n);
            }
            o.flush();
            return 0;
        }

        private static String widths(Model m) {
            StringBuilder s = new StringBuilder().append(m.inputSize());
            for (int w : m.widths()) {
                s.append('-').append(w);
            }
            return s.append('-').append(m.numLabels()).toString();
        }
    }
}
