"""The pre-commit hooks (.pre-commit-hooks.yaml), run by the pre-commit tool in a temporary
repository, and the example GitHub Actions workflow in docs/.

pre-commit installs the hooks' environment itself, from this repository (`pip install .`
in a new virtualenv). To keep the suite fast, the test lets pip skip the dependencies and
the isolated build (PIP_NO_DEPS, PIP_NO_BUILD_ISOLATION) and finds them, and the build
backend, on PYTHONPATH in the running interpreter's site-packages; a full install from
PyPI works the same and takes about 20 s more (docs/validation.md).
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
import sysconfig
from pathlib import Path

import yaml

from alliance_graph.cli import cli

ROOT = Path(__file__).resolve().parents[1]

BAD = """\
@prefix ag: <https://w3id.org/alliance-graph/ontology#> .
@prefix res: <https://w3id.org/alliance-graph/resource/> .
@prefix src: <https://w3id.org/alliance-graph/source/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .

res:stake-mine a ag:Shareholding ; rdfs:label "Mine in Renault, 5%"@en ;
    ag:holder res:Google ; ag:held res:Renault ; ag:precent 5.0 ;
    ag:interest ag:EconomicInterest ; ag:start "2020"^^xsd:gYear ; ag:endStatus ag:Ongoing ;
    ag:citation [ a ag:Citation ; ag:source src:article ; ag:locator "mine" ] .
"""


def _env(tmp_path: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GIT_", "PRE_COMMIT"))}
    site = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
    env.update(
        PRE_COMMIT_HOME=str(tmp_path / "cache"),
        PIP_NO_DEPS="1",
        PIP_NO_BUILD_ISOLATION="0",  # pip reads this one backwards: "0" turns isolation off
        PYTHONPATH=os.pathsep.join(sorted(site)),
        GIT_AUTHOR_NAME="test",
        GIT_AUTHOR_EMAIL="test@example.org",
        GIT_COMMITTER_NAME="test",
        GIT_COMMITTER_EMAIL="test@example.org",
    )
    return env


def _git(repo: Path, *args: str, env: dict) -> None:
    subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True)


def test_hooks_run_in_a_temporary_repository(tmp_path):
    env = _env(tmp_path)
    repo = tmp_path / "repo"
    repo.mkdir()
    _git(repo, "init", "-q", env=env)
    (repo / "good.ttl").write_text((ROOT / "data" / "alliance.ttl").read_text())
    (repo / "bad.ttl").write_text(BAD)
    (repo / "notes.txt").write_text("not Turtle: the hooks leave it alone\n")
    _git(repo, "add", "good.ttl", "bad.ttl", "notes.txt", env=env)
    pre_commit = [sys.executable, "-m", "pre_commit", "try-repo", str(ROOT)]

    both = subprocess.run(
        [*pre_commit, "--files", "good.ttl", "bad.ttl", "notes.txt"],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    out = both.stdout + both.stderr
    assert both.returncode == 1, out
    assert re.search(r"alliance-graph validate\.+Failed", out), out
    assert re.search(r"alliance-graph fmt --check\.+Failed", out), out
    # validate read both files as one graph and named the misspelt property, file and line
    assert re.search(r"bad\.ttl:7: Violation: Mine in Renault, 5% \(res:stake-mine\)", out), out
    assert "uses ag:precent, a property the ontology does not declare" in out
    # fmt listed the file that is not canonical, with a diff, and only that one
    assert "bad.ttl: not canonical" in out and "good.ttl: not canonical" not in out
    assert "+    ag:held res:Renault ;" in out

    good = subprocess.run(
        [*pre_commit, "--files", "good.ttl", "notes.txt"],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    out = good.stdout + good.stderr
    assert good.returncode == 0, out
    assert re.search(r"alliance-graph validate\.+Passed", out), out
    assert re.search(r"alliance-graph fmt --check\.+Passed", out), out


def test_hook_definitions():
    hooks = {h["id"]: h for h in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())}
    assert set(hooks) == {"alliance-graph-validate", "alliance-graph-fmt"}
    for hook in hooks.values():
        assert hook["language"] == "python" and hook["files"] == r"\.ttl$"
        assert hook["pass_filenames"] is True
    assert hooks["alliance-graph-validate"]["entry"] == "alliance-graph validate --data"
    assert hooks["alliance-graph-validate"]["require_serial"] is True
    assert hooks["alliance-graph-fmt"]["entry"].startswith("alliance-graph fmt --check")


def test_example_workflow_parses_and_calls_commands_that_exist():
    from click.testing import CliRunner

    workflow = yaml.safe_load((ROOT / "docs" / "github-actions-example.yml").read_text())
    assert workflow["name"] and workflow[True if True in workflow else "on"]  # YAML's `on:`
    steps = [s for job in workflow["jobs"].values() for s in job["steps"]]
    assert any(s.get("uses", "").startswith("actions/checkout@") for s in steps)
    commands = [
        line.strip()
        for s in steps
        for line in s.get("run", "").replace("\\\n", " ").splitlines()
        if line.strip().startswith("alliance-graph ")
    ]
    called = {" ".join(shlex.split(c)[1:2]) for c in commands}
    assert {"validate", "fmt"} <= called
    assert any("--format github" in c for c in commands)
    assert any("--format sarif" in c for c in commands)
    for command in commands:  # every option the workflow uses exists: --help parses them
        args = [a for a in shlex.split(command)[1:] if a.startswith("-")]
        name = shlex.split(command)[1]
        result = CliRunner().invoke(cli, [name, "--help"])
        assert result.exit_code == 0
        for option in args:
            assert option.split("=")[0] in result.output, (command, option)
    uploads = [s for s in steps if "upload-sarif" in s.get("uses", "")]
    assert uploads and uploads[0]["with"]["sarif_file"]
