package org.fftk.pruner.method;

import org.fftk.edge.model.Model;
import org.fftk.pruner.report.PruneReport;

/**
 * A pruned model, its serialised bytes (what the report measured: write exactly these) and the
 * report on it.
 */
public record PruneResult(Model model, byte[] bytes, PruneReport report) {
}
