#!/usr/bin/env bash
# setup-native.sh — the native TensorFlow backend for tfjs. `npm install` runs it (through
# scripts/postinstall.sh, which turns a failure into a one-line warning); `npm run setup:native`
# runs it by hand, loudly.
#
# Why: @tensorflow/tfjs-node's install step downloads libtensorflow from Google's storage,
# which this project's machines cannot reach, so npm skips that optional dependency. The npm
# tarball still ships the N-API binding sources (binding.gyp, binding/*.cc), and PyPI's
# `tensorflow-cpu` wheel ships TensorFlow's shared libraries (libtensorflow_cc.so.2, which
# exports the TF_*/TFE_* C API, and libtensorflow_framework.so.2) plus the C headers. This script
# builds the binding against the wheel's libraries, using only PyPI, the npm registry and the
# node-gyp bundled with npm.
#
# What it does (everything under .native/, which is git-ignored; safe to run again):
#   1. pip-downloads a pinned, hash-checked tensorflow-cpu wheel (no install, no venv needed)
#      and extracts the two .so files and the C headers the binding includes;
#   2. npm-installs into .native/node_modules only the packages tfjs-node requires at run time
#      (@mapbox/node-pre-gyp, google-protobuf, progress) — NOT @tensorflow/tfjs, so that
#      tfjs-node resolves @tensorflow/tfjs and tfjs-core up the tree to ./node_modules and the
#      process holds exactly one tfjs-core (one engine, one kernel registry);
#   3. `npm pack`s @tensorflow/tfjs-node into .native/node_modules/@tensorflow/tfjs-node without
#      running its install script, links the libraries/headers into its deps/, and builds
#      tfjs_binding.node with node-gyp (the binding's RUNPATH is $ORIGIN/../../deps/lib, so no
#      LD_LIBRARY_PATH is needed);
#   4. self-checks: backend 'tensorflow', one shared engine, and one training step of a tiny
#      conv1d('same') + LSTM model.
#
# Use it from code with:  require('<root>/.native/node_modules/@tensorflow/tfjs-node')
# then `await tf.setBackend('tensorflow')` on the project's own @tensorflow/tfjs.
#
# GPU mode (`npm run setup:native -- --gpu`, or EA_NATIVE_GPU=1; opt-in, never run by npm
# install): the same steps for @tensorflow/tfjs-node-gpu (same binding sources; npm's stock
# package wants CUDA 11.2 + cuDNN 8.1 from Google's storage) into .native/gpu/, against PyPI's
# full `tensorflow` 2.18.1 wheel (615 MB; its libtensorflow_cc.so.2 exports the C API and is built
# for CUDA 12) plus the CUDA 12 libraries of the hash-pinned nvidia-*-cu12 wheels that
# `tensorflow[and-cuda]==2.18.1` pins (1.5 GB: cuBLAS, cuDNN 9, cuFFT, cuSOLVER, cuSPARSE, CUPTI,
# the CUDA runtime, NVRTC, nvJitLink; not installed into any Python, only unpacked). They are laid
# out as in a site-packages folder — tensorflow/ next to nvidia/<lib>/lib — because TensorFlow's
# own libraries carry a RUNPATH of $ORIGIN/../nvidia/<lib>/lib, which is how they find CUDA when
# they dlopen it; so neither LD_LIBRARY_PATH nor a re-exec is needed. Only the NVIDIA driver
# (libcuda.so.1, R525+ for CUDA 12) must come from the system. 2.2 GB download, 3.5 GB on disk.
#
# Knobs (environment): TF_WHEEL_VERSION + TF_WHEEL_SHA256 [+ TF_WHEEL_PLATFORM] (another pinned
# wheel; 2.12.1, 2.20.0 and 2.21.0 (manylinux_2_27_x86_64) were also seen to build and train),
# PYTHON (interpreter whose pip downloads the wheel; default python3, else the project's .venv
# when python3 has no pip), NATIVE_FORCE=1 (rebuild the binding),
# NATIVE_SKIP_CHECK=1 (skip step 4). TensorFlow's C++ logging is quietened with
# TF_CPP_MIN_LOG_LEVEL=2; threads follow TF_NUM_INTRAOP_THREADS / TF_NUM_INTEROP_THREADS.
set -euo pipefail

GPU=${EA_NATIVE_GPU:-0}
for arg in "$@"; do
  case "$arg" in
    --gpu) GPU=1 ;;
    *) echo "usage: setup-native.sh [--gpu]" >&2; exit 2 ;;
  esac
