"""The saved SPARQL queries: a catalogue of documented ``.rq`` files, and running them.

A saved query is a SPARQL file in ``queries/`` whose ``#+`` header is YAML in the style
of grlc's decorators (``summary``, ``description``, ``tags``) plus ``params`` and
``example``. Parameter variables follow grlc's naming (``?_date_xsd_date``, ``?_holder_iri``,
``?__plan_iri`` for an optional one), so grlc can serve the folder as a web API too.

Parameters are typed, checked and bound as RDF terms, never spliced into the query:
:meth:`SavedQuery.bind` writes one ``VALUES`` row, built from the N-Triples form of each
term, at the start of the outermost ``WHERE`` group. The bound text is the same whether
it runs in process (pyoxigraph, or rdflib) or on a remote endpoint, so the answers are the
same too. (rdflib's ``initBindings``, its SPARQLStore and oxrdflib each place bindings
differently, which is why none of them is used.)

Every query is read-only and bounded: updates are refused before anything runs; in
process, ``SERVICE`` and ``FROM`` are refused unless ``allow_network`` is set; results
stop at ``limit`` rows (flagged ``truncated``) and queries at ``timeout`` seconds.
"""

from __future__ import annotations

import datetime as dt
import re
import sys
import threading
from collections.abc import Callable, Iterable, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

import pyoxigraph as ox

from . import resources
from .errors import (
    DataFileError,
    NetworkRefusedError,
    ParameterError,
    QueryError,
    QueryTimeoutError,
    ReadOnlyError,
    UnknownQueryError,
    UsageError,
)

# PREFIXES: those a parameter value may use (res:Renault, ag:AnnualSynergies).
from .namespaces import PREFIXES, XSD

if TYPE_CHECKING:
    from rdflib import Graph

DEFAULT_TIMEOUT = 30.0

# ---------------------------------------------------------------------------------------
# Reading SPARQL text: just enough lexing to find keywords outside strings, IRIs and
# comments, and the outermost WHERE group.
# ---------------------------------------------------------------------------------------

_TOKEN_RE = re.compile(
    "|".join(
        [
            r"(?P<ws>\s+)",
            r"(?P<comment>#[^\n\r]*)",
            r'(?P<string>"""(?:[^"\\]|\\.|"(?!""))*"""'
            r"|'''(?:[^'\\]|\\.|'(?!''))*'''"
            r'|"(?:[^"\\\n\r]|\\.)*"'
            r"|'(?:[^'\\\n\r]|\\.)*')",
            r"(?P<iri><[^<>\"{}|^`\\\x00-\x20]*>)",
            r"(?P<var>[?$]\w+)",
            # ASCII starts keep the compile cheap; a keyword glued to a non-ASCII letter
            # is then still seen as a keyword, which only errs towards refusing.
            r"(?P<pname>(?:[A-Za-z][\w.-]*)?:[\w:%.\\-]*)",
            r"(?P<word>[A-Za-z_]\w*)",
            r"(?P<other>.)",
        ]
    ),
    re.S,
)
_UNICODE_ESCAPE_RE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")

UPDATE_KEYWORDS = frozenset("INSERT DELETE LOAD CLEAR DROP CREATE ADD MOVE COPY WITH USING".split())
NETWORK_KEYWORDS = frozenset(["SERVICE", "FROM"])
QUERY_FORMS = ("SELECT", "CONSTRUCT", "ASK", "DESCRIBE")


class Token(NamedTuple):
    kind: str  # ws and comment are dropped; string, iri, var, pname, word or other
    text: str
    start: int
    end: int


@lru_cache(maxsize=256)
def _tokens(text: str) -> tuple[Token, ...]:
    # Cached: a query is checked several times (read-only, form, network, WHERE) per run.
    return tuple(
        Token(m.lastgroup, m.group(), m.start(), m.end())
        for m in _TOKEN_RE.finditer(text)
        if m.lastgroup not in ("ws", "comment")
    )


def tokenize(text: str) -> list[Token]:
    """The tokens of a SPARQL text, without white space and comments."""
    return list(_tokens(text))


