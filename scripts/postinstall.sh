#!/usr/bin/env bash
# npm's postinstall (`npm install`, `npm ci`): the Python side, then the native TensorFlow backend.
#
#   1. scripts/setup-python.sh — .venv/ with JupyterLab + nbclient and the tslab kernel (it warns
#      and carries on by itself when it fails under npm);
#   2. the native backend, unless EA_NATIVE=0:
#      - npm's own @tensorflow/tfjs-node, when it installed (its install script reached Google's
#        storage) and loads, is used as it is: nothing is built;
#      - otherwise scripts/setup-native.sh builds it into .native/ from PyPI's tensorflow-cpu
#        wheel (~230 MB download, ~20-60 s). Its output goes to .native/install.log; a failure
#        prints ONE warning line and leaves tfjs's stock cpu backend (saved runs still load and
#        redraw; training needs native) — npm install still succeeds. `npm run setup:native` retries it with the full output.
#
# .native/install-status holds one line when the native backend was skipped or failed here;
# src/runtime/backend.ts quotes it when it says why tfjs-node is not in use.
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
NATIVE=$ROOT/.native
STATUS=$NATIVE/install-status
LOG=$NATIVE/install.log
PKG=$NATIVE/node_modules/@tensorflow/tfjs-node

bash scripts/setup-python.sh || echo "postinstall: WARNING: scripts/setup-python.sh failed (exit $?); the notebooks need it"

say() { echo "postinstall: $*"; }
status() { mkdir -p "$NATIVE" && echo "$*" >"$STATUS"; }

case "${EA_NATIVE:-1}" in
  0 | false | no | off)
    status "skipped: npm install ran with EA_NATIVE=${EA_NATIVE}"
    say "native TensorFlow backend skipped (EA_NATIVE=${EA_NATIVE}); 'npm run setup:native' builds it later"
    exit 0
    ;;
esac

# npm's tfjs-node, when its own install worked: loading it proves the binding and libtensorflow.
if [ -f node_modules/@tensorflow/tfjs-node/package.json ]; then
  if err=$(TF_CPP_MIN_LOG_LEVEL=3 node -e 'require("@tensorflow/tfjs-node")' 2>&1); then
    rm -f "$STATUS"
    say "native backend: npm's @tensorflow/tfjs-node installed and loads; nothing to build"
    exit 0
  fi
  say "npm's @tensorflow/tfjs-node is installed but does not load ($(printf '%s' "$err" | grep -m1 -i error || echo "${err%%$'\n'*}")); building .native instead"
fi

mkdir -p "$NATIVE"
say "native TensorFlow backend: building it in .native/ (the first time downloads the tensorflow-cpu wheel, ~230 MB, from PyPI; EA_NATIVE=0 skips; log: .native/install.log)"
T0=$SECONDS
# A stalled download must not hang npm install for ever.
# Always the CPU build: the GPU one (2.2 GB) is opt-in, by hand, even if EA_NATIVE_GPU is exported.
EA_NATIVE_GPU=0 timeout --kill-after=10 "${EA_NATIVE_TIMEOUT:-900}" bash scripts/setup-native.sh >"$LOG" 2>&1
rc=$?
if [ $rc = 0 ]; then
  rm -f "$STATUS"
  say "native backend ready in $((SECONDS - T0)) s: $(grep -m1 -o 'tfjs-node [0-9.]* on libtensorflow [0-9.]*' "$LOG" || echo 'tfjs-node built')"
  exit 0
fi

if [ $rc = 124 ] || [ $rc = 137 ]; then
  why="timed out after ${EA_NATIVE_TIMEOUT:-900} s (EA_NATIVE_TIMEOUT)"
else
  why=$(grep 'setup-native: ERROR: ' "$LOG" | tail -n1 | sed 's/^setup-native: ERROR: //')
  [ -n "$why" ] || why="exit $rc: $(grep -v '^\s*$' "$LOG" | tail -n1)"
fi
# Only a complete, self-checked build carries .native-build. An earlier one stays in use; anything
# less is removed, so the backend chooser reports "not installed" (with $STATUS), not a load error.
if [ -f "$PKG/.native-build" ]; then
  say "WARNING: native TensorFlow backend not rebuilt ($why); keeping the earlier build in .native — see .native/install.log"
  exit 0
fi
rm -rf "$PKG"
status "failed at npm install: $why"
say "WARNING: native TensorFlow backend not built ($why); using tfjs's cpu backend, which redraws saved runs but does not train — see .native/install.log, retry with 'npm run setup:native'"
exit 0
