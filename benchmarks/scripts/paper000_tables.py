#!/usr/bin/env python3
"""Paper 000's Table 1 (test accuracy) and Table 2 (activation Hoyer sparsity per layer) and Table 3
(ensemble size, % of a layer's units) from the runs of benchmarks/scripts/paper000-runs.sh, next to
the paper's MNIST and Fashion-MNIST values.

    benchmarks/scripts/paper000_tables.py OUTDIR > OUTDIR/results.md

Reads OUTDIR/DATASET-{ff,bpff,bp}-seedS.{result,inspect,history}.json (fftk train --json, fftk inspect
--correct-only --json, the per-epoch history); standard library only.
"""
import glob
import json
import os
import re
import statistics
import sys

# paper 000, mean ± sd over 10 runs
TABLE1 = {
    ("mnist", "ff"): "0.94 ± 0.008", ("mnist", "bpff"): "0.969 ± 0.001", ("mnist", "bp"): "0.982 ± 0.001",
    ("fashion-mnist", "ff"): "0.849 ± 0.002", ("fashion-mnist", "bpff"): "0.877 ± 0.002",
    ("fashion-mnist", "bp"): "0.892 ± 0.004",
}
TABLE2 = {
    ("mnist", "ff"): ["0.922 ± 0.001", "0.813 ± 0.019", "0.618 ± 0.074"],
    ("mnist", "bpff"): ["0.895 ± 0.005", "0.747 ± 0.013", "0.131 ± 0.011"],
    ("mnist", "bp"): ["0.315 ± 0.003", "0.193 ± 0.004", "0.225 ± 0.006"],
    ("fashion-mnist", "ff"): ["0.85 ± 0.002", "0.605 ± 0.015", "0.628 ± 0.013"],
    ("fashion-mnist", "bpff"): ["0.81 ± 0.007", "0.851 ± 0.007", "0.065 ± 0.009"],
    ("fashion-mnist", "bp"): ["0.352 ± 0.003", "0.241 ± 0.005", "0.248 ± 0.006"],
}
TABLE3 = {  # FF only in the main text
    ("mnist", "ff"): ["3.69 ± 0.09", "5.31 ± 0.35", "1.36 ± 0.36"],
    ("fashion-mnist", "ff"): ["5.02 ± 0.14", "18.46 ± 0.66", "20.59 ± 0.63"],
}
NAMES = {"ff": "FF", "bpff": "BP/FF", "bp": "BP"}
PAPER_EPOCHS = {("mnist", "ff"): 1200, ("fashion-mnist", "ff"): 100, ("mnist", "bpff"): 300, ("fashion-mnist", "bpff"): 300,
                ("mnist", "bp"): 80, ("fashion-mnist", "bp"): 80}


def load(path):
    with open(path) as f:
        return json.load(f)


def mean_sd(xs):
    if len(xs) == 1:
        return f"{xs[0]:.3f}"
    return f"{statistics.mean(xs):.3f} ± {statistics.stdev(xs):.3f}"


def main(out):
    runs = {}
    for r in sorted(glob.glob(os.path.join(out, "*.result.json"))):
        m = re.match(r"(.+)-(ff|bpff|bp)-seed(\d+)\.result\.json$", os.path.basename(r))
        if not m:
            continue
        ds, model, _ = m.groups()
        res = load(r)
        ins_path = r.replace(".result.json", ".inspect.json")
        ins = load(ins_path) if os.path.exists(ins_path) else None
        runs.setdefault((ds, model), []).append((res, ins, r.replace(".result.json", ".history.json")))
    print("| dataset | model | seeds | epochs | test accuracy | paper 000 Table 1 | activation Hoyer sparsity, layers 1 / 2 / 3 "
          "(correctly classified test images) | paper 000 Table 2 | ensemble size % of units, layers 1 / 2 / 3 | paper 000 Table 3 |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for (ds, model) in sorted(runs, key=lambda k: (k[0], list(NAMES).index(k[1]))):
        rs = runs[(ds, model)]
        acc = [r[0]["test_accuracy"] for r in rs]
        epochs = {len(load(h).get("epochs", [])) if os.path.exists(h) else None for _, _, h in rs}
        hoyer, ens = "", ""
        if all(r[1] is not None for r in rs):
            for r in rs:  # hidden layers only (bpnn's output layer has no activation statistics)
                r[1]["layers"] = [l for l in r[1]["layers"] if "activationHoyer" in l]
            layers = len(rs[0][1]["layers"])
            hoyer = " / ".join(mean_sd([r[1]["layers"][l]["activationHoyer"] for r in rs]) for l in range(layers))
            sizes = []
            for l in range(layers):
                per = []
                for r in rs:
                    e = r[1]["layers"][l].get("ensembles")
                    if e and e.get("sizePercent"):
                        per.append(statistics.mean(e["sizePercent"]))
                sizes.append(mean_sd(per) if per else "–")
            ens = " / ".join(s.split(" ±")[0] if len(rs) == 1 else s for s in sizes)
        print(f"| {ds} | {NAMES[model]} | {len(rs)} | {', '.join(str(e) for e in sorted(epochs, key=str))} "
              f"(paper {PAPER_EPOCHS.get((ds, model), '?')}) | {mean_sd(acc)} | {TABLE1.get((ds, model), '')} | {hoyer} | "
              f"{' / '.join(TABLE2.get((ds, model), []))} | {ens} | {' / '.join(TABLE3.get((ds, model), []))} |")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "runs/paper000")