def _expand_escapes(text: str) -> str:
    # SPARQL lets \uXXXX stand for any character anywhere, and some engines expand it
    # before parsing: check the text both ways so that no keyword hides behind one.
    def char(m):
        try:
            return chr(int(m.group(1) or m.group(2), 16))
        except (ValueError, OverflowError):
            return m.group()

    return _UNICODE_ESCAPE_RE.sub(char, text)


@lru_cache(maxsize=256)
def _keywords(text: str) -> frozenset[str]:
    words = {t.text.upper() for t in _tokens(text) if t.kind == "word"}
    if "\\u" in text or "\\U" in text:
        words |= {t.text.upper() for t in _tokens(_expand_escapes(text)) if t.kind == "word"}
    return frozenset(words)


def check_read_only(text: str) -> None:
    """Raise :class:`ReadOnlyError` if ``text`` holds any SPARQL Update operation."""
    found = sorted(_keywords(text) & UPDATE_KEYWORDS)
    if found:
        raise ReadOnlyError(
            f"refused: the query contains {', '.join(found)}, a SPARQL Update operation; "
            "the query commands are read-only"
        )


def check_no_network(text: str) -> None:
    """Raise :class:`NetworkRefusedError` if ``text`` would fetch from elsewhere."""
    found = sorted(_keywords(text) & NETWORK_KEYWORDS)
    if found:
        raise NetworkRefusedError(
            f"refused: the query uses {' and '.join(found)}, which would reach other "
            "graphs or services; run it on an endpoint, or pass --allow-network "
            "(allow_network=True) to permit it in process"
        )


def query_form(text: str) -> str:
    """SELECT, CONSTRUCT, ASK or DESCRIBE: the form of a SPARQL query text."""
    for tok in _tokens(text):
        if tok.kind != "word":
            continue
        word = tok.text.upper()
        if word in ("BASE", "PREFIX"):
            continue
        if word in QUERY_FORMS:
            return word
        break
    raise QueryError("not a SPARQL query: expected SELECT, CONSTRUCT, ASK or DESCRIBE")


def where_offset(text: str) -> int | None:
    """Offset just after the ``{`` that opens the outermost WHERE group, or None."""
    depth = 0
    toks = _tokens(text)
    for i, tok in enumerate(toks):
        if tok.kind == "other" and tok.text == "{":
            depth += 1
        elif tok.kind == "other" and tok.text == "}":
            depth -= 1
        elif depth == 0 and tok.kind == "word" and tok.text.upper() == "WHERE":
            nxt = toks[i + 1] if i + 1 < len(toks) else None
            if nxt is not None and nxt.text == "{":
                return nxt.end
            return None
    return None


# ---------------------------------------------------------------------------------------
# Parameters: typed, checked, bound as RDF terms
# ---------------------------------------------------------------------------------------

# type -> (what a value looks like, grlc's variable suffix)
PARAM_TYPES = {
    "date": ("a date YYYY-MM-DD", "_xsd_date"),
    "iri": ("an IRI, a prefixed name (res:Renault) or a local name (Renault)", "_iri"),
    "string": ("text", ""),
    "integer": ("a whole number", "_integer"),
    "decimal": ("a decimal number", "_xsd_decimal"),
    "boolean": ("true or false", "_xsd_boolean"),
}
_NAME_RE = re.compile(r"^[A-Za-z][A-Za-z0-9]*$")
_LOCAL_RE = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.-]*$")
_CURIE_RE = re.compile(r"^([A-Za-z][\w-]*):(.*)$")
_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_INT_RE = re.compile(r"^[+-]?\d+$")
_DEC_RE = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")


