package org.fftk.pruner.sweep;

import java.nio.file.Path;
import java.util.List;

/**
 * What a sweep produced.
 *
 * @param file      everything in sweep.json after the run
 * @param rows      the aggregated rows written to sweep.csv
 * @param computed  points computed by this run
 * @param reused    points found in an existing sweep.json and not recomputed
 * @param json      DIR/sweep.json
 * @param csv       DIR/sweep.csv
 * @param png       DIR/sweep.png, or null when plotting was off
 * @param svg       DIR/sweep.svg, or null when plotting was off
 */
public record SweepResult(SweepFile file, List<SweepRow> rows, int computed, int reused, Path json, Path csv,
                          Path png, Path svg) {
}
