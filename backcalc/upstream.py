"""What a run needs before the graph is built when it reads setup lines or starts backward from a
given upstream gradient (cs231n's ``dout``): the values, the seed, and the checks around them.

:func:`backcalc.api.grad` calls :func:`prepare` only when ``setup``, ``upstream`` or ``check`` is
given, so a plain run imports nothing from here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .errors import BackcalcError, Msg, setting
from .values import coerce


@dataclass
class Prepared:
    given: dict[str, Any]  # the values: the setup's, overridden by the ones given
    quiet: set[str] = field(default_factory=set)  # setup values the expression may leave unused
    warnings: list[str] = field(default_factory=list)  # the setup's (a draw before any seed)
    seed: Any = None  # the upstream gradient at the output, or None (ones)
    seed_name: str = ""
    dtypes: dict[str, str] = field(default_factory=dict)  # inputs that were not float64


def as_setup(setup: Any) -> Any:
    """The read :class:`backcalc.setup_lines.Setup` of ``setup``: setup text, a file's path
    (a :class:`pathlib.Path`, as a notebook names its file), or a Setup already read."""
    import os

    from .setup_lines import Setup, read_setup, read_setup_file

    if isinstance(setup, Setup):
        return setup
    if isinstance(setup, os.PathLike):
        return read_setup_file(os.fspath(setup))
    return read_setup(setup)


def prepare(
    given: dict[str, Any],
    *,
    setup: Any = None,
    upstream: Any = None,
    symbolic: bool = False,
    exact: bool = False,
    check: bool = False,
) -> Prepared:
    """The values of a run with setup lines (text, a path or a read Setup) and an upstream gradient (a
    value's name, taken out of the values, or an array)."""
    out = Prepared(dict(given))
    if setup is not None:
        rec = as_setup(setup)
        out.quiet = set(rec.values) - set(given)
        out.warnings = list(rec.warnings)
        out.given = {**rec.values, **given}
    if upstream is not None:
        if isinstance(upstream, str):
            if upstream not in out.given:
                have = ", ".join(out.given) or Msg("optim.none")
                raise BackcalcError(
                    Msg("upstream.not_given", setting=setting("upstream"), name=upstream, have=have),
                    hint=Msg("upstream.not_given_hint", name=upstream),
                )
            out.seed, out.seed_name = coerce(upstream, out.given.pop(upstream)), upstream
        else:
            out.seed, out.seed_name = coerce("upstream", upstream), "upstream"
        if symbolic or exact:
            which = setting("symbolic") if symbolic else setting("exact")
            raise BackcalcError(
                Msg("upstream.combined", which=which, setting=setting("upstream")),
                hint=Msg("upstream.combined_hint", setting=setting("upstream"), check=setting("check")),
            )
    if check:
        for name, v in out.given.items():
            dtype = getattr(v, "dtype", None)
            if dtype is not None and str(dtype) != "float64":
                out.dtypes[name] = str(dtype)
    return out


def input_error(err: BackcalcError, seed_name: str) -> BackcalcError:
    """A missing value that is the upstream's name: say that the upstream is not an input."""
    if seed_name and err.message.startswith(f"no value for '{seed_name}'"):
        return err.reword(Msg("upstream.is_input", setting=setting("upstream"), name=seed_name))
    return err


def check_shape(graph: Any, fwd: Any, seed: Any) -> None:
    """The upstream must have the output's shape (cs231n: dout = np.random.randn(*out.shape))."""
    from .result import _shape

    want, got = _shape(fwd.values[graph.output]), _shape(seed)
    if want != got:
        name = graph.names[graph.output]
        raise BackcalcError(
            Msg("upstream.shape", setting=setting("upstream"), got=got, name=name, want=want),
            hint=Msg("upstream.shape_hint"),
        )


def note(result: Any, name: str, seed: Any) -> None:
    """The note on where backward started, in place of the note on an upstream of ones."""
    from .result import _shape

    result.notes = [n for n in result.notes if "from an upstream of ones" not in n]
    result.notes.append(Msg("upstream.note", name=name, shape=_shape(seed), output=result.output))