@dataclass(frozen=True)
class Parameter:
    """One parameter of a saved query."""

    name: str
    type: str
    description: str = ""
    default: Any = None
    enum: tuple = ()
    optional: bool = False  # may be left out, and then matches anything
    namespace: str = "res"  # for iri parameters: where a bare local name points

    @property
    def required(self) -> bool:
        return self.default is None and not self.optional

    @property
    def variable(self) -> str:
        """The query variable (grlc naming: ``_`` always bound, ``__`` maybe unbound)."""
        lead = "__" if self.optional else "_"
        return f"{lead}{self.name}{PARAM_TYPES[self.type][1]}"

    @property
    def expects(self) -> str:
        what = PARAM_TYPES[self.type][0]
        if self.enum:
            what += ", one of " + ", ".join(str(v) for v in self.enum)
        return what

    def _fail(self, value, why: str = "") -> ParameterError:
        got = f" (got {value!r}{': ' + why if why else ''})"
        return ParameterError(f"parameter {self.name!r} expects {self.type}: {self.expects}{got}")

    def term(self, value) -> ox.NamedNode | ox.Literal:
        """The RDF term for ``value``; raises :class:`ParameterError` naming the
        parameter and its expected type."""
        t = self.type
        if t == "iri":
            term = self._iri(value)
        elif t == "date":
            if isinstance(value, dt.datetime) or not isinstance(value, dt.date | str):
                raise self._fail(value)
            text = value.isoformat() if isinstance(value, dt.date) else value.strip()
            if not _DATE_RE.match(text):
                raise self._fail(value)
            try:
                dt.date.fromisoformat(text)
            except ValueError as exc:
                raise self._fail(value, str(exc)) from None
            term = ox.Literal(text, datatype=ox.NamedNode(XSD + "date"))
        elif t == "integer":
            if isinstance(value, bool) or not isinstance(value, int | str):
                raise self._fail(value)
            text = str(value).strip()
            if not _INT_RE.match(text):
                raise self._fail(value)
            term = ox.Literal(str(int(text)), datatype=ox.NamedNode(XSD + "integer"))
        elif t == "decimal":
            if isinstance(value, bool) or not isinstance(value, int | float | Decimal | str):
                raise self._fail(value)
            text = str(value).strip()
            if not _DEC_RE.match(text):
                raise self._fail(value)
            try:
                text = format(Decimal(text), "f")
            except InvalidOperation:
                raise self._fail(value) from None
            term = ox.Literal(text, datatype=ox.NamedNode(XSD + "decimal"))
        elif t == "boolean":
            if isinstance(value, bool):
                flag = value
            elif isinstance(value, str) and value.strip().lower() in ("true", "1", "yes"):
                flag = True
            elif isinstance(value, str) and value.strip().lower() in ("false", "0", "no"):
                flag = False
            else:
                raise self._fail(value)
            term = ox.Literal("true" if flag else "false", datatype=ox.NamedNode(XSD + "boolean"))
        else:  # string
            if not isinstance(value, str):
                raise self._fail(value)
            term = ox.Literal(value)
        if self.enum and not any(self._same(term, allowed) for allowed in self.enum):
            raise self._fail(value, "not an allowed value")
        return term

    def _same(self, term, allowed) -> bool:
        try:
            other = Parameter(self.name, self.type, namespace=self.namespace).term(allowed)
        except ParameterError:
            return False
        return other == term

    def _iri(self, value) -> ox.NamedNode:
        if not isinstance(value, str) or not value.strip():
            raise self._fail(value)
        text = value.strip()
        if text.startswith("<") and text.endswith(">"):
            text = text[1:-1]
        else:
            m = _CURIE_RE.match(text)
            if m and m.group(1) in PREFIXES:
                text = PREFIXES[m.group(1)] + m.group(2)
            elif not m:
                if not _LOCAL_RE.match(text):
                    raise self._fail(value, "not an IRI, prefixed name or local name")
                text = PREFIXES[self.namespace] + text
        try:
            return ox.NamedNode(text)
        except ValueError as exc:
            raise self._fail(value, str(exc)) from None


def sparql_term(term) -> str:
    """The SPARQL (N-Triples) form of a pyoxigraph term: quotes, backslashes and line
    breaks escaped, IRIs already validated."""
    return str(term)


def values_block(bindings: Mapping[str, Any]) -> str:
    """One-row ``VALUES`` clause binding variable names to pyoxigraph terms."""
    names = " ".join(f"?{v}" for v in bindings)
    terms = " ".join(sparql_term(t) for t in bindings.values())
    return f"VALUES ({names}) {{ ({terms}) }}"


