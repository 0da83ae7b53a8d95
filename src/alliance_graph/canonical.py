"""Canonical Turtle: one layout for a graph, so that diffs are small and reviews easy.

A Turtle file here is a sequence of comment blocks (headings of sections) and statements
(one subject each). Formatting keeps that sequence, the comments and the grouping the
author chose, and rewrites each statement from the triples pyoxigraph parses out of it:

- the prefixes, sorted by name and aligned, after the file's opening comment;
- per statement: the subject and its types (``a``) on the first line (a full ``<IRI>``
  subject stands alone on it), then one predicate per line, indented by four spaces, in
  the fixed order of :data:`PREDICATE_ORDER` (others after them by IRI, and ``ag:note``,
  ``ag:description`` and ``ag:citation`` last), objects sorted and joined by `` , ``;
- blank nodes used once written inline on one line (``[ a ag:Citation ; ag:source ... ]``),
  several of them one per line under the first; RDF lists as ``( ... )``; a labelled
  blank node (``_:b``) that more than one statement names keeps its label;
- literals with their exact text (numbers stay bare when Turtle allows it);
- one blank line where the source had one or more, none where it had none;
- a comment inside a statement moves to the line above it.

Before anything is written, the formatted text is parsed again and compared with the
original (the same triples up to blank-node names, decided by RDFC-1.0 canonicalisation
in pyoxigraph): a file whose graph would change is
refused, never rewritten. Files are written atomically.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path

from .errors import AllianceGraphError, DataFileError

# Relative IRIs are read against this base and written back relative, so that the text
# does not depend on where the file lies.
BASE = "http://alliance-graph.invalid/base/"

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
OWL = "http://www.w3.org/2002/07/owl#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
DCT = "http://purl.org/dc/terms/"
XSD = "http://www.w3.org/2001/XMLSchema#"
AG = "https://w3id.org/alliance-graph/ontology#"

# Predicates in the order they are written: what a thing is and is called, how the
# ontology defines it, what a fact links, when it holds, where it comes from; then any
# other predicate by IRI, then TAIL.
PREDICATE_ORDER = [
    RDF + "type",
    RDFS + "subClassOf",
    RDFS + "subPropertyOf",
    OWL + "inverseOf",
    OWL + "equivalentClass",
    OWL + "equivalentProperty",
    OWL + "disjointWith",
    RDFS + "label",
    SKOS + "prefLabel",
    SKOS + "altLabel",
    DCT + "title",
    DCT + "description",
    DCT + "license",
    OWL + "versionInfo",
    SKOS + "definition",
    RDFS + "comment",
    RDFS + "domain",
    RDFS + "range",
    SKOS + "exactMatch",
    SKOS + "closeMatch",
    SKOS + "broadMatch",
    SKOS + "narrowMatch",
    SKOS + "relatedMatch",
    RDFS + "seeAlso",
] + [
    AG + name
    for name in (
        # what a fact links
        "holder held heldThrough percent votingPercent votingCap interest approximate "
        "qualitativeAmount member organisation membershipKind person role agreement "
        "onBehalfOf name committedParty beneficiary commitmentKind company place "
        "presenceKind party participant subject partOf amount plan announcedBy presentedBy "
        "metric value minValue maxValue baselineValue unit qualifier moduleOf builtOn "
        "replaces segment marque developedBy providedBy component vehicle sharedPartsPercent "
        "country within parentOrganisation servesMember unitCount "
        # when it holds
        "date dateEarliest dateLatest start startEarliest startLatest end endStatus "
        "endEarliest endLatest deadline deadlineEarliest deadlineLatest "
        # sources, citations and ranks
        "source locator reportedOn publisher published url rank rankReason competesWith"
    ).split()
]
TAIL = [AG + "note", AG + "description", SKOS + "editorialNote", AG + "citation"]
_RANK = {p: i for i, p in enumerate(PREDICATE_ORDER)}
_TAIL_RANK = {p: i for i, p in enumerate(TAIL)}

INDENT = "    "


class FormatError(AllianceGraphError):
    """A file cannot be formatted without changing its graph."""


@dataclass
class _Item:
    kind: str  # "comment" or "statement"
    lines: list[str] = field(default_factory=list)  # comment lines, as written
    text: str = ""  # a statement's Turtle, comments removed
    gap: bool = False  # a blank line before it in the source
    line: int = 0


@dataclass
class _Parsed:
    header: list[str]
    prefixes: dict[str, str]  # prefix -> namespace, in order of declaration
    base: str | None
    items: list[_Item]


_DIRECTIVE = re.compile(
    r"^\s*(?:@prefix\s+(?P<p1>[A-Za-z][\w.-]*)?:\s*<(?P<n1>[^>]*)>\s*\.\s*"
    r"|PREFIX\s+(?P<p2>[A-Za-z][\w.-]*)?:\s*<(?P<n2>[^>]*)>\s*"
    r"|@base\s+<(?P<b1>[^>]*)>\s*\.\s*|BASE\s+<(?P<b2>[^>]*)>\s*)(?:#.*)?$",
    re.I,
)


def _split(text: str, path: Path) -> _Parsed:
    """The file as its opening comment, its prefixes and a sequence of comment blocks
    and statements."""
    items: list[_Item] = []
    prefixes: dict[str, str] = {}
    base = None
    i, n, line = 0, len(text), 1
    gap = False
    while i < n:
        end = text.find("\n", i)
        end = n if end == -1 else end
        current = text[i:end]
        stripped = current.strip()
        if not stripped:
            gap = True
            i, line = end + 1, line + 1
            continue
        if stripped.startswith("#"):
            last = items[-1] if items else None
            if last is not None and last.kind == "comment" and not gap:
                last.lines.append(current.rstrip())
            else:
                items.append(_Item("comment", [current.rstrip()], gap=gap, line=line))
            gap = False
            i, line = end + 1, line + 1
            continue
        directive = _DIRECTIVE.match(current)
        if directive:
            name = directive.group("p1") or directive.group("p2")
            namespace = directive.group("n1") if directive.group("n1") is not None else None
            if namespace is None:
                namespace = directive.group("n2")
            if namespace is not None:
                prefixes[name or ""] = namespace
            else:
                base = directive.group("b1") or directive.group("b2")
            i, line = end + 1, line + 1
            continue
        stop, body, comments = _statement(text, i, path, line)
        for comment in comments:  # a comment inside a statement goes above it
            items.append(_Item("comment", [comment], gap=gap, line=line))
            gap = False
        items.append(_Item("statement", text=body, gap=gap, line=line))
        gap = False
        line += text.count("\n", i, stop)
        i = stop
        # after the full stop: the end of the line, a comment, or another statement
        while i < n and text[i] in " \t":
            i += 1
        if i < n and text[i] == "#":
            end = text.find("\n", i)
            end = n if end == -1 else end
            statement = items[-1]
            items.insert(-1, _Item("comment", [text[i:end].rstrip()], gap=statement.gap, line=line))
            statement.gap = False
            i = end
        if i < n and text[i] == "\n":
            i, line = i + 1, line + 1
    header: list[str] = []
    if items and items[0].kind == "comment":
        header = items.pop(0).lines
    return _Parsed(header, prefixes, base, items)


def _statement(text: str, i: int, path: Path, line: int) -> tuple[int, str, list[str]]:
    """From ``i``, the end of the statement (after its full stop), its text without
    comments, and the comments found inside it."""
    n = len(text)
    k = i
    depth = 0
    out: list[str] = []
    comments: list[str] = []
    start = i
    while k < n:
        c = text[k]
        if c in "\"'":
            quote = c * 3 if text.startswith(c * 3, k) else c
            k += len(quote)
            while k < n and not text.startswith(quote, k):
                if text[k] == "\\":
                    k += 1
                elif len(quote) == 1 and text[k] == "\n":
                    # the line the string is on, not the one its statement starts on
                    where = line + text.count("\n", i, k)
                    raise DataFileError(path, "a string is not closed on its line", where)
                k += 1
            if k >= n:
                raise DataFileError(path, "a string is not closed", line)
            k += len(quote)
            continue
        if c == "\\":  # an escaped character of a local name (ex:a\#b): not a comment
            k += 2
            continue
        if c == "<":
            close = text.find(">", k)
            if close == -1:
                raise DataFileError(path, "an IRI is not closed", line)
            k = close + 1
            continue
        if c == "#":
            close = text.find("\n", k)
            close = n if close == -1 else close
            out.append(text[start:k])
            comments.append(text[k:close].strip())
            start = k = close
            continue
        if c in "[(":
            depth += 1
        elif c in "])":
            depth -= 1
        elif c == "." and depth == 0 and (k + 1 >= n or text[k + 1] in " \t\r\n#"):
            out.append(text[start : k + 1])
            return k + 1, "".join(out), comments
        k += 1
    raise DataFileError(path, "a statement does not end with a full stop", line)


# --- writing --------------------------------------------------------------------------


# A blank node's label as written (_:b); one inside a string only keeps a node of that
# label from being inlined, and parsed blank nodes of ``[]`` have random labels.
_PARSER_PLACE = re.compile(
    r"(?:Parser error )?(?:at|between) line \d+ column \d+(?: and line \d+ column \d+)?: ?"
)
_BLANK_LABEL = re.compile(r"_:([A-Za-z0-9_](?:[\w.-]*[\w-])?)")

# A language tag as written after a string (the parsers give it lower-cased).
_LANGUAGE_TAG = re.compile(r"[\"']@([A-Za-z]+(?:-[A-Za-z0-9]+)*)")


class _Writer:
    tags: dict[str, str] = {}  # lower-cased tag -> the tag as the statement writes it

    def __init__(self, prefixes: dict[str, str]):
        # Longest namespace first, so that the most specific prefix wins.
        self.prefixes = sorted(prefixes.items(), key=lambda kv: (-len(kv[1]), kv[0]))

    def iri(self, iri: str) -> str:
        for prefix, namespace in self.prefixes:
            if iri.startswith(namespace) and namespace:
                local = iri[len(namespace) :]
                if re.fullmatch(r"(?:[A-Za-z0-9_](?:[\w.-]*[\w-])?)?", local):
                    return f"{prefix}:{local}"
        if iri.startswith(BASE):
            return f"<{iri[len(BASE) :]}>"
        return f"<{iri}>"

    def literal(self, lit) -> str:
        # a pyoxigraph literal: its text exactly as written, its datatype always given
        text = lit.value
        datatype = lit.datatype.value
        if datatype == XSD + "integer" and re.fullmatch(r"[+-]?\d+", text):
            return text
        if datatype == XSD + "decimal" and re.fullmatch(r"[+-]?\d*\.\d+", text):
            return text
        if datatype == XSD + "double" and re.fullmatch(
            r"[+-]?(\d+\.\d*|\.\d+|\d+)[eE][+-]?\d+", text
        ):
            return text
        if datatype == XSD + "boolean" and text in ("true", "false"):
            return text
        quoted = _quote(text)
        if lit.language:
            return f"{quoted}@{self.tags.get(lit.language.lower(), lit.language)}"
        if datatype and datatype != XSD + "string":
            return f"{quoted}^^{self.iri(datatype)}"
        return quoted


# Characters a reader cannot see (controls, zero-width and direction marks, the byte-order
# mark, line and paragraph separators): written as \u escapes, as they may have been
# given, so that the file shows them and git does not take a NUL for a binary file.
_UNSEEN = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u00ad\u200b-\u200f\u2028-\u202e\u2060-\u2064\ufeff]"
)


def _unseen(body: str) -> str:
    return _UNSEEN.sub(lambda m: f"\\u{ord(m.group()):04X}", body)


def _quote(text: str) -> str:
    if "\n" in text:
        body = text.replace("\\", "\\\\").replace('"""', '\\"\\"\\"').replace("\r", "\\r")
        if body.endswith('"'):
            body = body[:-1] + '\\"'
        return f'"""{_unseen(body)}"""'
    body = text.replace("\\", "\\\\").replace('"', '\\"').replace("\r", "\\r").replace("\t", "\\t")
    return f'"{_unseen(body)}"'


