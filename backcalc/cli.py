"""The command line: read arguments, call the API, pick a renderer.  No maths here.

Only this module prints or exits.  Every BackcalcError becomes 'error: ...' on
stderr and exit status 2 (1 for a failed check); anything unexpected is
reported the same way, never as a traceback.
"""

from __future__ import annotations

import enum
import os
import sys
from collections.abc import Callable
from typing import Annotated, Any, Optional

import typer

from .errors import BackcalcError, ExitCode

app = typer.Typer(
    name="backcalc",
    help="A backprop calculator: forward values and chain-rule gradients, node by node.",
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


class Format(str, enum.Enum):
    table = "table"
    json = "json"
    dot = "dot"
    markdown = "markdown"
    latex = "latex"
    html = "html"


class Lang(str, enum.Enum):
    en = "en"
    ko = "ko"


def _lang(lang: Optional[Lang]) -> str:
    if lang is not None:
        return lang.value
    from .i18n import default_lang

    return default_lang()


def _writeup(result: Any, fmt: Format, precision: int, lang: str, standalone: bool) -> str:
    """The DOT, markdown, LaTeX or HTML text of a result (renderers imported only here)."""
    if fmt is Format.dot:
        from .render import dot

        return dot.to_dot(result, lang, precision)
    if fmt is Format.markdown:
        from .render import markdown

        return markdown.render(result, lang, precision)
    if fmt is Format.latex:
        from .render import latex

        return latex.render(result, lang, precision, standalone=standalone)
    from .render import html

    return html.render(result, lang, precision)


class Ties(str, enum.Enum):
    SPLIT = "split"
    ALL = "all"
    FIRST = "first"


# The API names its features; on the command line they are these options.
_FEATURE_FLAGS = {"symbolic: ": "--symbolic: ", "exact: ": "--exact: "}


def _warn(msg: str) -> None:
    for feature, flag in _FEATURE_FLAGS.items():
        if msg.startswith(feature):
            msg = flag + msg[len(feature) :]
            break
    sys.stderr.write(f"warning: {msg}\n")


def _fail(err: BackcalcError) -> None:
    sys.stderr.write(err.render() + "\n")
    raise typer.Exit(int(err.code))


def _guarded(fn: Callable[[], Any]) -> Any:
    """Run a command body, turning every failure into a message and an exit status."""
    try:
        return fn()
    except BackcalcError as e:
        _fail(e)
    except typer.Exit:
        raise
    except KeyboardInterrupt:
        sys.stderr.write("interrupted\n")
        raise typer.Exit(int(ExitCode.INTERRUPTED)) from None
    except BrokenPipeError:
        raise
    except MemoryError:
        _fail(BackcalcError("out of memory: the input is too large for this machine"))
    except RecursionError:
        _fail(BackcalcError("the input is nested too deeply"))
    except Exception as e:  # a bug: still no traceback, but say so
        _fail(
            BackcalcError(
                f"internal error ({type(e).__name__}: {e}); this is a bug in backcalc, "
                "please report it with the command you ran"
            )
        )


def _auto_format(fmt: Optional[Format]) -> Format:
    if fmt is not None:
        return fmt
    return Format.table if sys.stdout.isatty() else Format.json


def _console() -> Any:
    from rich.console import Console

    if sys.stdout.isatty():
        return Console()
    # Not a terminal: don't squeeze the table to 80 columns.
    return Console(width=int(os.environ.get("COLUMNS", "0") or 0) or 200)


def _emit(
    result: Any,
    fmt: Format,
    precision: int,
    lang: Optional[Lang] = None,
    standalone: bool = False,
    nodes: bool = True,
) -> None:
    if fmt in (Format.dot, Format.markdown, Format.latex, Format.html):
        if fmt is Format.html:
            from .render.dot import dot_program

            if dot_program() is None:
                _warn(
                    "Graphviz's dot is not installed, so the page has no picture "
                    "(Debian/Ubuntu: apt-get install graphviz)"
                )
        sys.stdout.write(_writeup(result, fmt, precision, _lang(lang), standalone))
    elif fmt is Format.json:
        from .result import NONFINITE_NOTE

        if result.has_nonfinite():
            _warn(NONFINITE_NOTE)
        sys.stdout.write(result.to_json(nodes=nodes) + "\n")
    elif not nodes:
        from rich.text import Text

        from .render import table

        _console().print(Text(table.summary(result, precision)))
    else:
        from .render import table

        _console().print(table.render(result, precision))


def read_expression(text: str) -> str:
    """EXPRESSION as given, or read from standard input ('-') or a file ('@path'): the
    operating system caps one argument at 128 KB, and expressions can be larger."""
    if text != "-" and not text.startswith("@"):
        return text
    from .parse import LIMITS

    limit = LIMITS.max_chars
    try:
        if text == "-":
            data = sys.stdin.buffer.read(limit * 4 + 1)
            where = "standard input"
        else:
            where = text[1:]
            with open(where, "rb") as fh:
                data = fh.read(limit * 4 + 1)
    except OSError as e:
        raise BackcalcError(f"cannot read the expression from {text[1:]}: {e.strerror}") from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise BackcalcError(f"the expression in {where} is not UTF-8 text (byte {e.start})") from None


def _expectations(items: Optional[list[str]]) -> Optional[dict[str, Any]]:
    """--expect NAME=VALUE items -> {name: value}."""
    if not items:
        return None
    from .values import parse_assignment

    out: dict[str, Any] = {}
    for item in items:
        try:
            name, value = parse_assignment(item)
        except BackcalcError as e:
            raise BackcalcError(
                f"--expect: {e.message}",
                hint="write --expect x=-4 (an input's gradient) or --expect f=-12 (the output's value)",
            ) from None
        if name in out:
            raise BackcalcError(f"--expect {name}=... is given twice")
        out[name] = value
    return out


def _split_wrt(wrt: Optional[str]) -> Optional[list[str]]:
    if wrt is None:
        return None
    names = [w.strip() for w in wrt.split(",") if w.strip()]
    if not names:
        raise BackcalcError("--wrt needs at least one name, e.g. --wrt x,y")
    return names


# Arguments and options shared by the commands that compute a graph.
ExpressionArg = Annotated[
    str,
    typer.Argument(
        help='The expression or program, e.g. "(x+y)*z" or "q = x+y; f = q*z"; '
        "- reads it from standard input, @FILE from a file."
    ),
]
ValuesArg = Annotated[
    Optional[list[str]],
    typer.Argument(help="Input values as NAME=VALUE: x=-2 y=0.5 z=1/3.", show_default=False),
]
PrecisionOpt = Annotated[
    int,
    typer.Option(
        "--precision", "-p", min=1, max=17, help="Significant digits shown (JSON always has full precision)."
    ),
]
TiesOpt = Annotated[
    Ties,
    typer.Option(
        "--ties", help="Gradient rule at a tie in max/min: split (PyTorch, JAX), all (cs231n code), first."
    ),
]
ExpandOpt = Annotated[
    bool,
    typer.Option("--expand", help="Split compound gates (sigmoid, tanh, softplus) into primitive gates."),
]
ValuesFileOpt = Annotated[
    Optional[list[str]],
    typer.Option(
        "--values",
        metavar="FILE",
        show_default=False,
        help="Read named values from a .json, .toml, .npz or .npy (named by its file name) file; repeatable; "
        "NAME=VALUE arguments override them.",
    ),
]
StandaloneOpt = Annotated[
    bool,
    typer.Option("--standalone", help="With --format latex: a complete document that compiles on its own."),
]
LangOpt = Annotated[
    Optional[Lang],
    typer.Option(
        "--lang",
        help="Language of explanations and write-ups (default: from LANG: ko_* -> ko, else en).",
        show_default=False,
    ),
]


def _given(values: Optional[list[str]], values_files: Optional[list[str]]) -> dict[str, Any]:
    """Values from --values files, then NAME=VALUE arguments (which override them)."""
    from .values import split_assignments

    given: dict[str, Any] = {}
    if values_files:
        from .values import load_values_file

        for path in values_files:
            given.update(load_values_file(path))
    given.update(split_assignments(values or []))  # texts: the API reads each value once
    return given


def _compute(
    expression: str,
    values: Optional[list[str]],
    ties: Ties,
    expand: bool,
    wrt: Optional[str] = None,
    warn: bool = True,
    values_files: Optional[list[str]] = None,
    jacobian: bool = False,
    given: Optional[dict[str, Any]] = None,
    checks: Optional[dict[str, Any]] = None,
) -> Any:
    """CLI text -> Result (through the API), with its warnings on stderr unless ``warn`` is off."""
    from .api import grad as api_grad

    if given is None:
        given = _given(values, values_files)
    try:
        result = api_grad(
            read_expression(expression),
            given,
            ties=ties.value,
            expand=expand,
            wrt=_split_wrt(wrt),
            jacobian=jacobian,
            **(checks or {}),
        )
    except BackcalcError as e:
        if e.message.startswith("gradients asked for "):
            e.message = "--wrt names " + e.message[len("gradients asked for ") :]
        raise
    if warn:
        for w in result.warnings:
            _warn(w)
    return result


@app.command()
def grad(
    expression: ExpressionArg,
    values: ValuesArg = None,
    format: Annotated[
        Optional[Format],
        typer.Option(
            "--format",
            "-f",
            help="Output format (default: table on a terminal, json when piped).",
            show_default=False,
        ),
    ] = None,
    precision: PrecisionOpt = 4,
    wrt: Annotated[
        Optional[str], typer.Option("--wrt", help="Report gradients only for these inputs: --wrt x,y.")
    ] = None,
    ties: TiesOpt = Ties.SPLIT,
    expand: ExpandOpt = False,
    lang: LangOpt = None,
    standalone: StandaloneOpt = False,
    symbolic: Annotated[
        bool,
        typer.Option(
            "--symbolic",
            help="Also derive each gradient as a formula (SymPy), with the chain-rule product it came from.",
        ),
    ] = False,
    timeout: Annotated[
        float,
        typer.Option(
            "--timeout",
            help="Seconds allowed for --symbolic/--exact work (a worker process, killed when time runs out); 0 = no limit.",
        ),
    ] = 30.0,
    exact: Annotated[
        bool,
        typer.Option(
            "--exact",
            help="Also compute in exact arithmetic (1/3 stays 1/3, sqrt(2) stays sqrt(2)), decimals beside.",
        ),
    ] = False,
    check: Annotated[
        bool,
        typer.Option("--check", help="Numerical gradient check (central differences); exit 1 if it fails."),
    ] = False,
    h: Annotated[float, typer.Option("--h", help="Step of the gradient check.")] = 1e-5,
    tol: Annotated[
        float, typer.Option("--tol", help="Relative error allowed by --check and --expect.")
    ] = 1e-6,
    expect: Annotated[
        Optional[list[str]],
        typer.Option(
            "--expect",
            help="Expected answer NAME=VALUE (an input's gradient, or the output's value); repeatable; exit 1 on a mismatch.",
            show_default=False,
        ),
    ] = None,
    values_file: ValuesFileOpt = None,
    jacobian: Annotated[
        bool,
        typer.Option(
            "--jacobian",
            help="Also show each gate's explicit local Jacobian, when it has at most 144 entries.",
        ),
    ] = False,
    nodes: Annotated[
        bool,
        typer.Option(
            "--nodes/--no-nodes",
            help="With --no-nodes: only the value and the gradients, no per-node records (JSON 'nodes' is "
            "empty; the table is the summary line). For large expressions.",
        ),
    ] = True,
) -> None:
    """Evaluate EXPRESSION at the given values and show every node's forward value and chain-rule gradients."""

    def run() -> None:
        from .api import failure

        result = _compute(
            expression,
            values,
            ties,
            expand,
            wrt,
            warn=False,
            jacobian=jacobian,
            values_files=values_file,
            checks={
                "symbolic": symbolic,
                "exact": exact,
                "check": check,
                "h": h,
                "tol": tol,
                "expect": _expectations(expect),
                "timeout": timeout,
            },
        )
        for w in result.warnings:
            _warn(w)
        fmt = _auto_format(format)
        _emit(result, fmt, precision, lang, standalone, nodes)
        checking = symbolic or exact or check or bool(expect)
        if fmt is Format.table and checking:
            from .render import check_table

            _console().print(check_table.render_extras(result, precision))
        err = failure(result)
        if err is not None:
            raise err

    _guarded(run)


@app.command()
def graph(
    expression: ExpressionArg,
    values: ValuesArg = None,
    output: Annotated[
        Optional[str],
        typer.Option(
            "--output",
            "-o",
            help="Write the picture to FILE (.dot, .svg, .png or .pdf; all but .dot need Graphviz). Without it, DOT goes to stdout.",
            show_default=False,
        ),
    ] = None,
    precision: PrecisionOpt = 4,
    ties: TiesOpt = Ties.SPLIT,
    expand: ExpandOpt = False,
    lang: LangOpt = None,
    values_file: ValuesFileOpt = None,
) -> None:
    """Draw the computational graph as the lecture does: forward values in green above each edge, gradients in red below."""

    def run() -> None:
        from .render import dot

        result = _compute(expression, values, ties, expand, values_files=values_file)
        if output is None or output == "-":
            sys.stdout.write(dot.to_dot(result, _lang(lang), precision))
        else:
            dot.write_file(result, output, _lang(lang), precision)
            sys.stderr.write(f"wrote {output}\n")

    _guarded(run)


@app.command()
def explain(
    expression: ExpressionArg,
    values: ValuesArg = None,
    lang: LangOpt = None,
    precision: PrecisionOpt = 4,
    ties: TiesOpt = Ties.SPLIT,
    expand: ExpandOpt = False,
    values_file: ValuesFileOpt = None,
) -> None:
    """Explain the forward and backward pass step by step: gate, local gradient, upstream x local = downstream, and why."""

    def run() -> None:
        from . import explain as X

        result = _compute(expression, values, ties, expand, values_files=values_file)
        _console().print(X.render_rich(X.build(result, _lang(lang), precision)))

    _guarded(run)


@app.command("check")
def check_answers(
    file: Annotated[
        str,
        typer.Argument(
            help="A TOML answer file: one 'problem' table per exercise (see examples/homework.toml)."
        ),
    ],
    format: Annotated[
        Optional[Format],
        typer.Option(
            "--format",
            "-f",
            help="Output format: table or json (default: table on a terminal, json when piped).",
            show_default=False,
        ),
    ] = None,
    precision: PrecisionOpt = 4,
) -> None:
    """Grade an answer file: every expected value and gradient against backcalc's. Exit 0 all pass, 1 any fails, 2 malformed."""

    def run() -> None:
        from .check import grade, load_answers, report_json

        report = grade(load_answers(file))
        if _auto_format(format) is Format.json:
            sys.stdout.write(report_json(report) + "\n")
        else:
            from .render import check_table

            _console().print(check_table.render_report(report, precision))
        for item in report["items"]:
            if item["status"] == "malformed":
                sys.stderr.write(f"error: {file}: {item['label']}: {item['error']}\n")
        code = report["summary"]["exit_code"]
        if code:
            raise typer.Exit(code)

    _guarded(run)


# --- networks: backcalc net SPEC, backcalc train SPEC ------------------------------------

SpecArg = Annotated[
    str,
    typer.Argument(
        help="A network spec: a .toml or .json file (loss, l2, x, y and a layers table per layer; see the README)."
    ),
]
FormatOpt = Annotated[
    Optional[Format],
    typer.Option(
        "--format",
        "-f",
        help="Output format (default: table on a terminal, json when piped).",
        show_default=False,
    ),
]
InPlaceOpt = Annotated[
    bool,
    typer.Option("--in-place", help="Allow writing the result over the input spec (-o defaults to it)."),
]


def _spec_output(spec: str, output: Optional[str], in_place: bool) -> Optional[str]:
    """Where to write the updated spec, refusing the input spec itself unless --in-place."""
    from .files import refuse_overwrite

    if output is None and in_place:
        output = spec
    if output is not None:
        if os.path.splitext(output)[1].lower() not in (".toml", ".json"):
            raise BackcalcError(f"cannot write the spec to {output}: end the file name with .toml or .json")
        refuse_overwrite(output, spec, in_place)
    return output


@app.command()
def net(
    spec: SpecArg,
    format: FormatOpt = None,
    precision: PrecisionOpt = 4,
    step: Annotated[
        bool, typer.Option("--step", help="Take one gradient-descent step: w <- w - lr * dL/dw.")
    ] = False,
    lr: Annotated[float, typer.Option("--lr", help="Learning rate of --step.")] = 0.1,
    output: Annotated[
        Optional[str],
        typer.Option(
            "--output",
            "-o",
            help="Write the (updated) spec to FILE (.toml or .json), atomically; never over the input without --in-place.",
            show_default=False,
        ),
    ] = None,
    in_place: InPlaceOpt = False,
    ties: TiesOpt = Ties.SPLIT,
    expand: ExpandOpt = False,
    lang: LangOpt = None,
    standalone: StandaloneOpt = False,
    explain: Annotated[
        bool,
        typer.Option(
            "--explain",
            help="Narrate the forward and backward pass layer by layer (z, a, delta, dW, db), in --lang.",
        ),
    ] = False,
) -> None:
    """Forward and backward through a network spec: per layer z, a, delta = dL/dz, dL/dW, dL/db, and the loss."""

    def run() -> None:
        from .netspec import load_spec, save_spec
        from .network import evaluate, gd_step

        target = _spec_output(spec, output, in_place)
        ev = evaluate(load_spec(spec), ties=ties.value, expand=expand)
        new = gd_step(ev, lr, ties=ties.value) if step else ev.net
        if target is not None:
            what = f"one gradient-descent step (lr {lr:g}) from {spec}" if step else f"{spec}"
            save_spec(new, target, source=spec, in_place=in_place, header=f"written by backcalc net: {what}")
        fmt = _auto_format(format)
        if explain:
            from . import explain as X

            _console().print(X.render_rich(X.build(ev.result, _lang(lang), precision)))
        elif fmt is Format.json:
            from .render import net_table

            sys.stdout.write(net_table.to_json(ev, target) + "\n")
        elif fmt is Format.table:
            from .render import net_table

            _console().print(net_table.render(ev, precision))
        else:
            _emit(ev.result, fmt, precision, lang, standalone)
        for w in ev.result.warnings:
            _warn(w)
        if target is not None:
            sys.stderr.write(f"wrote {target}\n")

    _guarded(run)


def _progress(total: int, epochs: int) -> tuple[Any, Callable[[int, int, float], None]]:
    """A rich progress bar on stderr with the running loss (nothing when stderr is not a terminal)."""
    import time

    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    console = Console(stderr=True)
    bar = Progress(
        TextColumn("epoch {task.fields[epoch]}/{task.fields[epochs]}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("loss {task.fields[loss]}"),
        TimeRemainingColumn(),
        console=console,
        disable=not console.is_terminal,
        transient=False,
    )
    task = bar.add_task("train", total=total, epoch=1, epochs=epochs, loss="…")
    last = [0.0, 0]

    def on_step(epoch: int, steps: int, loss: float) -> None:
        now = time.monotonic()
        if now - last[0] >= 0.05 or steps == total:
            bar.update(task, completed=steps, epoch=epoch + 1, loss=f"{loss:.6g}")
            last[0] = now

    return bar, on_step


@app.command("train")
def train_cmd(
    spec: SpecArg,
    data: Annotated[
        Optional[str],
        typer.Option(
            "--data",
            metavar="FILE",
            help="Training data: a .csv with a header (targets: columns y, y1.., target, label; or --target) or a .npz with x and y. Default: the spec's x and y.",
            show_default=False,
        ),
    ] = None,
    target: Annotated[
        Optional[str],
        typer.Option(
            "--target", help="CSV target column(s): --target y or --target y1,y2.", show_default=False
        ),
    ] = None,
    features: Annotated[
        Optional[str],
        typer.Option(
            "--features",
            help="CSV feature columns (default: every other column): --features x1,x2.",
            show_default=False,
        ),
    ] = None,
    epochs: Annotated[int, typer.Option("--epochs", min=1, help="Passes over the data.")] = 100,
    batch: Annotated[
        int,
        typer.Option(
            "--batch",
            min=0,
            help="Rows per step: 1 = per example, 0 or >= the rows = the whole batch, else mini-batches.",
        ),
    ] = 0,
    lr: Annotated[float, typer.Option("--lr", help="Learning rate: w <- w - lr * dL/dw.")] = 0.1,
    seed: Annotated[int, typer.Option("--seed", help="Seed of the shuffling.")] = 0,
    shuffle: Annotated[
        bool, typer.Option("--shuffle/--no-shuffle", help="Shuffle the rows at every epoch.")
    ] = True,
    output: Annotated[
        Optional[str],
        typer.Option(
            "--output",
            "-o",
            help="Save the trained network as a spec (.toml or .json), atomically; also when interrupted.",
            show_default=False,
        ),
    ] = None,
    in_place: InPlaceOpt = False,
    plot: Annotated[
        Optional[str],
        typer.Option(
            "--plot",
            metavar="FILE",
            help="Draw the loss per epoch into FILE (.png, .svg, .pdf); needs matplotlib (pip install matplotlib).",
            show_default=False,
        ),
    ] = None,
    format: FormatOpt = None,
    precision: PrecisionOpt = 4,
    ties: TiesOpt = Ties.SPLIT,
) -> None:
    """Train a network by gradient descent (per example, batch or mini-batch) and plot the loss per epoch."""
    interrupted = [False]

    def run() -> None:
        import signal

        from .netspec import load_spec, save_spec, spec_dict
        from .network import train
        from .render import loss_plot

        net_ = load_spec(spec)
        target_path = _spec_output(spec, output, in_place)
        if plot is not None:
            loss_plot.image_format(plot)
            loss_plot.require_matplotlib()
        if data is not None:
            from .netdata import load_data

            d = load_data(data, net_, target, features)
            X, Y = d.X, d.Y
            where = f"{data} ({X.shape[0]} rows; features {', '.join(d.features)}; targets {', '.join(d.targets)})"
        else:
            import numpy as np

            from .netspec import SpecError, targets

            if net_.x is None or net_.y is None:
                raise SpecError(
                    f"{spec}: no x and y to train on", hint="give --data FILE, or x and y in the spec"
                )
            X = np.atleast_2d(net_.x)
            Y = targets(
                net_,
                X,
                net_.y.reshape(1, -1)
                if net_.x.ndim == 1 and net_.y.ndim == 1 and net_.y.size > 1
                else net_.y,
                spec,
            )
            where = f"the spec's x and y ({X.shape[0]} rows)"
        rows = int(X.shape[0])
        size = rows if batch <= 0 or batch > rows else batch
        per_epoch = -(-rows // size)
        bar, on_step = _progress(epochs * per_epoch, epochs)

        def on_sigint(signum: int, frame: Any) -> None:
            interrupted[0] = True
            signal.signal(signal.SIGINT, signal.default_int_handler)  # a second Ctrl-C stops at once

        try:
            old = signal.signal(signal.SIGINT, on_sigint)
        except ValueError:  # not the main thread
            old = None
        try:
            with bar:
                tr = train(
                    net_,
                    X,
                    Y,
                    epochs=epochs,
                    batch=size,
                    lr=lr,
                    seed=seed,
                    shuffle=shuffle,
                    ties=ties.value,
                    on_step=on_step,
                    stop=lambda: interrupted[0],
                )
        finally:
            if old is not None:
                signal.signal(signal.SIGINT, old)
        if tr.diverged:
            raise BackcalcError(
                tr.warnings[0] + "; nothing was written", hint="try a smaller --lr (or fewer epochs)"
            )
        for w in tr.warnings:
            _warn(w)
        written = []
        if target_path is not None:
            what = f"{'interrupted ' if tr.interrupted else ''}training of {spec}: {tr.epochs_run} epochs, {tr.steps} steps, batch {tr.batch}, lr {lr:g}"
            save_spec(
                tr.net,
                target_path,
                source=spec,
                in_place=in_place,
                header=f"written by backcalc train: {what}",
            )
            written.append(target_path)
        if plot is not None and tr.losses:
            loss_plot.write_image(
                tr.losses, plot, f"{os.path.basename(spec)}: loss per epoch (batch {tr.batch}, lr {lr:g})"
            )
            written.append(plot)
        fmt = _auto_format(format)
        if fmt is Format.json:
            import json

            from .result import plain_tree

            doc = {
                "spec": spec,
                "data": data,
                "rows": rows,
                "epochs": epochs,
                "epochs_run": tr.epochs_run,
                "batch": tr.batch,
                "lr": lr,
                "seed": seed,
                "shuffle": shuffle,
                "steps": tr.steps,
                "seconds": tr.seconds,
                "losses": tr.losses,
                "final_loss": tr.final_loss,
                "interrupted": tr.interrupted,
                "diverged": tr.diverged,
                "output": target_path,
                "plot": plot if plot is not None and tr.losses else None,
                "network": spec_dict(tr.net) if not tr.diverged else None,
                "warnings": tr.warnings,
            }
            sys.stdout.write(json.dumps(plain_tree(doc), indent=2, allow_nan=False) + "\n")
        elif fmt is Format.table:
            from rich.text import Text

            from .display import fmt as fnum

            p = precision
            con = _console()
            kind = "per example" if tr.batch == 1 else ("batch" if tr.batch >= rows else "mini-batch")
            con.print(
                Text(
                    f"trained {spec} on {where}: {tr.epochs_run} epoch{'s' if tr.epochs_run != 1 else ''} "
                    f"of {per_epoch} step{'s' if per_epoch != 1 else ''} ({kind} gradient descent, batch {tr.batch}, "
                    f"lr {lr:g}{', shuffled' if shuffle else ''}), {tr.steps} steps in {tr.seconds:.2f} s",
                    style="bold",
                )
            )
            if tr.losses:
                con.print(
                    f"loss: epoch 1 {fnum(tr.losses[0], p)}, epoch {len(tr.losses)} {fnum(tr.losses[-1], p)}; "
                    f"on all the data with the final weights {fnum(tr.final_loss, p)}"
                )
                from .render.loss_plot import terminal_plot

                con.print(Text(terminal_plot(tr.losses)))
        else:
            raise BackcalcError(f"train writes table or json, not {fmt.value}")
        for path in written:
            sys.stderr.write(f"wrote {path}\n")
        if tr.interrupted:
            sys.stderr.write(
                f"interrupted after {tr.steps} steps (epoch {tr.epochs_run} of {epochs})"
                + ("; the trained network was saved" if target_path is not None else "")
                + "\n"
            )
            raise typer.Exit(int(ExitCode.INTERRUPTED))

    _guarded(run)


def _show_version(value: bool) -> None:
    if value:
        from . import __version__

        sys.stdout.write(f"backcalc {__version__}\n")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_show_version, is_eager=True, help="Show the version and exit."),
    ] = False,
) -> None:
    """A backprop calculator: forward values and chain-rule gradients, node by node."""


def main() -> None:
    try:
        app()
    except BrokenPipeError:
        # The reader went away (| head): stop quietly, without Python's complaint at exit.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        sys.exit(1)
    except KeyboardInterrupt:
        sys.stderr.write("interrupted\n")
        sys.exit(int(ExitCode.INTERRUPTED))