# ---------------------------------------------------------------------------------------
# The catalogue
# ---------------------------------------------------------------------------------------


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
    _where: int = field(default=0, repr=False)

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

    def bind(self, params: Mapping[str, Any] | None = None) -> str:
        """The query text with ``params`` (and defaults) bound in a VALUES row."""
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
            bindings[p.variable] = p.term(value)
        if not bindings:
            return self.text
        block = "\n  " + values_block(bindings) + "\n"
        return self.text[: self._where] + block + self.text[self._where :]

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

    path = Path(path)
    try:
        raw = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise DataFileError(path, f"cannot be read: {exc.strerror}") from None
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
    """Read one ``.rq`` file; a malformed header raises :class:`DataFileError`."""
    path = Path(path)
    meta, body = read_rq(path)
    for key in ("summary", "description"):
        if not isinstance(meta.get(key), str) or not meta[key].strip():
            raise DataFileError(path, f"the #+ header needs a {key!r}")
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
        }
        if unknown:
            raise DataFileError(path, f"parameter {spec['name']!r}: unknown keys {sorted(unknown)}")
        p = Parameter(
            name=spec["name"],
            type=spec["type"],
            description=str(spec.get("description", "")).strip(),
            default=spec.get("default"),
            enum=tuple(spec.get("enum") or ()),
            optional=bool(spec.get("optional", False)),
            namespace=spec.get("namespace", "res"),
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
    declared = {p.variable for p in params}
    for var in set(re.findall(r"\?(__?[A-Za-z0-9]+(?:_[A-Za-z0-9]+)*)", body)) - declared:
        raise DataFileError(
            path, f"?{var} looks like a parameter (grlc naming) but no #+ params entry declares it"
        )
    _check_grlc_safe(path, body, {p.variable for p in params})
    form = query_form(body)
    where = where_offset(body)
    if params and where is None:
        raise DataFileError(path, "a query with parameters needs an explicit 'WHERE {'")
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
        _where=where or 0,
    )
    try:
        check_read_only(body)
        query.bind(example)
    except UsageError as exc:
        raise DataFileError(path, f"example: {exc}") from None
    return query


def _check_grlc_safe(path: Path, body: str, variables: set[str]) -> None:
    """Parameter variables must stay valid when grlc replaces them by their value: never
    inside BOUND() (use COALESCE(?__x, "any")) and never projected bare by SELECT."""
    toks = _tokens(body)
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


# ---------------------------------------------------------------------------------------
# Results
# ---------------------------------------------------------------------------------------

_INTEGER_TYPES = {
    XSD + t
    for t in (
        "integer long int short byte nonNegativeInteger positiveInteger nonPositiveInteger "
        "negativeInteger unsignedLong unsignedInt unsignedShort unsignedByte"
    ).split()
}
_FLOAT_TYPES = {XSD + "decimal", XSD + "double", XSD + "float"}


def compact(iri: str) -> str:
    """``res:Renault`` for ``https://w3id.org/alliance-graph/resource/Renault``; other
    IRIs unchanged."""
    for prefix, base in PREFIXES.items():
        if iri.startswith(base) and re.match(r"^[\w.-]*$", iri[len(base) :]):
            return f"{prefix}:{iri[len(base) :]}"
    return iri


def to_python(term, *, compact_iris: bool = False) -> Any:
    """A plain Python value for an RDF term: IRIs and strings as str, numbers as int or
    float, booleans as bool, other literals (dates too) as their lexical form.
    ``compact_iris`` writes IRIs with the project's prefixes (for tables)."""
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return compact(term.value) if compact_iris else term.value
    if isinstance(term, ox.BlankNode):
        return "_:" + term.value
    if isinstance(term, ox.Literal):
        lex, dtype = term.value, term.datatype.value
        try:
            if dtype in _INTEGER_TYPES:
                return int(lex)
            if dtype in _FLOAT_TYPES:
                return float(lex)
        except ValueError:
            return lex
        if dtype == XSD + "boolean":
            return lex.strip() in ("true", "1")
        return lex
    return str(term)


def _json_term(term) -> dict | None:
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    out = {"type": "literal", "value": term.value}
    if term.language:
        out["xml:lang"] = term.language
    elif term.datatype.value != XSD + "string":
        out["datatype"] = term.datatype.value
    return out


