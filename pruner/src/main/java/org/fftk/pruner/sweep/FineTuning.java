package org.fftk.pruner.sweep;

import java.util.function.UnaryOperator;
import org.fftk.edge.model.Model;

/**
 * Fine-tuning after pruning, as a sweep sees it: a deterministic function from a pruned model to a
 * further-trained one (the CLI supplies the trainer; the pruner does not depend on it) and its
 * number of epochs, which names the curve ({@code random+ft5}, see {@link Variant}).
 *
 * @param epochs epochs of fine-tuning, at least 1
 * @param tune   the fine-tuning itself; must give the same result for the same model every time
 */
public record FineTuning(int epochs, UnaryOperator<Model> tune) {
    public FineTuning {
        if (epochs < 1) {
            throw new IllegalArgumentException("fine-tuning needs at least 1 epoch, got " + epochs);
        }
    }
}
