package org.fftk.pruner.method;

import org.fftk.edge.model.Model;
import org.fftk.pruner.report.PruneReport;

/** A pruned model and the report on it. */
public record PruneResult(Model model, PruneReport report) {
}