def _predicate_key(iri: str) -> tuple:
    if iri in _TAIL_RANK:
        return (2, _TAIL_RANK[iri], iri)
    if iri in _RANK:
        return (0, _RANK[iri], iri)
    return (1, 0, iri)


class StatementWriter:
    """Writes the triples of one statement (pyoxigraph triples, as :func:`_triples`
    parses them; a triple given twice counts once)."""

    def __init__(self, triples, writer: _Writer, shared: frozenset = frozenset()):
        import pyoxigraph as ox

        self._blank, self._literal = ox.BlankNode, ox.Literal
        self._list = tuple(ox.NamedNode(RDF + name) for name in ("first", "rest", "nil"))
        self.by_subject: dict = {}
        for t in dict.fromkeys(triples):
            self.by_subject.setdefault(t.subject, []).append((t.predicate, t.object))
        self.w = writer
        used: dict = {}
        for pairs in self.by_subject.values():
            for _, o in pairs:
                if isinstance(o, self._blank):
                    used[o] = used.get(o, 0) + 1
        # A labelled blank node that other statements of the file name too keeps its label:
        # written inline here it would become another node than theirs.
        self.shared = shared
        self.inline = {b for b, count in used.items() if count == 1 and b.value not in shared}

    def text(self) -> str:
        subjects = [s for s in self.by_subject if s not in self.inline]
        blocks = [
            self.subject(s)
            for s in sorted(subjects, key=lambda s: (isinstance(s, self._blank), self.term(s)))
        ]
        return "\n".join(blocks)

    def term(self, term) -> str:
        if isinstance(term, self._literal):
            return self.w.literal(term)
        if isinstance(term, self._blank):
            if term in self.inline:
                listed = self.collection(term)
                if listed is not None:
                    return "( " + " ".join(listed) + " )" if listed else "()"
                inner = self.pairs(term)
                return "[ " + " ; ".join(inner) + " ]" if inner else "[]"
            return f"_:{term.value}"
        return self.w.iri(term.value)

    def collection(self, node) -> list[str] | None:
        """The members of an RDF list starting at ``node``, or None if it is not one."""
        first, rest, nil = self._list
        members = []
        seen = set()
        while node != nil:
            if not isinstance(node, self._blank) or node in seen:
                return None
            seen.add(node)
            props = self.by_subject.get(node, [])
            values = [o for p, o in props if p == first]
            nexts = [o for p, o in props if p == rest]
            if len(props) != 2 or len(values) != 1 or len(nexts) != 1:
                return None
            if members and node not in self.inline:  # a list node used more than once
                return None
            members.append(self.term(values[0]))
            node = nexts[0]
        return members

    def grouped(self, subject) -> list[tuple[str, list[str]]]:
        by_predicate: dict[str, list] = {}
        for p, o in self.by_subject.get(subject, ()):
            by_predicate.setdefault(p.value, []).append(o)
        out = []
        for p in sorted(by_predicate, key=_predicate_key):
            name = "a" if p == RDF + "type" else self.w.iri(p)
            out.append((name, sorted(self.term(o) for o in by_predicate[p])))
        return out

    def pairs(self, subject) -> list[str]:
        return [f"{p} {' , '.join(objs)}" for p, objs in self.grouped(subject)]

    def subject(self, subject) -> str:
        blank = isinstance(subject, self._blank) and subject.value not in self.shared
        head = "[]" if blank else self.term(subject)
        groups = self.grouped(subject)
        lines = []
        first = head
        if groups and groups[0][0] == "a" and not head.startswith("<"):
            first = f"{head} a {' , '.join(groups[0][1])}"
            groups = groups[1:]
        lines.append(first)
        for name, objs in groups:
            lead = f"{INDENT}{name} "
            if len(objs) > 1 and any(o.startswith(("[", "(")) for o in objs):
                pad = " " * len(lead)
                lines.append(lead + (" ,\n" + pad).join(objs))
            else:
                lines.append(lead + " , ".join(objs))
        if len(lines) == 1:
            return lines[0] + (" ." if first != head or head == "[]" else " a [] .")
        joint = " ;\n" if first != head else "\n"  # a subject alone on its line has no ';'
        return lines[0] + joint + " ;\n".join(lines[1:]) + " ."