GRAPH_FORMATS = {
    "turtle": ox.RdfFormat.TURTLE,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "json-ld": ox.RdfFormat.JSON_LD,
    "rdf-xml": ox.RdfFormat.RDF_XML,
}

# The W3C result formats of SELECT and ASK (sparql-json is :meth:`Result.to_sparql_json`).
RESULT_FORMATS = ("sparql-json", "sparql-xml", "sparql-csv", "sparql-tsv")
_SPARQL_RESULTS_NS = "http://www.w3.org/2005/sparql-results#"


@dataclass
class Result:
    """What a query answered, as RDF terms (pyoxigraph) with plain-Python views.

    ``rows`` holds one dict per solution (SELECT), one per triple (CONSTRUCT, DESCRIBE:
    subject, predicate, object) or one ``{"answer": bool}`` (ASK).
    """

    form: str
    variables: list[str] = field(default_factory=list)
    solutions: list[dict] = field(default_factory=list)  # variable -> term, SELECT
    triples: list = field(default_factory=list)  # pyoxigraph Triples, CONSTRUCT/DESCRIBE
    boolean: bool | None = None  # ASK
    truncated: bool = False
    limit: int | None = None

    @property
    def is_graph(self) -> bool:
        return self.form in ("CONSTRUCT", "DESCRIBE")

    @property
    def columns(self) -> list[str]:
        if self.is_graph:
            return ["subject", "predicate", "object"]
        if self.form == "ASK":
            return ["answer"]
        return list(self.variables)

    @property
    def rows(self) -> list[dict]:
        """One dict of plain Python values per result (see :func:`to_python`)."""
        return self.to_rows()

    def to_rows(self, *, compact_iris: bool = False) -> list[dict]:
        """:attr:`rows`, with IRIs shortened to ``res:...`` when ``compact_iris``."""

        def py(term):
            return to_python(term, compact_iris=compact_iris)

        if self.is_graph:
            return [
                {"subject": py(t.subject), "predicate": py(t.predicate), "object": py(t.object)}
                for t in self.triples
            ]
        if self.form == "ASK":
            return [{"answer": self.boolean}]
        return [{v: py(s.get(v)) for v in self.variables} for s in self.solutions]

    def __len__(self) -> int:
        return len(self.triples) if self.is_graph else len(self.solutions)

    def to_sparql_json(self) -> dict:
        """The W3C SPARQL 1.1 Query Results JSON form (SELECT and ASK)."""
        if self.form == "ASK":
            return {"head": {}, "boolean": bool(self.boolean)}
        if self.is_graph:
            raise UsageError(
                "sparql-json holds SELECT and ASK results; "
                "use turtle, ntriples or json-ld for a graph"
            )
        bindings = [
            {v: _json_term(t) for v, t in s.items() if t is not None} for s in self.solutions
        ]
        return {"head": {"vars": list(self.variables)}, "results": {"bindings": bindings}}

    def _rows_only(self, fmt: str) -> None:
        if self.is_graph:
            raise UsageError(
                f"{fmt} holds SELECT and ASK results; use turtle, ntriples, json-ld or "
                "rdf-xml for a graph"
            )

    def to_sparql_xml(self) -> str:
        """The W3C SPARQL Query Results XML form (SELECT and ASK)."""
        from xml.sax.saxutils import escape, quoteattr

        self._rows_only("sparql-xml")
        out = ['<?xml version="1.0"?>', f'<sparql xmlns="{_SPARQL_RESULTS_NS}">', "<head>"]
        if self.form == "ASK":
            out += ["</head>", f"<boolean>{'true' if self.boolean else 'false'}</boolean>"]
            return "\n".join(out + ["</sparql>"]) + "\n"
        out += [f"<variable name={quoteattr(v)}/>" for v in self.variables]
        out += ["</head>", "<results>"]
        for s in self.solutions:
            out.append("<result>")
            for v, t in s.items():
                if t is None:
                    continue
                if isinstance(t, ox.NamedNode):
                    value = f"<uri>{escape(t.value)}</uri>"
                elif isinstance(t, ox.BlankNode):
                    value = f"<bnode>{escape(t.value)}</bnode>"
                elif t.language:
                    value = f"<literal xml:lang={quoteattr(t.language)}>{escape(t.value)}</literal>"
                elif t.datatype.value != XSD + "string":
                    value = (
                        f"<literal datatype={quoteattr(t.datatype.value)}>"
                        f"{escape(t.value)}</literal>"
                    )
                else:
                    value = f"<literal>{escape(t.value)}</literal>"
                out.append(f"<binding name={quoteattr(v)}>{value}</binding>")
            out.append("</result>")
        return "\n".join(out + ["</results>", "</sparql>"]) + "\n"

    def to_sparql_csv(self) -> str:
        """The W3C SPARQL 1.1 Query Results CSV form: values as plain strings."""
        import csv
        import io

        self._rows_only("sparql-csv")
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\r\n")
        if self.form == "ASK":
            writer.writerow(["_askResult"])
            writer.writerow(["true" if self.boolean else "false"])
            return buf.getvalue()
        writer.writerow(self.variables)
        for s in self.solutions:
            row = []
            for v in self.variables:
                t = s.get(v)
                row.append("" if t is None else ("_:" + t.value if isinstance(t, ox.BlankNode)
                                                  else t.value))  # fmt: skip
            writer.writerow(row)
        return buf.getvalue()

    def to_sparql_tsv(self) -> str:
        """The W3C SPARQL 1.1 Query Results TSV form: values as RDF terms."""
        self._rows_only("sparql-tsv")
        if self.form == "ASK":
            return "?_askResult\n" + ("true" if self.boolean else "false") + "\n"
        lines = ["\t".join(f"?{v}" for v in self.variables)]
        for s in self.solutions:
            lines.append(
                "\t".join("" if s.get(v) is None else str(s[v]) for v in self.variables)
            )
        return "\n".join(lines) + "\n"

    def serialize(self, fmt: str = "turtle") -> str:
        """A CONSTRUCT or DESCRIBE result as Turtle, N-Triples, JSON-LD or RDF/XML."""
        if not self.is_graph:
            raise UsageError(
                f"{fmt} output needs a CONSTRUCT or DESCRIBE query; this is a {self.form}"
            )
        if fmt not in GRAPH_FORMATS:
            raise UsageError(f"unknown graph format {fmt!r}; choose {', '.join(GRAPH_FORMATS)}")
        prefixes = PREFIXES if fmt == "turtle" else None
        data = ox.serialize(self.triples, format=GRAPH_FORMATS[fmt], prefixes=prefixes)
        return data.decode("utf-8")


