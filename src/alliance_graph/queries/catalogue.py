"""The catalogue of saved queries: documented ``.rq`` files and their ``#+`` headers.

A saved query is a SPARQL file whose ``#+`` header is YAML read by grlc too: grlc's
decorators (``summary``, ``description``, ``tags``, ``defaults``, ``enumerate``) plus
``params`` (types and descriptions) and ``example``, which grlc ignores. Parameter
variables follow grlc's naming (``?_date_xsd_date``, ``?_holder_iri``; ``?__plan_iri``
for one that may be left out or has a default, which the SPARQL then applies), so grlc
serves the folder unchanged as a web API (docs/queries.md; tests/test_grlc.py).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from .. import resources
from ..errors import DataFileError, ParameterError, UnknownQueryError, UsageError
from ..names import LIST_HINT, curie
from ..namespaces import PREFIXES
from .params import PARAM_TYPES, Parameter, bound_text
from .text import bind_marks, opens_group, query_form, tokenize, where_offset

_NAME_RE = re.compile(r"^[A-Za-z][A-Za-z0-9]*$")
# The line grlc looks for before it adds its own xsd: prefix (gquery.rewrite_query).
GRLC_XSD_PREFIX = "PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>"
# (GROUP_CONCAT(... ; separator="x") AS ?v), one level of parentheses inside
_LIST_RE = re.compile(
    r'GROUP_CONCAT\s*\((?:[^()]|\([^()]*\))*?;\s*separator\s*=\s*"((?:[^"\\]|\\.)*)"\s*\)'
    r"\s*AS\s*\?(\w+)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class SavedQuery:
    """A saved query: its documentation, parameters and SPARQL text."""

    name: str
    summary: str
    description: str
    parameters: tuple[Parameter, ...]
    tags: tuple[str, ...]
    example: Mapping[str, Any]
    text: str  # the SPARQL, without the #+ header
    path: Path
    form: str = "SELECT"
    # list columns (GROUP_CONCAT ... AS ?v) and their separators: sorted in every answer
    lists: Mapping[str, str] = field(default_factory=dict)
    _where: int = field(default=0, repr=False)
    # offsets of the inner groups marked #@bind, where the VALUES row goes too
    _marks: tuple[int, ...] = field(default=(), repr=False)
    # pairs of date parameters (first, last) that make a period: last may not end first
    periods: tuple[tuple[str, str], ...] = ()

    @property
    def title(self) -> str:
        return self.summary

    def parameter(self, name: str) -> Parameter:
        for p in self.parameters:
            if p.name == name:
                return p
        raise ParameterError(
            f"query {self.name!r} has no parameter {name!r}; "
            + (
                "it takes " + ", ".join(f"{p.name} ({p.type})" for p in self.parameters)
                if self.parameters
                else "it takes none"
            )
        )

    def bind(self, params: Mapping[str, Any] | None = None, *, names=None) -> str:
        """The query text with ``params`` (and defaults) bound in a VALUES row; IRI
        parameters resolve through ``names`` (:class:`alliance_graph.names.Names`) when
        given, so that any label or local name of the data may be used."""
        params = dict(params or {})
        for name in params:
            self.parameter(name)  # unknown names fail here
        bindings = {}
        for p in self.parameters:
            value = params.get(p.name, p.default)
            if value is None:
                if p.required:
                    raise ParameterError(
                        f"query {self.name!r} needs parameter {p.name!r}: {p.expects} "
                        f"(-p {p.name}=...)"
                    )
                continue
            try:
                bindings.update(p.bindings(value, names))
            except ParameterError:
                if p.name in params:
                    raise
                # A default the user never wrote (res:Alliance, say) that this data
                # lacks: say it is the default, and how to give another value.
                shown = curie(str(p.default)) if p.type == "iri" else _show(p.default)
                raise ParameterError(
                    f"parameter {p.name!r} was not given, and its default, {shown}, is not "
                    f"one of this data: give one (-p {p.name}=...) {LIST_HINT}"
                ) from None
        for first, last in self.periods:
            self._check_period(first, last, params)
        return bound_text(self.text, bindings, (self._where, *self._marks))

    def _check_period(self, first: str, last: str, params: Mapping[str, Any]) -> None:
        # A reversed period selects nothing in SPARQL; said here, it is a mistake named.
        values = {n: params.get(n, self.parameter(n).default) for n in (first, last)}
        if None in values.values():
            return
        begins = self.parameter(first).span(values[first]).earliest
        ends = self.parameter(last).span(values[last]).latest
        if ends < begins:
            raise ParameterError(
                f"parameter {last!r} ({_show(values[last])}) ends on {ends.isoformat()}, "
                f"before parameter {first!r} ({_show(values[first])}) begins on "
                f"{begins.isoformat()}: the earlier date goes in {first!r}"
            )

    def example_command(self) -> str:
        args = "".join(f" -p {k}={_show(v)}" for k, v in self.example.items())
        return f"alliance-graph query {self.name}{args}"


def _show(value) -> str:
    text = value.isoformat() if isinstance(value, dt.date) else str(value)
    return f"'{text}'" if re.search(r"[\s'\"]", text) else text


def queries_dir() -> Path:
    return resources.resource_dir("queries")


def _header(text: str) -> tuple[str, str]:
    head = "\n".join(ln[2:] for ln in text.splitlines() if ln.startswith("#+"))
    body = "\n".join(ln for ln in text.splitlines() if not ln.startswith("#+"))
    return head, body.strip() + "\n"


def read_rq(path: Path | str) -> tuple[dict, str]:
    """The ``#+`` header of an ``.rq`` file as a mapping, and its SPARQL text.

    Shared by saved queries and rule queries; an unreadable file or a header that is not
    a YAML mapping raises :class:`DataFileError` naming the file (and line).
    """
    import yaml

    from ..files import read_utf8

    path = Path(path)
    raw = read_utf8(path)
    head, body = _header(raw)
    try:
        meta = yaml.load(head, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise DataFileError(
            path, f"the #+ header is not valid YAML: {exc}", mark.line + 1 if mark else None
        ) from None
    if not isinstance(meta, dict):
        raise DataFileError(path, "the #+ header must be a YAML mapping")
    return meta, body


def parse_saved_query(path: Path) -> SavedQuery:
    """Read one ``.rq`` file; a malformed header raises :class:`DataFileError`.

    Parsed once per file state (path, size, modification time): warm runs re-read nothing.
    """
    path = Path(path)
    try:
        st = path.stat()
    except OSError as exc:
        raise DataFileError(path, f"cannot be read: {exc.strerror}") from None
    return _parse(str(path), st.st_size, st.st_mtime_ns)


def is_shipped(query: SavedQuery) -> bool:
    """Whether ``query`` is one of the project's own (checked by its tests, so trusted)."""
    return _shipped_path(query.path)


