package org.fftk.trainer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.fftk.edge.data.Dataset;
import org.fftk.edge.model.DenseLayer;
import org.fftk.edge.model.Model;
import org.fftk.edge.stats.Sparsity;
import org.fftk.trainer.history.EpochRecord;
import org.fftk.trainer.history.History;
import org.fftk.trainer.history.LayerRecord;

/**
 * The bookkeeping of a training run, as a listener on the loop's epoch ends: validation metrics
 * (every {@code every} epochs and after the last; {@link Evaluation}), the weight sparsity of every
 * layer (docs/algorithms.md, "Sparsity metrics"), the {@link EpochRecord}, the history file
 * (rewritten atomically after every epoch, and once before the first, so a bad path fails before
 * any training), and finally the user's {@link TrainListener}.
 */
final class HistoryKeeper implements Consumer<EpochEnd> {
    private final History history;
    private final Path file;
    private final Dataset validation;
    private final int[] negatives;
    private final int every;
    private final int epochs;
    private final int threads;
    private final TrainListener listener;

    HistoryKeeper(History history, Path file, Dataset validation, int[] negatives, int every, int epochs, int threads,
                  TrainListener listener) {
        this.history = history;
        this.file = file;
        this.validation = validation;
        this.negatives = negatives;
        this.every = every;
        this.epochs = epochs;
        this.threads = threads;
        this.listener = listener;
        write();
    }

    /** True when epoch {@code epoch} is validated. */
    boolean validates(int epoch) {
        return validation.size() > 0 && (epoch == epochs || (every > 0 && epoch % every == 0));
    }

    @Override
    public void accept(EpochEnd e) {
        Model m = e.model();
        Evaluation ev = validates(e.epoch()) ? Evaluation.of(m, validation, negatives, threads) : null;
        List<LayerRecord> layers = new ArrayList<>();
        for (int l = 0; l < m.layers().size(); l++) {
            DenseLayer dl = m.layers().get(l);
            float[] w = dl.weights();
            boolean perLayer = ev != null && ev.layerAccuracy != null;
            layers.add(new LayerRecord(l, e.layerLosses() == null ? null : e.layerLosses()[l],
                    perLayer ? ev.layerAccuracy[l] : null, perLayer ? ev.layerLabelAccuracy[l] : null,
                    Sparsity.hoyer(w), Sparsity.l1NegEntropy(w), Sparsity.l2NegEntropy(w), Sparsity.gini(w)));
        }
        EpochRecord r = new EpochRecord(e.epoch(), e.trainLoss(), ev == null ? null : ev.accuracy, layers, e.seconds(),
                e.samplesPerSecond(), e.outsideRunShare(), (System.nanoTime() - e.passEnd()) / 1e9, e.phase());
        history.add(r);
        write();
        listener.epochFinished(r, epochs);
    }

    private void write() {
        if (file == null) {
            return;
        }
        try {
            history.write(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write history " + file + ": " + e.getMessage(), e);
        }
    }
}
