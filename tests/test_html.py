"""The HTML page: self-contained, the SVG inline, the table and steps; opened in headless Chromium."""

from __future__ import annotations

import html as htmllib
import re
import struct
import subprocess
import zlib
from pathlib import Path

from typer.testing import CliRunner

from backcalc.cli import app
from backcalc.render import dot
from backcalc.render import html as page

from picture_cases import CHROMIUM, SEEDS, needs_chromium, needs_dot, run

runner = CliRunner()
CHROME_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
]


def test_page_is_self_contained():
    doc = page.render(run(*SEEDS[1][1:3]), svg="<svg xmlns='http://www.w3.org/2000/svg'></svg>")
    assert doc.startswith("<!DOCTYPE html>") and '<meta charset="utf-8">' in doc
    for outside in ("<script", "<link", " src=", "@import", "url("):
        assert outside not in doc
    assert '<table id="chain-rule">' in doc and '<ol start="1">' in doc


def test_page_without_graphviz_says_so_and_keeps_table_and_steps(monkeypatch):
    monkeypatch.setattr(dot, "dot_program", lambda: None)
    doc = page.render(run(*SEEDS[0][1:3]), "ko")
    assert 'id="graph-missing"' in doc and "apt-get install graphviz" in doc and "<svg" not in doc
    assert '<html lang="ko">' in doc and "덧셈 게이트" in doc


def test_page_escapes_user_text():
    doc = page.render(run("가중치 * x_1 + μ", {"가중치": 2, "x_1": -1, "μ": 0.5}), draw=False)
    assert "<code>가중치 * x_1 + μ</code>" in doc
    r = run("x*y", {"x": 1, "y": 2})
    r.expression = "<script>alert('x & y')</script>"
    doc = page.render(r, draw=False)
    assert "<script" not in doc and "&lt;script&gt;alert(&#x27;x &amp; y&#x27;)&lt;/script&gt;" in doc


@needs_dot
def test_page_inlines_the_svg():
    doc = page.render(run(*SEEDS[1][1:3]))
    assert "<?xml" not in doc and "<!DOCTYPE svg" not in doc
    assert re.search(r'<figure id="graph"><svg', doc)


def test_cli_html_format(monkeypatch):
    monkeypatch.setattr(dot, "dot_program", lambda: None)
    res = runner.invoke(app, ["grad", "(x+y)*z", "x=-2", "y=5", "z=-4", "--format", "html", "--lang", "en"])
    assert res.exit_code == 0
    assert res.stdout.startswith("<!DOCTYPE html>") and "graph-missing" in res.stdout


# --- in a real browser -------------------------------------------------------


def _chrome(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    profile = tmp_path / "profile"
    profile.mkdir(exist_ok=True)
    return subprocess.run(
        [CHROMIUM, *CHROME_FLAGS, f"--user-data-dir={profile}", *args],
        capture_output=True,
        timeout=120,
        check=False,
    )


def _png_pixels(data: bytes) -> tuple[int, int, list[bytes]]:
    """Decode an 8-bit RGB/RGBA, non-interlaced PNG (what Chromium writes) into rows of bytes."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat = 8, b""
    while pos < len(data):
        n, kind = struct.unpack(">I4s", data[pos : pos + 8])
        chunk = data[pos + 8 : pos + 8 + n]
        if kind == b"IHDR":
            w, h, depth, ctype, _, _, interlace = struct.unpack(">IIBBBBB", chunk)
            assert depth == 8 and ctype in (2, 6) and interlace == 0
            bpp = 4 if ctype == 6 else 3
        elif kind == b"IDAT":
            idat += chunk
        pos += 12 + n
    raw = zlib.decompress(idat)
    stride = w * bpp
    rows, prev = [], bytearray(stride)
    for y in range(h):
        f, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1 : (y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b, c = prev[i], (prev[i - bpp] if i >= bpp else 0)
            if f == 1:
                line[i] = (line[i] + a) & 255
            elif f == 2:
                line[i] = (line[i] + b) & 255
            elif f == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(bytes(line))
        prev = line
    return w, h, [bytes(r[i : i + 3]) for r in rows for i in range(0, stride, bpp)]


def _near(px: bytes, rgb: tuple[int, int, int], tol: int = 12) -> bool:
    return all(abs(px[k] - rgb[k]) <= tol for k in range(3))


@needs_chromium
@needs_dot
def test_page_in_headless_chromium_shows_text_and_the_svg(tmp_path):
    r = run(*SEEDS[1][1:3])
    f = tmp_path / "page.html"
    f.write_text(page.render(r, "ko"), encoding="utf-8")

    dom = _chrome(tmp_path, "--dump-dom", f.as_uri())
    assert dom.returncode == 0, dom.stderr.decode(errors="replace")[-2000:]
    text = htmllib.unescape(dom.stdout.decode())
    assert "<svg" in text and "chain rule 표" in text and "역방향 (backward pass)" in text
    for shown in ("-0.5344", "0.7311", "∂f/∂x1 = -0.5898", "gradient switcher"):
        assert shown in text

    shot = tmp_path / "shot.png"
    res = _chrome(tmp_path, f"--screenshot={shot}", "--window-size=1400,900", f.as_uri())
    assert res.returncode == 0 and shot.exists(), res.stderr.decode(errors="replace")[-2000:]
    w, h, pixels = _png_pixels(shot.read_bytes())
    # The gate boxes' fills exist only in the SVG: the switcher's lilac, the distributor's blue.
    switcher = tuple(int(dot.ROLE_COLOURS["switcher"][k : k + 2], 16) for k in (1, 3, 5))
    distributor = tuple(int(dot.ROLE_COLOURS["distributor"][k : k + 2], 16) for k in (1, 3, 5))
    green = tuple(int(dot.GREEN[k : k + 2], 16) for k in (1, 3, 5))
    red = tuple(int(dot.RED[k : k + 2], 16) for k in (1, 3, 5))
    top = pixels[: w * (h // 2)]  # the graph comes first on the page
    assert sum(_near(p, switcher, 4) for p in top) > 200
    assert sum(_near(p, distributor, 4) for p in top) > 200
    assert sum(_near(p, green, 40) for p in top) > 20
    assert sum(_near(p, red, 40) for p in top) > 20