@lru_cache(maxsize=256)
def _shipped_path(path: Path) -> bool:
    # Once per file: resolving a path reads every folder above it, which costs more
    # than a small query.
    try:
        return path.resolve().parent == queries_dir().resolve()
    except OSError:
        return False


@lru_cache(maxsize=256)
def _parse(name: str, size: int, mtime_ns: int) -> SavedQuery:
    path = Path(name)
    meta, body = read_rq(path)
    for key in ("summary", "description"):
        if not isinstance(meta.get(key), str) or not meta[key].strip():
            raise DataFileError(path, f"the #+ header needs a {key!r}")
    defaults = _decorator(path, meta, "defaults")
    enums = _decorator(path, meta, "enumerate")
    params = []
    for i, spec in enumerate(meta.get("params") or []):
        if not isinstance(spec, dict) or "name" not in spec or "type" not in spec:
            raise DataFileError(path, f"params[{i}] needs a name and a type")
        if spec["type"] not in PARAM_TYPES:
            raise DataFileError(
                path, f"parameter {spec['name']!r}: type must be one of {', '.join(PARAM_TYPES)}"
            )
        if not _NAME_RE.match(str(spec["name"])):
            raise DataFileError(path, f"parameter name {spec['name']!r}: letters and digits only")
        unknown = set(spec) - {
            "name",
            "type",
            "description",
            "default",
            "enum",
            "optional",
            "namespace",
            "kind",
        }
        if unknown:
            raise DataFileError(path, f"parameter {spec['name']!r}: unknown keys {sorted(unknown)}")
        name = spec["name"]
        pairs = (("default", "defaults", defaults), ("enum", "enumerate", enums))
        for key, grlc_key, given in pairs:
            if key in spec and name in given and spec[key] != given[name]:
                raise DataFileError(
                    path,
                    f"parameter {name!r}: {key} {spec[key]!r} differs from "
                    f"{grlc_key} {given[name]!r}",
                )
        enum = enums.get(name, spec.get("enum")) or ()
        if not isinstance(enum, list | tuple):
            raise DataFileError(path, f"enumerate: {name!r} needs a list of values")
        p = Parameter(
            name=name,
            type=spec["type"],
            description=str(spec.get("description", "")).strip(),
            default=defaults.get(name, spec.get("default")),
            enum=tuple(enum),
            optional=bool(spec.get("optional", False)),
            namespace=spec.get("namespace", "res"),
            kind=spec.get("kind"),
        )
        if p.kind is not None and (p.type != "iri" or not _NAME_RE.match(str(p.kind))):
            raise DataFileError(
                path,
                f"parameter {p.name!r}: kind is for iri parameters, a class's local "
                f"name such as Agent (got {p.kind!r})",
            )
        if p.namespace not in PREFIXES:
            raise DataFileError(path, f"parameter {p.name!r}: unknown namespace {p.namespace!r}")
        try:
            for value in ([p.default] if p.default is not None else []) + list(p.enum):
                Parameter(p.name, p.type, namespace=p.namespace).term(value)
        except ParameterError as exc:
            raise DataFileError(path, f"default or enum: {exc}") from None
        if not re.search(rf"\?{re.escape(p.variable)}\b", body):
            raise DataFileError(
                path, f"parameter {p.name!r} is declared but ?{p.variable} is not used in the query"
            )
        params.append(p)
    for key, given in (("defaults", defaults), ("enumerate", enums)):
        unknown = set(given) - {p.name for p in params}
        if unknown:
            raise DataFileError(path, f"{key}: no #+ params entry declares {sorted(unknown)}")
    # grlc types every suffix but _iri as xsd:<suffix> (?_year_integer too) and then adds
    # its declaration of xsd: where the query lacks this exact one.
    xsd_typed = [p.name for p in params if PARAM_TYPES[p.type][1] not in ("", "_iri")]
    if xsd_typed and GRLC_XSD_PREFIX not in body:
        raise DataFileError(
            path,
            f"parameters {', '.join(xsd_typed)} are typed xsd:, so the query needs the exact "
            f"line {GRLC_XSD_PREFIX!r}: without it grlc writes one before every SELECT, "
            "subqueries included",
        )
    declared = {p.variable for p in params}
    # grlc looks for parameter variables in the whole file, its #+ header included.
    in_header = re.search(r"\?__?[A-Za-z0-9]", _header_text(meta))
    if in_header:
        raise DataFileError(
            path,
            f"the #+ header mentions {in_header.group(0)}...: grlc would take it for a "
            "parameter; write the name without '?'",
        )
    for var in set(re.findall(r"\?(__?[A-Za-z0-9]+(?:_[A-Za-z0-9]+)*)", body)) - declared:
        raise DataFileError(
            path, f"?{var} looks like a parameter (grlc naming) but no #+ params entry declares it"
        )
    _check_grlc_safe(path, body, {p.variable for p in params})
    form = query_form(body)
    where = where_offset(body)
    if params and where is None:
        raise DataFileError(path, "a query with parameters needs an explicit 'WHERE {'")
    marks = bind_marks(body)
    for offset, line in marks:
        if where is None or offset < where or not opens_group(body, offset):
            raise DataFileError(
                path,
                "a #@bind mark must follow the '{' that opens a group inside WHERE "
                "(a subquery's WHERE), where the parameters are bound too",
                line=_file_line(path, body, line),
            )
    periods = _periods(path, meta, params)
    example = meta.get("example") or {}
    if not isinstance(example, dict):
        raise DataFileError(path, "example must map parameter names to values")
    tags = meta.get("tags") or []
    if isinstance(tags, str):
        tags = [tags]
    query = SavedQuery(
        name=path.stem,
        summary=meta["summary"].strip(),
        description=" ".join(meta["description"].split()),
        parameters=tuple(params),
        tags=tuple(str(t) for t in tags),
        example=example,
        text=body,
        path=path,
        form=form,
        lists={var: sep for sep, var in _LIST_RE.findall(body)},
        _where=where or 0,
        _marks=tuple(offset for offset, _line in marks),
        periods=periods,
    )
    try:
        query.bind(example)
    except UsageError as exc:
        raise DataFileError(path, f"example: {exc}") from None
    return query


