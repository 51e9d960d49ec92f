"""IPython magics: ``%backcalc COMMAND ARGS...`` with exactly the command line's syntax, and
``%%backcalc COMMAND ARGS...`` whose cell body is the expression (a staged program) or the
network spec (TOML or JSON).  ``%load_ext backcalc`` registers them.

The line is parsed by the command line's own parser (typer/click), so options, defaults and
errors are the command line's; the API then runs and the magic returns the result object,
which the notebook displays.  Notebook variables as values, never evaluated:

- ``W=@W`` looks the variable ``W`` up in the notebook's namespace (any array or number);
- ``W=$W`` is IPython's own expansion (the variable's text): a number, or a numpy array as
  numpy prints it (``[[0.1 0.5]\\n [-0.3 0.8]]``, also ``array([...])``), read as data.
"""

from __future__ import annotations

import re
import sys
from typing import Any

from .errors import BackcalcError, Msg

COMMANDS = ("grad", "explain", "graph", "net", "train", "check")
EXPRESSION_COMMANDS = ("grad", "explain", "graph")
SPEC_COMMANDS = ("net", "train")
_LOOKUP = re.compile(r"([A-Za-z_]\w*)=@([A-Za-z_]\w*)")
_NAME_VALUE = re.compile(r"([A-Za-z_]\w*)=(.*)", re.DOTALL)
_NUMBER = re.compile(r"[-+]?(?:\d+\.?\d*(?:[eE][-+]?\d+)?|\.\d+(?:[eE][-+]?\d+)?|inf|nan)$")


def split_line(line: str) -> list[str]:
    """Split a magic's line as a shell does (quotes group, backslash escapes), but never
    inside brackets: ``W=[[0.1 0.5] [-0.3 0.8]]`` (numpy's way of printing) stays one word."""
    words: list[str] = []
    cur: list[str] = []
    quote: str | None = None
    depth = 0
    started = False
    i = 0
    while i < len(line):
        ch = line[i]
        if quote is not None:
            if ch == quote:
                quote = None
            elif ch == "\\" and quote == '"' and i + 1 < len(line) and line[i + 1] in '"\\':
                i += 1
                cur.append(line[i])
            else:
                cur.append(ch)
        elif ch in "'\"":
            quote, started = ch, True
        elif ch == "\\" and i + 1 < len(line):
            i += 1
            cur.append(line[i])
            started = True
        elif ch.isspace() and depth == 0:
            if started:
                words.append("".join(cur))
                cur, started = [], False
        else:
            if ch == "[" or ch == "(":
                depth += 1
            elif (ch == "]" or ch == ")") and depth > 0:
                depth -= 1
            cur.append(" " if ch.isspace() else ch)
            started = True
        i += 1
    if quote is not None:
        raise BackcalcError(Msg("magic.unclosed", quote=quote))
    if started:
        words.append("".join(cur))
    return words


def array_text(text: str) -> str:
    """A numpy array as numpy prints it (``str`` or ``repr``) -> the values syntax
    (``[[0.1, 0.5], [-0.3, 0.8]]``); any other text as it is.  Read as data: tokens are
    brackets, commas and numbers, nothing else."""
    s = text.strip()
    m = re.fullmatch(r"array\((.*?)(?:,\s*dtype=[\w.]+)?\)", s, flags=re.DOTALL)
    if m:
        s = m.group(1).strip()
    if not s.startswith("["):
        return text
    if "..." in s:
        raise BackcalcError(
            Msg("magic.shortened"),
            hint=Msg("magic.shortened_hint"),
        )
    tokens = re.findall(r"\[|\]|,|[^\s\[\],]+", s)
    out: list[str] = []
    prev = ""
    for tok in tokens:
        if tok not in "[],":
            if not _NUMBER.match(tok):
                return text  # not an array of numbers: the values reader says what is wrong
            tok = re.sub(r"(\d)\.(?!\d)", r"\1.0", tok)  # numpy's 1. and 1.e-03
            tok = re.sub(r"^([-+]?)\.", r"\g<1>0.", tok)  # .5
        opens = tok == "[" or tok not in "[],"
        if out and opens and (prev == "]" or prev not in "[],"):
            out.append(",")
        out.append(tok)
        prev = tok
    return " ".join(out).replace("[ ", "[").replace(" ]", "]").replace(" ,", ",")


