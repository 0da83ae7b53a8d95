"""N-Triples and N-Quads written by pyoxigraph from the parsed quads: the same bytes
rdflib's writers give for the same graph, the same blank-node labels whichever library
parsed the file, and no rdflib graph built on the way."""

from __future__ import annotations

import io

import pyoxigraph as ox
import pytest
from rdflib import Dataset, Graph

from alliance_graph import export as E
from alliance_graph.export import blank_nodes
from alliance_graph.export import parts as parts_module
from alliance_graph.terms import to_rdflib

# Literals whose quoting differs between the two libraries: pyoxigraph escapes tab,
# backspace, form feed and other control characters, rdflib writes them as they are;
# rdflib's n3() triple-quotes a string with a newline. Some hang off blank nodes (their
# labels hash that text), one blank node is shared and two make a cycle; one has " ."
# before a newline, the end of a line where the N-Quads writer splits the text.
TRICKY = """\
@prefix ag: <https://w3id.org/alliance-graph/ontology#> .
@prefix ex: <http://example.org/> .
ex:a ex:p "tab\\there", "bell\\u0007x", "nl\\nline", "back\\\\tslash", "q\\"uote",
    "\\u007Fdel", "ff\\fbs\\b", "\\\\u0007 is not an escape here", "a stop .\\nthen more" .
ex:a ag:citation [ ag:locator "p.\\t3\\nnext" ; ag:source ex:s ; ex:v "x"@en ] .
ex:a ag:citation [ ag:locator "two \\"\\"\\" quotes\\n" ; ag:source ex:s ] .
ex:b ex:shared _:s . ex:c ex:shared _:s . _:s ex:v "shared\\ttab" .
_:c1 ex:next _:c2 . _:c2 ex:next _:c1 .
"""


@pytest.fixture(scope="module")
def tricky(tmp_path_factory):
    path = tmp_path_factory.mktemp("tricky") / "tricky.ttl"
    path.write_text(TRICKY, encoding="utf-8")
    return E.load_parts([path])


def _export(fmt, parts, **options) -> bytes:
    out = io.BytesIO()
    E.FORMATS[fmt].writer(parts, out, E.Options(**options))
    return out.getvalue()


def _sorted(text: bytes) -> list[bytes]:
    return sorted(line for line in text.split(b"\n") if line)


@pytest.mark.parametrize("derived", [True, False])
def test_ntriples_are_rdflibs_lines_sorted(tricky, derived):
    ours = _export("ntriples", tricky, derived=derived)
    theirs = tricky.graph(derived).serialize(format="nt", encoding="utf-8")
    assert ours.split(b"\n")[:-1] == _sorted(theirs)
    assert ours.endswith(b" .\n")
    assert b'"tab\there"' in ours and b'"bell\x07x"' in ours  # written as rdflib writes them
    assert b'"back\\\\tslash"' in ours and b'"\\\\u0007 is not an escape here"' in ours


@pytest.mark.parametrize("derived", [True, False])
def test_nquads_are_rdflibs_lines_sorted(tricky, derived):
    ours = _export("nquads", tricky, derived=derived)
    dataset = Dataset()
    for name, part in tricky.named(derived):
        target = dataset.graph(name)
        for triple in part:
            target.add(triple)
    theirs = _sorted(dataset.serialize(format="nquads", encoding="utf-8"))
    # One graph after another, in the order TriG writes them, each graph's lines sorted.
    expected = []
    for name, _ in tricky.named(derived):
        tag = f" <{name}> .".encode()
        expected += [line for line in theirs if line.endswith(tag)]
    assert len(expected) == len(theirs)
    assert ours.split(b"\n")[:-1] == expected
    graphs = {line.rsplit(b" ", 2)[1] for line in ours.splitlines()}
    assert graphs == {f"<{name}>".encode() for name, _ in tricky.named(derived)}


@pytest.mark.parametrize("fmt", ["ntriples", "nquads"])
@pytest.mark.parametrize(
    "step, size",
    [("_CHUNK", 3), ("_SLICE", 2)],
    ids=["lines written 3 at a time", "quads serialised 2 at a time"],
)
def test_lines_made_a_few_at_a_time_are_the_same_bytes(tricky, fmt, step, size, monkeypatch):
    # The writers serialise the quads in slices and write the sorted lines in chunks:
    # every boundary (escapes and control characters among the lines) must give the
    # bytes of the whole.
    from alliance_graph.export import rdf

    whole = _export(fmt, tricky)
    monkeypatch.setattr(rdf, step, size)
    assert len(whole.split(b"\n")) > size * 3
    assert _export(fmt, tricky) == whole


def test_labels_are_the_same_whichever_library_parsed_the_file():
    # rdflib's own Turtle parser (its blank nodes, its literals) against pyoxigraph's.
    by_rdflib = Graph().parse(data=TRICKY, format="turtle")
    rdflib_map = E.stable_labels(by_rdflib)
    expected = {tuple(rdflib_map.get(t, t) for t in triple) for triple in by_rdflib}
    quads = list(ox.parse(TRICKY.encode(), format=ox.RdfFormat.TURTLE))
    ox_map = blank_nodes.ox_labels(quads)
    relabelled = {
        tuple(to_rdflib(ox_map.get(t, t)) for t in (q.subject, q.predicate, q.object))
        for q in quads
    }
    assert len(ox_map) == len(rdflib_map) == 5
    assert relabelled == expected


def test_relabelled_quads_are_the_quads_with_their_labels_swapped():
    # The loader of the exports renames through N-Triples text parsed back: every literal
    # of the tricky file (escapes, INF, language tags, long strings) must come back as it
    # was, in the same order, with only the blank nodes renamed as ox_labels names them.
    quads = list(ox.parse(TRICKY.encode(), format=ox.RdfFormat.TURTLE))
    mapping = blank_nodes.ox_labels(quads)
    expected = [
        ox.Quad(mapping.get(q.subject, q.subject), q.predicate, mapping.get(q.object, q.object))
        for q in quads
    ]
    assert len(mapping) == 5
    assert blank_nodes.relabelled(quads) == expected


def test_line_exports_build_no_rdflib_graph(tmp_path, monkeypatch):
    path = tmp_path / "tricky.ttl"
    path.write_text(TRICKY, encoding="utf-8")
    parts = E.load_parts([path])

    def refuse(*args, **kwargs):
        raise AssertionError("an rdflib graph was built")

    monkeypatch.setattr(parts_module, "add_quads", refuse)
    for fmt in ("ntriples", "nquads"):
        for derived in (True, False):
            assert _export(fmt, parts, derived=derived).count(b"\n") > 10
    with pytest.raises(AssertionError, match="rdflib graph"):
        _export("turtle", parts)


def test_two_exports_of_the_same_data_are_byte_identical(tmp_path):
    path = tmp_path / "tricky.ttl"
    path.write_text(TRICKY, encoding="utf-8")
    first, second = E.load_parts([path]), E.load_parts([path])
    for fmt in ("ntriples", "nquads"):
        assert _export(fmt, first) == _export(fmt, second)
