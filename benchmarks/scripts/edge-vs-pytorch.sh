#!/usr/bin/env bash
# Edge runtime (one thread) against PyTorch (one thread) predicting the way paper 003's Python
# library does, one forward pass per candidate label, side by side in one run, for each ffnn model
# given. Both must give the same labels on the first 1000 MNIST test images (checked: the PyTorch
# code is an independent implementation of docs/algorithms.md). Needs python3 with torch, onnx and
# numpy (not a dependency of fftk: pip install torch onnx numpy).
#   benchmarks/scripts/edge-vs-pytorch.sh MODEL.onnx...   (env: ITER=2000 edge calls per point)
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
JAR="$ROOT/edge-runtime/target/fftk-edge.jar"
DATA="${FFTK_DATA:-$ROOT/../shared/datasets}"
IMAGES="$DATA/mnist/t10k-images-idx3-ubyte.gz"
ITER="${ITER:-2000}"
[ -f "$JAR" ] || (cd "$ROOT" && mvn -B -q -ntp -pl edge-runtime package -DskipTests)
[ -f "$IMAGES" ] || { echo "edge-vs-pytorch: no $IMAGES (set FFTK_DATA)"; exit 1; }
python3 -c "import torch, onnx, numpy" || { echo "edge-vs-pytorch: needs python3 with torch, onnx, numpy"; exit 1; }
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
# warm-up: bench's default (20 calls and 2 seconds): the JIT compiles the per-image methods only after
# thousands of calls, and a fixed count of 2,000 left batch-1 runs at 5x their warmed time
p50() { java -jar "$JAR" bench "$1" --images "$IMAGES" --batch "$2" --iterations "$3" $4 | sed -n 's/.*p50 \([0-9.]*\) ms.*/\1/p'; }
printf '%-28s %5s %12s %12s %12s %14s\n' model batch "edge scores" "edge labels" "pytorch" "labels/pytorch"
for m in "$@"; do
  java -jar "$JAR" predict "$m" --images "$IMAGES" --limit 1000 > "$tmp/edge.labels"
  python3 "$ROOT/benchmarks/scripts/edge_vs_pytorch.py" "$m" "$IMAGES" 1000 1 64 > "$tmp/torch.labels" 2> "$tmp/torch.txt"
  cmp -s "$tmp/edge.labels" "$tmp/torch.labels" || { echo "edge-vs-pytorch: $m: labels differ from PyTorch's"; exit 1; }
  for b in 1 64; do
    it=$(( b == 1 ? ITER : ITER / 20 + 20 ))
    s=$(p50 "$m" "$b" "$it" "")
    l=$(p50 "$m" "$b" "$it" --labels-only)
    t=$(sed -n "s/pytorch batch $b: median \([0-9.]*\) ms.*/\1/p" "$tmp/torch.txt")
    printf '%-28s %5d %9s ms %9s ms %9s ms %14s\n' "$(basename "$m")" "$b" "$s" "$l" "$t" \
      "$(awk -v a="$l" -v b="$t" 'BEGIN { printf "%.2f", a / b }')"
  done
done
echo "(p50 of the edge jar's bench; PyTorch median per call; one thread each; same 1000 labels checked)"
