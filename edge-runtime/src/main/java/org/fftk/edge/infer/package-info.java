/**
 * Inference for all four architectures (docs/algorithms.md "FF layer", "Prediction"): {@link org.fftk.edge.infer.Inference} makes
 * {@link org.fftk.edge.infer.Predictor}s backed by sparse, allocation-free, vectorisable kernels.
 */
package org.fftk.edge.infer;
