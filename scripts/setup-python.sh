#!/usr/bin/env bash
# Creates the project-local Python virtualenv (.venv/) with JupyterLab and nbclient (pinned in
# scripts/requirements.txt), and registers tslab's kernels inside it, never in the user's global
# Jupyter. Runs as npm's postinstall; safe to run again (it only does what is missing).
#
# The kernel spec (.venv/share/jupyter/kernels/tslab/kernel.json) starts the project's own
# node_modules/.bin/tslab with its working directory at the project root: tslab only compiles
# local .ts files under its cwd (tslab issue #63), so notebooks import `./src/...`.
# Under `npm install` a failure here only warns, so the TypeScript side still installs.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
VENV=.venv
PY=${PYTHON:-python3}
TSLAB="$ROOT/node_modules/.bin/tslab"

die() {
  echo "setup-python: $*" >&2
  if [ "${npm_lifecycle_event:-}" = postinstall ]; then
    echo "setup-python: the notebooks will not run until this is fixed and" \
      "'bash scripts/setup-python.sh' is run again (npm install continues)" >&2
    exit 0
  fi
  exit 1
}
trap 'die "failed (line $LINENO)"' ERR

if [ -n "${EXPLORING_ATTENTION_SKIP_PYTHON:-}" ]; then
  echo "setup-python: skipped (EXPLORING_ATTENTION_SKIP_PYTHON is set)"; exit 0
fi
[ -x "$TSLAB" ] || die "$TSLAB is missing; run npm install first"
command -v "$PY" >/dev/null || die "'$PY' not found; install Python >= 3.9 or set PYTHON=/path/to/python3"
"$PY" -c 'import sys; sys.exit(sys.version_info < (3, 9))' || die "JupyterLab 4 needs Python >= 3.9 ($PY is $("$PY" --version 2>&1))"

# Keep Jupyter's per-user dirs inside the venv: nothing in ~/.jupyter, ~/.local/share/jupyter, ~/.ipython.
export JUPYTER_DATA_DIR="$ROOT/$VENV/share/jupyter"
export JUPYTER_CONFIG_DIR="$ROOT/$VENV/etc/jupyter"
export JUPYTER_RUNTIME_DIR="$ROOT/$VENV/share/jupyter/runtime"
export JUPYTER_PLATFORM_DIRS=1
export IPYTHONDIR="$ROOT/$VENV/etc/ipython"

if [ ! -x "$VENV/bin/python" ]; then
  echo "setup-python: creating $VENV with $("$PY" --version 2>&1)"
  "$PY" -m venv "$VENV" || { rm -rf "$VENV"; die "'$PY -m venv' failed (Debian/Ubuntu: apt-get install python3-venv)"; }
fi
STAMP="$VENV/.requirements.sha256"
WANT=$(sha256sum scripts/requirements.txt | cut -d' ' -f1)
if [ "$(cat "$STAMP" 2>/dev/null)" != "$WANT" ] ||
  ! "$VENV/bin/python" -c "import jupyterlab, nbclient, nbformat, ipykernel" 2>/dev/null; then
  echo "setup-python: installing JupyterLab and nbclient into $VENV (pip)"
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -r scripts/requirements.txt ||
    die "pip install -r scripts/requirements.txt failed (is PyPI reachable?)"
  echo "$WANT" >"$STAMP"
fi

# tslab's installer writes the tslab and jslab specs under <prefix>/share/jupyter/kernels ...
node node_modules/tslab/bin/tslab install --prefix "$ROOT/$VENV" --python "$ROOT/$VENV/bin/python" \
  --binary "$TSLAB" >/dev/null
# ... then their argv is wrapped so the kernel always starts at the project root.
"$VENV/bin/python" - "$ROOT" "$JUPYTER_DATA_DIR/kernels" <<'EOF'
import json, os, sys
root, kdir = sys.argv[1], sys.argv[2]
# $1 = project root, $2 = tslab binary, $3 = connection file (made absolute before the cd), rest: --js
wrapper = ('f="$3"; case "$f" in /*) ;; *) f="$PWD/$f" ;; esac; '
           'cd "$1" && exec "$2" kernel --config-path "$f" "${@:4}"')
for name in ("tslab", "jslab"):
    path = os.path.join(kdir, name, "kernel.json")
    with open(path) as f:
        spec = json.load(f)
    extra = spec["argv"][4:]  # tslab writes [bin, "kernel", "--config-path", "{connection_file}", ("--js")]
    spec["argv"] = ["/bin/bash", "-c", wrapper, "tslab-kernel", root,
                    os.path.join(root, "node_modules", ".bin", "tslab"), "{connection_file}", *extra]
    spec.setdefault("metadata", {})["exploring-attention"] = "starts in the project root (scripts/setup-python.sh)"
    # For the opt-in GPU backend (npm run setup:native -- --gpu): TensorFlow would otherwise take
    # nearly all GPU memory at start-up. No LD_LIBRARY_PATH: TensorFlow finds the CUDA libraries in
    # .native/gpu through its own RUNPATH (see scripts/setup-native.sh).
    spec.setdefault("env", {})["TF_FORCE_GPU_ALLOW_GROWTH"] = "true"
    with open(path + ".tmp", "w") as f:
        json.dump(spec, f, indent=1, sort_keys=True)
    os.replace(path + ".tmp", path)
EOF
# Lab settings for everyone who runs this JupyterLab: never ask "get notified about Jupyter
# news?" and never fetch news or check for updates (a request to a website on every start).
# overrides.d/ holds defaults per package; a user's own overrides.json still wins.
# (@jupyterlab/apputils-extension:notification, JupyterLab 4.4: fetchNews is "true"/"false"/"none".)
LAB_OVERRIDES="$VENV/share/jupyter/lab/settings/overrides.d/exploring-attention.json"
mkdir -p "$(dirname "$LAB_OVERRIDES")"
cat >"$LAB_OVERRIDES" <<'EOF'
{
  "@jupyterlab/apputils-extension:notification": {
    "fetchNews": "false",
    "checkForUpdates": false
  }
}
EOF

KERNELS=$("$VENV/bin/jupyter" kernelspec list --json |
  "$VENV/bin/python" -c 'import json,sys; print(", ".join(sorted(json.load(sys.stdin)["kernelspecs"])))')
case ", $KERNELS," in *", tslab,"*) ;; *) die "tslab kernel not visible to $VENV/bin/jupyter (found: $KERNELS)" ;; esac
echo "setup-python: kernels in $VENV: $KERNELS"
