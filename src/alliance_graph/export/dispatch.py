"""The one entry point: resolve the format, check the options, write the output."""

from __future__ import annotations

import io
import sys
from collections.abc import Iterable
from pathlib import Path

from ..errors import UsageError
from ..temporal import READINGS, DateSpan, parse_date
from .atomic import write_atomically, write_folder_atomically
from .parts import Parts, load_parts
from .registry import Options, dated_names, get, guess


def export(
    fmt: str | None = None,
    output: str | Path = "-",
    *,
    data: Iterable[Path | str] | None = None,
    data_format: str | None = None,
    at: str | DateSpan | None = None,
    reading: str | None = None,
    derived: bool = True,
    parts: Parts | None = None,
    stdout: io.BufferedIOBase | None = None,
    notes: list[str] | None = None,
) -> Path | None:
    """Export the graph in ``fmt`` to ``output`` (a file, a folder, or ``-`` for stdout).

    ``fmt`` may be None when ``output``'s suffix names the format. ``data`` replaces the
    shipped data files; ``parts`` (from :func:`load_parts`) skips loading. ``at`` restricts
    graph-shaped formats to the relationships valid on that date under ``reading``.
    Returns the path written, or None for stdout. ``notes``, a list, receives what the
    writer left out and why ("IRI: reason"; the BODS writer's claims it cannot state).
    """
    data = list(data) if data is not None else None
    to_stdout = str(output) == "-"
    if fmt is None:
        if to_stdout:
            raise UsageError("--format is needed when writing to standard output")
        chosen = guess(output)
        if chosen is None:
            raise UsageError(
                f"cannot tell the format from the file name {str(output)!r}; give --format"
            )
    else:
        chosen = get(fmt)
    if isinstance(at, str):
        try:
            at = parse_date(at)
        except ValueError as exc:
            raise UsageError(f"--at: {exc}") from None
    if at is not None and not chosen.dated:
        raise UsageError(
            f"--at does not apply to {chosen.name}, which exports the whole graph with its "
            f"dates; it applies to {', '.join(dated_names())}"
        )
    if reading is not None and reading not in READINGS:
        raise UsageError(f"--reading must be one of {', '.join(READINGS)}, not {reading!r}")
    if reading is not None and at is None:
        raise UsageError("--reading needs --at")
    if chosen.folder and to_stdout:
        raise UsageError(f"{chosen.name} writes a folder of files; give -o FOLDER")

    if parts is None:
        parts = load_parts(data, data_format=data_format)
    options = Options(at=at, reading=reading, derived=derived, notes=[] if notes is None else notes)

    if to_stdout:
        stream = stdout if stdout is not None else sys.stdout.buffer
        buffer = io.BytesIO()  # complete before anything reaches the stream
        chosen.writer(parts, buffer, options)
        stream.write(buffer.getvalue())
        stream.flush()
        return None
    target = Path(output)
    if chosen.folder:
        write_folder_atomically(
            target,
            chosen.name,
            chosen.folder_files,
            lambda folder: chosen.writer(parts, folder, options),
        )
    else:
        # Never over a file it reads: --data files, or the shipped ones.
        from ..resources import data_files, ontology_files

        sources = data if data is not None else [*data_files(), *ontology_files()]
        write_atomically(
            target, lambda stream: chosen.writer(parts, stream, options), reading=sources
        )
    return target
