package org.fftk.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.fftk.edge.model.Architecture;
import org.fftk.pruner.io.ModelFile;
import org.fftk.trainer.TrainConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code fftk finetune}: continues training any model file with its architecture's own rule. */
@Command(name = "finetune", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Continue training a model file (trained, pruned or fine-tuned before) from exactly its weights,",
                "with its architecture's own rule: FF local losses for ffnn and ffrnn, the classifier for ffnn-c and ffcnn-c",
                "(with --ff-epochs, first its FF layers), backprop for bpnn. Adam starts afresh. Settings not given",
                "come from the model (objective, theta, beta, frames) and its provenance (learning rates, batch size).",
                "The output's provenance keeps the input's and adds a 'finetuning' entry."})
final class FinetuneCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "MODEL.onnx", description = "the model to continue from")
    Path model;

    @Mixin
    TrainingRun run;

    @Option(names = "--ff-epochs", paramLabel = "K", defaultValue = "0",
            description = "ffnn-c, ffcnn-c: epochs of FF-layer training before the classifier's (default: ${DEFAULT-VALUE}, classifier only)")
    int ffEpochs;

    @Option(names = "--add-classifier",
            description = "ffnn, ffcnn: train a linear classifier on the frozen layers (paper 002's second prediction route); "
                    + "the output is ffnn-c / ffcnn-c. On an ffnn-c / ffcnn-c: a fresh classifier replaces its own")
    boolean addClassifier;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (run.epochs == null) {
            throw new IllegalArgumentException("--epochs is required: how many epochs to fine-tune for");
        }
        ModelFile src = ModelFile.read(model);
        Architecture from = src.model().architecture();
        Architecture to = from;
        org.fftk.edge.model.Model start = src.model();
        if (addClassifier) {
            if (from.hasFfClassifier()) {
                start = start.goodnessModel(); // its layers alone: the classifier starts afresh
            }
            to = start.architecture().withClassifier();
            if (to == null) {
                throw new IllegalArgumentException("--add-classifier is for ffnn, ffcnn, ffnn-c and ffcnn-c models; " + model
                        + " is " + from);
            }
            if (to == Architecture.FFCNN_C && src.model().layers().size() < 2) {
                throw new IllegalArgumentException("--add-classifier: ffcnn-c reads every conv layer but the first; " + model
                        + " has only one");
            }
            if (ffEpochs != 0) {
                throw new IllegalArgumentException("--add-classifier trains the classifier alone; leave out --ff-epochs");
            }
        }
        TrainConfig cfg = run.apply(Finetuning.config(start, to));
        if (to.hasFfClassifier()) {
            if (ffEpochs < 0) {
                throw new IllegalArgumentException("--ff-epochs must not be negative, got " + ffEpochs);
            }
            cfg = cfg.withFfEpochs(ffEpochs);
        } else if (ffEpochs != 0) {
            throw new IllegalArgumentException("--ff-epochs is for ffnn-c and ffcnn-c models; " + model + " is "
                    + src.model().architecture());
        }
        run.check(cfg);
        TrainConfig used = cfg;
        return run.run(cfg, "fine-tuning " + model, spec.commandLine().getOut(),
                (trained, test) -> Finetuning.provenance(src.model(), src.sha256(), used, trained, test));
    }
}
