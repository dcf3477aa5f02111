package org.fftk.pruner.sweep;

import java.util.function.UnaryOperator;
import org.fftk.edge.model.Model;

/**
 * Fine-tuning after pruning, as a sweep sees it: a deterministic function from a pruned model to a
 * further-trained one (the CLI supplies the trainer; the pruner does not depend on it) and its
 * number of epochs, which names the curve ({@code random+ft5}).
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

    /** The curve label of a fine-tuned method: {@code label + "+ft" + epochs}. */
    public String label(String method) {
        return method + "+ft" + epochs;
    }

    /** The method label without a fine-tuning suffix, and the epochs it names (0: none). */
    public static int epochsOf(String label) {
        int i = label.lastIndexOf("+ft");
        return i < 0 ? 0 : Integer.parseInt(label.substring(i + 3));
    }

    public static String methodOf(String label) {
        int i = label.lastIndexOf("+ft");
        return i < 0 ? label : label.substring(0, i);
    }
}
