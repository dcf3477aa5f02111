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
 * label accuracy (SPEC §4), validation accuracy, the SPEC §5 weight sparsity metrics
 * ({@link org.fftk.edge.stats.Sparsity}), epoch time, samples/s and the share of time spent
 * outside {@code Session.run}. Set {@code -Dfftk.timing=true} to log the time of each phase.
 */
package org.fftk.trainer;
