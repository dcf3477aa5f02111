package org.fftk.cli;

import java.util.function.UnaryOperator;
import org.fftk.edge.data.Dataset;
import org.fftk.edge.model.Model;
import picocli.CommandLine.Option;

/** Fine-tuning after pruning, as {@code prune} and {@code sweep} take it. */
final class FinetuneOptions {
    @Option(names = "--finetune-epochs", converter = PositiveInt.class, paramLabel = "N",
            description = {"fine-tune each pruned model for N epochs on the training split (its validation tail held",
                    "out), with its architecture's own rule (sweep: as curves METHOD+ftN beside the one-shot ones)"})
    Integer epochs;

    @Option(names = "--finetune-lr", paramLabel = "RATE",
            description = "learning rate of that fine-tuning (default: the one the model was trained with)")
    Float lr;

    /** Refuses --finetune-lr without --finetune-epochs. */
    void check() {
        if (epochs == null && lr != null) {
            throw new IllegalArgumentException("--finetune-lr goes with --finetune-epochs");
        }
    }

    /** The fine-tuner on {@code train}, or null when no fine-tuning was asked for. */
    UnaryOperator<Model> tuner(Dataset train) {
        return epochs == null ? null : Finetuning.tuner(train, epochs, lr, 1);
    }
}
