"""The terminal table scales: ChainTable draws what rich's Table draws (byte for byte, in
colour and without, at every width), streams its rows, and the start-up paths import only
what their output needs."""

from __future__ import annotations

import io
import random
import subprocess
import sys

import pytest
from rich.console import Console, Group
from rich.text import Text
from typer.testing import CliRunner

from backcalc import grad
from backcalc.cli import app
from backcalc.render import table

from picture_cases import ALL, run

WIDTHS = [12, 20, 40, 60, 80, 120, 200]


class AsciiFile(io.StringIO):
    encoding = "ascii"  # rich draws ASCII boxes for a file that cannot take box characters


def output(draw, width: int, mode: str = "plain") -> str:
    buf = AsciiFile() if mode == "ascii" else io.StringIO()
    if mode == "colour":
        console = Console(file=buf, width=width, force_terminal=True, color_system="truecolor")
    else:
        console = Console(file=buf, width=width, color_system=None)
    draw(console)
    return buf.getvalue()


def rich_table(result, precision: int = 4):
    """What the table was before ChainTable: rich's Table, then the legend and summary lines."""
    return lambda c: c.print(Group(table.build_table(result, precision), *table.extras(result, precision)))


def streamed(result, precision: int = 4):
    return lambda c: table.print_result(c, result, precision)


def sum_of_products(terms: int):
    expr = "+".join(f"x{i % 50}*y{i % 37}" for i in range(terms))
    values = {f"x{i}": (i % 7) - 3 + 0.5 for i in range(50)} | {
        f"y{i}": (i % 5) - 2 + 0.25 for i in range(37)
    }
    return grad(expr, values)


CASES = [pytest.param(expr, values, id=name) for name, expr, values in ALL] + [
    pytest.param("max(x, y) * relu(z) / 3", {"x": 2, "y": 2, "z": 0}, id="flags"),
    pytest.param(
        "sum(W @ x) + 1e-300",
        {"W": [[0.5 * i + j for j in range(5)] for i in range(5)], "x": [1, 2, 3, 4, 5]},
        id="matrix",
    ),
    pytest.param("3", {}, id="no-rows"),
]


def full_table_fits(result, width: int) -> bool:
    console = Console(file=io.StringIO(), width=width)
    chosen = table.choose(result, 4, "en", console, console.options)
    return chosen is not None and chosen.layout == "node"


@pytest.mark.parametrize(("expression", "values"), CASES)
def test_chain_table_draws_what_rich_table_draws(expression, values):
    # where the full table fits; narrower, another layout is drawn (tests/test_table_width.py)
    result = run(expression, values)
    for width in WIDTHS:
        if not full_table_fits(result, width):
            continue
        for mode in ("plain", "colour", "ascii"):
            assert output(streamed(result), width, mode) == output(rich_table(result), width, mode), (
                width,
                mode,
            )


def test_chain_table_as_one_renderable_is_the_same():
    result = run("sigmoid(w*x + b)", {"w": 2, "x": -1, "b": 0.5}, expand=True)
    for width in (60, 80, 120):
        assert output(lambda c: c.print(table.render(result)), width) == output(streamed(result), width)


def no_number_cut(text: str, result) -> None:
    rows = [line for line in text.splitlines() if line.startswith("│")]
    assert rows and "…" not in "".join(rows)
    for name, _g in result.gradients.items():
        assert f"∂{result.output}/∂{name} = " in text


def test_large_table_at_80_columns_is_one_row_per_edge():
    # 300 terms (680 rows): the full table does not fit 80 columns; branch sums wrap between terms
    result = sum_of_products(300)
    assert not full_table_fits(result, 80)
    for mode in ("plain", "colour"):
        text = output(streamed(result), 80, mode)
        assert max(len(line) for line in output(streamed(result), 80).splitlines()) <= 80
        if mode == "plain":
            no_number_cut(text, result)
            assert output(lambda c: c.print(table.render(result)), 80) == text


def test_2000_term_table_streams_what_it_renders():
    result = sum_of_products(2000)
    text = output(streamed(result), 200)
    no_number_cut(text, result)
    assert output(lambda c: c.print(table.render(result)), 200) == text


def test_wrapping_a_line_matches_rich():
    rnd = random.Random(11)
    alphabet = "ab1-+ *.:,=()…×"
    console = Console(file=io.StringIO(), width=80)
    for _ in range(3000):
        text = "".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 40)))
        room = rnd.randint(1, 25)
        justify = rnd.choice(["left", "right", "center", "default"])
        overflow = rnd.choice(["ellipsis", "fold"])
        no_wrap = rnd.random() < 0.2
        lines = Text(text).wrap(console, room, justify=justify, overflow=overflow, no_wrap=no_wrap)  # type: ignore[arg-type]
        expected = [line.plain for line in lines]
        assert table._wrap(text, room, justify, overflow, no_wrap) == expected, (
            text,
            room,
            justify,
            overflow,
        )


