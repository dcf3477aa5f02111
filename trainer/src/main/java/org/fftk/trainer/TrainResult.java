package org.fftk.trainer;

import org.fftk.edge.model.Model;
import org.fftk.trainer.history.History;

/** The trained network (in memory; nothing has been written) and its per-epoch history. */
public record TrainResult(Model model, History history) {
}
