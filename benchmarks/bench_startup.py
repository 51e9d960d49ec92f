"""Wall time of `backcalc grad "(x+y)*z" x=-2 y=5 z=-4` against `python -c "import numpy"`.

Target (issue 2a): at most 1.5x.  Runs the two commands alternately, N times each,
and prints the medians and their ratio.
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
        sys.exit("install backcalc first: pip install -e .")
    ours = [exe, "grad", "(x+y)*z", "x=-2", "y=5", "z=-4"]
    peer = [sys.executable, "-c", "import numpy"]
    for cmd in (ours, peer):  # warm the file cache
        wall(cmd)
    a, b = [], []
    for _ in range(N):
        a.append(wall(ours))
        b.append(wall(peer))
    ma, mb = statistics.median(a), statistics.median(b)
    print(
        f"backcalc grad (x+y)*z      median {ma * 1000:7.1f} ms  (min {min(a) * 1000:.1f}, max {max(a) * 1000:.1f})"
    )
    print(
        f"python -c 'import numpy'   median {mb * 1000:7.1f} ms  (min {min(b) * 1000:.1f}, max {max(b) * 1000:.1f})"
    )
    ratio = ma / mb
    print(f"ratio {ratio:.2f}x  (target <= 1.5x: {'met' if ratio <= 1.5 else 'MISSED'})")


if __name__ == "__main__":
    main()
