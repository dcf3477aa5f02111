#!/usr/bin/env bash
# Runs the edge jar where it will be deployed and checks that it answers as on this machine:
#   - a real Java 11 runtime (Debian bullseye's openjdk-11-jre-headless, downloaded and unpacked);
#   - arm64: Debian bookworm's arm64 openjdk-17-jre-headless and the arm64 libraries it needs,
#     unpacked into a root folder and run by qemu-aarch64-static (from qemu-user-static, unpacked;
#     no binfmt, no root rights, no debootstrap needed for a JRE this small).
# For every model in models/, the labels of the first N MNIST test images (default 1000; N/10 for the
# conv models) must equal
# the labels printed by the java on PATH. Packages are found in Debian's Packages indexes, checked
# against their SHA256 and cached under $FFTK_CACHE/platforms (default ~/.cache/fftk/platforms).
#
# Exit status: 0 all checks passed; 1 a label differs or a runtime failed; 3 the packages could not
# be downloaded (no network): nothing was checked, and the output says so.
#
# usage: benchmarks/scripts/check-platforms.sh [N]
set -uo pipefail
cd "$(dirname "$0")/../.."
N=${1:-1000}
MIRROR=${DEBIAN_MIRROR:-http://deb.debian.org}
CACHE=${FFTK_CACHE:-$HOME/.cache/fftk}/platforms
JAR=edge-runtime/target/fftk-edge.jar
mkdir -p "$CACHE"
for tool in curl xz dpkg-deb sha256sum cmp; do
  command -v "$tool" >/dev/null || { echo "check-platforms: no $tool on this machine: the Java 11 and arm64 checks did not run"; exit 3; }
done

if [ ! -f "$JAR" ]; then
  mvn -B -ntp -q -pl edge-runtime package -DskipTests || { echo "check-platforms: cannot build $JAR"; exit 1; }
fi
DATA=${FFTK_DATA:-../shared/datasets}
IMAGES=$DATA/mnist/t10k-images-idx3-ubyte.gz
[ -f "$IMAGES" ] || IMAGES=$HOME/.cache/fftk/mnist/t10k-images-idx3-ubyte
if [ ! -f "$IMAGES" ]; then
  echo "check-platforms: no MNIST test images (\$FFTK_DATA/mnist or ~/.cache/fftk/mnist): nothing checked"
  exit 3
fi

unavailable() {
  echo "check-platforms: could not download $1 from $MIRROR: the Java 11 and arm64 checks did not run" >&2
  exit 3
}

# index NAME URL-PATH: a Debian Packages index, cached for a day
index() {
  local f="$CACHE/$1.Packages"
  if [ ! -s "$f" ] || [ -n "$(find "$f" -mmin +1440 2>/dev/null)" ]; then
    curl -fsS --max-time 300 "$MIRROR/$2/Packages.xz" | xz -dc > "$f.tmp" && mv "$f.tmp" "$f" || unavailable "$2/Packages.xz"
  fi
  echo "$f"
}

# fetch INDEX-FILE ARCHIVE-ROOT PACKAGE: downloads the package's .deb (SHA256 checked); prints its path
fetch() {
  local entry file sha deb
  entry=$(awk -v p="$3" '$0 == "Package: " p {f = 1} f && /^(Filename|SHA256):/ {print $2} f && /^$/ {exit}' "$1")
  file=$(echo "$entry" | sed -n 1p)
  sha=$(echo "$entry" | sed -n 2p)
  [ -n "$file" ] && [ -n "$sha" ] || { echo "check-platforms: package $3 is not in $1" >&2; return 1; }
  deb="$CACHE/$(basename "$file")"
  if [ ! -f "$deb" ] || ! echo "$sha  $deb" | sha256sum -c --quiet >/dev/null 2>&1; then
    curl -fsS --max-time 600 -o "$deb.tmp" "$MIRROR/$2/$file" || return 2
    echo "$sha  $deb.tmp" | sha256sum -c --quiet >/dev/null 2>&1 || { echo "check-platforms: $file: wrong SHA256" >&2; return 1; }
    mv "$deb.tmp" "$deb"
  fi
  echo "$deb"
}

# unpack ROOT DEB...: extracts .deb files into ROOT
unpack() {
  local root=$1
  shift
  mkdir -p "$root"
  for d in "$@"; do dpkg-deb -x "$d" "$root" || return 1; done
}

# images per model: N, but a tenth of N for the conv models (*cnn*: ten label passes of conv layers
# each, minutes under qemu for 1,000 images)
count() { case "$1" in *cnn*) echo $(( N / 10 > 0 ? N / 10 : 1 ));; *) echo "$N";; esac; }

