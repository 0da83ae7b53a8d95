"""The one loader under hostile files: entity expansion, remote and file contexts, and a
seeded mutation fuzzer over Turtle (issue 10 items 2, 10, 13). Every outcome is either
a graph or a DataFileError naming the file, never another exception, and nothing is
fetched."""

from __future__ import annotations

import random
import time

import pytest

from alliance_graph import load
from alliance_graph.cli import main
from alliance_graph.errors import DataFileError

LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE r [
 <!ENTITY a "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa">
 <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
 <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
 <!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">
 <!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;">
 <!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;">
]>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://ex/">
  <rdf:Description rdf:about="http://ex/a"><ex:p>&f;</ex:p></rdf:Description>
</rdf:RDF>
"""


@pytest.mark.parametrize("suffix", [".rdf", ".owl", ".xml"])
def test_billion_laughs_is_refused_at_once_naming_the_line(tmp_path, suffix):
    path = tmp_path / f"laughs{suffix}"
    path.write_text(LAUGHS)
    start = time.monotonic()
    for read in (load.open_store, load.load_graph):
        with pytest.raises(DataFileError) as err:
            read([path])
        assert f"{path}:2:" in str(err.value) and "DOCTYPE" in str(err.value)
    assert time.monotonic() - start < 5  # refused before any expansion


@pytest.mark.parametrize(
    "command",
    [
        ["validate"],
        ["export", "-f", "turtle", "-o", "-"],
        ["ownership", "stake", "a", "b", "--no-validate"],
        ["query", "twins"],
    ],
)
def test_every_face_refuses_it_with_exit_2(tmp_path, capsys, command):
    path = tmp_path / "laughs.rdf"
    path.write_text(LAUGHS)
    argv = [*command, str(path)] if command == ["validate"] else [*command, "--data", str(path)]
    with pytest.raises(SystemExit) as exit_:
        main(argv)
    assert exit_.value.code == 2
    assert "DOCTYPE" in capsys.readouterr().err


@pytest.mark.parametrize("context", ["http://127.0.0.1:9/ctx.jsonld", "file:///etc/passwd"])
def test_json_ld_contexts_elsewhere_are_never_read(tmp_path, context):
    path = tmp_path / "remote.jsonld"
    import json

    path.write_text(json.dumps({"@context": context, "@id": "http://ex/a", "name": "A"}))
    for read in (load.open_store, load.load_graph):
        with pytest.raises(DataFileError, match="never fetched or read"):
            read([path])


SEED = """@prefix ag: <https://w3id.org/alliance-graph/ontology#> .
@prefix res: <https://w3id.org/alliance-graph/resource/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
res:s a ag:Shareholding ; ag:holder res:A ; ag:held res:B ; ag:percent 44.4 ;
    ag:start "2002-03"^^xsd:gYearMonth ;
    ag:citation [ ag:source res:src ; ag:locator "p. 1\\u00e9" ] .
"""


def test_mutated_turtle_is_a_graph_or_a_named_error(tmp_path):
    # Seeded and bounded: byte flips, deletions, duplications and insertions of the
    # characters Turtle gives meaning to.
    rng = random.Random(20261201)
    specials = list('<>"\\@^;,.[]()#:_ \n\t\r\x00\xff') + ["\\u", "'''", '"""', "<<"]
    path = tmp_path / "m.ttl"
    outcomes = {"graph": 0, "error": 0}
    for _ in range(300):
        text = SEED
        for _ in range(rng.randint(1, 4)):
            i = rng.randrange(len(text))
            op = rng.choice(("flip", "drop", "dup", "insert"))
            if op == "drop":
                text = text[:i] + text[i + 1 :]
            elif op == "dup":
                text = text[:i] + text[i : i + 8] * 2 + text[i + 8 :]
            else:
                piece = rng.choice(specials)
                text = text[:i] + piece + text[i + (op == "flip") :]
        path.write_bytes(text.encode("utf-8", "surrogateescape"))
        for read in (load.open_store, load.load_graph):
            try:
                read([path], ontology=False)
                outcomes["graph"] += 1
            except DataFileError as exc:
                assert str(path) in str(exc)
                assert ":-" not in str(exc)  # never a negative position
                outcomes["error"] += 1
    assert outcomes["graph"] and outcomes["error"]  # the fuzzer reached both outcomes


STAR_TTL = "@prefix ex: <http://ex/> .\nex:a ex:b ex:c .\n<< ex:a ex:b ex:c >> ex:d 1 .\n"
STAR_NT = (
    "<http://ex/a> <http://ex/b> <http://ex/c> .\n"
    "<http://ex/x> <http://ex/d> <<( <http://ex/a> <http://ex/b> <http://ex/c> )>> .\n"
)


@pytest.mark.parametrize("name, text, line", [("star.ttl", STAR_TTL, 3), ("star.nt", STAR_NT, 2)])
def test_a_quoted_triple_is_refused_naming_its_line(tmp_path, name, text, line):
    path = tmp_path / name
    path.write_text(text)
    with pytest.raises(DataFileError) as caught:
        load.parse(path)
    assert "RDF-star" in str(caught.value) and f"{name}:{line}" in str(caught.value)


def test_chevrons_inside_a_string_are_only_text(tmp_path):
    # the loader looks at every quad only when the text holds "<<"; a string may
    path = tmp_path / "text.ttl"
    path.write_text('@prefix ex: <http://ex/> .\nex:a ex:b "x << y >> z" .\n')
    (quad,) = load.parse(path)
    assert quad.object.value == "x << y >> z"


def _nested_rdf_xml(levels: int) -> str:
    opening = "".join(
        f'<rdf:Description rdf:about="http://ex/n{i}">\n<ex:p>' for i in range(levels)
    )
    closing = "</ex:p></rdf:Description>" * levels
    return (
        '<?xml version="1.0"?>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"'
        f' xmlns:ex="http://ex/">\n{opening}x{closing}\n</rdf:RDF>\n'
    )


def test_rdf_xml_nested_past_the_limit_is_refused_naming_the_line(tmp_path, capsys):
    # Two elements a level: the element past the limit opens on line 2 + (limit + 1) // 2.
    levels = load.XML_DEPTH // 2 + 1
    path = tmp_path / "deep.rdf"
    path.write_text(_nested_rdf_xml(levels))
    with pytest.raises(DataFileError) as err:
        load.open_store([path])
    line = 2 + (load.XML_DEPTH + 1 + 1) // 2
    assert f"{path}:{line}:" in str(err.value), str(err.value)
    assert f"nested deeper than {load.XML_DEPTH} elements" in str(err.value)
    with pytest.raises(SystemExit) as exit_:
        main(["query", "twins", "--data", str(path)])
    assert exit_.value.code == 2 and "nested deeper" in capsys.readouterr().err


def test_rdf_xml_nested_within_the_limit_loads_and_bad_xml_keeps_the_parsers_message(tmp_path):
    levels = load.XML_DEPTH // 2 - 1
    ok = tmp_path / "ok.rdf"
    ok.write_text(_nested_rdf_xml(levels))
    quads = load.parse(ok)
    assert len(quads) == levels  # one ex:p a level, the last to a literal
    broken = tmp_path / "broken.rdf"
    broken.write_text(_nested_rdf_xml(3).replace("</rdf:RDF>", "</rdf:RD>"))
    with pytest.raises(DataFileError) as err:
        load.parse(broken)
    assert "not valid rdfxml" in str(err.value) and "nested deeper" not in str(err.value)