def test_long_legend_is_printed_as_rich_prints_it():
    legend = Text(
        "where " + ";  ".join(f"n{i} = x{i % 9}*y{i % 4}+" * (i % 3 + 1) + "z" for i in range(3000)),
        style="dim",
    )
    legend.append("  " + "w" * 300 + "… x")  # a word longer than the line is folded
    legend = Text(legend.plain, style="dim")
    for width in (20, 80, 133):
        for mode in ("plain", "colour"):
            assert output(lambda c: table.print_text(c, legend), width, mode) == output(
                lambda c: c.print(legend), width, mode
            )


class Recorder(io.StringIO):
    """A terminal stand-in that notes, at each write, how many rows had been drawn."""

    def __init__(self, counter: list[int]) -> None:
        super().__init__()
        self.counter = counter
        self.writes: list[tuple[int, str]] = []

    def write(self, s: str) -> int:
        self.writes.append((self.counter[0], s))
        return super().write(s)


def test_rows_stream_before_the_last_is_drawn(monkeypatch):
    result = sum_of_products(500)  # 1,086 rows
    drawn = [0]
    real = table._plain_row

    def counting(*args, **kwargs):
        drawn[0] += 1
        return real(*args, **kwargs)

    monkeypatch.setattr(table, "_plain_row", counting)
    file = Recorder(drawn)
    table.print_result(Console(file=file, width=200, color_system=None), result)
    total = drawn[0]
    rows = [w for w in file.writes if "│" in w[1]]
    assert len(rows) > 5  # the rows arrive in several writes
    assert "┃ node" in file.writes[0][1]  # the header first, on its own
    first_at, first_text = rows[0]
    assert "│ x0 " in first_text and "│ f " not in first_text  # the first rows, not the last...
    assert first_at < total / 4  # ...written when few had been drawn
    assert file.getvalue() == output(streamed(result), 200)


@pytest.mark.parametrize("columns", ["60", "80", "120"])
def test_cli_table_at_terminal_widths(columns):
    r = CliRunner().invoke(
        app, ["grad", "(x+y)*z", "x=-2", "y=5", "z=-4", "-f", "table"], env={"COLUMNS": columns}
    )
    assert r.exit_code == 0
    result = grad("(x+y)*z", {"x": -2, "y": 5, "z": -4})
    assert r.output == output(streamed(result), int(columns))
    assert max(len(line) for line in r.output.splitlines()) <= int(columns)


def _imported(argv: list[str]) -> set[str]:
    code = (
        "import sys\n"
        f"sys.argv = {['backcalc', *argv]!r}\n"
        "from backcalc.cli import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "sys.stderr.write(' '.join(sorted(sys.modules)))\n"
    )
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    return set(p.stderr.split())


def test_json_start_up_imports_no_rich_and_only_the_grad_command():
    mods = _imported(["grad", "(x+y)*z", "x=-2", "y=5", "z=-4", "-f", "json"])
    assert "backcalc.render.json" in mods
    assert not {m for m in mods if m.split(".")[0] in ("rich", "numpy", "sympy")}
    assert "backcalc.cli.fast" in mods and "typer" not in mods  # a plain grad needs no typer
    assert not {"backcalc.cli.train", "backcalc.cli.check", "backcalc.cli.net", "backcalc.cli.explain"} & mods
    mods = _imported(["grad", "(x+y)*z", "x=-2", "y=5", "z=-4", "-f", "json", "--wrt", "x"])
    assert "backcalc.cli.grad" in mods  # any other option: the typer app, with the grad command only
    assert not {"backcalc.cli.train", "backcalc.cli.check", "backcalc.cli.net", "backcalc.cli.explain"} & mods


def test_table_start_up_imports_no_rich_table():
    mods = _imported(["grad", "(x+y)*z", "x=-2", "y=5", "z=-4", "-f", "table"])
    assert "backcalc.render.table" in mods and "rich.console" in mods
    assert "rich.table" not in mods
    assert "numpy" not in mods and "backcalc.i18n.ko" not in mods  # the English catalogue only


def test_the_app_still_has_every_command():
    r = CliRunner().invoke(app, ["--help"], env={"COLUMNS": "120"})
    for command in ("grad", "graph", "explain", "check", "net", "train"):
        assert command in r.output


def test_a_large_table_is_laid_out_from_its_first_rows_and_streamed(monkeypatch):
    monkeypatch.setattr(table, "STREAM_ROWS", 100)  # a "large" table, made small for the test
    monkeypatch.setattr(table, "SAMPLE_ROWS", 40)
    result = sum_of_products(300)  # 600+ rows
    made = [0]
    real = table.ChainTable._take

    def taking(self, upto):
        real(self, upto)
        made[0] = len(self.cells)

    monkeypatch.setattr(table.ChainTable, "_take", taking)
    file = Recorder(made)
    table.print_result(Console(file=file, width=200, color_system=None), result)
    rows = [w for w in file.writes if "│" in w[1]]
    assert rows[0][0] < len(result.nodes) / 2  # the first rows were written before the rest were made
    text = file.getvalue()
    assert max(len(line) for line in text.splitlines()) <= 200
    for n in result.nodes:  # every row is there, its id whole (ids never wrap)
        if not n.is_const:
            assert f"│ {n.id} " in text, n.id
    assert "…" not in "".join(line for line in text.splitlines() if line.startswith("│"))  # no number cut
