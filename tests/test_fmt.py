"""``alliance-graph fmt`` and :mod:`alliance_graph.canonical`: canonical Turtle that keeps
comments and grouping, proves the graph unchanged, and writes atomically."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph
from rdflib.compare import isomorphic

from alliance_graph import canonical
from alliance_graph.canonical import FormatError, default_files, format_files, format_text
from alliance_graph.cli import cli
from alliance_graph.errors import DataFileError

DATA = Path(__file__).parent / "data"
SAMPLE = (DATA / "fmt-sample.ttl").read_text(encoding="utf-8")
CANONICAL = (DATA / "fmt-sample.canonical.ttl").read_text(encoding="utf-8")


def test_a_sample_in_canonical_form():
    assert format_text(SAMPLE, "sample.ttl") == CANONICAL
    assert format_text(CANONICAL, "sample.ttl") == CANONICAL  # idempotent


def test_shipped_data_and_ontology_are_canonical():
    files = default_files()
    assert {f.parent.name for f in files} == {"data", "ontology"}
    assert [r.path for r in format_files(files, check=True) if r.changed] == []


def test_refuses_to_write_a_different_graph(tmp_path, monkeypatch):
    path = tmp_path / "x.ttl"
    path.write_text(SAMPLE)
    real = canonical.StatementWriter.text
    monkeypatch.setattr(
        canonical.StatementWriter, "text", lambda self: real(self).replace("36.80", "36.8")
    )
    with pytest.raises(FormatError, match="would change"):
        format_files([path])
    assert path.read_text() == SAMPLE  # left as it was
    assert [p.name for p in tmp_path.iterdir()] == ["x.ttl"]  # no temporary file left


BLANK = """@prefix ag: <https://w3id.org/alliance-graph/ontology#> .
@prefix res: <https://w3id.org/alliance-graph/resource/> .

res:s ag:citation [ ag:locator "p. 1" ; ag:source res:a ] ,
        [ ag:locator "p. 2" ; ag:source res:b ] .
