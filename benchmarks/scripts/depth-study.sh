#!/usr/bin/env bash
# Paper 004's question on MNIST at a size these cores allow: FFNNs of DEPTHS hidden layers of WIDTH
# units (quickstart settings: minimize, theta 2, Adam lr 0.1, batch 128), SEEDS each, EPOCHS epochs,
# validated every epoch; then `fftk analyze` per depth: the epoch each layer's label accuracy first
# reaches 0.7 (do deeper layers lag?) and how each layer's accuracy correlates with the model's.
#   benchmarks/scripts/depth-study.sh [OUTDIR]   (default runs/depth-study)
#   env: DEPTHS="2 4 8" WIDTH=100 SEEDS="1 2 3" EPOCHS=10 FFTK_DATA=...  (FFTK: launcher, default ./fftk)
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
OUT="${1:-$ROOT/runs/depth-study}"
DEPTHS="${DEPTHS:-2 4 8}"; WIDTH="${WIDTH:-100}"; SEEDS="${SEEDS:-1 2 3}"; EPOCHS="${EPOCHS:-10}"
FFTK="${FFTK:-$ROOT/fftk}"
mkdir -p "$OUT"
for d in $DEPTHS; do
  hidden=$(printf "$WIDTH%.0s," $(seq 1 "$d")); hidden=${hidden%,}
  for s in $SEEDS; do
    n="depth$d-seed$s"
    [ -f "$OUT/$n.onnx" ] && continue
    "$FFTK" train --preset quickstart --arch ffnn --hidden "$hidden" --epochs "$EPOCHS" --seed "$s" --dataset mnist \
      --out "$OUT/$n.onnx" --history "$OUT/$n.history.json" --checkpoint "$OUT/$n.ckpt" --resume --json > "$OUT/$n.result.json"
    rm -f "$OUT/$n.ckpt"
  done
done
{
  echo "# Depth study: FFNN ${WIDTH} units per layer, quickstart settings, $EPOCHS epochs, seeds $SEEDS (MNIST)"
  echo
  echo "\`benchmarks/scripts/depth-study.sh\`; per depth \`fftk analyze depthD-seed*.history.json\` (label accuracy, target 0.7)."
  for d in $DEPTHS; do
    echo; echo "## $d hidden layers"; echo
    acc=$(for s in $SEEDS; do sed -n 's/.*"test_accuracy" : \([0-9.]*\).*/\1/p' "$OUT/depth$d-seed$s.result.json"; done | tr '\n' ' ')
    echo "test accuracy per seed: $acc"; echo; echo '```'
    "$FFTK" analyze "$OUT"/depth$d-seed*.history.json --out "$OUT/plots-depth$d"
    echo '```'
  done
} > "$OUT/depth-study.md"
cat "$OUT/depth-study.md"
