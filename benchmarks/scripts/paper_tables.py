#!/usr/bin/env python3
"""Paper 003's Table 2 (test accuracy) and Table 3 (weight sparsity per layer) from fftk's runs,
mean ± sd over the training seeds found, next to the paper's values (10 seeds each).

    benchmarks/scripts/paper_tables.py [RUNS_DIR] > benchmarks/results/paper003-tables.md

RUNS_DIR (default runs/paper) holds what benchmarks/scripts/train-paper.sh writes:
DATASET-ARCH-OBJECTIVE-seedS.onnx and .result.json. The sparsity metrics come from `fftk inspect
--json` (docs/algorithms.md "Sparsity metrics"); only the standard library is used.
"""
import glob
import json
import os
import re
import statistics
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
RUNS = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "runs", "paper")

# paper 003, Table 2 (test accuracy %, 10 seeds) and Table 3 (mean ± sd, 10 seeds); layer 3 = BPNN's output layer
TABLE2 = {("mnist", "bpnn"): "98.31 ± 0.08", ("mnist", "ffnn"): "98.18 ± 0.08", ("mnist", "ffnn_c"): "97.95 ± 0.10",
          ("mnist", "ffrnn"): "98.28 ± 0.10", ("fashion-mnist", "bpnn"): "89.77 ± 0.27",
          ("fashion-mnist", "ffnn"): "87.84 ± 0.10", ("fashion-mnist", "ffnn_c"): "87.09 ± 0.32",
          ("fashion-mnist", "ffrnn"): "88.69 ± 0.19"}
TABLE3 = {
    "hoyer": {("bpnn", 1): ("0.182 ± 0.001", "0.202 ± 0.000"), ("bpnn", 2): ("0.221 ± 0.001", "0.251 ± 0.001"),
              ("bpnn", 3): ("0.185 ± 0.002", "0.263 ± 0.003"), ("ffnn", 1): ("0.494 ± 0.001", "0.547 ± 0.002"),
              ("ffnn", 2): ("0.442 ± 0.004", "0.464 ± 0.003")},
    "l1NegEntropy": {("bpnn", 1): ("0.017 ± 0.000", "0.019 ± 0.000"), ("bpnn", 2): ("0.019 ± 0.000", "0.023 ± 0.000"),
                     ("bpnn", 3): ("0.025 ± 0.000", "0.037 ± 0.001"), ("ffnn", 1): ("0.046 ± 0.000", "0.046 ± 0.000"),
                     ("ffnn", 2): ("0.055 ± 0.001", "0.059 ± 0.001")},
    "l2NegEntropy": {("bpnn", 1): ("0.523 ± 0.000", "0.526 ± 0.000"), ("bpnn", 2): ("0.527 ± 0.000", "0.532 ± 0.000"),
                     ("bpnn", 3): ("0.533 ± 0.000", "0.551 ± 0.001"), ("ffnn", 1): ("0.600 ± 0.000", "0.626 ± 0.000"),
                     ("ffnn", 2): ("0.555 ± 0.001", "0.560 ± 0.001")},
    "gini": {("bpnn", 1): ("0.387 ± 0.001", "0.404 ± 0.000"), ("bpnn", 2): ("0.425 ± 0.001", "0.451 ± 0.001"),
             ("bpnn", 3): ("0.390 ± 0.002", "0.468 ± 0.003"), ("ffnn", 1): ("0.578 ± 0.001", "0.558 ± 0.002"),
             ("ffnn", 2): ("0.677 ± 0.003", "0.693 ± 0.004")},
}
# paper 003 Table 4 (MNIST; FFNN2 with L−)
TABLE4 = {("bpnn", 1): "−0.14 / 0.10 / −0.0005 / 0.0249", ("bpnn", 2): "−0.12 / 0.13 / 0.0026 / 0.0207",
          ("bpnn", 3): "−0.13 / 0.10 / −0.0059 / 0.0352", ("ffnn", 1): "−215.04 / 91.84 / −0.49 / 7.21",
          ("ffnn", 2): "−41.44 / 15.28 / −0.44 / 3.11"}
# paper 003 Table 5: FFNN3 (3 x 2000) on MNIST with L- and L+
TABLE5 = {"minimize": "98.22", "maximize": "98.01"}
FFNN3 = re.compile(r"^mnist-ffnn3-(minimize|maximize)-seed(\d+)\.onnx$")
NAME = re.compile(r"^(mnist|fashion-mnist|cifar10)-(ffnn|ffnn_c|ffrnn|bpnn)-([a-z-]+)-seed(\d+)\.onnx$")


def label(arch):
    base = {"ffnn": "FFNN", "ffnn_c": "FFNN+C", "ffrnn": "FFRNN", "bpnn": "BPNN"}
    if arch.endswith("_fflib_order"):
        return base[arch[: -len("_fflib_order")]] + " (FFLib's layer order)"
    return base[arch]