def _values(words: list[str], namespace: dict[str, Any]) -> tuple[list[str], dict[str, Any]]:
    """Pick ``NAME=@variable`` words out (looked up in ``namespace``) and read numpy-printed
    arrays; returns the other words and the values found."""
    rest: list[str] = []
    found: dict[str, Any] = {}
    for w in words:
        m = _LOOKUP.fullmatch(w)
        if m:
            name, var = m.groups()
            if var not in namespace:
                raise BackcalcError(Msg("magic.no_variable", name=name, var=var))
            found[name] = namespace[var]
            continue
        m = _NAME_VALUE.fullmatch(w)
        if m and not w.startswith("-") and ("[" in m.group(2) or "array(" in m.group(2)):
            w = f"{m.group(1)}={array_text(m.group(2))}"
        rest.append(w)
    return rest, found


class Output:
    """A command's text output (JSON, DOT, LaTeX, markdown or HTML) shown as itself."""

    def __init__(self, text: str, kind: str = "text") -> None:
        self.text = text
        self.kind = kind

    def __repr__(self) -> str:
        return self.text.rstrip("\n")

    def _repr_pretty_(self, p: Any, cycle: bool) -> None:
        p.text(self.text.rstrip("\n"))

    def _repr_html_(self) -> str | None:
        return self.text if self.kind == "html" else None

    def _repr_markdown_(self) -> str | None:
        return self.text if self.kind == "markdown" else None


def _parse(command: str, args: list[str]) -> dict[str, Any] | None:
    """The command line's parameters for ``args`` (None after --help, which is printed)."""
    import typer.main

    from .cli.commands import make_app

    try:  # typer >= 0.24 carries its own click
        from typer._click.core import Exit
        from typer._click.exceptions import ClickException
    except ImportError:  # pragma: no cover
        from click.exceptions import ClickException, Exit  # type: ignore[no-redef]

    group = typer.main.get_command(make_app(command))
    cmd = group.commands[command]  # type: ignore[attr-defined]
    try:
        ctx = cmd.make_context(f"%backcalc {command}", list(args))
    except Exit:
        return None
    except ClickException as e:
        raise BackcalcError(e.format_message()) from None
    return dict(ctx.params)


def _value(v: Any) -> Any:
    return getattr(v, "value", v)  # typer's enums -> their text


def _spec_text(body: str) -> dict[str, Any]:
    """A cell's network spec: TOML, or JSON when it starts with '{'."""
    import json
    import tomllib

    text = body.strip()
    try:
        data = json.loads(text) if text.startswith("{") else tomllib.loads(text)
    except (ValueError, tomllib.TOMLDecodeError) as e:
        raise BackcalcError(Msg("magic.not_spec", reason=e)) from None
    return data


def run(line: str, cell: str | None = None, namespace: dict[str, Any] | None = None) -> Any:
    """What ``%backcalc line`` (or ``%%backcalc line`` with ``cell``) returns."""
    words = split_line(line)
    if not words or words[0] not in COMMANDS:
        if cell is None:
            raise BackcalcError(
                "say which command: %backcalc grad|explain|graph|net|train|check ...",
                hint='e.g. %backcalc grad "(x+y)*z" x=-2 y=5 z=-4',
            )
        looks_like_spec = re.search(r"^\s*\[\[layers\]\]|^\s*\{", cell, flags=re.MULTILINE) is not None
        words = ["net" if looks_like_spec else "grad", *words]
    command, args = words[0], words[1:]
    args, looked_up = _values(args, namespace or {})
    spec_data = None
    if cell is not None:
        if command in EXPRESSION_COMMANDS:
            args = [cell.strip(), *args]
        elif command in SPEC_COMMANDS:
            spec_data = _spec_text(cell)
            args = ["<cell>", *args]
        else:
            raise BackcalcError(
                f"%%backcalc {command}: the cell magic takes grad, explain, graph, net or train"
            )
    params = _parse(command, args)
    if params is None:
        return None
    if command == "check":
        if params["key"] is None or _value(params["format"]) not in (None, "table") or params["output"]:
            return _via_cli(command, args)  # an answer file, or a report format: what the command prints
        from . import api

        lang = _value(params["lang"])
        return api.check(
            params["key"],
            params["file"],
            rtol=params["rtol"],
            atol=params["atol"],
            decimals=params["decimals"],
            lang=lang or api._lang(None),
        )
    return _call(command, params, looked_up, spec_data)


