package org.fftk.pruner.report;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One weight matrix of a model (backs {@code fftk inspect}): shape, signed statistics, sparsity of |W|
 * (docs/algorithms.md "Sparsity metrics"), polarity ϱ⁺ and mean bias, and, when images were given, activation statistics of the
 * layer's neurons on positive data.
 *
 * @param name           layer0, layer0.backward (ffrnn), …, classifier
 * @param rows           neurons (output width)
 * @param cols           inputs
 * @param parameters     weights (+ biases, for forward layers and the classifier)
 * @param weights        min, max, mean, std of the signed weights
 * @param hoyer          Hoyer sparsity of the flattened |W|
 * @param gini           Gini index of |W|
 * @param l1NegEntropy   L1 negative entropy of |W|
 * @param l2NegEntropy   L2 negative entropy of |W|
 * @param polarity       mean over neurons of the fraction of positive incoming weights
 * @param meanBias       mean bias (null for backward weights, which have none)
 * @param activationHoyer mean over the sample of the Hoyer sparsity of the layer's activation vector
 * @param meanActivation mean activation over neurons and sample
 * @param deadUnits      neurons never active (activation 0 on every sample image)
 * @param ensembles      class ensembles over the correctly classified sample images (hidden layers, with images)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record LayerInspection(String name, int rows, int cols, long parameters, WeightStats weights, double hoyer,
                              double gini, double l1NegEntropy, double l2NegEntropy, double polarity, Double meanBias,
                              Double activationHoyer, Double meanActivation, Integer deadUnits,
                              Ensembles ensembles) {
}