"""


def _swap(text: str, a: str, b: str) -> str:
    return text.replace(a, "\0").replace(b, a).replace("\0", b)


@pytest.mark.parametrize(
    "change, refused",
    [
        # the two blank nodes' contents swapped whole between them: the same graph
        (lambda t: _swap(_swap(t, '"p. 1"', '"p. 2"'), "res:a", "res:b"), False),
        # one blank node's value changed: another graph
        (lambda t: t.replace('"p. 2"', '"p. 3"'), True),
        # the sources crossed between the two nodes, the locators kept: another graph
        (lambda t: _swap(t, "res:a", "res:b"), True),
    ],
)
def test_statements_with_blank_nodes_are_compared_up_to_their_names(monkeypatch, change, refused):
    real = canonical.StatementWriter.text
    monkeypatch.setattr(canonical.StatementWriter, "text", lambda self: change(real(self)))
    if refused:
        with pytest.raises(FormatError, match="would change"):
            format_text(BLANK, "blank.ttl")
    else:
        assert "p. 1" in format_text(BLANK, "blank.ttl")


def test_cli_check_diff_and_write(tmp_path):
    path = tmp_path / "mine.ttl"
    path.write_text(SAMPLE)
    runner = CliRunner()
    result = runner.invoke(cli, ["fmt", "--check", "--diff", str(path)])
    assert result.exit_code == 1
    assert "mine.ttl: not canonical" in result.output
    assert "+    ag:holder res:Renault ;" in result.output  # a short unified diff
    assert path.read_text() == SAMPLE
    result = runner.invoke(cli, ["fmt", str(path)])
    assert result.exit_code == 0 and "mine.ttl: formatted" in result.output
    assert path.read_text() == CANONICAL
    result = runner.invoke(cli, ["fmt", "--check", str(path)])
    assert result.exit_code == 0 and "1 file canonical" in result.output


def test_malformed_turtle_cannot_be_formatted(tmp_path):
    path = tmp_path / "bad.ttl"
    path.write_text("@prefix ag: <https://w3id.org/alliance-graph/ontology#> .\n\nag:a ag:b ;; .\n")
    with pytest.raises(DataFileError) as err:
        format_files([path])
    assert err.value.path == str(path) and err.value.line == 3


# --- bytes kept exactly, valid Turtle accepted, the rest refused clearly (issue 10 items
# 7, 13, 15) -------------------------------------------------------------------------

EX = "@prefix ex: <http://ex/> .\n"


def _fmt(path):
    return CliRunner().invoke(cli, ["fmt", str(path)])


def _objects(path):
    import pyoxigraph as ox

    return sorted(t.object for t in ox.parse(path.read_bytes(), format=ox.RdfFormat.TURTLE))


def test_fmt_keeps_a_carriage_return_inside_a_long_literal(tmp_path):
    path = tmp_path / "cr.ttl"
    path.write_bytes((EX + 'ex:a   ex:b """one\r\ntwo""" .\n').encode())
    before = _objects(path)
    assert before[0].value == "one\r\ntwo"
    result = _fmt(path)
    assert result.exit_code == 0, result.output
    assert _objects(path) == before  # the CR is still in the literal


def test_fmt_keeps_the_case_of_a_language_tag(tmp_path):
    path = tmp_path / "lang.ttl"
    path.write_text(EX + 'ex:a   ex:b "colour"@en-GB , "color"@en-US .\n')
    assert _fmt(path).exit_code == 0
    text = path.read_text()
    assert '"colour"@en-GB' in text and '"color"@en-US' in text


def test_fmt_formats_an_escaped_character_in_a_local_name(tmp_path):
    path = tmp_path / "esc.ttl"
    path.write_text(EX + "ex:a\\#b   ex:p ex:c .\n")
    before = _objects(path)
    result = _fmt(path)
    assert result.exit_code == 0, result.output
    assert "<http://ex/a#b>" in path.read_text()
    assert _objects(path) == before


def test_fmt_keeps_a_labelled_blank_node_that_several_statements_name(tmp_path):
    # _:owner is named by three statements: written inline in each, it would become three
    # nodes (fmt used to refuse the file for that). It keeps its label; a labelled node
    # named by one statement only is still written inline.
    import pyoxigraph as ox

    path = tmp_path / "shared.ttl"
    path.write_text(
        EX + '_:owner ex:name "Holding" .\nex:a ex:heldBy _:owner .\nex:b ex:heldBy _:owner .\n'
        "ex:c ex:note _:once .\n_:once2 ex:v 1 .\n"
    )
    before = ox.Dataset(ox.parse(path.read_bytes(), format=ox.RdfFormat.TURTLE))
    result = _fmt(path)
    assert result.exit_code == 0, result.output
    text = path.read_text()
    assert "_:owner\n    ex:name" in text and text.count("ex:heldBy _:owner .") == 2
    assert "ex:note [] ." in text and "_:once" not in text
    after = ox.Dataset(ox.parse(path.read_bytes(), format=ox.RdfFormat.TURTLE))
    before.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    after.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    assert set(after) == set(before)
    assert format_text(text, path) == text  # canonical: formatting again changes nothing


def test_fmt_keeps_a_byte_order_mark(tmp_path):
    path = tmp_path / "bom.ttl"
    path.write_bytes(b"\xef\xbb\xbf" + (EX + "ex:a   ex:b ex:c .\n").encode())
    assert _fmt(path).exit_code == 0
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf@prefix ex:") and b"ex:a\n    ex:b ex:c ." in data


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ((EX + "ex:a ex:b ex:c .\n<< ex:a ex:b ex:c >> ex:d ex:e .\n").encode(), ":3: RDF-star"),
        (
            (EX + 'ex:a ex:b "' + "x" * (17 * 1024 * 1024) + '" .\n').encode(),
            ":2: a token (a string or IRI) is too long to read",
        ),
        (
            (EX + "ex:a ex:b " + "[ ex:p " * 2000 + "ex:c" + " ]" * 2000 + " .\n").encode(),
            ": blank nodes or lists are nested too deeply for fmt",
        ),
        ((EX + 'ex:a ex:b "caf\xe9" .\n').encode("latin-1"), ":2:15: not UTF-8: byte 0xe9"),
    ],
    ids=["rdf-star", "token-over-16-MiB", "nested-2000-deep", "not-utf-8"],
)
def test_fmt_refuses_what_it_cannot_keep_with_exit_2(tmp_path, capsys, content, message):
    from alliance_graph.cli import main

    path = tmp_path / "x.ttl"
    path.write_bytes(content)
    with pytest.raises(SystemExit) as exit_:
        main(["fmt", str(path)])
    err = capsys.readouterr().err
    assert exit_.value.code == 2, err[-500:]
    assert f"{path}{message}" in err, err[-500:]
    assert path.read_bytes() == content  # left as it was


@pytest.mark.parametrize("suffix", [".nt", ".nq", ".trig", ".rdf", ".jsonld"])
def test_a_file_of_another_syntax_is_refused_and_left_as_it_is(tmp_path, capsys, suffix):
    # A valid N-Triples file used to be rewritten as Turtle under its .nt name, which
    # no reader of N-Triples then accepted.
    from alliance_graph.cli import main

    path = tmp_path / f"real{suffix}"
    other = tmp_path / "other.ttl"
    other.write_text("@prefix ex: <http://ex.org/> .\nex:a   ex:b ex:c .\n", encoding="utf-8")
    path.write_bytes(b'<http://ex.org/a> <http://ex.org/b> "c" .\n')
    before = path.read_bytes(), other.read_bytes()
    with pytest.raises(SystemExit) as exit:
        main(["fmt", str(other), str(path)])
    assert exit.value.code == 2
    assert f"{path}: is " in capsys.readouterr().err
    assert (path.read_bytes(), other.read_bytes()) == before  # nothing written, not even other


NOT_CANONICAL = '@prefix ex: <http://example.org/> .\nex:b ex:p "1" .\nex:a ex:p   "2" .\n'
BROKEN = "@prefix ex: <http://example.org/> .\nex:a ex:p ;; .\n"


def test_several_files_are_all_tried_and_none_written_while_one_fails(tmp_path):
    # fmt stopped at the first file that did not parse: the ones before it rewritten
    # without a word, the ones after it not looked at
    first, bad, last = tmp_path / "a.ttl", tmp_path / "bad.ttl", tmp_path / "z.ttl"
    first.write_text(NOT_CANONICAL)
    bad.write_text(BROKEN)
    last.write_text(NOT_CANONICAL)
    runner = CliRunner()
    result = runner.invoke(cli, ["fmt", str(first), str(bad), str(last)])
    assert result.exit_code == 2
    assert "bad.ttl:2" in result.output and "nothing was written" in result.output
    assert first.read_text() == last.read_text() == NOT_CANONICAL
    check = runner.invoke(cli, ["fmt", "--check", str(first), str(bad), str(last)])
    assert check.exit_code == 2 and "bad.ttl:2" in check.output
    assert f"{first}: not canonical" in check.output and f"{last}: not canonical" in check.output


@pytest.mark.parametrize("name", ["notes.txt", "README", "data.TTL.bak"])
def test_only_files_named_ttl_are_formatted(tmp_path, name):
    path = tmp_path / name
    path.write_text(NOT_CANONICAL)
    result = CliRunner().invoke(cli, ["fmt", str(path)])
    assert result.exit_code == 2 and "fmt writes Turtle only, to files named .ttl" in result.output
    assert path.read_text() == NOT_CANONICAL


def test_a_blank_node_that_refers_to_itself_is_kept_by_its_label(tmp_path):
    path = tmp_path / "loop.ttl"
    path.write_text("@prefix ex: <http://example.org/> .\n_:g ex:p _:g ; ex:q 1 .\n")
    before = Graph().parse(path)
    result = CliRunner().invoke(cli, ["fmt", str(path)])
    assert result.exit_code == 0, result.output
    assert isomorphic(before, Graph().parse(path))
    assert CliRunner().invoke(cli, ["fmt", "--check", str(path)]).exit_code == 0


def test_a_syntax_error_is_placed_on_its_own_line_of_the_file(tmp_path):
    # both were placed by the statement: its first line, or the parser's count of lines
    # within the statement in the words
    unclosed = tmp_path / "unclosed.ttl"
    unclosed.write_text(
        '@prefix ex: <http://example.org/> .\n\nex:a\n  ex:p "ok" ;\n  ex:r "broken ;\n  ex:s 1 .\n'
    )
    with pytest.raises(DataFileError) as err:
        format_files([unclosed])
    assert err.value.line == 5
    bad = tmp_path / "bad.ttl"
    bad.write_text("@prefix ex: <http://example.org/> .\n\nex:a ex:p 1 .\n\nex:b\n  ex:q ;; .\n")
    with pytest.raises(DataFileError) as err:
        format_files([bad])
    assert err.value.line == 6 and "line 2" not in str(err.value) and "line" not in err.value.reason


def test_diff_alone_shows_and_changes_nothing(tmp_path):
    # --diff without --check rewrote the file, showing nothing
    path = tmp_path / "d.ttl"
    path.write_text(NOT_CANONICAL)
    result = CliRunner().invoke(cli, ["fmt", "--diff", str(path)])
    assert result.exit_code == 1 and "(canonical)" in result.output
    assert path.read_text() == NOT_CANONICAL


def test_characters_no_one_can_see_stay_escaped(tmp_path):
    # \u200B, \uFEFF and \u0000 were written raw: invisible in the file, and a raw NUL
    # makes git take the file for a binary one
    path = tmp_path / "escapes.ttl"
    path.write_text(
        "@prefix ex: <http://example.org/> .\n"
        'ex:a ex:p "a\\u200Bb" ; ex:q "x\\u0000y" ; ex:r "\\uFEFFz" ; ex:s "caf\\u00E9" .\n'
    )
    before = Graph().parse(path)
    assert CliRunner().invoke(cli, ["fmt", str(path)]).exit_code == 0
    text = path.read_text(encoding="utf-8")
    assert "\\u200B" in text and "\\u0000" in text and "\\uFEFF" in text
    assert "\x00" not in text and "\u200b" not in text and "café" in text  # é is visible
    assert isomorphic(before, Graph().parse(path))
