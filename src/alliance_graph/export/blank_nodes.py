"""Stable blank-node labels, named from the statement each blank node hangs off.

Parsers give blank nodes fresh random labels, so an export that kept them would change
on every run. Canonicalising the whole graph (``rdflib.compare``) fixes that but grows
about quadratically; this module names blank nodes in one pass instead.

- A blank node that is the object of exactly one triple ``(s, p, _:b)`` *hangs off* that
  statement. Its label is a hash of ``s`` (an IRI, or the label of the blank node it hangs
  off in turn), ``p`` and its *content*: the sorted ``(predicate, object)`` pairs it is the
  subject of, nested blank nodes by their content. A citation
  ``res:x ag:citation [ ag:source src:y ; ag:locator "p. 3" ]`` is named from ``res:x``,
  ``ag:citation``, ``src:y`` and ``"p. 3"``: the same in every run, whatever the order of
  the files, and unchanged when other statements change.
- A blank node that is the object of nothing is named from its content alone.
- Two blank nodes with the same parent statement and the same content are
  interchangeable (swapping them changes no triple), so a counter tells them apart.
- Blank nodes that are the object of two or more triples, or lie on a cycle, cannot be
  named that way. Their connected group is labelled by colour refinement (each node's
  hash refined with its neighbours' until the partition settles), ties broken by
  individualising one node at a time, as canonical labelling algorithms do. This is
  exact when tied nodes are interchangeable, which holds for every graph but contrived
  highly symmetric ones; the project's data writes no such blank nodes, and the cost is
  only paid for those groups.

Labels are ``b`` followed by 24 hex digits (96 bits of SHA-1); a clash between two
different nodes is resolved deterministically with a longer hash.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable
from functools import lru_cache

from rdflib import BNode

_SHORT = 24


def _hash(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()


def stable_labels(triples: Iterable[tuple]) -> dict[BNode, BNode]:
    """A stable new blank node for every blank node in rdflib ``triples``."""
    terms: dict[str, BNode] = {}
    rows = []
    for triple in triples:
        row = tuple(t.n3() for t in triple)
        for t, text in zip(triple, row, strict=True):
            if isinstance(t, BNode):
                terms[text] = t
        rows.append(row)
    return {terms[old]: BNode(new) for old, new in label_strings(rows).items()}


def ox_labels(quads: Iterable) -> dict:
    """A stable new blank node for every blank node in pyoxigraph ``quads`` (graph names
    ignored): the same labels :func:`stable_labels` gives the same triples in rdflib."""
    import pyoxigraph as ox

    rows, _ = _rows(list(quads))
    return {ox.BlankNode(old[2:]): ox.BlankNode(new) for old, new in label_strings(rows).items()}


def relabelled(quads: list) -> list:
    """``quads`` (pyoxigraph, in the default graph) with every blank node renamed to its
    stable label (:func:`ox_labels`), in the same order."""
    import pyoxigraph as ox

    rows, lines = _rows(quads)
    labels = {old: "_:" + new for old, new in label_strings(rows).items()}
    if not labels:
        return list(quads)
    # Written back as N-Triples with the new labels and parsed in Rust: a third of the
    # cost of building each ox.Quad in Python (3 us apiece).
    text = []
    for s, p, o in lines:
        text.append(f"{labels.get(s, s)} {p} {labels.get(o, o)} .\n")
    return list(ox.parse("".join(text), format=ox.RdfFormat.N_TRIPLES))


def _rows(quads: list) -> tuple[list[tuple[str, str, str]], list[tuple[str, str, str]]]:
    """Each quad's terms as they are hashed, and as pyoxigraph writes them.

    A term is hashed as rdflib's ``n3()`` writes it (``<iri>``, ``_:id``, literals as
    rdflib quotes them), so that labels do not depend on which library parsed the files.
    That is pyoxigraph's N-Triples text too, except for literals with an escape or an
    infinite or not-a-number figure (INF, NaN), which take rdflib's way."""
    import pyoxigraph as ox

    # One serialisation in Rust, split at the spaces N-Triples puts between the terms
    # (an IRI or a blank-node label holds none), instead of str() of every term.
    written = ox.serialize(quads, format=ox.RdfFormat.N_TRIPLES).decode("utf-8")
    lines, rows = [], []
    for i, line in enumerate(written.split(" .\n")[:-1]):
        s, p, o = line.split(" ", 2)
        lines.append((s, p, o))
        if "\\" in o or (o.endswith(_NUMERIC) and any(c in o for c in "iInN")):
            o = _literal_text(quads[i].object)
        rows.append((s, p, o))
    return rows, lines