done

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
TFJS_NODE_VERSION=4.22.0
TF_WHEEL_VERSION=${TF_WHEEL_VERSION:-2.18.1}
TF_WHEEL_PY=3.11
TF_WHEEL_PLATFORM=${TF_WHEEL_PLATFORM:-manylinux_2_17_x86_64}
if [ "$GPU" = 1 ]; then
  TAG=setup-native-gpu
  NATIVE=$ROOT/.native/gpu
  TFJS_PKG_NAME=tfjs-node-gpu
  TF_WHEEL_NAME=tensorflow # its libraries are built with CUDA 12 (tensorflow-cpu's are not)
  # tensorflow 2.18.1, cp311 manylinux_2_17_x86_64 wheel.
  TF_WHEEL_SHA256=${TF_WHEEL_SHA256:-c9f87e5d2a680a4595f5dc30daf6bbaec9d4129b46d7ef1b2af63c46ac7d2828}
  TF_WHEEL_MB=615
  LIBSUB=tensorflow # site-packages layout: tensorflow/ next to nvidia/ (see the header)
  # The nvidia-*-cu12 wheels `tensorflow[and-cuda]==2.18.1` pins, minus three that TensorFlow
  # never loads from tfjs: nccl (multi-GPU collectives, and not on TensorFlow's RUNPATH),
  # curand (TensorFlow has its own generators), cuda-nvcc (ptxas, used only by XLA). Platform
  # tag manylinux2014_x86_64, py3-none: the same files for every Python.
  CUDA_WHEELS=(
    "nvidia-cublas-cu12==12.5.3.2 --hash=sha256:ca070ad70e9fa6654084575d01bd001f30cc4665e33d4bb9fc8e0f321caa034b"
    "nvidia-cuda-cupti-cu12==12.5.82 --hash=sha256:bde77a5feb66752ec61db2adfe47f56b941842825b4c7e2068aff27c9d107953"
    "nvidia-cuda-nvrtc-cu12==12.5.82 --hash=sha256:3dbd97b0104b4bfbc3c4f8c79cd2496307c89c43c29a9f83125f1d76296ff3fd"
    "nvidia-cuda-runtime-cu12==12.5.82 --hash=sha256:3e79a060e126df40fd3a068f3f787eb000fa51b251ec6cd97d09579632687115"
    "nvidia-cudnn-cu12==9.3.0.75 --hash=sha256:9ad9c6929ebb5295eb4a1728024666d1c88283373e265a0c5c883e6f9d5cd76d"
    "nvidia-cufft-cu12==11.2.3.61 --hash=sha256:9a6e8df162585750f61983a638104a48c756aa13f9f48e19ab079b38e3c828b8"
    "nvidia-cusolver-cu12==11.6.3.83 --hash=sha256:93cfafacde4428b71778eeb092ec615a02a3d05404da1bcf91c53e3fa1bce42b"
    "nvidia-cusparse-cu12==12.5.1.3 --hash=sha256:016df8e993c437e8301e62739f01775cba988fd5253cd4c64173f8e8d2f8e752"
    "nvidia-nvjitlink-cu12==12.5.82 --hash=sha256:f9b37bc5c8cf7509665cb6ada5aaa0ce65618f2332b7d3e78e9790511f111212"
  )
  # What TensorFlow dlopens (tsl DsoLoader), where its RUNPATH looks for it.
  CUDA_SONAMES=(cuda_runtime/lib/libcudart.so.12 cublas/lib/libcublas.so.12 cublas/lib/libcublasLt.so.12
    cudnn/lib/libcudnn.so.9 cufft/lib/libcufft.so.11 cusolver/lib/libcusolver.so.11
    cusparse/lib/libcusparse.so.12 cuda_cupti/lib/libcupti.so.12)
  [ "$TF_WHEEL_VERSION" = 2.18.1 ] || { echo "setup-native-gpu: ERROR: the CUDA wheels are pinned for tensorflow 2.18.1, not $TF_WHEEL_VERSION" >&2; exit 1; }
else
  TAG=setup-native
  NATIVE=$ROOT/.native
  TFJS_PKG_NAME=tfjs-node
  TF_WHEEL_NAME=tensorflow-cpu
  # tensorflow-cpu 2.18.1, cp311 manylinux_2_17_x86_64 wheel (the C libraries do not depend on
  # the Python version; the tag is pinned only so the download and its hash are reproducible).
  TF_WHEEL_SHA256=${TF_WHEEL_SHA256:-810c75d7149d2da0cb2092187817b0dcabb80728ca9f9cf3a61f3f42fadd1298}
  TF_WHEEL_MB=230
  LIBSUB=lib
fi
WHEEL_GLOB="${TF_WHEEL_NAME//-/_}-$TF_WHEEL_VERSION-*.whl"
# tfjs-node's run-time requires outside @tensorflow/* (dist/index.js, nodejs_kernel_backend.js,
# proto/api_pb.js, callbacks.js); versions are read from its package.json.
RUNTIME_DEPS=(@mapbox/node-pre-gyp google-protobuf progress)

