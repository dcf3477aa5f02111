/**
 * fftk pruner: one-shot neuron pruning of fftk models (docs/algorithms.md "Sparsity metrics", "Pruning"), with reports and sweeps.
 *
 * <p>Entry points (what the CLI calls):
 * <ul>
 *   <li>{@code fftk prune}: {@link org.fftk.pruner.method.Pruner#pruneWithReport} with a
 *       {@link org.fftk.pruner.method.PruneSpec} (method, {@link org.fftk.pruner.method.KeepCounts},
 *       seed, options) on a {@link org.fftk.pruner.io.ModelFile} (read once: model, bytes, SHA-256); write
 *       the result's bytes; the {@link org.fftk.pruner.report.PruneReport} is Jackson-serialisable.</li>
 *   <li>{@code fftk sweep}: {@link org.fftk.pruner.sweep.Sweep#run} with a
 *       {@link org.fftk.pruner.sweep.SweepConfig}; writes DIR/sweep.json, sweep.csv, sweep.png, sweep.svg
 *       and resumes from an existing sweep.json; {@link org.fftk.pruner.sweep.SweepBest} writes the smallest
 *       model within a tolerance of its unpruned accuracy.</li>
 *   <li>{@code fftk inspect}: {@link org.fftk.pruner.report.Inspection#of}; {@code toText()} for a
 *       terminal, Jackson for JSON.</li>
 * </ul>
 * The pieces: {@link org.fftk.pruner.surgery.NeuronSurgery} (physical removal),
 * {@link org.fftk.pruner.method.NeuronSelection} (random, magnitude, activation rankings),
 * {@link org.fftk.pruner.method.WeightPruning} (unstructured), {@link org.fftk.pruner.activation.Activations}
 * (a sample's activations, from the edge runtime's trace), {@link org.fftk.edge.stats.Sparsity},
 * {@link org.fftk.pruner.report.Macs}, {@link org.fftk.pruner.report.ModelMeasures},
 * {@link org.fftk.pruner.report.Accuracy}. Images come in as edge-runtime
 * {@link org.fftk.edge.data.Dataset}s. The tests hold a plain-loop reference forward pass
 * ({@code forward.Forward}) that pruned models are checked against.
 */
package org.fftk.pruner;
