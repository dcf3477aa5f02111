#!/usr/bin/env bash
# The main job, end to end on real data: fetch MNIST, train a small FF network, evaluate it with both
# engines, sweep random neuron pruning, keep the smallest model within 1 point of the unpruned one,
# and run that model with the standalone edge-runtime jar.
#   ./quickstart.sh [OUTPUT_DIR]        (default: runs/quickstart)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
out="${1:-$root/runs/quickstart}"
mkdir -p "$out"
fftk() { "$root/fftk" "$@"; }

# Quickstart network: measured on 2 CPU cores to pass 95% MNIST test accuracy in about two minutes
# of training (paper 003's 2x2000 / theta 20 / 60 epochs needs an hour there; see README).
HIDDEN="${QS_HIDDEN:-500,500}"
EPOCHS="${QS_EPOCHS:-6}"
LR="${QS_LR:-0.02}"
THETA="${QS_THETA:-2}"
BATCH="${QS_BATCH:-128}"
OBJECTIVE="${QS_OBJECTIVE:-minimize}"
KEEPS="${QS_KEEPS:-500,384,256,192,128,96,64,32}"
SEEDS="${QS_SEEDS:-3}"

echo "== 1/6 data"
fftk data fetch mnist
data_dir="$(fftk data fetch mnist | sed -n 's/^mnist in \(.*\) (.*$/\1/p')"

echo "== 2/6 train an FFNN ($HIDDEN, $EPOCHS epochs, theta $THETA, $OBJECTIVE)"
fftk train --arch ffnn --dataset mnist --hidden "$HIDDEN" --epochs "$EPOCHS" --lr "$LR" --theta "$THETA" \
  --batch-size "$BATCH" --objective "$OBJECTIVE" --seed 1 --out "$out/ffnn.onnx" --history "$out/ffnn.history.json"

echo "== 3/6 evaluate with both engines (10,000 MNIST test images)"
fftk eval "$out/ffnn.onnx" --dataset mnist --engine edge
fftk eval "$out/ffnn.onnx" --dataset mnist --engine onnxruntime

echo "== 4/6 random-pruning sweep (chosen on the validation split, never the test set)"
fftk sweep "$out/ffnn.onnx" --method random --keep "$KEEPS" --seeds "$SEEDS" --split validation \
  --out "$out/sweep" --best-within 1 --best-out "$out/ffnn-pruned.onnx"

echo "== 5/6 the chosen model against the original, on the test set"
fftk info "$out/ffnn-pruned.onnx" | sed -n '1,8p'
fftk eval "$out/ffnn-pruned.onnx" --dataset mnist --engine onnxruntime
orig=$(stat -c %s "$out/ffnn.onnx"); small=$(stat -c %s "$out/ffnn-pruned.onnx")
awk -v a="$orig" -v b="$small" 'BEGIN { printf "file size %d -> %d bytes: %.2fx smaller\n", a, b, a / b }'

echo "== 6/6 run it with the standalone edge runtime (Java 11, no dependencies)"
edge="$root/edge-runtime/target/fftk-edge.jar"
ls -l "$edge" | awk '{ print "edge jar: " $5 " bytes" }'
images="$(ls "$data_dir"/t10k-images-idx3-ubyte* | head -1)"
labels="$(ls "$data_dir"/t10k-labels-idx1-ubyte* | head -1)"
java -jar "$edge" eval "$out/ffnn-pruned.onnx" --images "$images" --labels "$labels"
java -jar "$edge" bench "$out/ffnn-pruned.onnx" --batch 1 --images "$images"
echo "== done: models, history, sweep.csv and sweep.png are in $out"