PKG=$NATIVE/node_modules/@tensorflow/$TFJS_PKG_NAME
TFDIR=$NATIVE/libtensorflow-$TF_WHEEL_VERSION
T0=$SECONDS

say() { echo "$TAG: $*"; }
# Always one line (scripts/postinstall.sh shows the last ERROR line as npm install's warning).
die() { echo "$TAG: ERROR: $(printf '%s' "$*" | tr -s '\n\t' '  ')" >&2; exit 1; }
need() { command -v "$1" >/dev/null 2>&1 || die "'$1' not found on PATH — $2"; }
trap 'die "failed at line $LINENO: $BASH_COMMAND"' ERR

# --- 0. preflight -------------------------------------------------------------------------
[ "$(uname -s)" = Linux ] || die "only Linux is supported (found $(uname -s))"
[ "$(uname -m)" = x86_64 ] || die "only x86_64 is supported: the pinned wheel is $TF_WHEEL_NAME for x86_64 (found $(uname -m))"
need node "install Node.js >= 20"
need npm "install npm"
# Python is needed only to download and unpack the wheel (step 1), a compiler only to build
# (step 3); re-runs with both done need neither.
python_with_pip() {
  PY=${PYTHON:-python3}
  if [ -z "${PYTHON:-}" ] && ! "$PY" -m pip --version >/dev/null 2>&1 &&
    "$ROOT/.venv/bin/python" -m pip --version >/dev/null 2>&1; then
    PY=$ROOT/.venv/bin/python # Debian's python3 has no pip without python3-pip; the venv has
  fi
  need "$PY" "install Python 3 with pip (used only for 'pip download'), or set PYTHON"
  "$PY" -m pip --version >/dev/null 2>&1 || die "'$PY -m pip' does not work — install pip for $PY (apt-get install python3-pip)"
}

TFJS_PKG=$ROOT/node_modules/@tensorflow/tfjs/package.json
[ -f "$TFJS_PKG" ] || die "$ROOT/node_modules/@tensorflow/tfjs is missing — run 'npm install' in $ROOT first"
for p in tfjs tfjs-core; do
  v=$(node -p "require('$ROOT/node_modules/@tensorflow/$p/package.json').version")
  [ "$v" = "$TFJS_NODE_VERSION" ] || die "@tensorflow/$p in node_modules is $v, but tfjs-node $TFJS_NODE_VERSION needs $TFJS_NODE_VERSION"
done

# Node headers for node-gyp: npm's `nodedir` config (~/.npmrc sets /usr here), else /usr if
# the distro ships them; never the download node-gyp would otherwise attempt.
NODEDIR=${npm_config_nodedir:-}
if [ -z "$NODEDIR" ]; then
  NODEDIR=$(npm config get nodedir 2>/dev/null || true)
  case "$NODEDIR" in undefined | null) NODEDIR= ;; esac
fi
[ -n "$NODEDIR" ] || NODEDIR=/usr
[ -f "$NODEDIR/include/node/node_api.h" ] || die "Node headers not found at $NODEDIR/include/node (set npm's nodedir, or apt-get install libnode-dev / nodejs headers)"

# node-gyp: the one npm exports to scripts, else the copy bundled with npm.
NODE_GYP=${npm_config_node_gyp:-}
if [ -z "$NODE_GYP" ] || [ ! -f "$NODE_GYP" ]; then
  NPM_DIR=$(dirname "$(dirname "$(readlink -f "$(command -v npm)")")")
  NODE_GYP=$NPM_DIR/node_modules/node-gyp/bin/node-gyp.js
fi
[ -f "$NODE_GYP" ] || die "node-gyp not found (looked for npm's bundled copy at $NODE_GYP)"

mkdir -p "$NATIVE/cache"
say "root $ROOT; TensorFlow wheel $TF_WHEEL_NAME==$TF_WHEEL_VERSION; $TFJS_PKG_NAME $TFJS_NODE_VERSION; into ${NATIVE#"$ROOT"/}/"