# ---------------------------------------------------------------------------------------
# Running
# ---------------------------------------------------------------------------------------


def run(
    query: str | SavedQuery,
    params: Mapping[str, Any] | None = None,
    *,
    folder: Path | str | None = None,
    **options,
) -> Result:
    """Run the saved query ``query`` (a name or a :class:`SavedQuery`) with ``params``.

    Options are those of :func:`sparql`: ``data``, ``store``, ``graph``, ``endpoint``,
    ``engine``, ``limit``, ``timeout``, ``allow_network``, ``default_graph``, ``auth``.
    """
    saved = query if isinstance(query, SavedQuery) else get(query, folder)
    return sparql(saved.bind(params), **options)


def sparql(
    text: str,
    *,
    data: Iterable[Path | str] | None = None,
    store: ox.Store | None = None,
    graph: Graph | None = None,
    endpoint: str | None = None,
    engine: str = "oxigraph",
    limit: int | None = None,
    timeout: float | None = DEFAULT_TIMEOUT,
    allow_network: bool = False,
    default_graph: str | None = None,
    auth: tuple[str, str] | None = None,
) -> Result:
    """Run a read-only SPARQL query and return its :class:`Result`.

    Where: on ``endpoint`` (a SPARQL 1.1 query URL) when given; else in process on
    ``store`` (pyoxigraph) or ``graph`` (rdflib) when given; else on the ontology plus
    ``data`` files (the shipped data when None), loaded into ``engine`` ("oxigraph", the
    default, or "rdflib"). ``limit`` caps the rows (None: no cap); ``timeout`` the seconds.
    """
    check_read_only(text)
    form = query_form(text)
    if limit is not None and limit < 0:
        raise UsageError(f"limit must be 0 or more, not {limit}")
    if timeout is not None and timeout <= 0:
        raise UsageError(f"timeout must be more than 0 seconds, not {timeout}")
    if endpoint:
        from . import endpoint as remote

        return remote.query(
            endpoint,
            text,
            form=form,
            limit=limit,
            timeout=timeout,
            default_graph=default_graph,
            auth=auth,
        )
    if not allow_network:
        check_no_network(text)
    if engine not in ("oxigraph", "rdflib"):
        raise UsageError(f"unknown engine {engine!r}; choose oxigraph or rdflib")
    if graph is not None or (engine == "rdflib" and store is None):
        if graph is None:
            # rdflib's JSON-LD parser fetches remote contexts: load under the same guard.
            with _network_guard(not allow_network):
                graph = _cached_graph(_data_key(data))
        return _run_rdflib(graph, text, form, limit, timeout, allow_network)
    if store is None:
        store = _cached_store(_data_key(data))
    return _run_oxigraph(store, text, form, limit, timeout)