_NUMERIC = tuple(
    f"^^<http://www.w3.org/2001/XMLSchema#{name}>" for name in ("double", "float", "decimal")
)


@lru_cache(maxsize=65536)
def _literal_text(term) -> str:
    from ..terms import to_rdflib

    return to_rdflib(term).n3()  # rdflib's own quoting: triple quotes, INF, NaN


def label_strings(triples: Iterable[tuple[str, str, str]]) -> dict[str, str]:
    """Stable labels for triples written as N-Triples terms (``<iri>``, ``"lit"@en``,
    ``_:id``): ``_:id`` -> the new label (without ``_:``), for every blank node."""
    content: dict[str, list] = defaultdict(list)  # b -> [(p, o)]
    parents: dict[str, list] = defaultdict(list)  # b -> [(s, p)]
    order: dict[str, int] = {}
    for s, p, o in triples:
        if s.startswith("_:"):
            content[s].append((p, o))
            order.setdefault(s, len(order))
        if o.startswith("_:"):
            parents[o].append((s, p))
            order.setdefault(o, len(order))
    if not order:
        return {}

    tree = _tree_nodes(order, parents, content)
    keys: dict[str, str] = {}  # the full key each label is the hash of
    signature = _signatures(tree, content)
    labels: dict[str, str] = {}

    # Top-down: a node's label needs its parent's. Roots first, then their children.
    ties: dict[str, int] = defaultdict(int)
    frontier = sorted(
        (b for b in tree if not parents[b] or not parents[b][0][0].startswith("_:")),
        key=lambda b: _root_key(b, parents, signature),
    )
    while frontier:
        following = []
        for b in frontier:
            if parents[b]:
                s, p = parents[b][0]
                anchor = labels[s] if s.startswith("_:") else s
                key = f"{anchor} {p} {signature[b]}"
            else:
                key = signature[b]
            ties[key] += 1
            if ties[key] > 1:
                key = f"{key} #{ties[key]}"
            keys[b] = key
            labels[b] = "b" + _hash(key)[:_SHORT]
            following.extend(o for _, o in content[b] if o.startswith("_:"))
        frontier = sorted(following, key=lambda b: signature[b])

    rest = [b for b in order if b not in tree]
    if rest:
        labels.update(_refined_labels(rest, parents, content))
    return _unclash(labels, keys)


def _root_key(b, parents, signature) -> tuple:
    if parents[b]:
        s, p = parents[b][0]
        return (s, p, signature[b])
    return ("", "", signature[b])


def _tree_nodes(order, parents, content) -> set:
    """The blank nodes in groups where every node hangs off at most one statement and
    the groups are trees (no cycles)."""
    # Group blank nodes connected through blank-node-to-blank-node triples. Most blank
    # nodes (a citation each) touch no other: each is a group of its own, a tree when it
    # hangs off at most one statement, and skips the grouping below.
    linked: set = set()
    for b, pairs in content.items():
        for _, o in pairs:
            if o.startswith("_:"):
                linked.update((b, o))
    tree: set = {b for b in order if b not in linked and len(parents[b]) <= 1}
    group = {b: b for b in linked}

    def find(b):
        while group[b] is not b:
            group[b] = group[group[b]]
            b = group[b]
        return b

    for b in linked:
        for _, o in content[b]:
            if o.startswith("_:"):
                ra, rb = find(b), find(o)
                if ra is not rb:
                    group[ra] = rb
    members: dict = defaultdict(list)
    for b in order:
        if b in linked:
            members[find(b)].append(b)
    for nodes in members.values():
        if any(len(parents[b]) > 1 for b in nodes):
            continue
        # In-degree at most one: a connected group is a tree exactly when it has one root
        # (a node no blank node points at); otherwise it holds a cycle.
        roots = [b for b in nodes if not parents[b] or not parents[b][0][0].startswith("_:")]
        if len(roots) == 1:
            tree.update(nodes)
    return tree


