"""The format registry: each export format by name, alias, media type and file suffix.

In the spirit of rdflib's plugin registry (``rdflib/plugin.py``): a :class:`Format` names
its writer, its aliases, the suffixes it is guessed from and its media type. :func:`get`
resolves a name, alias or media type, :func:`guess` a file name. Adding a format is one
:func:`register` call and one writer function. :data:`FORMATS` is the only state: the
lookups read it on every call, so replacing or removing an entry needs nothing else.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import UsageError
from ..temporal import DateSpan

if TYPE_CHECKING:
    from .parts import Parts


@dataclass(frozen=True)
class Options:
    """What every writer is told besides the graph."""

    at: DateSpan | None = None  # restrict graph-shaped exports to this date
    reading: str | None = None  # certain, possible or as-of; None: the format's default
    derived: bool = True  # include the loader's day bounds and ag:BestRank types
    # What a writer left out, and why ("IRI: reason"), for the caller to show; frozen
    # options, a list the writer appends to.
    notes: list[str] = field(default_factory=list)


Writer = Callable[["Parts", "io.BufferedIOBase | Path", Options], None]


@dataclass(frozen=True)
class Format:
    """One export format: a name, how to find it, and the function that writes it."""

    name: str
    writer: Writer
    description: str
    aliases: tuple[str, ...] = ()
    suffixes: tuple[str, ...] = ()  # lower case, with the dot; longest match wins
    media_type: str | None = None
    folder: bool = False  # writes a folder of files (the writer receives a Path)
    dated: bool = False  # accepts --at (graph-shaped formats)
    folder_files: tuple[str, ...] = ()  # the files a folder format writes


#: Every registered format by name, in the order registered (``export --list`` order).
FORMATS: dict[str, Format] = {}


def register(fmt: Format) -> Format:
    """Add ``fmt`` to the registry under its name (replacing a format of that name)."""
    FORMATS[fmt.name] = fmt
    return fmt


def get(name: str) -> Format:
    """The format named ``name`` (a name, an alias or a media type, any case)."""
    key = name.strip().lower()
    for fmt in FORMATS.values():
        keys = (fmt.name, *fmt.aliases, *([fmt.media_type] if fmt.media_type else []))
        if key in (k.lower() for k in keys):
            return fmt
    raise UsageError(f"unknown export format {name!r}; choose one of {', '.join(sorted(FORMATS))}")


def guess(path: str | Path) -> Format | None:
    """The format a file name's suffix suggests, or None."""
    name = Path(path).name.lower()
    best = None
    for fmt in FORMATS.values():
        for suffix in fmt.suffixes:
            if name.endswith(suffix) and (best is None or len(suffix) > len(best[0])):
                best = (suffix, fmt)
    return best[1] if best else None


def dated_names() -> list[str]:
    """The names of the formats that accept ``--at``, sorted."""
    return sorted(f.name for f in FORMATS.values() if f.dated)
