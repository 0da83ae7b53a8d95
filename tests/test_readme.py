"""The README's examples run, and show what they say they show.

Every `alliance-graph ...` line of a ```sh block in README.md that needs no server and no
file of the reader's own is run, in order, in one temporary folder that sees the
repository's docs/ (so that an example may read what an earlier one wrote); it must
exit 0 (1 for a check that reports problems), and every percentage its trailing comment
promises ("# 44.3%, not certain: 43.4% possible"), outside parentheses, must be in
what it prints. Every
``>>>`` example of a ```python block runs as a doctest and must print what it shows.
"""

from __future__ import annotations

import doctest
import re
import shlex
from pathlib import Path

import pytest
from click.testing import CliRunner

from alliance_graph.cli import cli

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")

# Examples that need a server or files the reader brings, or that rewrite the shipped
# files, are documented, not run here.
NEEDS_MORE = (
    "--endpoint",
    "push",
    "serve",
    "my-",
    "my.",
    "my ",
    "your",
    "report.xml",
    "fmt data/",
)


def _blocks(text: str, lang: str) -> list[str]:
    return re.findall(rf"```{lang}\n(.*?)```", text, re.S)


def _examples() -> list[tuple[str, str]]:
    found = []
    for block in _blocks(README, "sh"):
        for raw in block.splitlines():
            line = raw.strip()
            if not line.startswith("alliance-graph ") or any(m in line for m in NEEDS_MORE):
                continue
            command, _, comment = line.partition(" # ")
            found.append((command.strip(), comment.strip()))
    return found


EXAMPLES = _examples()


def test_the_readme_has_examples_to_run():
    assert len(EXAMPLES) >= 15


@pytest.fixture(scope="module")
def workdir(tmp_path_factory):
    folder = tmp_path_factory.mktemp("readme")
    (folder / "docs").symlink_to(ROOT / "docs", target_is_directory=True)
    return folder


@pytest.mark.parametrize(("command", "comment"), EXAMPLES, ids=[c for c, _ in EXAMPLES])
def test_readme_example_runs_and_shows_what_it_says(command, comment, workdir, monkeypatch):
    tmp_path = workdir
    monkeypatch.chdir(tmp_path)
    argv = shlex.split(command)[1:]
    result = CliRunner().invoke(cli, argv, prog_name="alliance-graph", catch_exceptions=False)
    assert result.exit_code == 0, (command, result.output)
    shown = result.output
    if any(a in ("-o", "--output") and i + 1 < len(argv) for i, a in enumerate(argv)):
        target = argv[argv.index("-o") + 1] if "-o" in argv else argv[argv.index("--output") + 1]
        if target != "-":
            assert (tmp_path / target).exists(), command
    # Figures in parentheses speak of another variant ("46.4% with --plain").
    for figure in re.findall(r"(\d+(?:\.\d+)?)%", re.sub(r"\(.*?\)", "", comment)):
        assert figure in shown, (command, figure, shown[:2000])


def test_readme_python_examples_print_what_they_show():
    code = "\n".join(_blocks(README, "python"))
    parser = doctest.DocTestParser()
    test = parser.get_doctest(code, {}, "README.md", "README.md", 0)
    assert test.examples, "the README's Python examples are written as >>> doctests"
    runner = doctest.DocTestRunner(optionflags=doctest.NORMALIZE_WHITESPACE | doctest.ELLIPSIS)
    runner.run(test)
    failed, attempted = runner.summarize(verbose=False)
    assert attempted and failed == 0
