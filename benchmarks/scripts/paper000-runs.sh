#!/usr/bin/env bash
# Paper 000's three models on MNIST (Tosato et al., Table 1 and Table 2; docs/algorithms.md
# "Label encoding", "FF layer" pairwise loss, "Prediction" softmax rule), with its Appendix C
# settings but fewer epochs (its FF runs 1,200 epochs; 2 CPU cores do not):
#   FF     ffnn 3x1000, maximize, label overwriting the corner pixels, loss log(1 + e^(G_neg - G_pos))
#          with G = ||h|| (--ff-loss pairwise --pair-scale 1 --goodness norm), per-layer softmax
#          prediction, Adam lr 0.01, batch 1024
#   BP/FF  the same network and loss optimised end to end by backprop (--training backprop), lr 1e-4
#   BP     bpnn 3x1000 (softmax output, cross-entropy), lr 1e-4, batch 1024
# then `fftk inspect --correct-only --sample 10000` (activation Hoyer sparsity per layer over the
# correctly classified test images, as the paper measures it) and a table next to the paper's values.
#
#   benchmarks/scripts/paper000-runs.sh [OUTDIR]          (default: runs/paper000)
#   env: EPOCHS_FF=100 EPOCHS_BPFF=100 EPOCHS_BP=80 SEED=1 DATASET=mnist FFTK=path/to/fftk
#        FFTK_DATA=/path/to/datasets
#
# Resumable: each run checkpoints after every epoch (OUTDIR/NAME.ckpt) and a finished run (its .onnx
# exists) is skipped, so starting the script again continues where it stopped.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
OUT="${1:-$ROOT/runs/paper000}"
EPOCHS_FF="${EPOCHS_FF:-100}"
EPOCHS_BPFF="${EPOCHS_BPFF:-100}"
EPOCHS_BP="${EPOCHS_BP:-80}"
SEED="${SEED:-1}"
DATASET="${DATASET:-mnist}"
FFTK="${FFTK:-$ROOT/fftk}"
mkdir -p "$OUT"

run() { # NAME EPOCHS ARGS...
  local n=$1 e=$2; shift 2
  if [ ! -f "$OUT/$n.onnx" ]; then
    "$FFTK" train --preset quickstart --dataset "$DATASET" --seed "$SEED" --epochs "$e" --hidden 1000,1000,1000 \
      --batch-size 1024 "$@" --validate-every 10 --out "$OUT/$n.onnx" --history "$OUT/$n.history.json" \
      --checkpoint "$OUT/$n.ckpt" --resume --json > "$OUT/$n.result.json.tmp" 2> "$OUT/$n.log"
    mv "$OUT/$n.result.json.tmp" "$OUT/$n.result.json"
    rm -f "$OUT/$n.ckpt"
  fi
  [ -f "$OUT/$n.inspect.json" ] || "$FFTK" inspect "$OUT/$n.onnx" --dataset "$DATASET" --correct-only --sample 10000 \
    --json > "$OUT/$n.inspect.json"
}

FF=(--arch ffnn --objective maximize --label-encoding overwrite --ff-loss pairwise --pair-scale 1 --goodness norm
    --score-rule softmax)
run "$DATASET-ff-seed$SEED" "$EPOCHS_FF" "${FF[@]}" --lr 0.01
run "$DATASET-bpff-seed$SEED" "$EPOCHS_BPFF" "${FF[@]}" --training backprop --lr 0.0001
run "$DATASET-bp-seed$SEED" "$EPOCHS_BP" --arch bpnn --lr 0.0001
python3 "$ROOT/benchmarks/scripts/paper000_tables.py" "$OUT" > "$OUT/results.md"
cat "$OUT/results.md"