labels() { # labels JAVA... : the edge jar's labels for every model, one block per model, then the bundle's
  for m in models/*.onnx; do
    echo "== $(basename "$m")"
    "$@" -jar "$JAR" predict "$m" --images "$IMAGES" --limit "$(count "$m")" || return 1
  done
  echo "== bundle of models/mnist-ffnn-2x200.onnx"
  "$@" -jar "$BUNDLE" predict --images "$IMAGES" --limit "$N" || return 1
}

# the one-file deployment (fftk bundle: its own class loader) must run there too
BUNDLE="$CACHE/mnist-ffnn-2x200-bundle.jar"
java -jar cli/target/fftk.jar bundle models/mnist-ffnn-2x200.onnx --out "$BUNDLE" > /dev/null \
  || { echo "check-platforms: fftk bundle failed (build with mvn package first)"; exit 1; }

fail=0
compare() { # compare NAME FILE
  if cmp -s "$CACHE/host.labels" "$2"; then
    echo "check-platforms: $1: the labels equal this machine's for $(ls models/*.onnx | wc -l) models ($N images each, $(( N / 10 > 0 ? N / 10 : 1 )) for the conv models) and the bundle"
  else
    echo "check-platforms: $1: labels DIFFER from this machine's (diff $CACHE/host.labels $2)"
    fail=1
  fi
}

labels java > "$CACHE/host.labels" || { echo "check-platforms: the edge jar failed on this machine"; exit 1; }
want=$(( N + 1 ))
for m in models/*.onnx; do want=$(( want + $(count "$m") + 1 )); done
[ "$(wc -l < "$CACHE/host.labels")" -eq "$want" ] || { echo "check-platforms: expected $want lines of labels on this machine"; exit 1; }

# Java 11 (amd64) from bullseye-security, where Debian still builds it
sec=$(index bullseye-security-amd64 debian-security/dists/bullseye-security/main/binary-amd64) || exit 3
deb=$(fetch "$sec" debian-security openjdk-11-jre-headless); rc=$?
[ $rc -eq 2 ] && unavailable openjdk-11-jre-headless
[ $rc -ne 0 ] && exit 1
unpack "$CACHE/jre11" "$deb" || exit 1
# the JRE's conf files are links to /etc/java-11-openjdk (a Debian conffile, in the unpacked root here):
# point them into the root, or anything that reads java.security (a jar: URL, as the bundle opens) fails
for l in "$CACHE"/jre11/usr/lib/jvm/java-11-openjdk-*/conf/security/* "$CACHE"/jre11/usr/lib/jvm/java-11-openjdk-*/conf/*; do
  t=$(readlink "$l" || true)
  case "$t" in /etc/*) ln -sfn "$CACHE/jre11$t" "$l";; esac
done
J11=$(ls -d "$CACHE"/jre11/usr/lib/jvm/java-11-openjdk-*/bin/java | head -1)
"$J11" -version 2>&1 | head -1
if labels "$J11" > "$CACHE/java11.labels"; then compare "Java 11 ($("$J11" -version 2>&1 | head -1))" "$CACHE/java11.labels"; else echo "check-platforms: Java 11 run failed"; fail=1; fi

# arm64: Java 17 of bookworm with the libraries it links, run by qemu-user-static
arm=$(index bookworm-arm64 debian/dists/bookworm/main/binary-arm64) || exit 3
amd=$(index bookworm-amd64 debian/dists/bookworm/main/binary-amd64) || exit 3
debs=()
for p in libc6 libgcc-s1 libstdc++6 zlib1g openjdk-17-jre-headless; do
  d=$(fetch "$arm" debian "$p"); rc=$?
  [ $rc -eq 2 ] && unavailable "$p (arm64)"
  [ $rc -ne 0 ] && exit 1
  debs+=("$d")
done
q=$(fetch "$amd" debian qemu-user-static); rc=$?
[ $rc -eq 2 ] && unavailable qemu-user-static
[ $rc -ne 0 ] && exit 1
unpack "$CACHE/arm64" "${debs[@]}" || exit 1
if [ ! -x "$CACHE/qemu/usr/bin/qemu-aarch64-static" ]; then
  unpack "$CACHE/qemu.tmp" "$q" || exit 1
  mkdir -p "$CACHE/qemu/usr/bin" && mv "$CACHE/qemu.tmp/usr/bin/qemu-aarch64-static" "$CACHE/qemu/usr/bin/"
  rm -rf "$CACHE/qemu.tmp" # the other 30 emulators are not needed
fi
QEMU=$CACHE/qemu/usr/bin/qemu-aarch64-static
J17=/usr/lib/jvm/java-17-openjdk-arm64/bin/java
ARMJAVA=("$QEMU" -L "$CACHE/arm64" "$CACHE/arm64$J17")
if "${ARMJAVA[@]}" -version 2>&1 | grep -q aarch64 || "${ARMJAVA[@]}" -XshowSettings:properties -version 2>&1 | grep -q "os.arch = aarch64"; then
  echo "check-platforms: arm64 java runs under qemu (os.arch = aarch64)"
else
  echo "check-platforms: the arm64 java does not run under qemu:"; "${ARMJAVA[@]}" -version 2>&1 | tail -3
  exit 1
fi
if labels "${ARMJAVA[@]}" > "$CACHE/arm64.labels"; then compare "arm64 Java 17 under qemu" "$CACHE/arm64.labels"; else echo "check-platforms: arm64 run failed"; fail=1; fi
exit $fail
