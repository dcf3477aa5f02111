#!/usr/bin/env python3
"""A pruning curve's spread across TRAINED seeds as well as pruning seeds, from one `fftk sweep`
of several trainings of the same network (paper 003 Figure 19 averages 10 of each).

    benchmarks/scripts/sweep_across_seeds.py SWEEP_DIR/sweep.json GROUP=REGEX [GROUP=REGEX ...]

Each GROUP collects the models whose sweep name matches REGEX (e.g. FFNN='mnist-ffnn-minimize-seed\\d').
Per group, method and keep count it prints: the mean ± sd over every (trained seed, pruning seed)
point, the minimum and maximum, and the sd of the per-trained-seed means (the part of the spread
that comes from training). Standard library only.
"""
import json
import re
import statistics
import sys


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    with open(sys.argv[1]) as f:
        sweep = json.load(f)
    points = sweep["points"] if isinstance(sweep, dict) else sweep
    groups = [(g.split("=", 1)[0], re.compile(g.split("=", 1)[1])) for g in sys.argv[2:]]
    print("| group | method | keep | compression | trained seeds | points | accuracy % mean ± sd | min | max | sd of seed means |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for name, rx in groups:
        cells = {}
        for p in points:
            if rx.fullmatch(p["model"]):
                cells.setdefault((p["method"], p["keep"]), []).append(p)
        order = sorted(cells.items(), key=lambda kv: (kv[0][0], statistics.mean(q["compressionRatio"] for q in kv[1])))
        for (method, keep), ps in order:
            acc = [100 * q["accuracy"] for q in ps]
            per_model = {}
            for q in ps:
                per_model.setdefault(q["model"], []).append(100 * q["accuracy"])
            means = [statistics.mean(v) for v in per_model.values()]
            print("| %s | %s | %s | %.2f× | %d | %d | %.2f ± %.2f | %.2f | %.2f | %s |" % (
                name, method, keep, statistics.mean(q["compressionRatio"] for q in ps), len(per_model), len(ps),
                statistics.mean(acc), statistics.stdev(acc) if len(acc) > 1 else 0.0, min(acc), max(acc),
                "%.2f" % statistics.stdev(means) if len(means) > 1 else "–"))


if __name__ == "__main__":
    main()