# --- 1. libtensorflow from the PyPI wheel -------------------------------------------------
if [ ! -f "$TFDIR/.complete" ]; then
  python_with_pip
  WHEEL=$(find "$NATIVE/cache" -maxdepth 1 -name "$WHEEL_GLOB" | head -n1)
  if [ -z "$WHEEL" ]; then
    say "[1/4] downloading $TF_WHEEL_NAME==$TF_WHEEL_VERSION wheel from PyPI (~$TF_WHEEL_MB MB)"
    REQ=$NATIVE/cache/tf-wheel.req
    echo "$TF_WHEEL_NAME==$TF_WHEEL_VERSION --hash=sha256:$TF_WHEEL_SHA256" >"$REQ"
    "$PY" -m pip download --quiet --disable-pip-version-check --no-deps --only-binary=:all: \
      --require-hashes --python-version "$TF_WHEEL_PY" --implementation cp \
      --platform "$TF_WHEEL_PLATFORM" -d "$NATIVE/cache" -r "$REQ" \
      || die "pip could not download $TF_WHEEL_NAME==$TF_WHEEL_VERSION ($TF_WHEEL_PLATFORM, cp${TF_WHEEL_PY/./}) with the pinned hash"
    WHEEL=$(find "$NATIVE/cache" -maxdepth 1 -name "$WHEEL_GLOB" | head -n1)
    [ -n "$WHEEL" ] || die "pip reported success but no $WHEEL_GLOB is in ${NATIVE#"$ROOT"/}/cache"
  else
    say "[1/4] using cached wheel $(basename "$WHEEL")"
    echo "$TF_WHEEL_SHA256  $WHEEL" | sha256sum --check --status \
      || die "cached $(basename "$WHEEL") does not match the pinned sha256; delete it and re-run"
  fi
  say "[1/4] extracting libtensorflow_cc.so.2, libtensorflow_framework.so.2 and C headers"
  rm -rf "$TFDIR" && mkdir -p "$TFDIR/$LIBSUB" "$TFDIR/include"
  "$PY" - "$WHEEL" "$TFDIR" "$LIBSUB" "$GPU" <<'EOF'
import os, shutil, sys, zipfile
wheel, out, libsub, gpu = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4] == "1"
libs = {"tensorflow/libtensorflow_cc.so.2", "tensorflow/libtensorflow_framework.so.2"}
# Header trees reached from tensorflow/c/c_api.h and tensorflow/c/eager/c_api.h. TSL moved
# between releases (tensorflow/tsl in 2.12-2.13, tsl in 2.14+, xla/tsl later), so take all.
inc = tuple("tensorflow/include/" + d for d in (
    "tensorflow/c/", "tensorflow/core/platform/", "tensorflow/tsl/c/", "tensorflow/tsl/platform/",
    "tsl/c/", "tsl/platform/", "xla/tsl/c/", "xla/tsl/platform/") + (("absl/",) if gpu else ()))
found = set()
with zipfile.ZipFile(wheel) as z:
    for info in z.infolist():
        name = info.filename
        if name in libs:
            dest = os.path.join(out, libsub, os.path.basename(name)); found.add(name)
        elif name.startswith(inc) and not name.endswith("/"):
            dest = os.path.join(out, "include", name[len("tensorflow/include/"):]); found.add("headers")
        else:
            continue
        os.makedirs(os.path.dirname(dest), exist_ok=True)
        with z.open(info) as src, open(dest, "wb") as dst:
            shutil.copyfileobj(src, dst, 1 << 20)
        os.chmod(dest, 0o755 if ".so" in name else 0o644)
missing = (libs | {"headers"}) - found
if missing:
    sys.exit("wheel lacks: " + ", ".join(sorted(missing)))
EOF
  for h in tensorflow/c/c_api.h tensorflow/c/eager/c_api.h tensorflow/core/platform/ctstring_internal.h; do
    [ -f "$TFDIR/include/$h" ] || die "header $h missing from the wheel"
  done
  # Names the linker looks for (-ltensorflow -ltensorflow_framework in binding.gyp). At run time
  # the binding asks for the SONAMEs libtensorflow_cc.so.2 / libtensorflow_framework.so.2.
  ln -sfn libtensorflow_cc.so.2 "$TFDIR/$LIBSUB/libtensorflow.so"
  ln -sfn libtensorflow_framework.so.2 "$TFDIR/$LIBSUB/libtensorflow_framework.so"
  [ "$LIBSUB" = lib ] || ln -sfn "$LIBSUB" "$TFDIR/lib"
  touch "$TFDIR/.complete"
  # Only the extracted files are needed from here on.
  rm -f "$NATIVE/cache/"$WHEEL_GLOB
else
  say "[1/4] libtensorflow $TF_WHEEL_VERSION already extracted in ${TFDIR#"$ROOT"/}"
fi

