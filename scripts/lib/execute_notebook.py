"""Executes one notebook headless with nbclient; called by scripts/run-notebooks.mjs.

Usage: python3 execute_notebook.py IN.ipynb OUT.ipynb RESULT.json
           [--kernel tslab] [--timeout-s 900] [--cwd DIR] [--verbose]

Runs every code cell in order, in a kernel started in --cwd, within one total time
budget (--timeout-s, for the whole notebook: each cell may use what is left), stops at
the first error, writes the executed notebook (also on failure, up to the failing cell)
to OUT and a summary to RESULT:
  {"status": "ok" | "error" | "timeout" | "dead-kernel" | "kernel-start",
   "seconds": float, "cells": int, "executed": int,
   "failing": {"index", "source_head", "ename", "evalue", "traceback": [str], "stderr": str} | null,
   "slowest": [{"index", "seconds", "source_head"}]}
Exit code 0 when the notebook ran to the end, 1 otherwise, 2 on bad usage.
"""
import argparse
import json
import os
import re
import sys
import time

try:
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError
except ImportError as e:  # pragma: no cover - reported by the caller
    print(f"execute_notebook.py: {e}; install with: python3 -m pip install nbclient nbformat ipykernel", file=sys.stderr)
    sys.exit(2)

ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
ERROR_LINE = re.compile(r"^((?:[A-Za-z_$][\w$]*)?(?:Error|Exception))(?::\s?(.*))?$")
COMPILE_LINE = re.compile(r"^\d+:\d+ - ")


def head(source, lines=3, width=100):
    out = [ln[:width] for ln in source.splitlines()[:lines]]
    if len(source.splitlines()) > lines:
        out.append("...")
    return "\n".join(out)


def failure_details(cell, index, exc):
    """The failing cell's error outputs (ename, evalue, traceback) and stderr text."""
    d = {"index": index, "source_head": head(cell.source), "ename": "", "evalue": "", "traceback": [], "stderr": ""}
    for out in cell.get("outputs", []):
        if out.get("output_type") == "error":
            d["ename"] = out.get("ename", "")
            d["evalue"] = out.get("evalue", "")
            d["traceback"] = [ANSI.sub("", t) for t in out.get("traceback", [])]
        elif out.get("output_type") == "stream" and out.get("name") == "stderr":
            d["stderr"] += ANSI.sub("", out.get("text", ""))
    d["stderr"] = d["stderr"].strip()
    if not d["ename"] and d["stderr"]:
        # tslab reports errors on stderr only: "TypeError: message" for runtime errors,
        # "<line>:<col> - message" for TypeScript compile errors.
        lines = d["stderr"].splitlines()
        m = next((ERROR_LINE.match(ln) for ln in lines if ERROR_LINE.match(ln)), None)
        if m:
            d["ename"], d["evalue"] = m.group(1), (m.group(2) or "").strip()
        elif COMPILE_LINE.match(lines[0]):
            d["ename"], d["evalue"] = "TypeScriptCompileError", lines[0]
        else:
            d["ename"], d["evalue"] = "Error", lines[0]
        d["traceback"] = lines[-30:]
    if not d["ename"]:
        msg = str(exc).strip()
        d["ename"] = type(exc).__name__
        d["evalue"] = msg.splitlines()[-1] if msg else ""
    d["stderr"] = "\n".join(d["stderr"].splitlines()[-30:])
    return d


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("input")
    ap.add_argument("output")
    ap.add_argument("result")
    ap.add_argument("--kernel", default="tslab")
    ap.add_argument("--timeout-s", type=float, default=900)
    ap.add_argument("--cwd", default=None)
    ap.add_argument("--verbose", action="store_true")
    args = ap.parse_args()

    nb = nbformat.read(args.input, as_version=4)
    name = os.path.splitext(os.path.basename(args.input))[0]
    cwd = os.path.abspath(args.cwd or os.path.dirname(args.input))
    code_cells = [i for i, c in enumerate(nb.cells) if c.cell_type == "code" and c.source.strip()]
    t0 = time.monotonic()
    deadline = t0 + args.timeout_s
    timings = {}
    started = {}
    state = {"current": None}

    def on_cell_execute(cell, cell_index, **_):
        state["current"] = cell_index
        started[cell_index] = time.monotonic()
        if args.verbose:
            n = code_cells.index(cell_index) + 1 if cell_index in code_cells else 0
            print(f"  [{name}] cell {cell_index} ({n}/{len(code_cells)}) at {started[cell_index] - t0:.1f}s: "
                  f"{(cell.source.splitlines() or [''])[0][:70]}", file=sys.stderr, flush=True)

    def on_cell_executed(cell, cell_index, **_):
        timings[cell_index] = time.monotonic() - started.get(cell_index, time.monotonic())

    def remaining(_cell):
        # nbclient's per-cell timeout: whatever is left of the notebook's budget (at least 1 s).
        return max(1, int(deadline - time.monotonic()))

    client = NotebookClient(
        nb, kernel_name=args.kernel, timeout_func=remaining, startup_timeout=120,
        resources={"metadata": {"path": cwd}}, allow_errors=False, record_timing=True,
        shutdown_kernel="immediate", on_cell_execute=on_cell_execute, on_cell_executed=on_cell_executed,
    )
    status, failing = "ok", None
    try:
        client.execute()
    except CellTimeoutError as e:
        status = "timeout"
        i = state["current"]
        failing = failure_details(nb.cells[i], i, e) if i is not None else None
        if failing:
            failing["ename"] = "Timeout"
            failing["evalue"] = (f"the notebook's time budget of {args.timeout_s:.0f} s ran out in this cell "
                                 "(set metadata i2p.timeout_s or I2P_NOTEBOOK_TIMEOUT_S, or run with I2P_BUDGET=ci)")
    except CellExecutionError as e:
        status = "error"
        i = state["current"]
        failing = failure_details(nb.cells[i], i, e)
    except DeadKernelError as e:
        status = "dead-kernel"
        i = state["current"]
        failing = failure_details(nb.cells[i], i, e) if i is not None else {
            "index": None, "source_head": "", "ename": "DeadKernelError", "evalue": str(e), "traceback": [], "stderr": ""}
    except Exception as e:  # kernel did not start, missing kernel spec, ...
        status = "kernel-start" if client.kc is None or state["current"] is None else "error"
        i = state["current"]
        failing = {"index": i, "source_head": head(nb.cells[i].source) if i is not None else "",
                   "ename": type(e).__name__, "evalue": str(e).strip(), "traceback": [], "stderr": ""}
    seconds = time.monotonic() - t0

    os.makedirs(os.path.dirname(os.path.abspath(args.output)), exist_ok=True)
    nbformat.write(nb, args.output)
    slowest = sorted(timings.items(), key=lambda kv: -kv[1])[:3]
    result = {
        "status": status, "seconds": round(seconds, 2), "cells": len(code_cells),
        "executed": len(timings) - (1 if failing and failing.get("index") in timings else 0),
        "failing": failing,
        "slowest": [{"index": i, "seconds": round(s, 2), "source_head": head(nb.cells[i].source, 1, 70)} for i, s in slowest],
    }
    with open(args.result, "w") as f:
        json.dump(result, f, indent=1)
    return 0 if status == "ok" else 1


if __name__ == "__main__":
    sys.exit(main())
