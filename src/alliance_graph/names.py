"""The one name resolver: what a user types → the IRI it names.

A name is a label, an alternative label, a local name (``NissanMotor``), a prefixed name
(``res:NissanMotor``) or a full IRI, in any case and spacing ("nissan motor" finds
``NissanMotor``). The ownership commands, every IRI parameter of a saved query, the web
pages and the Python API all resolve through :class:`Names`, so a name means one thing
everywhere. A name that matches nothing or several things is an error listing what the
user may have meant; it never quietly answers "no results".
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from .errors import UnknownEntityError
from .namespaces import AG, PREFIXES, RDF_TYPE, RDFS, RDFS_LABEL, SKOS_ALT_LABEL

_CURIE = re.compile(r"^([A-Za-z][\w-]*):([^/].*)?$")


# The pool a bare name is looked for in where a resource of the data is meant (an IRI
# parameter of a saved query, `entities`, the web's suggestions): every labelled IRI, in
# any namespace (res: or the user's own), but the ontology's terms (and the ontology
# itself) and the sources, which stay reachable by their IRI or prefixed name. Until
# 2026-12 it was res: alone, so data with IRIs of its own answered `ownership` by name
# and no saved query.
DATA = "(the data)"
# Where a user finds the names to type; a face other than the CLI says its own (the web
# server: its suggestions).
LIST_HINT = "(alliance-graph entities TEXT lists names to use)"


def key(text: str) -> str:
    """The form names are compared in: case, spacing and the dots and commas of
    "Co., Ltd." do not matter."""
    return " ".join(text.replace(".", " ").replace(",", " ").split()).casefold()


def _a(what: str) -> str:
    return ("an " if what[:1].lower() in "aeiou" else "a ") + what


def _tight(text: str) -> str:
    # "Nissan Motor" and "NissanMotor" (a local name) meet here.
    return key(text).replace(" ", "").replace("-", "").replace("_", "")


def local_name(iri: str) -> str:
    for sep in ("#", "/"):
        if sep in iri:
            iri = iri.rsplit(sep, 1)[1] or iri
    return iri


def curie(iri: str) -> str:
    """``res:Renault`` for a project IRI; other IRIs unchanged."""
    for prefix, ns in PREFIXES.items():
        if iri.startswith(ns) and re.match(r"^[\w.-]*$", iri[len(ns) :]):
            return f"{prefix}:{iri[len(ns) :]}"
    return iri


@dataclass
class Entry:
    """One named thing: its IRI, label, other labels and kinds (class local names)."""

    iri: str
    label: str
    alt_labels: list[str] = field(default_factory=list)
    kinds: list[str] = field(default_factory=list)

    @property
    def kind(self) -> str:
        return self.kinds[0] if self.kinds else ""

    @property
    def local_name(self) -> str:
        return local_name(self.iri)

    def names(self) -> list[str]:
        out = [self.iri, self.label, *self.alt_labels]
        for prefix, ns in PREFIXES.items():
            if self.iri.startswith(ns):
                out += [f"{prefix}:{self.iri[len(ns) :]}", self.iri[len(ns) :]]
        return out

    def describe(self) -> str:
        kind = f", {self.kind}" if self.kind else ""
        return f"{self.label} ({curie(self.iri)}{kind})"

    def record(self) -> dict:
        return {
            "label": self.label,
            "kind": self.kind,
            "name": self.local_name,
            "iri": self.iri,
            "alt_labels": list(self.alt_labels),
        }


class Names:
    """The names of one graph's entities, indexed once."""

    def __init__(self, entries: Iterable[Entry], subclasses: dict[str, set[str]] | None = None):
        self.entries: dict[str, Entry] = {e.iri: e for e in entries}
        # class local name -> itself and every subclass's local name
        self.below = subclasses or {}
        self._exact: dict[str, set[str]] = {}
        self._tight: dict[str, set[str]] = {}
        self._by_raw: dict[str, list[Entry]] = {}
        for e in self.entries.values():
            for n in e.names():
                self._by_raw.setdefault(n, []).append(e)
                self._exact.setdefault(key(n), set()).add(e.iri)
                self._tight.setdefault(_tight(n), set()).add(e.iri)

    @classmethod
    def over(cls, entries, by_raw, exact, tight, below: dict[str, set[str]]) -> Names:
        """An index over mappings built elsewhere (an index read in place from a file,
        :mod:`alliance_graph.names_kept`): ``entries`` IRI -> :class:`Entry`, ``by_raw``
        a name as written -> entries, ``exact`` and ``tight`` a compared form -> IRIs."""
        self = cls.__new__(cls)
        self.entries, self._by_raw, self._exact, self._tight = entries, by_raw, exact, tight
        self.below = below
        return self

    def forms(self):
        """(form, text, IRI) for every way a name is looked up: form 0 the name as
        written, 1 its compared form (:func:`key`), 2 the form without spaces."""
        for form, index in enumerate((self._by_raw, self._exact, self._tight)):
            for text, hits in index.items():
                for hit in hits:
                    yield form, text, hit.iri if isinstance(hit, Entry) else hit

    def __contains__(self, iri: str) -> bool:
        return iri in self.entries

    def __len__(self) -> int:
        return len(self.entries)

    def label(self, iri: str) -> str:
        e = self.entries.get(iri)
        return e.label if e else local_name(iri)

    def is_a(self, iri: str, kind: str) -> bool:
        e = self.entries.get(iri)
        if e is None:
            return False
        wanted = {k.casefold() for k in self.below.get(kind, {kind})} | {kind.casefold()}
        return any(k.casefold() in wanted for k in e.kinds)

    def is_data(self, iri: str) -> bool:
        """Whether ``iri`` is in the :data:`DATA` pool: not the ontology's, not a source."""
        if iri.startswith(AG.rstrip("#")):
            return False
        return not self.is_a(iri, "Source")

    def _pool(self, namespace: str | None, kinds: Iterable[str] | None):
        def ok(iri: str) -> bool:
            if namespace == DATA:
                if not self.is_data(iri):
                    return False
            elif namespace is not None and not iri.startswith(namespace):
                return False
            return kinds is None or any(self.is_a(iri, k) for k in kinds)

        return ok

    def resolve(
        self,
        name: str,
        *,
        namespace: str | None = None,
        kinds: Iterable[str] | None = None,
        what: str = "entity",
    ) -> str:
        """The IRI of the one entry ``name`` names (within ``namespace`` and ``kinds``,
        where given). :class:`UnknownEntityError` lists the candidates when the name is
        ambiguous, and the closest names when it matches nothing."""
        if not isinstance(name, str) or not name.strip():
            raise UnknownEntityError(f"an {what} name must not be empty")
        kinds = list(kinds) if kinds is not None else None
        ok = self._pool(namespace, kinds)
        text = name.strip()
        if text.startswith("<") and text.endswith(">"):
            text = text[1:-1]
        # A full IRI or a prefixed name says where it points: the namespace (which only
        # narrows what a bare name may mean) does not apply.
        any_ns = self._pool(None, kinds)
        m = _CURIE.match(text)
        if m and m.group(1) in PREFIXES and not text.startswith(("http:", "https:")):
            full = PREFIXES[m.group(1)] + (m.group(2) or "")
            if full in self.entries and any_ns(full):
                return full
        if text in self.entries and any_ns(text):
            return text
        # Written exactly as a name of one entry (case too): that entry.
        exact = sorted({e.iri for e in self._by_raw.get(text, ()) if ok(e.iri)})
        if len(exact) == 1:
            return exact[0]
        for index, k in ((self._exact, key(text)), (self._tight, _tight(text))):
            matches = sorted(i for i in index.get(k, ()) if ok(i))
            if len(matches) == 1:
                return matches[0]
            if matches:
                listed = "; ".join(self.entries[i].describe() for i in matches[:12])
                raise UnknownEntityError(
                    f"{name!r} names {len(matches)} of them: {listed}. "
                    "Use a full label, the local name or the IRI."
                )
        if kinds is not None:
            # Named, but not of the kind asked for: say so, rather than "no such name"
            # (or, worse, an empty answer).
            try:
                other = self.resolve(name, namespace=namespace, what=what)
            except UnknownEntityError:
                other = None
            if other is not None:
                raise UnknownEntityError(
                    f"{name!r} names {self.entries[other].describe()}, which is not {_a(what)}"
                )
        raise UnknownEntityError(self._unknown(name, ok, what))

    def _unknown(self, name: str, ok, what: str) -> str:
        wanted = key(name)
        names = sorted(
            k
            for k, iris in self._exact.items()
            if not k.startswith(("http:", "https:")) and any(ok(i) for i in iris)
        )
        close = [k for k in names if wanted and (wanted in k or _tight(name) in k.replace(" ", ""))]
        close += difflib.get_close_matches(wanted, names, n=5, cutoff=0.6)
        suggestions: list[str] = []
        for k in close:
            for i in sorted(self._exact[k]):
                if ok(i) and i not in suggestions:
                    suggestions.append(i)
        if suggestions:
            hint = (
                " Did you mean: "
                + "; ".join(self.entries[i].describe() for i in suggestions[:8])
                + "?"
            )
        else:
            hint = f" None of the {sum(1 for i in self.entries if ok(i))} known is close."
        return f"no {what} is named {name!r}.{hint} {LIST_HINT}"

    def search(
        self,
        text: str | None = None,
        *,
        kind: str | None = None,
        namespace: str | None = None,
    ) -> list[Entry]:
        """Entries whose names contain ``text`` (all when None), of ``kind``, by label.
        A kind that no class of the graph has (``Persn``) is an error naming close ones,
        not an empty answer."""
        if kind:
            known = {k for e in self.entries.values() for k in e.kinds} | set(self.below)
            for below in self.below.values():
                known |= set(below)
            if kind.casefold() not in {k.casefold() for k in known}:
                from .errors import UsageError

                close = difflib.get_close_matches(kind, sorted(known), n=3, cutoff=0.6)
                hint = f" Did you mean {', '.join(close)}?" if close else ""
                raise UsageError(f"kind {kind!r}: no class of this graph has that name.{hint}")
        ok = self._pool(namespace, [kind] if kind else None)
        wanted, tight = (key(text), _tight(text)) if text else ("", "")
        out = []
        for e in self.entries.values():
            if not ok(e.iri):
                continue
            if wanted and not any(wanted in key(n) or tight in _tight(n) for n in e.names()):
                continue
            out.append(e)

        def rank(e: Entry):
            # The best match first: a name equal to the text, then one that starts with it.
            names = [key(n) for n in e.names()]
            return (
                not any(n == wanted for n in names),
                not any(n.startswith(wanted) for n in names),
                len(e.label),
                key(e.label),
                e.iri,
            )

        return sorted(out, key=rank if wanted else (lambda e: (key(e.label), e.iri)))