def format_text(text: str, path: Path | str = "<text>") -> str:
    """``text`` (Turtle) in canonical form; raises :class:`DataFileError` when it does
    not parse and :class:`FormatError` when the result would not be the same graph.

    Proof of sameness: each statement's triples and the triples of the statement written
    back are isomorphic (:func:`_isomorphic`; blank nodes are local to a statement), and
    the whole file, parsed again, has as many triples and the same triples without blank
    nodes. A file that shares labelled blank nodes (``_:b``)
    between statements is compared whole instead.
    """
    path = Path(path)
    bom = "\ufeff" if text.startswith("\ufeff") else ""  # kept as the file had it
    try:
        return bom + _format(text[len(bom) :], path)
    except RecursionError:
        raise FormatError(
            f"{path}: blank nodes or lists are nested too deeply for fmt to write them "
            "back (the Turtle is valid); the file is left as it is"
        ) from None


def _same_statement(triples: list, again: list) -> bool:
    """One statement's triples as read and as written back are the same graph: equal
    sets when neither holds a blank node (most statements), else :func:`_isomorphic`."""
    if not _blank(triples) and not _blank(again):
        return set(triples) == set(again)
    return _isomorphic(triples, again)


def _blank(triples) -> bool:
    import pyoxigraph as ox

    return any(
        isinstance(t.subject, ox.BlankNode) or isinstance(t.object, ox.BlankNode) for t in triples
    )


