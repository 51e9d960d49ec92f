"""examples/backcalc.ipynb executed through a real Jupyter kernel (nbclient, ipykernel): the
outputs a student sees, then the grad result's HTML opened in headless Chromium.

One kernel, one notebook, run once for the module (a few seconds)."""

from __future__ import annotations

import html as htmllib
import re
from pathlib import Path

import pytest
from test_html import _chrome, _near, _png_pixels

from backcalc.render import dot
from backcalc.render import notebook_html as NH

from conftest import ROOT
from picture_cases import needs_chromium, needs_dot

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")
pytest.importorskip("ipykernel")

NOTEBOOK = ROOT / "examples" / "backcalc.ipynb"


def test_the_tour_is_stored_without_outputs():
    nb = nbformat.read(NOTEBOOK, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert code and all(not c.outputs and c.execution_count is None for c in code)


@pytest.fixture(scope="module")
def executed():
    nb = nbformat.read(NOTEBOOK, as_version=4)
    client = nbclient.NotebookClient(
        nb, timeout=60, kernel_name="python3", resources={"metadata": {"path": str(NOTEBOOK.parent)}}
    )
    client.execute()
    return nb


def cell(nb, starts: str):
    for c in nb.cells:
        if c.cell_type == "code" and c.source.startswith(starts):
            errors = [o for o in c.outputs if o.output_type == "error"]
            assert not errors, errors[0].get("evalue")
            return c
    raise AssertionError(f"no cell starts with {starts!r}")


def result_data(c) -> dict:
    found = [o.data for o in c.outputs if o.output_type == "execute_result"]
    assert len(found) == 1, c.outputs
    return found[0]


LECTURE = ("f = -12", "∂f/∂x = -4", "∂f/∂y = -4", "∂f/∂z = 3")


def test_grad_shows_the_coloured_table_and_the_picture(executed):
    data = result_data(cell(executed, "import backcalc"))
    assert data["text/plain"] == "Result(f=-12, ∂f/∂x=-4, ∂f/∂y=-4, ∂f/∂z=3)"
    page = data["text/html"]
    assert "<table" in page and re.search(f'color: {NH.GREEN}[^"]*">-12</td>', page)  # f's value
    assert re.search(f'color: {NH.RED}[^"]*">x: -4, y: -4</td>', page)  # n1's downstream
    for shown in LECTURE:
        assert shown in page
    if dot.dot_program() is not None:
        assert page.count("<svg") == 1 and "gradient distributor" in page
    else:
        assert "<svg" not in page and "Graphviz" in page
    assert data["text/latex"].startswith("$f = -12")
    assert "| **f** | mul |" in data["text/markdown"]


def test_the_magic_shows_the_same(executed):
    magic = result_data(cell(executed, "%load_ext backcalc"))
    api = result_data(cell(executed, "import backcalc"))
    assert magic == api


def test_cell_magic_and_notebook_variables(executed):
    data = result_data(cell(executed, "%%backcalc grad"))
    assert data["text/plain"].startswith("Result(f=0.7311, ∂f/∂w0=-0.1966, ∂f/∂x0=0.3932")
    assert "<table" in data["text/html"]
    arrays = result_data(cell(executed, "import numpy as np"))
    assert arrays["text/plain"].splitlines()[0] == "f = 0.116"
    assert "[-0.112, 0.636]" in arrays["text/plain"]
    dollar = result_data(cell(executed, '%backcalc grad "sum((W @ x)**2)" W=$W'))  # IPython's own expansion
    assert dollar == arrays


def test_explain_in_korean_and_the_network(executed):
    steps = result_data(cell(executed, 'backcalc.explain("(x+y)*z"'))
    assert "역방향" in steps["text/html"] and "gradient distributor" in steps["text/plain"]
    net = result_data(cell(executed, 'backcalc.net("networks/mazur.toml")'))
    assert net["text/plain"] == "NetResult(loss=0.2984, layers=2)" and "∂L/∂W" in net["text/html"]
    grades = result_data(cell(executed, "backcalc.check("))
    assert "Ada Lovelace" in grades["text/html"]


def test_training_shows_progress_and_leaves_the_loss_curve(executed):
    c = cell(executed, "tr = backcalc.train(")
    bars = [o for o in c.outputs if o.output_type == "display_data"]
    assert len(bars) == 1  # one display, updated in place while training runs
    final = bars[0].data["text/plain"]
    assert re.search(r"epoch 200/200 .* 200/200 loss \d", final), final
    assert "━" in bars[0].data["text/html"]
    data = result_data(c)
    assert data["text/plain"].startswith("TrainResult(epochs=200, steps=200, ")
    page = data["text/html"]
    assert "<svg" in page and "loss: epoch 1 " in page  # matplotlib's curve, inline
    assert not [
        o for o in c.outputs if o.output_type == "stream" and o.name == "stderr" and "Warning" in o.text
    ]


@needs_chromium
@needs_dot
def test_the_cell_html_in_headless_chromium_shows_the_numbers_and_the_svg(executed, tmp_path: Path):
    page = result_data(cell(executed, "import backcalc"))["text/html"]
    f = tmp_path / "cell.html"
    # as a notebook holds it: the cell's HTML inside a page of a fixed, narrow width
    f.write_text(
        '<!DOCTYPE html><html><head><meta charset="utf-8"></head>'
        f'<body style="margin: 0; width: 700px">{page}</body></html>',
        encoding="utf-8",
    )
    dom = _chrome(tmp_path, "--dump-dom", f.as_uri())
    assert dom.returncode == 0, dom.stderr.decode(errors="replace")[-2000:]
    text = htmllib.unescape(dom.stdout.decode())
    assert "<svg" in text
    for shown in (*LECTURE, "gradient switcher"):
        assert shown in text

    shot = tmp_path / "shot.png"
    res = _chrome(tmp_path, f"--screenshot={shot}", "--window-size=700,900", f.as_uri())
    assert res.returncode == 0 and shot.exists(), res.stderr.decode(errors="replace")[-2000:]
    w, h, pixels = _png_pixels(shot.read_bytes())
    switcher = tuple(int(dot.ROLE_COLOURS["switcher"][k : k + 2], 16) for k in (1, 3, 5))
    green = tuple(int(NH.GREEN[k : k + 2], 16) for k in (1, 3, 5))
    red = tuple(int(NH.RED[k : k + 2], 16) for k in (1, 3, 5))
    top = pixels[: w * (h // 3)]  # the picture comes first: visible, not collapsed to nothing
    assert sum(_near(p, switcher, 4) for p in top) > 200
    assert sum(_near(p, green, 40) for p in pixels) > 20 and sum(_near(p, red, 40) for p in pixels) > 20
    # scaled to the cell: the picture's right edge stays inside the 700 px page
    right = [x for y in range(h // 3) for x in range(w - 20, w) if _near(pixels[y * w + x], switcher, 4)]
    assert not right