# --- 1b. (GPU) the CUDA 12 libraries from the nvidia-*-cu12 wheels --------------------------
if [ "$GPU" = 1 ] && [ ! -f "$TFDIR/nvidia/.complete" ]; then
  python_with_pip
  CUDA_CACHE=$NATIVE/cache/cuda
  mkdir -p "$CUDA_CACHE"
  printf '%s\n' "${CUDA_WHEELS[@]}" >"$NATIVE/cache/cuda-wheels.req"
  say "[1/4] downloading ${#CUDA_WHEELS[@]} nvidia-*-cu12 wheels from PyPI (~1.5 GB; kept only until unpacked)"
  "$PY" -m pip download --quiet --disable-pip-version-check --no-cache-dir --no-deps --only-binary=:all: \
    --require-hashes --python-version "$TF_WHEEL_PY" --implementation cp --platform manylinux2014_x86_64 \
    -d "$CUDA_CACHE" -r "$NATIVE/cache/cuda-wheels.req" \
    || die "pip could not download the pinned nvidia-*-cu12 wheels (see $NATIVE/cache/cuda-wheels.req)"
  say "[1/4] unpacking their nvidia/*/lib folders into ${TFDIR#"$ROOT"/}/nvidia"
  rm -rf "$TFDIR/nvidia"
  "$PY" - "$TFDIR" "$CUDA_CACHE"/nvidia_*.whl <<'EOF'
import os, shutil, sys, zipfile
out, wheels = sys.argv[1], sys.argv[2:]
for wheel in wheels:
    with zipfile.ZipFile(wheel) as z:
        for info in z.infolist():
            parts = info.filename.split("/")  # nvidia/<lib>/lib/<file>
            if len(parts) != 4 or parts[0] != "nvidia" or parts[2] != "lib" or not parts[3]:
                continue
            dest = os.path.join(out, info.filename)
            os.makedirs(os.path.dirname(dest), exist_ok=True)
            with z.open(info) as src, open(dest, "wb") as dst:
                shutil.copyfileobj(src, dst, 1 << 20)
            os.chmod(dest, 0o755)
EOF
  # cuDNN 9's RUNPATH names nvidia/nvrtc/lib, but the NVRTC wheel installs nvidia/cuda_nvrtc.
  ln -sfn cuda_nvrtc "$TFDIR/nvidia/nvrtc"
  for so in "${CUDA_SONAMES[@]}"; do
    [ -f "$TFDIR/nvidia/$so" ] || die "nvidia/$so missing after unpacking the CUDA wheels"
    BROKEN=$(ldd "$TFDIR/nvidia/$so" 2>&1 | grep 'not found' || true)
    [ -z "$BROKEN" ] || die "nvidia/$so has unresolved libraries: $BROKEN"
  done
  touch "$TFDIR/nvidia/.complete"
  rm -rf "$CUDA_CACHE"
elif [ "$GPU" = 1 ]; then
  say "[1/4] CUDA 12 libraries already unpacked in ${TFDIR#"$ROOT"/}/nvidia"
fi

# --- 2. tfjs-node tarball and its run-time dependencies (without @tensorflow/tfjs) ----------
TARBALL=$NATIVE/cache/tensorflow-$TFJS_PKG_NAME-$TFJS_NODE_VERSION.tgz
if [ ! -f "$TARBALL" ]; then
  say "[2/4] npm pack @tensorflow/$TFJS_PKG_NAME@$TFJS_NODE_VERSION"
  (cd "$NATIVE/cache" && npm pack --silent "@tensorflow/$TFJS_PKG_NAME@$TFJS_NODE_VERSION" >/dev/null) \
    || die "npm pack @tensorflow/$TFJS_PKG_NAME@$TFJS_NODE_VERSION failed (is the npm registry reachable?)"
fi
[ -f "$TARBALL" ] || die "npm pack did not produce $TARBALL"

