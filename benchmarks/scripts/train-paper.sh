#!/usr/bin/env bash
# Trains paper 003's networks with its Table 1 settings and writes a results table:
#   FFNN 2x2000 (maximize and minimize), BPNN 784-2000-2000-10, on MNIST and Fashion-MNIST,
#   60 epochs, batch 128, Adam (lr 0.02 / theta 20 for FF, lr 1e-4 for BPNN), seed $SEED.
# Usage: benchmarks/scripts/train-paper.sh [OUTDIR]   (env: SEED=1 EPOCHS=60 WIDTHS=2000,2000 LIMIT=0 DATASETS="mnist fashion-mnist"
#        RUNS="ffnn:maximize ffnn:minimize bpnn" FFTK_DATA=/path/to/datasets)
# Long: on 2 CPU cores one 60-epoch 2x2000 run takes hours. Per-epoch histories go to OUTDIR/*.json.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
OUT="${1:-$ROOT/runs/train-paper}"   # /runs/ is git-ignored
SEED="${SEED:-1}"
EPOCHS="${EPOCHS:-60}"
DATASETS="${DATASETS:-mnist fashion-mnist}"
RUNS="${RUNS:-ffnn:maximize ffnn:minimize bpnn}"
WIDTHS="${WIDTHS:-2000,2000}"   # smoke test: WIDTHS=50,50 EPOCHS=1 LIMIT=2000
LIMIT="${LIMIT:-0}"
mkdir -p "$OUT"

cd "$ROOT"
mvn -B -q -o -pl trainer -am package -DskipTests >/dev/null
# Class path of the trainer (until `fftk train` is wired in the CLI): the module's classes and its jars in ~/.m2.
R="${MAVEN_REPO:-$HOME/.m2/repository}"
CP="$ROOT/trainer/target/classes:$ROOT/edge-runtime/target/classes"
for j in org/tensorflow/tensorflow-core-api/1.1.0/tensorflow-core-api-1.1.0.jar \
         org/tensorflow/tensorflow-core-native/1.1.0/tensorflow-core-native-1.1.0.jar \
         org/tensorflow/tensorflow-core-native/1.1.0/tensorflow-core-native-1.1.0-linux-x86_64.jar \
         org/tensorflow/ndarray/1.0.0/ndarray-1.0.0.jar \
         org/tensorflow/tensorflow-framework/1.0.0/tensorflow-framework-1.0.0.jar \
         org/bytedeco/javacpp/1.5.11/javacpp-1.5.11.jar \
         com/google/protobuf/protobuf-java/3.25.5/protobuf-java-3.25.5.jar \
         com/fasterxml/jackson/core/jackson-databind/2.17.2/jackson-databind-2.17.2.jar \
         com/fasterxml/jackson/core/jackson-core/2.17.2/jackson-core-2.17.2.jar \
         com/fasterxml/jackson/core/jackson-annotations/2.17.2/jackson-annotations-2.17.2.jar \
         me/tongfei/progressbar/0.10.1/progressbar-0.10.1.jar \
         org/jline/jline-terminal/3.24.1/jline-terminal-3.24.1.jar \
         org/jline/jline-native/3.24.1/jline-native-3.24.1.jar; do
  [ -f "$R/$j" ] || { echo "missing $R/$j (run a full maven build online once)" >&2; exit 1; }
  CP="$CP:$R/$j"
done

DATA_ARG=()
if [ -z "${FFTK_DATA:-}" ]; then
  for d in "$ROOT/../shared/datasets" "$ROOT/../../shared/datasets"; do
    [ -d "$d" ] && { DATA_ARG=("data=$d"); break; }
  done
fi

LOG="$OUT/runs.log"
: > "$LOG"
for ds in $DATASETS; do
  for run in $RUNS; do
    arch="${run%%:*}"; obj="${run#*:}"; [ "$obj" = "$run" ] && obj=maximize
    if [ "$arch" = bpnn ]; then name="$ds-$arch-seed$SEED"; else name="$ds-$arch-$obj-seed$SEED"; fi
    echo "== $name" | tee -a "$LOG"
    nice -n 10 java -cp "$CP" org.fftk.trainer.bench.QuickRun dataset="$ds" arch="$arch" objective="$obj" \
      widths="$WIDTHS" limit="$LIMIT" epochs="$EPOCHS" batch=128 seed="$SEED" history="$OUT/$name.json" "${DATA_ARG[@]}" 2>&1 \
      | grep -E '^(epoch|RESULT)' | tee -a "$LOG"
  done
done

# Results table (paper 003 Table 2 for comparison)
python3 - "$LOG" "$OUT/results.md" <<'PY'
import re, sys
paper = {("mnist","bpnn"):"98.31 ± 0.08",("mnist","ffnn"):"98.18 ± 0.08",
         ("fashion-mnist","bpnn"):"89.77 ± 0.27",("fashion-mnist","ffnn"):"87.84 ± 0.10"}
rows = []
for line in open(sys.argv[1]):
    if not line.startswith("RESULT "):
        continue
    g = lambda pat, d=None: (re.search(pat, line).group(1) if re.search(pat, line) else d)
    ds, arch = g(r"dataset=(\S+)"), g(r"dataset=\S+ (\S+)")
    obj, seed = g(r"objective=(\S+)", "-"), g(r"seed=(\d+)")
    acc, tr = g(r"test accuracy ([\d.]+)%"), float(g(r"train ([\d.]+) s", "0"))
    rows.append(f"| {ds} | {arch} | {obj} | {seed} | {acc} | {paper.get((ds, arch), '')} | {tr/60:.1f} |")
with open(sys.argv[2], "w") as f:
    f.write("| dataset | network | objective | seed | test accuracy % | paper 003 Table 2 | train minutes |\n")
    f.write("|---|---|---|---|---|---|---|\n")
    f.write("\n".join(rows) + "\n")
print(open(sys.argv[2]).read())
PY
