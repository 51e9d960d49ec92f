"""How results show themselves: in a notebook (``_repr_html_``, ``_repr_markdown_``,
``_repr_latex_``), in a terminal (``__rich__``), as a short ``repr``, and as text in the
other formats (``to_html``, ``to_markdown``, ``to_latex``, ``to_dot``, ``to_svg``).

:class:`backcalc.Result`'s display methods delegate here; ``backcalc.net``, ``train``,
``check``, ``explain`` and ``graph`` return the classes below (the network, training and
grading records with these methods added).  Nothing here computes a gradient, and nothing
heavy (rich, IPython, matplotlib, Graphviz) is imported before a display asks for it.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from .display import DEFAULT_PRECISION, fmt_scalar, one_line
from .grading import ClassReport
from .network import Evaluation, TrainingReport
from .result import Result

REPR_GRADIENTS = 8  # gradients named in a repr; more are counted
REPR_ITEMS = 6  # array entries written in a repr; a larger array shows its shape
LATEX_GRADIENTS = 12  # a longer summary is no formula to read


def _lang(lang: str | None) -> str:
    from .api import _lang as pick

    return pick(lang)


# --- grad's Result ---------------------------------------------------------------------------


def short(v: Any, precision: int = DEFAULT_PRECISION) -> str:
    """A number as the summary line writes it; a small array on one line; a larger one as its shape."""
    if type(v) is float or isinstance(v, int):
        return fmt_scalar(float(v), precision)
    import numpy as np

    arr = np.asarray(v, dtype=float)
    if arr.ndim == 0:
        return fmt_scalar(float(arr), precision)
    if arr.size <= REPR_ITEMS:
        return one_line(arr, precision)
    return f"<{'×'.join(str(s) for s in arr.shape)} array>"


def result_repr(r: Result) -> str:
    """``Result(f=-12, ∂f/∂x=-4, ∂f/∂y=-4, ∂f/∂z=3)``."""
    parts = [f"{r.output}={short(r.value)}"]
    grads = list(r.gradients.items())
    parts += [f"∂{r.output}/∂{name}={short(g)}" for name, g in grads[:REPR_GRADIENTS]]
    if len(grads) > REPR_GRADIENTS:
        parts.append(f"… {len(grads) - REPR_GRADIENTS} more")
    return "Result(" + ", ".join(parts) + ")"


def result_html(r: Result, lang: str | None = None, precision: int = DEFAULT_PRECISION) -> str:
    from .render.notebook_html import result_fragment

    return result_fragment(r, _lang(lang), precision)


def result_markdown(r: Result, lang: str | None = None, precision: int = DEFAULT_PRECISION) -> str:
    """The table (its first rows for a large run) and the summary line, as markdown."""
    from itertools import islice

    from .i18n import Messages
    from .render import chain
    from .render.markdown import md_text
    from .render.notebook_html import MAX_ROWS, SHOWN_ROWS
    from .render.table import _title, summary

    m = Messages(_lang(lang))
    n = sum(1 for nd in r.nodes if not nd.is_const)
    keep = n if n <= MAX_ROWS else SHOWN_ROWS
    out = [f"**{md_text(_title(r))}**", ""]
    out.append("| " + " | ".join(m("col." + c) for c in chain.COLUMNS) + " |")
    out.append("|" + "|".join(" ---: " if c in chain.NUMERIC else " --- " for c in chain.COLUMNS) + "|")
    for row in islice(chain.iter_rows(r), keep):
        c = chain.cells(row, precision, m)
        cells = [md_text(c[k]) for k in chain.COLUMNS]
        if row.output:
            cells[0] = f"**{cells[0]}**"
        out.append("| " + " | ".join(cells) + " |")
    if keep < n:
        out += ["", md_text(m("nb.more_rows", more=f"{n - keep:,}"))]
    out += ["", md_text(summary(r, precision).replace("\n", "    "))]
    return "\n".join(out) + "\n"


def _tex_name(name: str) -> str:
    from .mathtext import latex_escape_text

    return r"\mathit{" + latex_escape_text(name) + "}" if len(name) > 1 else name


def result_latex(r: Result, precision: int = DEFAULT_PRECISION) -> str | None:
    """The summary as one formula (``f = -12, ∂f/∂x = -4, ...``), or None when it would not
    read as one (arrays, many gradients, or a name that is no plain identifier)."""
    from .display import is_scalar, latex_value

    if not is_scalar(r.value) or len(r.gradients) > LATEX_GRADIENTS:
        return None
    if not all(is_scalar(g) for g in r.gradients.values()):
        return None
    if not all(n.replace("_", "").isalnum() and n.isascii() for n in [r.output, *r.gradients]):
        return None
    f = _tex_name(r.output)
    parts = [f"{f} = {latex_value(r.value, precision)}"]
    parts += [
        rf"\frac{{\partial {f}}}{{\partial {_tex_name(n)}}} = {latex_value(g, precision)}"
        for n, g in r.gradients.items()
    ]
    return "$" + r",\quad ".join(parts) + "$"


def result_rich(r: Result, precision: int = DEFAULT_PRECISION) -> Any:
    from .render import table

    return table.render(r, precision)


def writeup(r: Result, fmt: str, lang: str | None, precision: int, standalone: bool = False) -> str:
    """The DOT, markdown, LaTeX or HTML page of a Result (what ``--format`` writes)."""
    lang = _lang(lang)
    if fmt == "dot":
        from .render import dot

        return dot.to_dot(r, lang, precision)
    if fmt == "markdown":
        from .render import markdown

        return markdown.render(r, lang, precision)
    if fmt == "latex":
        from .render import latex

        return latex.render(r, lang, precision, standalone=standalone)
    from .render import html

    return html.render(r, lang, precision)


def svg(
    r: Result, lang: str | None = None, precision: int = DEFAULT_PRECISION, max_nodes: int | None = None
) -> str:
    """The picture as SVG text (needs Graphviz's dot; refused past the size limit unless ``max_nodes``)."""
    from .render import dot

    return dot.render_bytes(r, "svg", _lang(lang), precision, max_nodes).decode("utf-8")


def _pretty(text: str) -> Callable[[Any, Any, bool], None]:
    def pretty(self: Any, p: Any, cycle: bool) -> None:
        p.text(text)

    return pretty


# --- the other results -------------------------------------------------------------------------


class Steps:
    """The narration of a run (``backcalc.explain``): ``str()`` is the text ``backcalc explain``
    prints; in a notebook it shows as headings and numbered steps with the table."""

    def __init__(self, result: Result, lang: str = "en", precision: int = DEFAULT_PRECISION) -> None:
        from . import explanation as X

        self.result = result
        self.lang = lang
        self.precision = precision
        self.explanation = X.build(result, lang, precision)

    def __str__(self) -> str:
        from . import explanation as X

        return X.render_text(self.explanation)

    def __repr__(self) -> str:
        n = sum(len(s.steps) for s in self.explanation.sections)
        return f"Steps({self.result.expression!r}, {n} steps, lang={self.lang!r})"

    def _repr_pretty_(self, p: Any, cycle: bool) -> None:
        p.text(str(self).rstrip("\n"))

    def _repr_html_(self) -> str:
        from .render.notebook_html import steps_fragment

        return steps_fragment(self.explanation)

    def _repr_markdown_(self) -> str:
        return self.to_markdown()

    def __rich__(self) -> Any:
        from . import explanation as X

        return X.render_rich(self.explanation)

    def to_markdown(self) -> str:
        return writeup(self.result, "markdown", self.lang, self.precision)

    def to_latex(self, standalone: bool = False) -> str:
        return writeup(self.result, "latex", self.lang, self.precision, standalone)

    def to_html(self) -> str:
        return writeup(self.result, "html", self.lang, self.precision)


class Picture:
    """The computational graph (``backcalc.graph``): ``to_dot()`` always, ``to_svg()`` and
    ``save(path)`` with Graphviz; in a notebook the SVG itself (or why there is none)."""

    def __init__(
        self,
        result: Result,
        lang: str = "en",
        precision: int = DEFAULT_PRECISION,
        max_nodes: int | None = None,
    ) -> None:
        self.result = result
        self.lang = lang
        self.precision = precision
        self.max_nodes = max_nodes

    def __repr__(self) -> str:
        gates = sum(1 for n in self.result.nodes if n.op not in ("input", "const"))
        return f"Picture({self.result.expression!r}, {gates} gates)"

    def to_dot(self) -> str:
        return writeup(self.result, "dot", self.lang, self.precision)

    def to_svg(self) -> str:
        return svg(self.result, self.lang, self.precision, self.max_nodes)

    def save(self, path: str) -> str:
        """Write the picture to ``path`` (.dot, .svg, .png, .pdf), atomically; returns the format."""
        from .render import dot

        return dot.write_file(self.result, path, self.lang, self.precision, max_nodes=self.max_nodes)

    def _repr_html_(self) -> str:
        from .render.notebook_html import picture_fragment

        return picture_fragment(self.result, self.lang, self.precision)


class NetResult(Evaluation):
    """:class:`backcalc.network.Evaluation` (what ``backcalc.net`` returns), shown as the
    loss and a table of the layers; ``.result`` is the chain-rule Result of its graph."""

    def __repr__(self) -> str:
        return f"NetResult(loss={fmt_scalar(self.loss)}, layers={len(self.layers)})"

    def _repr_pretty_(self, p: Any, cycle: bool) -> None:
        p.text(repr(self))

    def _repr_html_(self) -> str:
        from .render.notebook_html import net_fragment

        return net_fragment(self, DEFAULT_PRECISION, _lang(None))

    def _repr_markdown_(self) -> str:
        from .render.net_table import loss_line

        rows = [
            "| layer | activation | z | a | δ | ∂L/∂W | ∂L/∂b |",
            "| --- | --- | --- | --- | --- | --- | --- |",
        ]
        for r in self.layers:
            cells = [one_line(v) for v in (r.z, r.a, r.delta, r.dW, r.db)]
            rows.append(f"| {r.index + 1} | {r.activation} | " + " | ".join(cells) + " |")
        return f"**{loss_line(self)}**\n\n" + "\n".join(rows) + "\n"

    def __rich__(self) -> Any:
        from .render import net_table

        return net_table.render(self)

    def to_json(self) -> str:
        from .render import json as J

        return J.net_json(self)


class TrainResult(TrainingReport):
    """:class:`backcalc.network.TrainingReport` (what ``backcalc.train`` returns) with the
    trained network as ``.net``; shown as what was trained and the loss curve."""

    def __init__(self, *args: Any, net: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.net = net

    def __repr__(self) -> str:
        last = fmt_scalar(self.losses[-1]) if self.losses else "-"
        return f"TrainResult(epochs={self.epochs_run}, steps={self.steps}, loss={last}, final_loss={fmt_scalar(self.final_loss)})"

    def _repr_pretty_(self, p: Any, cycle: bool) -> None:
        p.text(repr(self))

    def plot_svg(self) -> str | None:
        """The loss curve as SVG (matplotlib), or None without matplotlib or a loss."""
        if not self.losses:
            return None
        try:
            import matplotlib  # noqa: F401
        except ImportError:
            return None
        from .render import loss_plot

        return loss_plot.image_bytes(self.losses, "svg", f"{self.spec}: loss per epoch").decode("utf-8")

    def _repr_html_(self) -> str:
        from .render.notebook_html import train_fragment

        return train_fragment(self, self.plot_svg(), DEFAULT_PRECISION, _lang(None))

    def __rich__(self) -> Any:
        from .render import train_table

        return train_table.render(self)

    def to_json(self) -> str:
        from .render import json as J

        return J.train_json(self)


class ClassResult(ClassReport):
    """:class:`backcalc.grading.ClassReport` (what ``backcalc.check`` returns), shown as the class table."""

    def __repr__(self) -> str:
        s = self.summary
        return f"ClassResult({s.submissions} submissions, {s.passed} passed, mean {s.mean:g}/{s.max_score:g})"

    def _repr_pretty_(self, p: Any, cycle: bool) -> None:
        p.text(repr(self))

    def _repr_html_(self) -> str:
        from .render.notebook_html import class_fragment

        return class_fragment(self, _lang(None))

    def _key(self) -> Any:
        from types import SimpleNamespace

        problems = [SimpleNamespace(name=p.name, points=p.max_score) for p in self.summary.problems]
        return SimpleNamespace(
            title=self.title, path=self.key, problems=problems, max_score=self.summary.max_score
        )

    def _repr_markdown_(self) -> str:
        import io

        from .render.grade_common import row
        from .render.grade_markdown import MarkdownWriter

        out = io.StringIO()
        w = MarkdownWriter(out)
        w.key = self._key()
        w.rows = [row(r) for r in self.submissions]
        w.end(self.summary)
        return out.getvalue()

    def __rich__(self) -> Any:
        from .render import grade_table
        from .render.grade_common import row

        return grade_table.class_table(self._key(), [row(r) for r in self.submissions], self.summary)

    def to_json(self) -> str:
        from .render import json as J

        return J.dumps(J.check_document(ClassReport(self.key, self.title, self.submissions, self.summary)))


# --- progress in a notebook ------------------------------------------------------------------------


def in_notebook() -> bool:
    """Whether this runs in a Jupyter kernel (IPython's ZMQ shell: Lab, Notebook, VS Code, Colab)."""
    if "IPython" not in sys.modules:
        return False
    from IPython import get_ipython

    shell = get_ipython()
    return shell is not None and getattr(shell, "kernel", None) is not None


@contextmanager
def progress_bar(
    total: int, epochs: int, enabled: bool | None = None
) -> Iterator[Callable[[int, int, float], None] | None]:
    """A progress bar with the running loss, drawn by rich and shown in the cell through one
    IPython display that is updated in place (no widgets needed: it works in every frontend
    and in a notebook run by nbclient).  Yields the ``on_step(epoch, step, loss)`` callback,
    or None when there is no notebook (``enabled=None``) or it is switched off."""
    if enabled is None:
        enabled = in_notebook()
    if not enabled:
        yield None
        return
    import io
    import time

    from IPython.display import display
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    bar = Progress(
        TextColumn("epoch {task.fields[epoch]}/{task.fields[epochs]}"),
        BarColumn(complete_style="green", finished_style="green"),
        MofNCompleteColumn(),
        TextColumn("loss [red]{task.fields[loss]}"),
        TimeElapsedColumn(),
        console=Console(file=io.StringIO(), force_jupyter=False),
        auto_refresh=False,
    )
    task = bar.add_task("train", total=total, epoch=1, epochs=epochs, loss="…")

    def bundle() -> dict[str, str]:
        con = Console(
            record=True,
            file=io.StringIO(),
            width=100,
            force_terminal=True,
            force_jupyter=False,
            color_system="truecolor",
        )
        con.print(bar.make_tasks_table(bar.tasks))
        text = con.export_text(clear=False).rstrip()
        page = con.export_html(
            inline_styles=True, code_format='<pre class="backcalc-progress" style="margin: 0">{code}</pre>'
        )
        return {"text/plain": text, "text/html": page}

    handle = display(bundle(), raw=True, display_id=True)
    last = [0.0]

    def on_step(epoch: int, steps: int, loss: float) -> None:
        bar.update(task, completed=steps, epoch=epoch + 1, loss=f"{loss:.6g}")
        now = time.monotonic()
        if now - last[0] >= 0.2:
            handle.update(bundle(), raw=True)
            last[0] = now

    try:
        yield on_step
    finally:
        handle.update(bundle(), raw=True)


class QuizSheet:
    """A quiz on one run (``backcalc.quiz``): in a notebook, the quiz page (the graph with a box
    per blank that turns green or red as the student types) in a frame of its own; ``to_html()``
    is the same self-contained page ``backcalc quiz -o quiz.html`` writes.  Given ``answers``,
    the quiz was taken: ``score`` and ``transcript`` (what the terminal quiz prints) are set."""

    def __init__(
        self,
        result: Result,
        lang: str = "en",
        decimals: int | None = None,
        answers: Any = None,
    ) -> None:
        from .quizzing import blanks

        self.result, self.lang, self.decimals = result, lang, decimals
        self.blanks = blanks(result)
        self.score: Any = None
        self.transcript = ""
        if answers is not None:
            from .quizzing import run

            given = iter([str(a) for a in answers])
            out: list[str] = []
            self.score = run(result, lambda: next(given, None), out.append, lang, decimals, echo=True)
            self.transcript = "".join(out)

    def to_html(self) -> str:
        from .render import quiz_html

        return quiz_html.render(self.result, self.lang, self.decimals)

    def _repr_html_(self) -> str:
        import html as H

        page = H.escape(self.to_html(), quote=True)
        return (
            f'<iframe srcdoc="{page}" style="width:100%;height:640px;border:0" '
            f'title="backcalc quiz"></iframe>'
        )

    def __str__(self) -> str:
        return self.transcript or f"{len(self.blanks)} blanks: " + ", ".join(b.quantity for b in self.blanks)

    def __repr__(self) -> str:
        if self.score is None:
            return f"QuizSheet({self.result.expression!r}, {len(self.blanks)} blanks, lang={self.lang!r})"
        return f"QuizSheet({self.result.expression!r}, right={self.score.right}/{self.score.total})"
