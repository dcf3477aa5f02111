package org.fftk.pruner.report;

import org.fftk.edge.model.Model;
import org.fftk.edge.data.Dataset;

/** Measures a model's accuracy (fraction correct, 0..1) on a labelled set. */
@FunctionalInterface
public interface Evaluator {
    double accuracy(Model m, Dataset test);
}