class LazyNames:
    """The names of the data, built only when needed: a value written as an IRI (full,
    in angle brackets, or prefixed) that is the IRI of a labelled node is what
    :meth:`alliance_graph.names.Names.resolve` answers first, and one look-up in the
    store says so, where building the whole index reads every label (seconds at a
    million triples). Any other value goes to the full index."""

    def __init__(self, store, build):
        self.store = store
        self.build = build
        self.full = None

    def resolve(self, name, *, namespace=None, kinds=None, what="entity") -> str:
        # As Names.resolve: a written IRI says where it points (the namespace does not
        # apply), and it must be of one of ``kinds`` where they are given.
        iri = self._written_iri(name) if self.store is not None else None
        if iri is not None:
            import pyoxigraph as ox

            try:
                node = ox.NamedNode(iri)
            except ValueError:
                node = None
            if node is not None and any(
                self.store.quads_for_pattern(node, ox.NamedNode(RDFS_LABEL), None)
            ):
                if kinds is None or self._of_kind(node, kinds):
                    return iri
        return self.__getattr__("resolve")(name, namespace=namespace, kinds=kinds, what=what)

    def _of_kind(self, node, kinds) -> bool:
        # Kinds are the ontology's class local names (Names.is_a), subclasses included.
        classes = " ".join(f"<{AG}{k}>" for k in kinds if re.fullmatch(r"\w+", k))
        if not classes:
            return False
        return bool(
            self.store.query(
                f"ASK {{ {node} <{RDF_TYPE}>/<{RDFS}subClassOf>* ?k VALUES ?k {{ {classes} }} }}"
            )
        )

    @staticmethod
    def _written_iri(name) -> str | None:
        if not isinstance(name, str):
            return None
        text = name.strip()
        if text.startswith("<") and text.endswith(">"):
            text = text[1:-1]
        if text.startswith(("http:", "https:")):
            return text
        m = _CURIE.match(text)
        if m and m.group(1) in PREFIXES:
            return PREFIXES[m.group(1)] + (m.group(2) or "")
        return None

    def __getattr__(self, attr):
        if self.full is None:
            self.full = self.build()
        return getattr(self.full, attr)