def ms(values, digits):
    if not values:
        return "–"
    m = statistics.mean(values)
    sd = statistics.stdev(values) if len(values) > 1 else float("nan")
    return ("%.*f ± %.*f" % (digits, m, digits, sd)) if len(values) > 1 else "%.*f" % (digits, m)


def main():
    runs = {}
    for path in sorted(glob.glob(os.path.join(RUNS, "*.onnx"))):
        m = NAME.match(os.path.basename(path))
        if not m or not os.path.exists(path[:-5] + ".result.json"):
            continue
        ds, arch, obj, seed = m.group(1), m.group(2), m.group(3), int(m.group(4))
        if obj == "minimize-sequential":
            arch += "_fflib_order"  # trained in FFLib's layer order (--layer-updates sequential)
        elif arch != "bpnn" and obj != "minimize":
            continue  # the paper's Table 2 / Table 3 / Figure 19 runs are L− (minimize)
        runs.setdefault((ds, arch), []).append(path)
    fftk = os.path.join(ROOT, "fftk")
    print("## Paper 003 Table 2: test accuracy (%), fftk (minimize for FF) vs the paper (10 seeds)\n")
    print("| dataset | network | seeds | fftk | paper 003 |")
    print("|---|---|---|---|---|")
    inspected = {}
    for (ds, arch), paths in sorted(runs.items()):
        acc = [100 * json.load(open(p[:-5] + ".result.json"))["test_accuracy"] for p in paths]
        seeds = ",".join(NAME.match(os.path.basename(p)).group(4) for p in paths)
        print("| %s | %s | %s | %s | %s |" % (ds, label(arch), seeds, ms(acc, 2),
                                              TABLE2.get((ds, arch.replace("_fflib_order", "")), "–")))
        if arch in ("ffnn", "bpnn", "ffnn_fflib_order"):
            inspected[(ds, arch)] = [json.loads(subprocess.run([fftk, "inspect", p, "--json"], check=True,
                                                               capture_output=True, text=True).stdout) for p in paths]
    print("\n## Paper 003 Table 3: weight sparsity per layer, fftk vs the paper (MNIST | Fashion-MNIST)\n")
    print("| metric | network | layer | fftk MNIST | paper MNIST | fftk Fashion-MNIST | paper Fashion-MNIST |")
    print("|---|---|---|---|---|---|---|")
    for metric, paper in TABLE3.items():
        rows = list(paper.items()) + [(("ffnn_fflib_order", l), v) for (a, l), v in paper.items() if a == "ffnn"]
        for (arch, layer), (pm, pf) in rows:
            cells = []
            for ds in ("mnist", "fashion-mnist"):
                vals = [r["layers"][layer - 1][metric] for r in inspected.get((ds, arch), [])
                        if len(r["layers"]) >= layer]
                cells.append(ms(vals, 3))
            if cells == ["–", "–"]:
                continue
            print("| %s | %s | %d | %s | %s | %s | %s |" % (metric, label(arch), layer, cells[0], pm, cells[1], pf))
    print("\n## Paper 003 Table 4: weight statistics per layer (MNIST), fftk mean over seeds\n")
    print("| network | layer | min | max | mean | std | paper 003 (min / max / mean / std) |")
    print("|---|---|---|---|---|---|---|")
    for arch in ("bpnn", "ffnn", "ffnn_fflib_order"):
        rs = inspected.get(("mnist", arch), [])
        if not rs:
            continue
        for l in range(len(rs[0]["layers"])):
            st = [r["layers"][l]["weights"] for r in rs]
            cells = ["%.4g" % statistics.mean(x[k] for x in st) for k in ("min", "max", "mean", "std")]
            print("| %s | %d | %s | %s |" % (label(arch), l + 1, " | ".join(cells),
                                          TABLE4.get((arch.replace("_fflib_order", ""), l + 1), "–")))
    deep = {}
    for path in sorted(glob.glob(os.path.join(RUNS, "mnist-ffnn3-*.onnx"))):
        m = FFNN3.match(os.path.basename(path))
        if m and os.path.exists(path[:-5] + ".result.json"):
            deep.setdefault(m.group(1), []).append(100 * json.load(open(path[:-5] + ".result.json"))["test_accuracy"])
    if deep:
        print("\n## Paper 003 Table 5: FFNN3 (3 x 2000), MNIST test accuracy (%), L- (minimize) vs L+ (maximize)\n")
        print("| objective | runs | fftk | paper 003 |")
        print("|---|---|---|---|")
        for obj in ("minimize", "maximize"):
            if obj in deep:
                print("| %s | %d | %s | %s |" % (obj, len(deep[obj]), ms(deep[obj], 2), TABLE5[obj]))
    print("\n(fftk: `benchmarks/scripts/paper_tables.py %s`; layer 3 of BPNN is its output layer)" % os.path.relpath(RUNS, ROOT))


if __name__ == "__main__":
    main()
