package org.fftk.trainer.tf;

/**
 * How the training graphs update their variables (docs/algorithms.md "Training"): Adam (β1 0.9,
 * β2 0.999, ε 1e-8; fftk's default and paper 003's) or SGD with momentum (PyTorch's form, paper
 * 004's runs: v ← μ·v + g, w ← w − lr·v). A weight decay wd adds wd·w to every gradient first
 * (PyTorch's {@code weight_decay}, an L2 penalty, for either).
 */
public record Optimizer(Kind kind, float learningRate, float momentum, float weightDecay) {
    public enum Kind { ADAM, SGD }

    public Optimizer {
        if (!(learningRate > 0) || !(momentum >= 0 && momentum < 1) || !(weightDecay >= 0)) {
            throw new IllegalArgumentException("optimizer settings out of range: learning rate " + learningRate
                    + " (> 0), momentum " + momentum + " ([0, 1)), weight decay " + weightDecay + " (>= 0)");
        }
    }

    public static Optimizer adam(float learningRate) {
        return new Optimizer(Kind.ADAM, learningRate, 0f, 0f);
    }

    public Optimizer withLearningRate(float lr) {
        return new Optimizer(kind, lr, momentum, weightDecay);
    }

    public String describe() {
        String wd = weightDecay > 0 ? ", weight decay " + weightDecay : "";
        return kind == Kind.ADAM ? "adam(beta1=0.9, beta2=0.999, eps=1e-8" + wd + ")" : "sgd(momentum=" + momentum + wd + ")";
    }
}