# ---------------------------------------------------------------------------------------
# Building the index
# ---------------------------------------------------------------------------------------

NAMES_QUERY = f"""
SELECT ?s ?p ?o WHERE {{
  ?s <{RDFS_LABEL}> ?any .
  VALUES ?p {{ <{RDFS_LABEL}> <{SKOS_ALT_LABEL}> <{RDF_TYPE}> }}
  ?s ?p ?o .
  FILTER(isIRI(?s))
}}
"""
SUBCLASS_QUERY = f"SELECT ?s ?o WHERE {{ ?s <{RDFS}subClassOf> ?o . FILTER(isIRI(?o)) }}"


def pick_label(labels: Iterable[tuple[str, str | None]]) -> str | None:
    """The label every face shows of several (text, language) pairs: an English one
    (``en`` or ``en-*``, as SPARQL's ``LANGMATCHES`` reads it) first, then one without a
    language, then any; by text within each. Never the order a store or a graph lists
    them in (which changes with the order the files were loaded in). The saved queries
    write the same order in SPARQL (docs/queries.md)."""
    best = min(labels, key=lambda label: (_label_tier(label[1]), label[0]), default=None)
    return best[0] if best is not None else None


def other_names(
    labels: Iterable[tuple[str, str | None]], alts: Iterable[str], shown: str
) -> list[str]:
    """The names an entity answers to besides the label it is shown by: its labels in
    other languages and its alternative labels, sorted (a user may type any of them)."""
    return sorted({*alts, *(text for text, _ in labels)} - {shown})


