#!/usr/bin/env bash
# `npm run lab`: starts the project's JupyterLab (.venv/, made by scripts/setup-python.sh) with
# the file browser in notebooks/ and only the venv's kernels (tslab, whose kernels start at the
# project root so notebooks can `import ... from "./src/..."`). Extra arguments go to jupyter lab,
# e.g. `npm run lab -- --port 8899 --no-browser`. Env vars such as EA_PROFILE=smoke reach the kernels.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
VENV="$ROOT/.venv"
# setup-python.sh also writes the project's Lab settings (no Jupyter-news pop-up); a .venv made
# before that setting existed is brought up to date the same way.
if [ ! -x "$VENV/bin/jupyter" ] || [ ! -f "$VENV/share/jupyter/kernels/tslab/kernel.json" ] ||
  [ ! -f "$VENV/share/jupyter/lab/settings/overrides.d/exploring-attention.json" ]; then
  echo "lab: $VENV is missing or incomplete; running scripts/setup-python.sh" >&2
  bash scripts/setup-python.sh
fi
if ! command -v node >/dev/null; then
  echo "lab: node is not on PATH; the tslab kernel needs it" >&2; exit 1
fi
# Per-user Jupyter dirs live in the venv: nothing under ~/.jupyter or ~/.local/share/jupyter,
# and a globally installed tslab kernel cannot shadow the project's.
export JUPYTER_DATA_DIR="$VENV/share/jupyter"
export JUPYTER_CONFIG_DIR="$VENV/etc/jupyter"
export JUPYTER_RUNTIME_DIR="$VENV/share/jupyter/runtime"
export JUPYTER_PLATFORM_DIRS=1
export IPYTHONDIR="$VENV/etc/ipython"
mkdir -p notebooks
ARGS=(--ServerApp.root_dir="$ROOT" --FileContentsManager.preferred_dir=notebooks
      --MappingKernelManager.default_kernel_name=tslab)
if [ "$(id -u)" = 0 ]; then ARGS+=(--allow-root); fi  # containers often run as root
exec "$VENV/bin/jupyter" lab "${ARGS[@]}" "$@"
