/**
 * Inference for all four architectures (docs/algorithms.md "FF layer", "Prediction"): {@link org.fftk.edge.infer.Inference} makes
 * {@link org.fftk.edge.infer.Predictor}s backed by sparse, allocation-free, vectorisable kernels.
 * They are fftk's one forward pass: {@link org.fftk.edge.infer.Trace} hands every layer's values to a
 * {@link org.fftk.edge.infer.LayerSink} as they are computed, {@link org.fftk.edge.infer.LayerGoodness}
 * keeps every layer's goodness, {@link org.fftk.edge.infer.LabelRule} turns scores into labels, and
 * {@link org.fftk.edge.infer.Inference#correct} counts right answers.
 */
package org.fftk.edge.infer;