def _isomorphic(a: list, b: list) -> bool:
    """Equal up to the names of blank nodes: the same triples once both are canonicalised
    by RDFC-1.0 (the W3C's dataset canonicalisation, in pyoxigraph's Rust; equal exactly
    when isomorphic). rdflib's isomorphism hashed every triple in Python and was most of
    fmt's time."""
    import pyoxigraph as ox

    def canonical(ts) -> set:
        dataset = ox.Dataset(ox.Quad(t.subject, t.predicate, t.object) for t in ts)
        dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
        return {q.triple for q in dataset}

    return len(set(a)) == len(set(b)) and canonical(a) == canonical(b)


def _format(text: str, path: Path) -> str:
    parsed = _split(text, path)
    decls = "".join(f"@prefix {p}: <{ns}> .\n" for p, ns in parsed.prefixes.items())
    if parsed.base:
        decls = f"@base <{parsed.base}> .\n" + decls
    offset = decls.count("\n")
    writer = _Writer(parsed.prefixes)
    out: list[str] = []
    if parsed.header:
        out.append("\n".join(parsed.header) + "\n\n")
    if parsed.base:
        out.append(f"@base <{parsed.base}> .\n")
    if parsed.prefixes:
        width = max(len(p) for p in parsed.prefixes) + 2
        for prefix in sorted(parsed.prefixes):
            out.append(f"@prefix {(prefix + ':').ljust(width)}<{parsed.prefixes[prefix]}> .\n")
    if parsed.base or parsed.prefixes:
        out.append("\n")
    labelled = False
    # Labelled blank nodes (_:b) named in more than one statement: kept by their labels.
    named = [
        set(_BLANK_LABEL.findall(item.text)) if item.kind != "comment" else set()
        for item in parsed.items
    ]
    counts: dict[str, int] = {}
    for labels in named:
        for label in labels:
            counts[label] = counts.get(label, 0) + 1
    shared = frozenset(label for label, count in counts.items() if count > 1)
    for k, item in enumerate(parsed.items):
        if k and item.gap:
            out.append("\n")
        if item.kind == "comment":
            out.append("\n".join(item.lines) + "\n")
            continue
        labelled = labelled or "_:" in item.text
        writer.tags = {tag.lower(): tag for tag in _LANGUAGE_TAG.findall(item.text)}
        triples = _triples(decls + item.text, path, item.line - offset)
        # and those named twice within it (_:g ex:p _:g): no [ ] can write a loop
        found = _BLANK_LABEL.findall(item.text)
        twice = {label for label in named[k] if found.count(label) > 1}
        written = StatementWriter(triples, writer, (shared & named[k]) | twice).text()
        again = _triples(decls + written, path, item.line - offset)
        if not _same_statement(triples, again):
            raise FormatError(
                f"{path}:{item.line}: formatting would change this statement's triples; "
                "the file is left as it is"
            )
        out.append(written + "\n")
    result = "".join(out)
    _same_graph(text, result, path, whole=labelled)
    return result


