"""Every command has --help with a real example and is documented in the README."""

from pathlib import Path

import pytest
from click.testing import CliRunner

from alliance_graph.cli import cli
from alliance_graph.cli.reference import commands

README = (Path(__file__).resolve().parents[1] / "README.md").read_text()


COMMANDS = list(commands())


def test_the_walk_finds_the_commands_users_rely_on():
    names = {" ".join(path) for path, _ in COMMANDS}
    for expected in (
        "summary",
        "validate",
        "query",
        "queries",
        "sparql",
        "push",
        "export",
        "plot network",
        "plot timeline",
        "ownership stake",
        "ownership integrated",
        "ownership control",
    ):
        assert expected in names


@pytest.mark.parametrize("path", [p for p, _ in COMMANDS], ids=" ".join)
def test_help_ends_with_a_real_example(path):
    result = CliRunner().invoke(cli, [*path, "--help"])
    assert result.exit_code == 0, result.output
    assert "Example" in result.output
    # the example runs this very command
    assert "alliance-graph " + " ".join(path) in result.output


@pytest.mark.parametrize("path", [p for p, _ in COMMANDS], ids=" ".join)
def test_command_appears_in_the_readme(path):
    assert "alliance-graph " + " ".join(path) in README


def test_the_cli_reference_is_generated_from_help():
    from alliance_graph.cli.reference import reference

    docs = Path(__file__).resolve().parents[1] / "docs" / "cli.md"
    assert docs.read_text() == reference(), (
        "docs/cli.md is stale: run python -m alliance_graph.cli.reference > docs/cli.md"
    )


def _runnable_examples():
    """The example lines of every --help that ask the shipped data a question: no file of
    the user's, no server, no output file, no shell pipe or continuation."""
    import shlex

    asking = ("ownership", "query", "queries", "entities", "sparql", "summary")
    for path, _ in COMMANDS:
        text = CliRunner().invoke(cli, [*path, "--help"]).output
        for line in text[text.rindex("Example") :].splitlines()[1:]:
            line = line.strip()
            if not line.startswith("alliance-graph ") or any(
                mark in line for mark in ("\\", "|", ">", " -o ", "--data", "--file", "changes.csv")
            ):
                continue
            argv = shlex.split(line)[1:]
            if argv[0] in asking:
                yield argv


EXAMPLES = sorted({tuple(a) for a in _runnable_examples()})


def test_the_examples_found_include_each_kind_of_question():
    kinds = {a[0] for a in EXAMPLES}
    assert {"ownership", "query", "entities", "sparql", "summary"} <= kinds
    assert len(EXAMPLES) >= 20


@pytest.mark.parametrize("argv", EXAMPLES, ids=" ".join)
def test_every_help_example_on_the_shipped_data_runs(argv, capsys, monkeypatch):
    # An example naming an entity by a label the data lacks failed with exit 2.
    from alliance_graph.cli import main

    monkeypatch.chdir(Path(__file__).resolve().parents[1])  # docs/examples/... paths
    with pytest.raises(SystemExit) as exit_:
        main(list(argv))
    assert exit_.value.code == 0, capsys.readouterr().err[-800:]


def test_the_validation_guide_counts_the_shapes_and_rules_the_validator_runs():
    # The counts had drifted (59 shapes and 112 rules for 60 and 113).
    import re

    from alliance_graph.validate import validate

    report = validate()
    rules = len(report.rules) - report.checks  # the checks are counted among the rules
    guide = (Path(__file__).resolve().parents[1] / "docs" / "validation.md").read_text()
    assert f"{report.shapes} shapes, {rules} rules" in guide
    stated = {int(n) for n in re.findall(r"\b(\d+) rules\b", guide)}
    assert stated == {rules}, stated