def _data_key(data) -> tuple:
    """Files and their state: the cache key of a loaded store."""
    from . import resources as res

    paths = list(res.ontology_files())
    paths += [Path(p) for p in data] if data is not None else res.data_files()
    key = []
    for p in paths:
        try:
            st = p.stat()
            key.append((str(p.resolve()), st.st_mtime_ns, st.st_size))
        except OSError:
            key.append((str(p), None, None))  # open_store names the missing file
    return tuple(key)


@lru_cache(maxsize=4)
def _cached_store(key: tuple) -> ox.Store:
    # Queries are read-only, so one loaded store serves every query on the same files.
    from .store import open_store

    n_ontology = len(resources.ontology_files())
    return open_store([k[0] for k in key[n_ontology:]])


@lru_cache(maxsize=2)
def _cached_graph(key: tuple) -> Graph:
    from .graph import load

    n_ontology = len(resources.ontology_files())
    return load([k[0] for k in key[n_ontology:]])


def _deadline(work: Callable[[threading.Event], Any], timeout: float | None, what: str):
    """Run ``work(stop)`` in a worker thread and wait at most ``timeout`` seconds.

    pyoxigraph releases the GIL while it evaluates and has no cancellation of its own:
    on timeout the worker is told to stop at its next solution and is left to finish
    in the background (a daemon thread, so a command still exits at once).
    """
    box: dict = {}
    stop = threading.Event()

    def target():
        try:
            box["value"] = work(stop)
        except BaseException as exc:  # handed to the caller's thread
            # Without its traceback: the worker's frames hold pyoxigraph objects, which
            # must be dropped on the thread that made them.
            exc.__traceback__ = exc.__context__ = exc.__cause__ = None
            box["error"] = exc

    worker = threading.Thread(target=target, name="alliance-graph-query", daemon=True)
    worker.start()
    worker.join(timeout)
    if worker.is_alive():
        stop.set()
        raise QueryTimeoutError(f"{what} did not finish within {timeout:g} s (--timeout)")
    if "error" in box:
        raise box["error"]
    return box["value"]


def _take(items: Iterable, limit: int | None, stop: threading.Event, convert=None):
    out = []
    truncated = False
    for item in items:
        if stop.is_set():
            break
        if limit is not None and len(out) >= limit:
            truncated = True
            break
        out.append(convert(item) if convert else item)
    return out, truncated


def _unique(items: Iterable) -> Iterable:
    seen = set()
    for item in items:
        if item not in seen:
            seen.add(item)
            yield item


def _run_oxigraph(store: ox.Store, text: str, form: str, limit, timeout) -> Result:
    def work(stop):
        try:
            return evaluate(stop)
        except SyntaxError as exc:
            raise QueryError(f"not valid SPARQL: {exc}") from None
        except (OSError, RuntimeError, ValueError) as exc:  # e.g. a SERVICE that fails
            raise QueryError(f"the query failed: {exc}") from None

    def evaluate(stop):
        answer = store.query(text)
        if form == "ASK":
            return Result(form, boolean=bool(answer))
        if form in ("CONSTRUCT", "DESCRIBE"):
            # A graph is a set: pyoxigraph may yield a triple more than once.
            triples, cut = _take(_unique(answer), limit, stop)
            return Result(form, triples=triples, truncated=cut, limit=limit)
        variables = [v.value for v in answer.variables]

        def solution(s):
            return {v: s[v] for v in variables}

        solutions, cut = _take(answer, limit, stop, solution)
        return Result(form, variables, solutions, truncated=cut, limit=limit)

    return _deadline(work, timeout, "the query")


