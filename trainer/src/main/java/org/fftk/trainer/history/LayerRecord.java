package org.fftk.trainer.history;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One hidden layer in one epoch. Accuracies are on the validation split (docs/algorithms.md "Per-layer metrics"): {@code accuracy}
 * = (TP+TN)/all over the validation images as positive (true label) and negative (a fixed seeded
 * wrong label) samples, a sample called positive when z &gt; 0 (maximize) or z &lt; 0 (minimize);
 * {@code labelAccuracy} = accuracy of predicting with this layer's goodness alone. Both are null
 * for bpnn, ffrnn, ffnn-c's classifier phase and when the epoch was not evaluated.
 * {@code trainLoss}: mean batch loss of the layer over the epoch (ffrnn: per training frame; null
 * for bpnn, whose loss is the network's, and for ffnn-c's classifier phase). Weight metrics are of
 * the flattened |W| (bias excluded; ffrnn: the forward weights), docs/algorithms.md "Sparsity metrics".
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LayerRecord(int layer, Double trainLoss, Double accuracy, Double labelAccuracy,
                          double hoyer, double l1NegEntropy, double l2NegEntropy, double gini) {
}
