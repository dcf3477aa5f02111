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

# The quickstart preset (2x200, minimize, theta 2, lr 0.1, 12 epochs) was measured on 2 CPU cores to
# pass 95% MNIST test accuracy in about two minutes of training; paper 003's 2x2000 / theta 20 /
# 60 epochs (--preset paper) needs over an hour there.
KEEPS="${QS_KEEPS:-200,160,128,96,64,48,32,16}"
SEEDS="${QS_SEEDS:-3}"

echo "== 1/6 data"
fftk data fetch mnist
data_dir="$(fftk data fetch mnist | sed -n 's/^mnist in \(.*\) (.*$/\1/p')"

echo "== 2/6 train an FFNN (quickstart preset)"
fftk train --preset quickstart --arch ffnn --dataset mnist --seed 1 --out "$out/ffnn.onnx" --history "$out/ffnn.history.json"

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
