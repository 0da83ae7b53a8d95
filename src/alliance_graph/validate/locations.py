"""Where a node is written: the data file and line of its first subject position."""

from __future__ import annotations

import re
from pathlib import Path

_PREFIX_LINE = re.compile(r"^\s*@?prefix\s+([A-Za-z][\w.-]*)?:\s*<([^>]*)>", re.I)
_BASE_LINE = re.compile(r"^\s*@?base\s+<([^>]*)>", re.I)
_SUBJECT = re.compile(r"^([ \t]*)(<[^<>\s]*>|[A-Za-z][\w.-]*:[^\s;,()\[\]\"]*|:[^\s;,()\[\]\"]*)")


class FileIndex:
    """Where each subject is first written, over all data files, read in one pass each.

    A subject written at the start of a line wins over a name at the start of an
    indented line (an object continued on a new line); one pass per file, so that
    locating thousands of results in a large file stays cheap.
    """

    def __init__(self, files: list[Path]):
        self.files = [Path(f) for f in files]
        self._index: dict[str, tuple[str, int]] | None = None
        self._indented: dict[str, tuple[str, int]] = {}

    def where(self, iri: str) -> tuple[str, int] | None:
        if self._index is None:
            self._index = {}
            for path in self.files:
                self._read(path)
        return self._index.get(iri) or self._indented.get(iri)

    def _read(self, path: Path) -> None:
        from urllib.parse import urljoin

        from ..errors import DataFileError
        from ..load import read_bytes

        try:  # the loader's reader: standard input ('-') is read once and kept
            text = read_bytes(path).decode("utf-8")
        except (DataFileError, UnicodeDecodeError):
            return
        stdin = str(path) == "-"
        base = None if stdin else path.resolve().as_uri()
        where = "<stdin>" if stdin else str(path)
        prefixes: dict[str, str] = {}
        for number, line in enumerate(text.splitlines(), start=1):
            if not line or line[0] == "#":
                continue
            declared = _PREFIX_LINE.match(line)
            if declared:
                prefixes[declared.group(1) or ""] = urljoin(base, declared.group(2))
                continue
            based = _BASE_LINE.match(line)
            if based:
                base = urljoin(base, based.group(1))
                continue
            match = _SUBJECT.match(line)
            if not match:
                continue
            name = match.group(2)
            if name.startswith("<"):
                iri = urljoin(base, name[1:-1])
            else:
                prefix, _, local = name.partition(":")
                if prefix not in prefixes:
                    continue
                iri = prefixes[prefix] + re.sub(r"\\(.)", r"\1", local.rstrip("."))
            target = self._indented if match.group(1) else self._index
            target.setdefault(iri, (where, number))