def _triples(text: str, path: Path, line: int = 1) -> list:
    import pyoxigraph as ox

    try:
        triples = list(ox.parse(text.encode("utf-8"), format=ox.RdfFormat.TURTLE, base_iri=BASE))
    except SyntaxError as exc:
        where = line + (exc.lineno - 1 if getattr(exc, "lineno", None) else 0)
        column = exc.offset if exc.offset is None or exc.offset > 0 else None
        # the parser counts lines within the statement it was given: its place is in
        # ``where``, the file's line, and is left out of the words
        words = _PARSER_PLACE.sub("", exc.msg)
        raise DataFileError(path, f"not valid Turtle: {words}", where, column) from None
    except MemoryError as exc:  # pyoxigraph's lexer holds one token in a 16 MiB buffer
        lines = text.split("\n")
        longest = max(range(len(lines)), key=lambda i: len(lines[i]))
        raise DataFileError(
            path,
            f"a token (a string or IRI) is too long to read ({exc}; the line holds "
            f"{len(lines[longest].encode('utf-8')):,} bytes)",
            line + longest,
        ) from None
    for t in triples:
        if isinstance(t.subject, ox.Triple) or isinstance(t.object, ox.Triple):
            where = line + text.count("\n", 0, max(text.find("<<"), 0))
            raise DataFileError(
                path, "RDF-star (a quoted triple << ... >>) is not supported by fmt", where
            )
    return triples


