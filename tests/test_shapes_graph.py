"""The shapes read as pyoxigraph triples (validate.shapes_graph) hold what rdflib reads.

validate reads the shapes without rdflib now; rdflib's own parse of the same files is the
independent reading they are compared with here.
"""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection

from alliance_graph import resources
from alliance_graph.errors import DataFileError
from alliance_graph.validate import rule_catalogue
from alliance_graph.validate.engines import read_shapes
from alliance_graph.validate.naming import count_shapes
from alliance_graph.validate.shapes_graph import ShapesGraph

SH = "http://www.w3.org/ns/shacl#"


@pytest.fixture(scope="module")
def both():
    rdflib_graph = Graph()
    for path in resources.shapes_files():
        rdflib_graph.parse(path)
    return read_shapes(list(resources.shapes_files())), rdflib_graph


def _ground(term) -> tuple:
    """A term as a tuple of text, blank nodes all alike (their ids differ between two
    parses), a plain string and an xsd:string alike."""
    if isinstance(term, BNode | ox.BlankNode):
        return ("blank",)
    if isinstance(term, Literal):
        lexical, datatype, language = str(term), str(term.datatype or ""), term.language
    elif isinstance(term, ox.Literal):
        lexical, language = term.value, term.language
        datatype = term.datatype.value if term.datatype is not None else ""
    else:
        return ("iri", term.value if isinstance(term, ox.NamedNode) else str(term))
    if language or datatype.endswith("#string"):
        datatype = ""
    return ("literal", lexical, datatype, (language or "").lower())


def test_the_shapes_hold_the_triples_rdflib_reads(both):
    ours, theirs = both
    assert len(ours) == len(theirs) > 1000
    mine = sorted(tuple(_ground(x) for x in (t.subject, t.predicate, t.object)) for t in ours)
    reference = sorted(tuple(_ground(x) for x in triple) for triple in theirs)
    assert mine == reference


def test_look_ups_and_lists_answer_as_rdflib_does(both):
    ours, theirs = both
    checked = 0
    for shape in theirs.subjects(URIRef(SH + "property"), None):
        ox_shape = ox.NamedNode(str(shape)) if isinstance(shape, URIRef) else None
        if ox_shape is None:
            continue
        props = ours.objects(ox_shape, ox.NamedNode(SH + "property"))
        assert len(props) == len(set(theirs.objects(shape, URIRef(SH + "property"))))
        checked += 1
    assert checked > 20
    # Every sh:in and sh:alternativePath list has the members rdflib's Collection reads.
    lists = 0
    for name in ("in", "alternativePath", "or"):
        pairs = sorted(
            (str(s), [_ground(m) for m in Collection(theirs, o)])
            for s, o in theirs.subject_objects(URIRef(SH + name))
            if isinstance(s, URIRef)
        )
        mine = sorted(
            (s.value, [_ground(m) for m in ours.items(o)])
            for s, o in ours.subject_objects(ox.NamedNode(SH + name))
            if isinstance(s, ox.NamedNode)
        )
        assert mine == pairs
        lists += len(pairs)
    assert lists > 0


def test_the_catalogue_is_the_same_from_either_graph(both):
    ours, theirs = both
    assert rule_catalogue(ours) == rule_catalogue(theirs)
    assert count_shapes(ours) == count_shapes(theirs) > 50


def test_ntriples_and_the_rdflib_copy_keep_every_triple_and_blank_node(both):
    ours, _ = both
    again = [q.triple for q in ox.parse(ours.ntriples().encode(), format=ox.RdfFormat.N_TRIPLES)]
    assert again == ours.triples  # the same blank node ids: results name them
    copy = ours.to_rdflib()
    assert len(copy) == len(ours)
    ids = {t.subject.value for t in ours if isinstance(t.subject, ox.BlankNode)}
    assert ids == {str(s) for s in copy.subjects() if isinstance(s, BNode)}
    assert ours.to_rdflib() is copy  # made once, shared by both pySHACL engines


def test_a_triple_stated_twice_is_kept_once():
    s, p = ox.NamedNode("http://example.org/s"), ox.NamedNode("http://example.org/p")
    t = ox.Triple(s, p, ox.Literal("x"))
    graph = ShapesGraph([t, t, ox.Triple(s, p, ox.Literal("y"))])
    assert len(graph) == 2
    assert graph.objects(s, p) == [ox.Literal("x"), ox.Literal("y")]
    assert graph.subjects(p) == [s]
    assert graph.value(s, ox.NamedNode("http://example.org/q")) is None


def test_a_broken_shapes_file_is_named_with_its_line(tmp_path):
    bad = tmp_path / "bad-shapes.ttl"
    bad.write_text('@prefix sh: <http://www.w3.org/ns/shacl#> .\n\n<a> sh:path "x" "y" .\n')
    with pytest.raises(DataFileError, match=r"bad-shapes\.ttl:3:"):
        read_shapes([bad])
