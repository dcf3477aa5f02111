#!/usr/bin/env bash
# Makes the FFLib checkpoints that fftk's import tests read (exporter/src/test/resources/fflib):
# tiny FFNet, FFC, FFRNN and ff-research-style backprop networks trained on part of MNIST with
# FFLib's own classes (github.com/mitkonikov/ff, pinned below) under PyTorch CPU, saved with FFLib's
# suite.save, plus what FFLib computes on the first 300 MNIST test images (fflib_fixtures.py says
# what each stored score is). FFLib's code is fetched and run here, never copied into fftk.
#   benchmarks/scripts/fflib-fixtures.sh [OUT_DIR]
# env: FFLIB_DIR (an FFLib checkout; else cloned), FFTK_DATA (folder with mnist/), FFTK_VENV.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
OUT="${1:-$ROOT/exporter/src/test/resources/fflib}"
DATA="${FFTK_DATA:-$ROOT/../shared/datasets}"
FFLIB_COMMIT=1ee511a
CACHE="${XDG_CACHE_HOME:-$HOME/.cache}/fftk"
VENV="${FFTK_VENV:-$CACHE/fflib-venv}"
[ -f "$DATA/mnist/t10k-images-idx3-ubyte.gz" ] || { echo "fflib-fixtures: no MNIST under $DATA (set FFTK_DATA)"; exit 1; }
if [ -z "${FFLIB_DIR:-}" ]; then
  FFLIB_DIR="$CACHE/fflib-$FFLIB_COMMIT"
  if [ ! -d "$FFLIB_DIR/src/fflib" ]; then
    git clone -q https://github.com/mitkonikov/ff "$FFLIB_DIR.tmp" && git -C "$FFLIB_DIR.tmp" checkout -q "$FFLIB_COMMIT"
    mv "$FFLIB_DIR.tmp" "$FFLIB_DIR"
  fi
fi
[ -d "$FFLIB_DIR/src/fflib" ] || { echo "fflib-fixtures: no FFLib at $FFLIB_DIR (src/fflib missing)"; exit 1; }
if [ ! -x "$VENV/bin/python" ]; then
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q torch numpy tqdm typing_extensions
fi
mkdir -p "$OUT"
"$VENV/bin/python" "$ROOT/benchmarks/scripts/fflib_fixtures.py" --fflib "$FFLIB_DIR" --data "$DATA" --out "$OUT" 2>&1 \
  | grep -v "it/s\]\|s/it\]\|ff_logger"
ls -l "$OUT"