def _same_graph(before: str, after: str, path: Path, whole: bool = False) -> None:
    import pyoxigraph as ox

    old, new = _triples(before, path), _triples(after, path)

    def ground(triples):
        return {
            t
            for t in triples
            if not isinstance(t.subject, ox.BlankNode) and not isinstance(t.object, ox.BlankNode)
        }

    same = len(set(old)) == len(set(new)) and ground(old) == ground(new)
    if same and whole:
        same = _isomorphic(old, new)
    if not same:
        raise FormatError(
            f"{path}: formatting would change the graph ({len(set(old))} triples before, "
            f"{len(set(new))} after); the file is left as it is"
        )


def read_exactly(path: Path) -> str:
    """The file's text as it is on disk: no newline translation (a carriage return inside a
    long literal stays one), invalid UTF-8 named by line (:func:`files.read_utf8`)."""
    from .files import read_utf8

    return read_utf8(path)


@dataclass
class FileResult:
    path: Path
    changed: bool
    diff: str = ""
    formatted: str = ""


def formatted_files(
    paths, *, diff_lines: int = 40
) -> tuple[list[FileResult], list[AllianceGraphError]]:
    """Each file formatted in memory, nothing written: the results of the files that
    could be formatted, and the errors of those that could not (every file is tried, so
    all their problems are told at once)."""
    from .files import format_of

    results, errors = [], []
    for path in map(Path, paths):
        try:
            # the canonical form is Turtle's: a file of another kind (by its suffix, or
            # none) would be rewritten as Turtle under its own name
            if path.suffix.lower() != ".ttl":
                syntax = format_of(path).name
                shown = (
                    f"is {syntax} (by its suffix)"
                    if syntax != "turtle"
                    else f"is named {path.suffix!r}"
                    if path.suffix
                    else "has no suffix"
                )
                raise DataFileError(path, f"{shown}; fmt writes Turtle only, to files named .ttl")
            text = read_exactly(path)
            formatted = format_text(text, path)
        except AllianceGraphError as exc:
            errors.append(exc)
            continue
        changed = formatted != text
        diff = ""
        if changed:
            lines = list(
                difflib.unified_diff(
                    text.splitlines(),
                    formatted.splitlines(),
                    f"{path} (as it is)",
                    f"{path} (canonical)",
                    n=1,
                    lineterm="",
                )
            )
            if len(lines) > diff_lines:
                lines = lines[:diff_lines] + [f"... {len(lines) - diff_lines} more diff lines"]
            diff = "\n".join(lines)
        results.append(FileResult(path, changed, diff, formatted))
    return results, errors


def write_formatted(results: list[FileResult]) -> None:
    """Write the files :func:`formatted_files` changed (atomically, one by one)."""
    from .writing import write_text

    for r in results:
        if r.changed:
            write_text(r.path, r.formatted, shipped=True)  # fmt formats the shipped files


def format_files(paths, *, check: bool = False, diff_lines: int = 40) -> list[FileResult]:
    """Format each file; with ``check``, only say which are not canonical (and how).
    Nothing is written unless every file can be formatted (the first error is raised)."""
    results, errors = formatted_files(paths, diff_lines=diff_lines)
    if errors:
        raise errors[0]
    if not check:
        write_formatted(results)
    return results


def default_files() -> list[Path]:
    """What ``fmt`` formats when given no file: the shipped data and ontology."""
    from . import resources

    return list(resources.data_files()) + list(resources.ontology_files())
