/**
 * Training of fftk networks with TensorFlow Java (graph mode).
 *
 * <pre>{@code
 * TrainConfig cfg = TrainConfig.defaults(Architecture.FFNN)      // paper 003 Table 1
 *         .withWidths(2000, 2000).withObjective(Objective.MINIMIZE).withSeed(1)
 *         .withHistoryPath(Path.of("history.json"));             // written atomically every epoch
 * Dataset train = Datasets.load(DatasetName.MNIST, dir, Split.TRAIN);   // edge-runtime reader
 * TrainResult r = Trainer.train(cfg, train, ConsoleProgress.create());
 * Model model = r.model();                                       // in memory; the caller writes it
 * double testAcc = Trainer.accuracy(model, Datasets.load(DatasetName.MNIST, dir, Split.TEST), cfg.device());
 * }</pre>
 *
 * <p>The validation split is the LAST {@code validationFraction} (default 10%) of the (optionally
 * limited) training set; the test set is never touched by {@link org.fftk.trainer.Trainer#train}.
 * The per-epoch {@link org.fftk.trainer.history.History} holds per-layer loss, per-layer accuracy and
 * label accuracy (docs/algorithms.md "Per-layer metrics"), validation accuracy, the docs/algorithms.md "Sparsity metrics" weight sparsity metrics
 * ({@link org.fftk.edge.stats.Sparsity}), epoch time, samples/s and the share of time spent
 * outside {@code Session.run}. Set {@code -Dfftk.timing=true} to log the time of each phase.
 *
 * <p>Architectures (docs/algorithms.md "Architectures"): {@code ffnn} and {@code bpnn} ({@link org.fftk.trainer.tf.Net});
 * {@code ffnn-c}: the FF layers exactly as ffnn for the first half of the epochs (rounded up), then
 * the linear classifier alone ({@link org.fftk.trainer.tf.ClassifierNet}, cross-entropy, Adam with
 * {@link org.fftk.trainer.TrainConfig#classifierLearningRate()}, default 1e-4) on the frozen layers'
 * features of image ⊕ zero label; the history's records carry {@code phase} "ff" / "classifier".
 * {@code ffrnn}: {@link org.fftk.trainer.tf.RecurrentNet}, K_train frames per batch (default 10), one
 * local Adam step per layer and frame, β 0.7, the edge runtime's deterministic start; the model
 * predicts with frames 3..8. ffnn-c (classifier phase) and ffrnn validation accuracy come from the
 * edge runtime's predictor of the model being trained. For ffrnn at paper size this evaluation
 * (every label × 8 frames for every validation image) is a sizeable share of an epoch: use
 * {@link org.fftk.trainer.TrainConfig#withEvaluateEvery(int)} to evaluate less often (0: only at the end).
 */
package org.fftk.trainer;

import org.fftk.edge.data.Dataset;
