"""Wall time of `backcalc grad "(x+y)*z" x=-2 y=5 z=-4` against `python -c "import numpy"`.

Two paths: the JSON document (stdout piped, the default) and the terminal table
(``--format table``: the renderer a terminal gets).  Targets (issue 11, item 7): the table
path at most 1.0x numpy's import time, the JSON path at most 0.8x.  Runs the three commands
alternately, N times each, and prints the medians and their ratios.  Measure a regular
install (``pip install .``) without PYTHONDONTWRITEBYTECODE, so that modules load from .pyc.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import time

N = int(os.environ.get("BENCH_RUNS", "30"))


def wall(cmd: list[str]) -> float:
    t = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    return time.perf_counter() - t


def main() -> None:
    exe = shutil.which("backcalc", path=os.path.dirname(sys.executable)) or shutil.which("backcalc")
    if exe is None:
        sys.exit("install backcalc first: pip install .")
    if os.environ.get("PYTHONDONTWRITEBYTECODE"):
        print("note: PYTHONDONTWRITEBYTECODE is set: an editable install recompiles every run")
    grad = [exe, "grad", "(x+y)*z", "x=-2", "y=5", "z=-4"]
    commands = {
        "backcalc grad (x+y)*z  (json)": (grad, 0.8),
        "backcalc grad (x+y)*z -f table": ([*grad, "-f", "table"], 1.0),
        "python -c 'import numpy'": ([sys.executable, "-c", "import numpy"], None),
    }
    for cmd, _ in commands.values():  # warm the file cache
        wall(cmd)
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(N):
        for name, (cmd, _) in commands.items():
            times[name].append(wall(cmd))
    medians = {name: statistics.median(t) for name, t in times.items()}
    peer = medians["python -c 'import numpy'"]
    for name, t in times.items():
        print(
            f"{name:32} median {medians[name] * 1000:7.1f} ms  (min {min(t) * 1000:.1f}, max {max(t) * 1000:.1f})"
        )
    for name, (_, target) in commands.items():
        if target is not None:
            ratio = medians[name] / peer
            print(
                f"{name:32} ratio {ratio:.2f}x  (target <= {target}x: {'met' if ratio <= target else 'MISSED'})"
            )


if __name__ == "__main__":
    main()
