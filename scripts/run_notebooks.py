#!/usr/bin/env python3
"""Runs notebooks headless through the Jupyter protocol (nbclient) with the project's tslab kernel.

Usage: run_notebooks.py [--timeout S] [--no-write] [-v] nb1.ipynb nb2.ipynb ...

Notebooks run in the order given, each in a fresh kernel; each is written back with its outputs
(unless --no-write) exactly as JupyterLab would save it (nbformat: one-space indent, sorted keys),
so opening and saving it in Lab changes no byte. Each executed notebook is validated against the
nbformat schema first; an invalid one is reported and not written, and the run exits with code 1.
On the first failing cell it prints the notebook, the cell index, the first lines of the cell and
the error, and exits with code 1. Environment variables of the caller (e.g. EA_PROFILE=smoke)
reach the kernel, with EA_HEADLESS=1 (no live progress bars in the saved outputs). Runs under
.venv/bin/python (re-executes itself there).
"""
from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv"
KERNEL = "tslab"

if Path(sys.prefix).resolve() != VENV.resolve():
    py = VENV / "bin" / "python"
    if not py.exists():
        sys.exit(f"run_notebooks: {py} is missing; run `bash scripts/setup-python.sh` (npm postinstall)")
    os.execv(str(py), [str(py), __file__, *sys.argv[1:]])

# Jupyter's per-user dirs live inside the venv (same as scripts/lab.sh); set before importing jupyter.
# EA_HEADLESS=1 reaches the kernels: nobody watches them, so they draw no progress bars, whose
# timings would make the saved notebooks differ from run to run (src/runtime/jupyter.ts).
os.environ.update(
    EA_HEADLESS="1",
    JUPYTER_DATA_DIR=str(VENV / "share" / "jupyter"),
    JUPYTER_CONFIG_DIR=str(VENV / "etc" / "jupyter"),
    JUPYTER_RUNTIME_DIR=str(VENV / "share" / "jupyter" / "runtime"),
    JUPYTER_PLATFORM_DIRS="1",
    IPYTHONDIR=str(VENV / "etc" / "ipython"),
)

import nbformat  # noqa: E402
from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel  # noqa: E402
from nbclient import NotebookClient  # noqa: E402
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError  # noqa: E402


def first_lines(src: str, n: int = 6) -> str:
    lines = src.splitlines()
    more = f"\n    ... ({len(lines) - n} more lines)" if len(lines) > n else ""
    return "\n".join("    " + line for line in lines[:n]) + more


def describe_error(cell, reply: dict | None) -> str:
    """ename/evalue/traceback from the reply or an error output; else the cell's stderr (tslab)."""
    parts = []
    content = (reply or {}).get("content", {})
    errs = [o for o in cell.get("outputs", []) if o.get("output_type") == "error"]
    src = errs[-1] if errs else content
    if src.get("ename") or src.get("evalue"):
        parts.append(f"{src.get('ename', '')}: {src.get('evalue', '')}")
    if src.get("traceback"):
        parts.append("\n".join(src["traceback"]))
    streams = "".join(
        o.get("text", "") for o in cell.get("outputs", [])
        if o.get("output_type") == "stream" and o.get("name") == "stderr"
    )
    if streams.strip():
        parts.append(streams.rstrip())
    return "\n".join(parts) or "(the kernel reported an error without a message)"


def run_one(path: Path, timeout: float | None, write: bool, verbose: bool) -> None:
    nb = nbformat.read(path, as_version=4)
    state: dict = {"index": None, "cell": None, "reply": None, "t": 0.0}

    def on_cell_start(cell, cell_index, **_):
        state.update(index=cell_index, cell=cell, reply=None, t=time.monotonic())

    def on_cell_error(cell, cell_index, execute_reply, **_):
        state.update(reply=execute_reply)

    def on_cell_executed(cell, cell_index, **_):
        if verbose:
            print(f"    cell {cell_index}: {time.monotonic() - state['t']:.1f} s", flush=True)

    client = NotebookClient(
        nb,
        timeout=timeout,
        startup_timeout=180,
        kernel_name=KERNEL,
        allow_errors=False,
        record_timing=False,
        resources={"metadata": {"path": str(path.parent)}},  # the kernel itself cds to ROOT
        on_cell_start=on_cell_start,
        on_cell_error=on_cell_error,
        on_cell_executed=on_cell_executed,
    )
    try:
        client.execute()
    except (CellExecutionError, CellTimeoutError, DeadKernelError) as exc:
        idx, cell = state["index"], state["cell"]
        print(f"FAILED {path} at cell {idx}", file=sys.stderr)
        if cell is not None:
            print("  source:\n" + first_lines(cell.source), file=sys.stderr)
            if isinstance(exc, CellExecutionError):
                err = describe_error(cell, state["reply"])
            else:
                err = f"{type(exc).__name__}: {exc}"
            print("  error:\n" + "\n".join("    " + l for l in err.splitlines()), file=sys.stderr)
        else:
            print(f"  {type(exc).__name__}: {exc}", file=sys.stderr)
        raise SystemExit(1)
    nb.metadata["kernelspec"] = {"name": KERNEL, "display_name": "TypeScript", "language": "typescript"}
    text = serialize(path, nb)
    if write:
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)


def serialize(path: Path, nb) -> str:
    """The notebook as the Jupyter server writes it, after checking that text against the schema.

    nbformat.writes is what the server's save uses (indent=1, sort_keys=True, ensure_ascii=False,
    multi-line text split into lists), plus the trailing newline nbformat.write adds. nbformat
    itself only logs a warning for an invalid notebook; here it is an error.
    """
    text = nbformat.writes(nb)
    if not text.endswith("\n"):
        text += "\n"
    try:
        nbformat.validate(nbformat.reads(text, as_version=nbformat.NO_CONVERT))
    except nbformat.ValidationError as exc:
        where = "/".join(str(p) for p in exc.absolute_path) or "(top level)"
        print(f"INVALID {path}: does not match the nbformat schema at {where}:\n"
              f"    {exc.message}", file=sys.stderr)
        raise SystemExit(1)
    return text


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--timeout", type=float, default=3600, help="seconds per cell (default 3600; 0 = none)")
    ap.add_argument("--no-write", action="store_true", help="do not write outputs back")
    ap.add_argument("-v", "--verbose", action="store_true", help="print each cell's time")
    ap.add_argument("notebooks", nargs="+", type=Path)
    args = ap.parse_args()
    try:
        KernelSpecManager().get_kernel_spec(KERNEL)
    except NoSuchKernel:
        print(f"run_notebooks: kernel '{KERNEL}' is not registered in {VENV}; "
              "run `bash scripts/setup-python.sh`", file=sys.stderr)
        return 1
    missing = [str(p) for p in args.notebooks if not p.is_file()]
    if missing:
        print("run_notebooks: no such notebook: " + ", ".join(missing), file=sys.stderr)
        return 1
    total = time.monotonic()
    for i, path in enumerate(args.notebooks, 1):
        print(f"[{i}/{len(args.notebooks)}] {path} ...", flush=True)
        t = time.monotonic()
        run_one(path.resolve(), args.timeout or None, not args.no_write, args.verbose)
        print(f"[{i}/{len(args.notebooks)}] {path} ok in {time.monotonic() - t:.1f} s", flush=True)
    print(f"run_notebooks: {len(args.notebooks)} notebook(s) ok in {time.monotonic() - total:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