def _call(command: str, p: dict[str, Any], looked_up: dict[str, Any], spec_data: Any) -> Any:
    from . import api
    from .cli.run import given_values, read_expression, split_wrt

    if command in EXPRESSION_COMMANDS:
        given = {**given_values(p.get("values"), p.get("values_file")), **looked_up}
        expression = read_expression(p["expression"])
        common = dict(ties=_value(p["ties"]), expand=p["expand"])
        if command == "explain":
            return api.explain(expression, given, lang=_value(p["lang"]), precision=p["precision"], **common)
        if command == "graph":
            return api.graph(
                expression,
                given,
                output=p["output"],
                lang=_value(p["lang"]),
                precision=p["precision"],
                max_nodes=p["max_nodes"],
                **common,
            )
        from .cli.grad import expectations

        result = api.grad(
            expression,
            given,
            wrt=split_wrt(p["wrt"]),
            jacobian=p["jacobian"],
            symbolic=p["symbolic"],
            exact=p["exact"],
            check=p["check"],
            h=p["h"],
            tol=p["tol"],
            atol=p["atol"],
            expect=expectations(p["expect"]),
            timeout=p["timeout"],
            **common,
        )
        failed = api.failure(result)
        if failed is not None:
            from .cli.run import cli_message

            sys.stderr.write(cli_message(failed) + "\n")
        return _formatted(result, p, lambda: result.to_json(nodes=p["nodes"]))
    if looked_up:
        raise BackcalcError(Msg("magic.spec_only", command=command))
    spec = spec_data if spec_data is not None else p["spec"]
    if command == "net":
        ev = api.net(
            spec,
            ties=_value(p["ties"]),
            expand=p["expand"],
            step=p["step"],
            lr=p["lr"],
            output=p["output"],
            in_place=p["in_place"],
        )
        if p["explain"]:
            return api.explain(ev.result, lang=_value(p["lang"]), precision=p["precision"])
        fmt = _value(p["format"])
        if fmt in (None, "table"):
            return ev
        if fmt == "json":
            return Output(ev.to_json(), "json")
        return _formatted(ev.result, p, ev.to_json)
    tr = api.train(
        spec,
        data=p["data"],
        target=p["target"],
        features=p["features"],
        epochs=p["epochs"],
        batch=p["batch"],
        lr=p["lr"],
        seed=p["seed"],
        shuffle=p["shuffle"],
        output=p["output"],
        in_place=p["in_place"],
        plot=p["plot"],
        ties=_value(p["ties"]),
    )
    return Output(tr.to_json(), "json") if _value(p["format"]) == "json" else tr


def _formatted(result: Any, p: dict[str, Any], json: Any) -> Any:
    """The result itself (it shows as the table and the picture), or the text of ``--format``."""
    from .notebook import writeup

    fmt = _value(p.get("format"))
    if fmt in (None, "table"):
        if p.get("nodes", True) is False:
            from .render.table import summary

            return Output(summary(result, p["precision"]))
        return result
    if fmt == "json":
        return Output(json(), "json")
    text = writeup(result, fmt, _value(p.get("lang")), p["precision"], p.get("standalone", False))
    return Output(text, fmt)


def _via_cli(command: str, args: list[str]) -> Any:
    """A command with no result object of its own (check's many formats): the command line
    run in-process; its output is returned, its messages go to stderr."""
    from typer.testing import CliRunner

    from .cli.commands import make_app

    res = CliRunner().invoke(make_app(command), [command, *args])
    if res.stderr:
        sys.stderr.write(res.stderr)
    if res.exit_code not in (0, 1) and not res.stdout:
        raise BackcalcError(Msg("magic.exit_status", command=command, code=res.exit_code))
    return Output(res.stdout) if res.stdout else None


def register(ipython: Any) -> None:
    """Register ``%backcalc`` and ``%%backcalc`` with an IPython shell."""
    from IPython.core.error import UsageError

    def magic(line: str, cell: str | None = None) -> Any:
        from .cli.run import cli_message

        try:
            return run(line, cell, ipython.user_ns)
        except BackcalcError as e:
            raise UsageError(cli_message(e)) from None

    magic.__doc__ = __doc__
    ipython.register_magic_function(magic, "line_cell", "backcalc")
