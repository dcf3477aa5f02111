#!/usr/bin/env bash
# The edge runtime's int8 kernel against its float32 kernel, side by side in one run, on one or more
# JVMs (docs/algorithms.md "int8 weights": which int8 path a JVM runs depends on its version).
#
#   benchmarks/scripts/int8-vs-float.sh FLOAT.onnx... [-- JAVA...]
#
# Each FLOAT.onnx is quantised with `fftk quantize` into a temporary folder; then, for batch 1 and
# batch 64 and each JAVA (default: `java`), the float and int8 files are benched alternately, three
# times each, on MNIST test images ($FFTK_DATA or ../shared/datasets). Prints one line per
# (model, batch, JVM): the median p50 latency (batch 1) or throughput (batch 64) of each precision
# and their ratio int8 / float32 in time (below 1: int8 is faster).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
models=()
while [ $# -gt 0 ] && [ "$1" != "--" ]; do models+=("$1"); shift; done
[ $# -gt 0 ] && shift
javas=("$@")
[ ${#javas[@]} -gt 0 ] || javas=(java)
[ ${#models[@]} -gt 0 ] || { echo "usage: $0 FLOAT.onnx... [-- JAVA...]" >&2; exit 2; }
data=${FFTK_DATA:-$root/../shared/datasets}
images=$data/mnist/t10k-images-idx3-ubyte.gz
[ -f "$images" ] || { echo "no MNIST test images at $images (set FFTK_DATA)" >&2; exit 2; }
jar=$root/edge-runtime/target/fftk-edge.jar
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# one bench run: prints p50 in ms (batch 1) or samples/s (batch 64)
bench() { # JAVA MODEL BATCH
  local iters=3000
  [ "$3" -gt 1 ] && iters=150
  "$1" -jar "$jar" bench "$2" --images "$images" --batch "$3" --iterations $iters |
    awk -v b="$3" '/p50/ { for (i = 1; i <= NF; i++) if ($i == "p50") v = $(i + 1) } /throughput/ { t = $2 }
                   END { print (b == 1 ? v : t) }'
}
median3() { printf '%s\n' "$@" | sort -g | sed -n 2p; }

printf '%-28s %5s %-34s %12s %12s %14s\n' model batch jvm float32 int8 "int8/float32"
for m in "${models[@]}"; do
  q=$tmp/$(basename "$m" .onnx)-int8.onnx
  "$root/fftk" quantize "$m" --out "$q" > /dev/null
  for batch in 1 64; do
    for j in "${javas[@]}"; do
      f=(); i=()
      for rep in 1 2 3; do f+=("$(bench "$j" "$m" $batch)"); i+=("$(bench "$j" "$q" $batch)"); done
      fm=$(median3 "${f[@]}"); im=$(median3 "${i[@]}")
      jv=$("$j" -version 2>&1 | head -1 | tr -d '"')
      if [ $batch = 1 ]; then
        printf '%-28s %5s %-34s %9s ms %9s ms %14.2f\n' "$(basename "$m")" $batch "$jv" "$fm" "$im" "$(echo "$im / $fm" | bc -l)"
      else
        printf '%-28s %5s %-34s %10s/s %10s/s %14.2f\n' "$(basename "$m")" $batch "$jv" "$fm" "$im" "$(echo "$fm / $im" | bc -l)"
      fi
    done
  done
done