# In $NATIVE/node_modules itself: for the GPU build, found further up (in the CPU build's
# .native/node_modules) is not good enough, as that one may be removed on its own.
deps_ok() {
  local d
  for d in "${RUNTIME_DEPS[@]}"; do [ -f "$NATIVE/node_modules/$d/package.json" ] || return 1; done
}
if ! deps_ok; then
  # Versions exactly as tfjs-node declares them.
  DEP_SPECS=$(tar -xzOf "$TARBALL" package/package.json | node -e '
    const deps = JSON.parse(require("fs").readFileSync(0, "utf8")).dependencies;
    const want = process.argv.slice(1);
    const out = {};
    for (const d of want) { if (!deps[d]) throw new Error("tfjs-node does not depend on " + d); out[d] = deps[d]; }
    console.log(JSON.stringify(out));
  ' "${RUNTIME_DEPS[@]}")
  say "[2/4] installing $TFJS_PKG_NAME's run-time deps into ${NATIVE#"$ROOT"/}/node_modules: $DEP_SPECS"
  node -e '
    const fs = require("fs");
    fs.writeFileSync(process.argv[1], JSON.stringify({
      name: "exploring-attention-native", private: true,
      description: "Generated by scripts/setup-native.sh: run-time deps of the locally built @tensorflow/tfjs-node. @tensorflow/tfjs deliberately absent: it resolves to the project root.",
      dependencies: JSON.parse(process.argv[2]) }, null, 2) + "\n");
  ' "$NATIVE/package.json" "$DEP_SPECS"
  # npm prunes what package.json does not list, so this step runs before tfjs-node is unpacked.
  (cd "$NATIVE" && npm install --silent --ignore-scripts --no-audit --no-fund) \
    || die "npm install of ${RUNTIME_DEPS[*]} in ${NATIVE#"$ROOT"/} failed"
  deps_ok || die "after npm install, ${RUNTIME_DEPS[*]} still do not resolve from ${NATIVE#"$ROOT"/}"
else
  say "[2/4] run-time deps already in ${NATIVE#"$ROOT"/}/node_modules"
fi

if [ ! -f "$PKG/package.json" ] || [ "$(node -p "require('$PKG/package.json').version")" != "$TFJS_NODE_VERSION" ]; then
  say "[2/4] unpacking $TFJS_PKG_NAME $TFJS_NODE_VERSION into ${PKG#"$ROOT"/} (its install script is not run)"
  rm -rf "$PKG" && mkdir -p "$PKG"
  tar -xzf "$TARBALL" -C "$PKG" --strip-components=1
fi
# Nothing named @tensorflow/* besides tfjs-node(-gpu) may live in .native: a second tfjs-core
# would mean a second engine whose tensors the first cannot read.
EXTRA=$(cd "$NATIVE/node_modules" && find . -maxdepth 6 -path '*/@tensorflow/*' -name package.json \
          -not -path "./@tensorflow/$TFJS_PKG_NAME/*" 2>/dev/null | head -n5)
[ -z "$EXTRA" ] || die "found @tensorflow packages inside ${NATIVE#"$ROOT"/} that would duplicate tfjs-core: $EXTRA"

# --- 3. build the N-API binding ----------------------------------------------------------
# Where @mapbox/node-pre-gyp (used by tfjs-node's index.js) will look for the binding.
BINDING=$(cd "$PKG" && node -e '
  const p = require("@mapbox/node-pre-gyp").find(require("path").resolve("package.json"));
  console.log(p);')
MODULE_PATH=$(dirname "$BINDING")
NAPI=$(basename "$MODULE_PATH" | sed -n 's/^napi-v\([0-9]*\)$/\1/p')
[ -n "$NAPI" ] || die "could not work out the N-API build version from $BINDING"

mkdir -p "$PKG/deps"
ln -sfn "../../../../libtensorflow-$TF_WHEEL_VERSION/lib" "$PKG/deps/lib"
ln -sfn "../../../../libtensorflow-$TF_WHEEL_VERSION/include" "$PKG/deps/include"
[ -f "$PKG/deps/lib/libtensorflow_cc.so.2" ] || die "deps/lib link is broken ($PKG/deps/lib)"
if [ "$GPU" = 1 ]; then
  # The binding loads deps/lib/libtensorflow_cc.so.2, so TensorFlow's $ORIGIN is deps/lib, and the
  # kernel resolves its RUNPATH entries $ORIGIN/../nvidia/<lib>/lib after following the deps/lib
  # symlink: into libtensorflow-<version>/nvidia. These are the paths the loader will open.
  for so in "${CUDA_SONAMES[@]}"; do
    [ -f "$PKG/deps/lib/../nvidia/$so" ] || die "deps/lib/../nvidia/$so is missing: TensorFlow would not find it"
  done
fi

STAMP="tf=$TF_WHEEL_VERSION $TFJS_PKG_NAME=$TFJS_NODE_VERSION napi=$NAPI node=$(node -p process.versions.modules)"
if [ -n "${NATIVE_FORCE:-}" ] || [ ! -f "$BINDING" ] || [ "$(cat "$PKG/.native-build" 2>/dev/null)" != "$STAMP" ]; then
  need c++ "install a C++ compiler (apt-get install g++)"
  need make "install make (apt-get install make)"
  say "[3/4] building tfjs_binding.node (N-API v$NAPI) with node-gyp against libtensorflow $TF_WHEEL_VERSION"
  rm -rf "$PKG/.native-build" "$PKG/build" "$MODULE_PATH"   # never leave a stale binding behind
  LOG=$NATIVE/build.log
  (cd "$PKG" && node "$NODE_GYP" rebuild --nodedir="$NODEDIR" --jobs=2 \
      --napi_build_version="$NAPI" --module_name=tfjs_binding --module_path="$MODULE_PATH") >"$LOG" 2>&1 \
    || { tail -n 30 "$LOG" >&2; die "node-gyp build failed; full log in ${LOG#"$ROOT"/}"; }
  [ -f "$BINDING" ] || die "node-gyp finished but $BINDING is missing; see ${LOG#"$ROOT"/}"
  echo "$STAMP" >"$PKG/.native-build"
  # Libraries of other pinned versions are dead weight (~0.6-0.8 GB each) once this one builds.
  for d in "$NATIVE"/libtensorflow-*; do
    [ "$d" = "$TFDIR" ] || { say "[3/4] removing unused ${d#"$ROOT"/}"; rm -rf "$d"; }
  done
else
  say "[3/4] tfjs_binding.node already built ($STAMP)"
fi
if command -v ldd >/dev/null; then
  UNRESOLVED=$(ldd "$BINDING" 2>&1 | grep 'not found' || true)
  [ -z "$UNRESOLVED" ] || { rm -f "$BINDING" "$PKG/.native-build"; die "the binding has unresolved libraries (removed it): $UNRESOLVED"; }
fi

# --- 4. self-check -----------------------------------------------------------------------
if [ -n "${NATIVE_SKIP_CHECK:-}" ]; then
  say "[4/4] self-check skipped (NATIVE_SKIP_CHECK set)"
else
  say "[4/4] self-check"
  # GPU mode keeps TensorFlow's own log (level 0) in a file and shows its CUDA/GPU lines.
  CHECK_LOG=$NATIVE/self-check.log
  if [ "$GPU" = 1 ]; then LEVEL=${TF_CPP_MIN_LOG_LEVEL:-0}; else LEVEL=${TF_CPP_MIN_LOG_LEVEL:-2}; fi
  # shellcheck disable=SC2016  # JavaScript, not shell
  (cd "$ROOT" && TF_CPP_MIN_LOG_LEVEL=$LEVEL TF_FORCE_GPU_ALLOW_GROWTH=${TF_FORCE_GPU_ALLOW_GROWTH:-true} node -e '
    const assert = require("assert");
    const pkg = process.argv[1];
    const tfn = require(pkg);
    const tf = require("@tensorflow/tfjs");
    const here = require.resolve("@tensorflow/tfjs-core");
    for (const m of ["@tensorflow/tfjs", "@tensorflow/tfjs-core"]) {
      const there = require.resolve(m, {paths: [pkg]});
      assert.strictEqual(there, require.resolve(m), "tfjs-node resolves another " + m + ": " + there);
    }
    const cores = new Set(Object.keys(require.cache).filter((f) => /[\\/]@tensorflow[\\/]tfjs-core[\\/]/.test(f))
      .map((f) => f.replace(/([\\/]tfjs-core)[\\/].*$/, "$1")));
    assert.strictEqual(cores.size, 1, "more than one tfjs-core loaded: " + [...cores].join(", "));
    (async () => {
      assert.ok(await tf.setBackend("tensorflow"), "setBackend(\"tensorflow\") returned false");
      await tf.ready();
      assert.strictEqual(tf.getBackend(), "tensorflow");
      assert.ok(tf.engine() === tfn.engine(), "tfjs and tfjs-node have different engines");
      const m = tf.sequential();
      m.add(tf.layers.conv1d({inputShape: [8, 2], filters: 4, kernelSize: 3, padding: "same", activation: "relu"}));
      m.add(tf.layers.lstm({units: 3, returnSequences: true}));
      m.add(tf.layers.dense({units: 1}));
      m.compile({optimizer: tf.train.adam(1e-2), loss: "meanSquaredError"});
      const x = tf.randomNormal([4, 8, 2]), y = tf.randomNormal([4, 8, 1]);
      const before = m.getWeights()[0].dataSync().slice();
      const loss = await m.trainOnBatch(x, y);
      const after = m.getWeights()[0].dataSync();
      assert.ok(Number.isFinite(loss), "loss is not finite: " + loss);
      assert.ok(after.some((v, i) => v !== before[i]), "weights did not change after one step");
      console.log(process.argv[2] + ": self-check ok: backend=" + tf.getBackend() +
        ", one engine, one tfjs-core (" + require("path").relative(process.cwd(), here) + ")" +
        ", " + process.argv[3] + " " + tfn.version["tfjs-node"] + " on libtensorflow " + tf.backend().binding.TF_Version +
        ", conv1d+lstm train step loss=" + loss.toFixed(4));
      // Which CUDA libraries TensorFlow actually loaded (from its RUNPATH), and the driver.
      const maps = require("fs").readFileSync("/proc/self/maps", "utf8");
      const cuda = new Map();
      for (const m of maps.matchAll(/\s(\/\S*\/(lib(?:cuda|cudart|cublas|cublasLt|cudnn\w*|cufft|cusolver|cusparse|cupti|nvJitLink|nvrtc)\.so[.\d]*))$/gm))
        cuda.set(m[2], m[1]);
      if (process.argv[3].endsWith("-gpu"))
        console.log(process.argv[2] + ": CUDA libraries loaded: " +
          ([...cuda].map(([k, v]) => k + " (" + require("path").relative(process.cwd(), v) + ")").join(", ") || "none") +
          "; NVIDIA driver (libcuda.so.1): " + (cuda.has("libcuda.so.1") ? "loaded" : "not loaded — no GPU will be used"));
    })().catch((e) => { console.error(e); process.exit(1); });
  ' "$PKG" "$TAG" "$TFJS_PKG_NAME" 2>"$CHECK_LOG") || {
    tail -n 20 "$CHECK_LOG" >&2
    # A binding that does not work must not be found by src/runtime/backend.ts.
    rm -f "$BINDING" "$PKG/.native-build"
    die "self-check failed (see above; ${CHECK_LOG#"$ROOT"/}); the binding was removed"
  }
  if [ "$GPU" = 1 ]; then
    say "TensorFlow's CUDA/GPU log lines (all in ${CHECK_LOG#"$ROOT"/}):"
    grep -i -E 'cuda|gpu|cudnn|cuInit|device' "$CHECK_LOG" | sed 's/^/  /' | head -n 20 || true
    # Without a GPU TensorFlow stops at the driver and never asks for cuBLAS, cuDNN, ...; so ask
    # its own loader (tsl::internal::DsoLoader, in libtensorflow_framework.so.2, whose RUNPATH
    # is the one that applies) for each library, through the same deps/lib path the binding uses.
    PROBE=$NATIVE/cuda-lookup
    cat >"$PROBE.cc" <<'EOF'
// Generated by scripts/setup-native.sh --gpu: where TensorFlow's own loader finds each CUDA library.
#include "tsl/platform/default/dso_loader.h"
#include <dlfcn.h>
#include <link.h>
#include <cstdio>
#include <cstdlib>
namespace L = tsl::internal::DsoLoader;
int main() {
  struct { const char* name; absl::StatusOr<void*> (*fn)(); bool needed; } libs[] = {
      {"cudart", L::GetCudaRuntimeDsoHandle, true}, {"cublas", L::GetCublasDsoHandle, true},
      {"cublasLt", L::GetCublasLtDsoHandle, true},  {"cufft", L::GetCufftDsoHandle, true},
      {"cusolver", L::GetCusolverDsoHandle, true},  {"cusparse", L::GetCusparseDsoHandle, true},
      {"cudnn", L::GetCudnnDsoHandle, true},        {"driver", L::GetCudaDriverDsoHandle, false}};
  int missing = 0;
  for (auto& l : libs) {
    absl::StatusOr<void*> h = l.fn();
    link_map* map = nullptr;
    if (h.ok() && dlinfo(*h, RTLD_DI_LINKMAP, &map) == 0 && map) {
      char real[4096];
      printf("%s=%s\n", l.name, realpath(map->l_name, real) ? real : map->l_name);
    } else {
      printf("%s=not found\n", l.name);
      missing += l.needed;
    }
  }
  return missing ? 1 : 0;
}
EOF
    c++ -std=c++17 -O1 -D_GLIBCXX_USE_CXX11_ABI=1 -I "$TFDIR/include" "$PROBE.cc" -o "$PROBE" \
      -L "$PKG/deps/lib" -l:libtensorflow_framework.so.2 -Wl,-rpath,"$PKG/deps/lib" >"$PROBE.log" 2>&1 \
      || die "could not compile the CUDA lookup probe; see ${PROBE#"$ROOT"/}.log"
    FOUND=$(TF_CPP_MIN_LOG_LEVEL=3 "$PROBE" 2>/dev/null) && ok=1 || ok=0
    say "TensorFlow's loader finds: $(echo "$FOUND" | sed "s#$ROOT/##" | paste -sd ';' | sed 's/;/; /g')"
    [ $ok = 1 ] || {
      rm -f "$BINDING" "$PKG/.native-build"
      die "TensorFlow's loader cannot find some CUDA libraries (above), so no GPU would be used; the binding was removed"
    }
  else
    cat "$CHECK_LOG" >&2
  fi
fi

# (.native/gpu/, the opt-in GPU build, is not counted in the CPU build's size)
say "done in $((SECONDS - T0)) s; ${NATIVE#"$ROOT"/} is $(du -sh --exclude="$NATIVE/gpu" "$NATIVE" | cut -f1)."
say "use: require('$PKG'); then await tf.setBackend('tensorflow')"
