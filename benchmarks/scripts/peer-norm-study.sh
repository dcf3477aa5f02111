#!/usr/bin/env bash
# Paper 003's open question: how does Hinton's peer normalisation change an FF network's sparsity
# and its robustness to pruning? Trains the quickstart ffnn (2x200, minimize) with and without
# `--peer-norm LAMBDA` for several seeds, then per model: test accuracy, activation Hoyer sparsity
# and dead units per layer over correctly classified test images (`fftk inspect --correct-only`),
# weight Hoyer sparsity, and one-shot random and magnitude pruning
# (keep 50, 25 and 12 of 200 per layer: 4x, 9.6x and 19x fewer bytes; `fftk sweep`, 5 random seeds).
# Writes OUTDIR/results.md.
#
#   benchmarks/scripts/peer-norm-study.sh [OUTDIR]        (default: runs/peer-norm-study)
#   env: SEEDS="1 2 3" LAMBDA=0.03 EPOCHS=(preset) FFTK=path/to/fftk FFTK_DATA=/path/to/datasets
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
OUT="${1:-$ROOT/runs/peer-norm-study}"
SEEDS="${SEEDS:-1 2 3}"
LAMBDA="${LAMBDA:-0.03}"
FFTK="${FFTK:-$ROOT/fftk}"
mkdir -p "$OUT"
for seed in $SEEDS; do
  for pn in 0 "$LAMBDA"; do
    n="ffnn-peer$pn-seed$seed"
    extra=()
    [ "$pn" = 0 ] || extra=(--peer-norm "$pn")
    [ -z "${EPOCHS:-}" ] || extra+=(--epochs "$EPOCHS")
    [ -f "$OUT/$n.onnx" ] || "$FFTK" train --arch ffnn --preset quickstart --seed "$seed" "${extra[@]}" \
      --out "$OUT/$n.onnx" --json > "$OUT/$n.result.json" 2> "$OUT/$n.log"
    [ -f "$OUT/$n.inspect.json" ] || "$FFTK" inspect "$OUT/$n.onnx" --dataset mnist --correct-only --sample 10000 --json > "$OUT/$n.inspect.json"
    [ -f "$OUT/$n.sweep.json" ] || { "$FFTK" sweep "$OUT/$n.onnx" --method random,magnitude \
      --keep 200,50,25,12 --seeds 5 --no-plot --json --out "$OUT/$n.sweep" > "$OUT/$n.sweep.json.tmp" && mv "$OUT/$n.sweep.json.tmp" "$OUT/$n.sweep.json"; }
  done
done
python3 - "$OUT" "$LAMBDA" > "$OUT/results.md" <<'EOF'
import glob, json, os, re, statistics, sys
out, lam = sys.argv[1], sys.argv[2]
rows = {}
for r in sorted(glob.glob(os.path.join(out, "*.result.json"))):
    m = re.match(r"ffnn-peer(.+)-seed(\d+)\.result\.json$", os.path.basename(r))
    if not m:
        continue
    base = r[:-len(".result.json")]
    ins = json.load(open(base + ".inspect.json"))
    sw = json.load(open(base + ".sweep.json"))
    hid = [l for l in ins["layers"] if "activationHoyer" in l]
    d = {"acc": json.load(open(r))["test_accuracy"] * 100,
         "act": [l["activationHoyer"] for l in hid], "dead": [l["deadUnits"] for l in hid],
         "w": [l["hoyer"] for l in hid]}
    for row in sw["rows"]:
        if row.get("finetuneEpochs", 0):
            continue
        if row["keep"] != "200":
            d[(row["method"], row["keep"])] = row["accuracyMean"] * 100
    rows.setdefault(m.group(1), []).append(d)
def ms(xs):
    return f"{statistics.mean(xs):.2f} ± {statistics.stdev(xs):.2f}" if len(xs) > 1 else f"{xs[0]:.2f}"
def ms3(xs):
    return f"{statistics.mean(xs):.3f}" + (f" ± {statistics.stdev(xs):.3f}" if len(xs) > 1 else "")
keys = sorted({k for v in rows.values() for d in v for k in d if isinstance(k, tuple)}, key=lambda k: (k[0], -int(k[1])))
print("| peer norm λ | seeds | test accuracy % | activation Hoyer, layer 1 / 2 | dead units of 200, layer 1 / 2 | weight Hoyer, layer 1 / 2 | "
      + " | ".join(f"{m} keep {k} %" for m, k in keys) + " |")
print("|---" * (6 + len(keys)) + "|")
for pn in sorted(rows, key=float):
    v = rows[pn]
    print(f"| {pn} | {len(v)} | {ms([d['acc'] for d in v])} | "
          + " / ".join(ms3([d['act'][l] for d in v]) for l in range(2)) + " | "
          + " / ".join(ms([d['dead'][l] for d in v]) for l in range(2)) + " | "
          + " / ".join(ms3([d['w'][l] for d in v]) for l in range(2)) + " | "
          + " | ".join(ms([d[k] for d in v if k in d]) for k in keys) + " |")
EOF
cat "$OUT/results.md"