# In-process rdflib: block network access from the worker thread through an audit hook
# (rdflib's documented way), and keep FROM from loading graphs (SPARQL_LOAD_GRAPHS).
_guard = threading.local()
_hook_lock = threading.Lock()
_hook_installed = False


def _audit(event: str, args) -> None:
    if getattr(_guard, "active", False) and event in ("urllib.Request", "socket.connect"):
        raise NetworkRefusedError(
            f"refused: the query tried to reach the network ({event}); "
            "pass --allow-network to permit it"
        )


def _install_hook() -> None:
    global _hook_installed
    with _hook_lock:
        if not _hook_installed:
            sys.addaudithook(_audit)
            _hook_installed = True


@contextmanager
def _network_guard(active: bool):
    """Refuse network access from this thread while active (see :func:`_audit`)."""
    if not active:
        yield
        return
    _install_hook()
    before = getattr(_guard, "active", False)
    _guard.active = True
    try:
        yield
    finally:
        _guard.active = before


def _from_rdflib(term):
    from rdflib import BNode, Literal, URIRef

    if term is None:
        return None
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise QueryError(f"unsupported RDF term {term!r}")


_ESCAPE_EVEN_RE = re.compile(r"(?<!\\)((?:\\\\)*)\\(?:u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8}))")


def _rdflib_prepared(text: str):
    """The query parsed for rdflib with \\u escapes expanded as Java and Jena read them:
    only where the backslash is not itself escaped. (rdflib's own parseQuery expands every
    \\u, so a value holding the text \\u0022 would come back as a quote.)"""
    from rdflib.plugins.sparql.algebra import translateQuery
    from rdflib.plugins.sparql.parser import Query

    def expand(m):
        try:
            return m.group(1) + chr(int(m.group(2) or m.group(3), 16))
        except (ValueError, OverflowError):
            raise QueryError(f"invalid escape {m.group()!r}") from None

    return translateQuery(Query.parse_string(_ESCAPE_EVEN_RE.sub(expand, text), parse_all=True))


def _run_rdflib(graph: Graph, text, form, limit, timeout, allow_network) -> Result:
    import rdflib.plugins.sparql as rdflib_sparql

    def work(stop):
        saved = rdflib_sparql.SPARQL_LOAD_GRAPHS
        if not allow_network:
            rdflib_sparql.SPARQL_LOAD_GRAPHS = False
        try:
            with _network_guard(not allow_network):
                return evaluate(stop)
        finally:
            rdflib_sparql.SPARQL_LOAD_GRAPHS = saved

    def evaluate(stop):
        try:
            answer = graph.query(_rdflib_prepared(text))
        except NetworkRefusedError:
            raise
        except Exception as exc:  # rdflib's parser raises pyparsing exceptions
            raise QueryError(f"not valid SPARQL: {exc}") from None
        if form == "ASK":
            return Result(form, boolean=bool(answer.askAnswer))
        if form in ("CONSTRUCT", "DESCRIBE"):

            def triple(t):
                return ox.Triple(*(_from_rdflib(x) for x in t))

            triples, cut = _take(answer.graph, limit, stop, triple)
            return Result(form, triples=triples, truncated=cut, limit=limit)
        variables = [str(v) for v in answer.vars]

        def solution(row):
            d = row.asdict()
            return {v: _from_rdflib(d.get(v)) for v in variables}

        solutions, cut = _take(answer, limit, stop, solution)
        return Result(form, variables, solutions, truncated=cut, limit=limit)

    return _deadline(work, timeout, "the query")


__all__ = [
    "DEFAULT_TIMEOUT",
    "Parameter",
    "RESULT_FORMATS",
    "Result",
    "SavedQuery",
    "catalogue",
    "check_no_network",
    "check_read_only",
    "get",
    "run",
    "sparql",
    "to_python",
]
