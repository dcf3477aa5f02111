#!/usr/bin/env bash
# Edge runtime vs ONNX Runtime on TRAINED models (sparse activations, which the edge kernels exploit):
# prunes one trained 2x2000 ffnn to 512, 128 and 32 neurons per layer (random, seed 1), then runs the
# JMH benchmark EdgeVsOrt at batch 1 and 64 for widths 2000, 512, 128, 32, with ONNX Runtime on one
# thread (the per-core comparison) and on its default threads.
#   benchmarks/scripts/edge-vs-ort.sh TRAINED-2x2000.onnx [OUTDIR] [extra JMH options]
# env: WIDTHS="2000,512,128,32"; JMH options default to -f 1 -wi 3 -i 5 -w 2s -r 2s (given options replace them)
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
SRC="${1:?usage: edge-vs-ort.sh TRAINED-2x2000.onnx [OUTDIR] [JMH options]}"
OUT="${2:-$ROOT/runs/edge-vs-ort}"
shift $(( $# >= 2 ? 2 : 1 ))
WIDTHS="${WIDTHS:-2000,512,128,32}"
mkdir -p "$OUT"
full="$(cd "$(dirname "$SRC")" && pwd)/$(basename "$SRC")"
for w in ${WIDTHS//,/ }; do
  if [ ! -f "$OUT/ffnn-$w.onnx" ]; then
    if [ "$w" = 2000 ]; then cp "$full" "$OUT/ffnn-$w.onnx"
    else "$ROOT/fftk" prune "$full" --method random --keep "$w" --seed 1 --out "$OUT/ffnn-$w.onnx" >/dev/null; fi
  fi
done
(cd "$ROOT" && mvn -B -q -ntp -pl benchmarks -am package -DskipTests)
[ $# -gt 0 ] || set -- -f 1 -wi 3 -i 5 -w 2s -r 2s
java -jar "$ROOT/benchmarks/target/benchmarks.jar" EdgeVsOrt -p model="$OUT/ffnn-{width}.onnx" -p width="$WIDTHS" \
  -rf json -rff "$OUT/jmh.json" "$@" | tee "$OUT/jmh.txt"
