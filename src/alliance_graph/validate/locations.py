"""Where a node is written: the data file and line of its first subject position, or of
the first one whose statements name the property a result is about."""

from __future__ import annotations

import re
from pathlib import Path

_PREFIX_LINE = re.compile(r"^\s*@?prefix\s+([A-Za-z][\w.-]*)?:\s*<([^>]*)>", re.I)
_BASE_LINE = re.compile(r"^\s*@?base\s+<([^>]*)>", re.I)
_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_SUBJECT = re.compile(r"^([ \t]*)(<[^<>\s]*>|[A-Za-z][\w.-]*:[^\s;,()\[\]\"]*|:[^\s;,()\[\]\"]*)")


class FileIndex:
    """Where each subject is first written, over all data files, read in one pass each.

    A subject written at the start of a line wins over a name at the start of an
    indented line (an object continued on a new line); one pass per file, so that
    locating thousands of results in a large file stays cheap.

    A subject described in several places (the shipped data and a user's file that adds
    to it, say) is placed, for a result about one property, where that property is
    written under it: the second label a user's file adds is reported in that file.
    """

    def __init__(self, files: list[Path]):
        self.files = [Path(f) for f in files]
        self._index: dict[str, tuple[str, int]] | None = None
        self._indented: dict[str, tuple[str, int]] = {}
        # iri -> every top-level block that describes it: (file number, line, start, end)
        self._blocks: dict[str, list[tuple[int, int, int, int]]] = {}
        self._prefixes: list[dict[str, str]] = []
        self._texts: dict[int, str] = {}

    def places(
        self, iri: str, prop: str | None = None, value: str | None = None
    ) -> list[tuple[str, int]]:
        """Every place to look at for ``iri``: where it is written, or, with ``prop``, each
        of its blocks that writes that property (the first block when none does); with
        ``value`` (a literal's text), the blocks whose text holds it come first, so that a
        bad value one file writes is placed in that file."""
        if self._index is None:
            self._index = {}
            for path in self.files:
                self._read(path)
        first = self._index.get(iri) or self._indented.get(iri)
        blocks = self._blocks.get(iri, ())
        if prop is not None and len(blocks) > 1:
            found = [b for b in blocks if self._writes(b[0], b[2], b[3], prop)]
            if value:
                holding = [b for b in found if value in self._text(b[0])[b[2] : b[3]]]
                found = holding + [b for b in found if b not in holding]
            writing = [(self._name(number), line) for number, line, _, _ in found]
            if writing:
                return writing
        return [first] if first else []

    def _name(self, number: int) -> str:
        path = self.files[number]
        return "<stdin>" if str(path) == "-" else str(path)

    def _writes(self, number: int, start: int, end: int, prop: str) -> bool:
        forms = [f"<{prop}>"] + [
            f"{prefix}:{prop[len(ns) :]}"
            for prefix, ns in self._prefixes[number].items()
            if prop.startswith(ns) and len(prop) > len(ns)
        ]
        if prop == _RDF_TYPE:
            forms.append("a")
        text = self._text(number)[start:end]
        return any(
            re.search(r"(?<![\w:.<-])" + re.escape(form) + r"(?![\w.:-])", text) for form in forms
        )

    def _text(self, number: int) -> str:
        if number not in self._texts:  # read again only for a subject written twice
            from ..load import read_bytes

            self._texts[number] = read_bytes(self.files[number]).decode("utf-8")
        return self._texts[number]

    def _read(self, path: Path) -> None:
        from urllib.parse import urljoin

        from ..errors import DataFileError
        from ..load import read_bytes

        file_number = len(self._prefixes)
        prefixes: dict[str, str] = {}
        self._prefixes.append(prefixes)
        try:  # the loader's reader: standard input ('-') is read once and kept
            text = read_bytes(path).decode("utf-8")
        except (DataFileError, UnicodeDecodeError):
            return
        stdin = str(path) == "-"
        base = None if stdin else path.resolve().as_uri()
        where = "<stdin>" if stdin else str(path)
        starts: list[tuple[str, int, int]] = []  # top-level subjects: iri, line, offset
        offset = 0
        for number, line in enumerate(text.splitlines(keepends=True), start=1):
            at, offset = offset, offset + len(line)
            line = line.rstrip("\r\n")
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
            if not match.group(1):
                starts.append((iri, number, at))
        for i, (iri, number, at) in enumerate(starts):
            end = starts[i + 1][2] if i + 1 < len(starts) else len(text)
            self._blocks.setdefault(iri, []).append((file_number, number, at, end))
