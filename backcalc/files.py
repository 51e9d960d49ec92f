"""Writing files all at once: a temporary file in the same directory, fsync, then os.replace.

An interrupted or failed write never leaves a half-written file behind, and an existing
file keeps its permissions.  Every file backcalc writes (pictures, specs, plots) goes
through :func:`atomic_write` or :func:`atomic_stream`.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from .errors import BackcalcError, Msg, setting


def same_file(a: str, b: str) -> bool:
    """True when the two paths name the same file (also through links); False if either is missing."""
    try:
        return os.path.samefile(a, b)
    except OSError:
        return os.path.abspath(a) == os.path.abspath(b)


def refuse_overwrite(path: str, source: str, in_place: bool, what: str = "the input spec") -> None:
    """Raise unless writing ``path`` leaves ``source`` alone, or ``in_place`` says to replace it."""
    if not in_place and same_file(path, source):
        raise BackcalcError(
            Msg(
                "files.refuse",
                what=Msg("files.input_spec") if what == "the input spec" else what,
                source=source,
            ),
            hint=Msg("files.refuse_hint", output=setting("output"), in_place=setting("in_place")),
        )


@contextmanager
def atomic_stream(path: str, binary: bool = False) -> Iterator[Any]:
    """A stream whose file appears at ``path`` only when it is complete (text is UTF-8); on
    any failure the old file stays as it was."""
    directory = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(directory):
        raise BackcalcError(Msg("files.no_directory", path=path, directory=directory))
    if os.path.isdir(path):
        raise BackcalcError(Msg("files.is_directory", path=path))
    try:
        fd, tmp = tempfile.mkstemp(prefix="." + os.path.basename(path) + ".", suffix=".tmp", dir=directory)
    except OSError as e:
        raise BackcalcError(Msg("files.cannot_write", path=path, reason=e.strerror or e)) from None
    try:
        with os.fdopen(fd, "wb") if binary else os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
            yield f
            f.flush()
            os.fsync(f.fileno())
        if os.path.exists(path):
            try:
                os.chmod(tmp, os.stat(path).st_mode & 0o777)
            except OSError:
                pass
        else:
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, path)
    except BaseException as e:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        if isinstance(e, OSError):
            raise BackcalcError(Msg("files.cannot_write", path=path, reason=e.strerror or e)) from None
        raise


def atomic_write(path: str, data: str | bytes) -> None:
    """Write ``data`` (text is written as UTF-8) to ``path`` all at once."""
    with atomic_stream(path, binary=True) as f:
        f.write(data.encode("utf-8") if isinstance(data, str) else data)