def sparql_label_key(name: str) -> str:
    """The SPARQL expression that orders the labels bound to ``?name`` as
    :func:`pick_label` does (the smallest first)."""
    return (
        f'CONCAT(IF(LANGMATCHES(LANG(?{name}), "en"), "0", IF(LANG(?{name}) = "", "1", "2")),'
        f" STR(?{name}))"
    )


def sparql_label(name: str, label: str) -> str:
    """:func:`pick_label` in SPARQL: the aggregate that binds ``?label`` to the label of
    those bound to ``?name`` that every face shows (the saved queries write it out)."""
    return f"(SUBSTR(MIN({sparql_label_key(name)}), 2) AS ?{label})"


def _label_tier(lang: str | None) -> int:
    lang = (lang or "").lower()
    return 0 if lang == "en" or lang.startswith("en-") else 1 if not lang else 2


def from_triples(
    triples: Iterable[tuple[str, str, object]], subclass_pairs: Iterable[tuple[str, str]] = ()
) -> Names:
    """Build the index from (subject IRI, predicate IRI, object) triples, the object a
    pyoxigraph term; ``subclass_pairs`` are (class IRI, superclass IRI)."""
    labels: dict[str, list] = {}
    alts: dict[str, list] = {}
    types: dict[str, list] = {}
    for s, p, o in triples:
        if p == RDFS_LABEL:
            labels.setdefault(s, []).append((o.value, getattr(o, "language", None)))
        elif p == SKOS_ALT_LABEL:
            alts.setdefault(s, []).append(o.value)
        elif p == RDF_TYPE and hasattr(o, "value"):
            types.setdefault(s, []).append(o.value)
    below: dict[str, set[str]] = {}
    parents: dict[str, set[str]] = {}
    for c, sup in subclass_pairs:
        parents.setdefault(local_name(c), set()).add(local_name(sup))
    for c in parents:
        seen, todo = set(), [c]
        while todo:
            x = todo.pop()
            for sup in parents.get(x, ()):
                if sup not in seen:
                    seen.add(sup)
                    todo.append(sup)
        for sup in seen:
            below.setdefault(sup, {sup}).add(c)
    entries = []
    for s, ls in labels.items():
        own = sorted(
            {local_name(t) for t in types.get(s, ()) if t.startswith(AG) and t != AG + "BestRank"}
        )
        # the most specific kind first: one no other kind of this entry is below
        own.sort(key=lambda k: sum(1 for o in own if o != k and k in below.get(o, ())))
        label = pick_label(ls) or local_name(s)
        entries.append(Entry(s, label, other_names(ls, alts.get(s, []), label), own))
    return Names(entries, below)


def from_store(store) -> Names:
    """The names of a pyoxigraph store (the one loader's)."""
    rows = ((sol["s"].value, sol["p"].value, sol["o"]) for sol in store.query(NAMES_QUERY))
    pairs = ((sol["s"].value, sol["o"].value) for sol in store.query(SUBCLASS_QUERY))
    return from_triples(rows, pairs)


_CACHE: dict[int, tuple[object, Names]] = {}


def for_store(store) -> Names:
    """:func:`from_store`, built once per store object (stores are read-only here). For an
    on-disk store, :func:`alliance_graph.names_kept.for_store` keeps it beside the store."""
    names = cached(store)
    if names is None:
        names = from_store(store)
        remember(store, names)
    return names


def cached(store) -> Names | None:
    """The names :func:`for_store` has for ``store`` already, or None."""
    hit = _CACHE.get(id(store))
    return hit[1] if hit is not None and hit[0] is store else None


def remember(store, names: Names) -> None:
    """Let :func:`for_store` answer ``names`` for ``store`` from now on."""
    if len(_CACHE) > 8:
        _CACHE.clear()
    _CACHE[id(store)] = (store, names)