def _signatures(tree: set, content) -> dict[str, str]:
    """Each tree node's content hash, children before parents (no recursion)."""
    signature: dict[str, str] = {}
    for start in tree:
        if start in signature:
            continue
        stack = [(start, False)]
        while stack:
            b, expanded = stack.pop()
            if b in signature:
                continue
            children = [o for _, o in content[b] if o.startswith("_:")]
            if not expanded and children and any(c not in signature for c in children):
                stack.append((b, True))
                stack.extend((c, False) for c in children if c not in signature)
                continue
            if children:
                lines = sorted(
                    f"{p} " + ("_:" + signature[o] if o.startswith("_:") else o)
                    for p, o in content[b]
                )
            else:
                lines = sorted(f"{p} {o}" for p, o in content[b])
            signature[b] = _hash("\n".join(lines))
    return signature


def _refined_labels(nodes: list, parents, content) -> dict[str, str]:
    """Labels for shared or cyclic blank nodes, from their structure alone.

    Colour refinement: a node's colour starts as the hash of what it links to and is
    linked from outside the group, then is refined with its neighbours' colours until
    the partition stops splitting. Nodes still tied are taken one at a time (the least
    colour first), given a colour of their own, and the partition refined again: when
    the tied nodes are interchangeable, which one is taken first changes nothing.
    Identical groups are told apart by a counter.
    """
    inside = set(nodes)
    colour: dict = {}
    for b in nodes:
        lines = sorted(f"> {p} {'' if o in inside else o}" for p, o in content[b])
        lines += sorted(f"< {'' if s in inside else s} {p}" for s, p in parents[b])
        colour[b] = _hash("\n".join(lines))

    def refine(colour: dict, members: list) -> dict:
        classes = len(set(colour[b] for b in members))
        while True:
            new = {}
            for b in members:
                lines = sorted(f"> {p} {colour[o]}" for p, o in content[b] if o in inside)
                lines += sorted(f"< {colour[s]} {p}" for s, p in parents[b] if s in inside)
                new[b] = _hash(colour[b] + "\n" + "\n".join(lines))
            now = len(set(new.values()))
            colour = {**colour, **new}
            if now == classes:
                return colour
            classes = now

    labels: dict[str, str] = {}
    groups: dict[str, int] = defaultdict(int)
    for members in _components(nodes, inside, parents, content):
        colour = refine(colour, members)
        while True:
            by_colour: dict = defaultdict(list)
            for b in members:
                by_colour[colour[b]].append(b)
            tied = sorted(c for c, bs in by_colour.items() if len(bs) > 1)
            if not tied:
                break
            chosen = by_colour[tied[0]][0]
            colour[chosen] = _hash(colour[chosen] + " chosen")
            colour = refine(colour, members)
        group = _hash(" ".join(sorted(colour[b] for b in members)))
        groups[group] += 1
        for b in members:
            labels[b] = "b" + _hash(f"{colour[b]} {group} #{groups[group]}")[:_SHORT]
    return labels


def _components(nodes: list, inside: set, parents, content) -> list[list]:
    """The connected groups of ``nodes`` (through triples between two of them)."""
    seen: set = set()
    result = []
    for start in nodes:
        if start in seen:
            continue
        seen.add(start)
        members, stack = [], [start]
        while stack:
            b = stack.pop()
            members.append(b)
            near = [o for _, o in content[b] if o in inside]
            near += [s for s, _ in parents[b] if s in inside]
            for n in near:
                if n not in seen:
                    seen.add(n)
                    stack.append(n)
        result.append(members)
    return result


def _unclash(labels: dict, keys: dict) -> dict:
    """Labels unique across nodes: clashing short hashes become full ones."""
    by_label: dict[str, list] = defaultdict(list)
    for b, label in labels.items():
        by_label[label].append(b)
    for label, nodes in by_label.items():
        if len(nodes) > 1:
            for b in nodes:
                labels[b] = "b" + _hash(keys.get(b, label) + " " + label)
    return labels