def _periods(path: Path, meta: Mapping, params: list[Parameter]) -> tuple[tuple[str, str], ...]:
    """The ``period`` key: ``[first, last]``, or a list of such pairs, naming date
    parameters whose span must not end before the first begins (grlc ignores the key)."""
    given = meta.get("period")
    if given is None:
        return ()
    pairs = given if given and all(isinstance(g, list) for g in given) else [given]
    dates = {p.name for p in params if p.type == "date"}
    out = []
    for pair in pairs:
        if not (isinstance(pair, list) and len(pair) == 2 and set(map(str, pair)) <= dates):
            raise DataFileError(
                path,
                f"period: {pair!r} must name two date parameters, [first, last] "
                f"(date parameters: {', '.join(sorted(dates)) or 'none'})",
            )
        out.append((str(pair[0]), str(pair[1])))
    return tuple(out)


def _file_line(path: Path, body: str, line: int) -> int:
    """The line of the file that is line ``line`` of ``body`` (the file without its #+
    header lines and the blank lines before the SPARQL)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    kept = [i + 1 for i, ln in enumerate(lines) if not ln.startswith("#+")]
    first = next((k for k, n in enumerate(kept) if lines[n - 1].strip()), 0)
    at = first + line - 1
    return kept[at] if at < len(kept) else line


def _header_text(value) -> str:
    """Every string of a parsed header, joined."""
    if isinstance(value, Mapping):
        return " ".join(_header_text(k) + " " + _header_text(v) for k, v in value.items())
    if isinstance(value, list | tuple):
        return " ".join(_header_text(v) for v in value)
    return value if isinstance(value, str) else ""


def _decorator(path: Path, meta: Mapping, key: str) -> dict:
    """grlc's ``defaults`` or ``enumerate`` decorator as {parameter: value}: a list of
    one-key mappings (grlc's form) or one mapping."""
    given = meta.get(key) or []
    if isinstance(given, Mapping):
        given = [given]
    out: dict = {}
    if not isinstance(given, list):
        raise DataFileError(path, f"{key} must be a list of 'name: value' entries")
    for entry in given:
        if not isinstance(entry, Mapping):
            raise DataFileError(
                path,
                f"{key}: {entry!r} must be 'name: value'"
                + (" (grlc would ask the endpoint for the values)" if key == "enumerate" else ""),
            )
        out.update(entry)
    return out


def _check_grlc_safe(path: Path, body: str, variables: set[str]) -> None:
    """Parameter variables must stay valid when grlc replaces them by their value: never
    inside BOUND() (use COALESCE(?__x, "any")) and never projected bare by SELECT."""
    toks = tokenize(body)
    depth = 0
    in_select = False
    for i, tok in enumerate(toks):
        word = tok.text.upper() if tok.kind == "word" else ""
        if word == "SELECT":
            in_select = True
        elif word == "WHERE" or tok.text == "{":
            in_select = False
        if tok.text == "(":
            depth += 1
        elif tok.text == ")":
            depth -= 1
        if tok.kind != "var" or tok.text[1:] not in variables:
            continue
        before = [t.text.upper() for t in toks[max(0, i - 2) : i]]
        if before == ["BOUND", "("]:
            raise DataFileError(
                path,
                f"{tok.text} inside BOUND(): grlc would put a value "
                "there; bind COALESCE(" + tok.text + ', "any") instead',
            )
        if in_select and depth == 0:
            raise DataFileError(
                path,
                f"{tok.text} is projected by SELECT: grlc would put a "
                "value there; BIND it to another variable instead",
            )


def catalogue(folder: Path | str | None = None) -> list[SavedQuery]:
    """Every saved query of ``folder`` (the shipped ``queries/`` by default), by name."""
    folder = Path(folder) if folder is not None else queries_dir()
    return [parse_saved_query(p) for p in sorted(folder.glob("*.rq"))]


def get(name: str, folder: Path | str | None = None) -> SavedQuery:
    """The saved query called ``name``; :class:`UnknownQueryError` lists the others."""
    folder = Path(folder) if folder is not None else queries_dir()
    path = folder / f"{name}.rq"
    if re.match(r"^[\w.-]+$", name) and path.is_file():
        return parse_saved_query(path)
    names = sorted(p.stem for p in folder.glob("*.rq"))
    import difflib

    close = difflib.get_close_matches(name, names, n=3)
    hint = f" Did you mean {', '.join(close)}?" if close else ""
    raise UnknownQueryError(
        f"no saved query {name!r}.{hint} Saved queries: {', '.join(names)} "
        "(alliance-graph queries lists them)"
    )
