"""The saved queries under grlc itself (grlc 1.3.11 from PyPI, in a virtual environment
of its own that tests/grlc_env.py makes: grlc pins Flask, requests and rdflib exactly).

- grlc's own substitution (``gquery.get_metadata`` and ``gquery.rewrite_query``) runs on
  every ``queries/*.rq`` with example values, and what it writes must parse (rdflib and
  pyoxigraph); grlc must see the same parameters, required ones, defaults and allowed
  values as the catalogue.
- grlc serves ``queries/`` unchanged in its local mode against the Oxigraph server of
  tests/test_endpoint.py, and every saved query's example (and the same with every
  defaulted or optional parameter left out) answers as the CLI does in process.
- Values outside what a parameter allows select nothing under grlc.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import grlc_env
import pyoxigraph as ox
import pytest
from rdflib import Graph
from rdflib.compare import to_canonical_graph
from rdflib.plugins.sparql import prepareQuery
from test_endpoint import EXTRA, pushed, server  # noqa: F401  (fixtures)

from alliance_graph import queries
from alliance_graph.cli import main
from alliance_graph.errors import DataFileError

ROOT = Path(__file__).resolve().parents[1]
QUERIES = ROOT / "queries"


@pytest.fixture(scope="module")
def grlc_python() -> Path:
    """grlc's Python; the session began building its environment (tests/grlc_env.py)."""
    try:
        return grlc_env.ensure()
    except grlc_env.GrlcUnavailable as exc:
        pytest.fail(str(exc))


def _grlc_value(p, value, names) -> str:
    """What a grlc user passes for ``value``: a full IRI, a day, the text itself."""
    term = p.bindings(value, names)[p.variable]
    if p.type == "date":
        span = p.span(value)
        assert span.earliest == span.latest, f"{p.name}={value}: grlc takes only a day"
    return term.value


def _cases() -> list[tuple[queries.SavedQuery, dict, bool]]:
    """Each saved query with its example (flagged True), the same with every parameter
    that may be left out left out, and the other values tests/test_endpoint.py runs."""
    names = queries.names_for()
    out = []
    for q in queries.catalogue():
        sets = [dict(q.example), {k: v for k, v in q.example.items() if q.parameter(k).required}]
        sets += EXTRA.get(q.name, [])
        seen = []
        for i, params in enumerate(sets):
            args = {k: _grlc_value(q.parameter(k), v, names) for k, v in params.items()}
            if args not in seen:
                seen.append(args)
                out.append((q, args, i == 0))
    return out


SUBSTITUTE = """
import json, sys
from grlc import gquery
jobs = json.load(open(sys.argv[1]))
out, metas = [], {}
for job in jobs:
    if job["file"] not in metas:
        raw = open(job["file"], encoding="utf-8").read()
        metas[job["file"]] = gquery.get_metadata(raw, "http://127.0.0.1:9/unused")
    meta = metas[job["file"]]
    params = {k: {"required": v["required"], "enum": v.get("enum"), "default": v.get("default")}
              for k, v in meta.get("parameters", {}).items()}
    try:
        text = gquery.rewrite_query(meta["original_query"], meta["parameters"], job["args"])
    except AssertionError as exc:
        text = None
    out.append({"params": params, "query": text})
json.dump(out, open(sys.argv[2], "w"))
"""


def test_grlc_substitution_of_every_saved_query_parses(grlc_python, tmp_path):
    cases = _cases()
    jobs = [{"file": str(q.path), "args": args} for q, args, _ in cases]
    (tmp_path / "jobs.json").write_text(json.dumps(jobs))
    (tmp_path / "substitute.py").write_text(SUBSTITUTE)
    done = subprocess.run(
        [str(grlc_python), "substitute.py", "jobs.json", "out.json"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    answers = json.loads((tmp_path / "out.json").read_text())
    assert len(answers) == len(cases) >= len(queries.catalogue())
    for (q, args, _), got in zip(cases, answers, strict=True):
        # grlc sees the parameters the catalogue declares, and the same required ones,
        # defaults and allowed values.
        ours = {p.name: p for p in q.parameters}
        assert set(got["params"]) == set(ours), q.name
        for name, seen in got["params"].items():
            p = ours[name]
            assert seen["required"] == p.required, (q.name, name)
            assert seen["default"] == p.default, (q.name, name)
            assert seen["enum"] == (sorted(p.enum) if p.enum else None), (q.name, name)
        text = got["query"]
        assert text is not None, f"{q.name} {args}: grlc says a required parameter is missing"
        for p in q.parameters:
            if p.name in args:
                assert f"?{p.variable}" not in text, (q.name, p.name)
        try:
            prepareQuery(text)
        except Exception as exc:  # the parser's own message is the useful part
            pytest.fail(f"{q.name} {args}: rdflib cannot parse grlc's query: {exc}\n{text}")
        try:
            ox.Store().query(text)
        except SyntaxError as exc:
            pytest.fail(f"{q.name} {args}: pyoxigraph cannot parse grlc's query: {exc}\n{text}")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def grlc_api(grlc_python, pushed, tmp_path_factory):  # noqa: F811
    """grlc in local mode on 127.0.0.1, serving queries/ against the Oxigraph server."""
    home = tmp_path_factory.mktemp("grlc")
    (home / "config.ini").write_text(
        f"[defaults]\nsparql_endpoint = {pushed}\ndebug = False\n"
        f"[local]\nlocal_sparql_dir = {QUERIES}\n"
    )
    port = _free_port()
    run = f"from grlc.server import app; app.run(host='127.0.0.1', port={port})"
    log = (home / "grlc.log").open("w")
    proc = subprocess.Popen(
        [str(grlc_python), "-c", run],
        cwd=home,
        stdout=log,
        stderr=subprocess.STDOUT,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    base = f"http://127.0.0.1:{port}/api-local"
    # grlc builds its swagger document from every query on each request: on a loaded
    # machine that took over 5 s, so the probe waits long for an answer once connected.
    deadline = time.monotonic() + 300
    try:
        while True:
            if proc.poll() is not None:
                pytest.fail(f"grlc exited: {(home / 'grlc.log').read_text()[-3000:]}")
            try:
                with urllib.request.urlopen(base + "/swagger", timeout=120) as answer:
                    if answer.status == 200:
                        spec = json.load(answer)
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail("grlc did not answer within 300 s")
            time.sleep(0.2)
        assert {f"/{q.name}" for q in queries.catalogue()} <= set(spec["paths"])
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


def _call(base: str, name: str, args: dict, accept: str) -> tuple[int, bytes]:
    url = f"{base}/{name}?" + urllib.parse.urlencode(args)
    request = urllib.request.Request(url, headers={"Accept": accept})
    try:
        with urllib.request.urlopen(request, timeout=120) as answer:
            return answer.status, answer.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def _cli(capsys, name: str, args: dict, fmt: str) -> str:
    argv = ["query", name, "--format", fmt]
    for k, v in args.items():
        argv += ["-p", f"{k}={v}"]
    with pytest.raises(SystemExit) as exit_:
        main(argv)
    out = capsys.readouterr()
    assert exit_.value.code == 0, out.err
    return out.out


def _rows(doc: dict, lists: dict) -> list:
    """SPARQL JSON bindings as sorted rows; list cells compared as sorted lists (grlc
    passes the server's GROUP_CONCAT order through)."""
    rows = []
    for b in doc["results"]["bindings"]:
        row = []
        for var, term in sorted(b.items()):
            value = term["value"]
            if var in lists:
                value = lists[var].join(sorted(value.split(lists[var])))
            row.append((var, term["type"], value, term.get("xml:lang"), term.get("datatype")))
        rows.append(tuple(row))
    return sorted(rows)


def test_every_saved_query_through_grlc_answers_as_the_cli(grlc_api, capsys):
    for q, args, example in _cases():
        if q.form == "SELECT":
            status, body = _call(grlc_api, q.name, args, "application/sparql-results+json")
            assert status == 200, (q.name, args, body[:2000])
            theirs = json.loads(body)
            ours = json.loads(_cli(capsys, q.name, args, "sparql-json"))
            assert theirs["head"]["vars"] == ours["head"]["vars"], q.name
            assert _rows(theirs, q.lists) == _rows(ours, q.lists), (q.name, args)
            if example:
                assert ours["results"]["bindings"], f"{q.name}: the example answers nothing"
        else:
            status, body = _call(grlc_api, q.name, args, "text/turtle")
            assert status == 200, (q.name, args, body[:2000])
            theirs = Graph().parse(data=body.decode(), format="turtle")
            ours = Graph().parse(data=_cli(capsys, q.name, args, "ntriples"), format="nt")
            assert len(ours) > 0, q.name
            assert sorted(to_canonical_graph(theirs)) == sorted(to_canonical_graph(ours)), q.name


@pytest.mark.parametrize(
    "name, args",
    [
        ("stakes-on-date", {"date": "2003-06-30", "reading": "Certain"}),
        ("stakes-on-date", {"date": "2003"}),
        ("stakes-on-date", {"date": "2003-06"}),
        ("stakes-on-date", {"date": "2003-02-30"}),
        ("members-on-date", {"date": "2018-02-30"}),
        ("events-in-period", {"from": "2023-01-01", "to": "2023-02-30"}),
        ("stakes-on-date", {"date": "2003-06-30", "held": "res:NissanMotor"}),
        ("stakes-on-date", {"date": "2003-06-30", "held": "NissanMotor"}),
        ("members-on-date", {"date": "2018"}),
        ("roles-on-date", {"date": "2010-06-30", "reading": "maybe"}),
        ("events-in-period", {"from": "2023", "to": "2023-12-31"}),
        (
            "stake-history",
            {
                "holder": "https://w3id.org/alliance-graph/resource/NissanMotor",
                "held": "https://w3id.org/alliance-graph/resource/Renault",
                "claims": "All",
            },
        ),
        ("measures-over-time", {"kind": "targets"}),
    ],
)
def test_a_value_outside_what_grlc_users_must_pass_selects_nothing(grlc_api, name, args):
    status, body = _call(grlc_api, name, args, "application/sparql-results+json")
    if status == 200:
        assert json.loads(body)["results"]["bindings"] == [], (name, args)
    else:  # an error is fine too: nothing that looks like an answer
        assert status >= 400, (name, args, status)


def test_a_required_parameter_left_out_is_an_error_under_grlc(grlc_api):
    status, _ = _call(grlc_api, "stakes-on-date", {}, "application/sparql-results+json")
    assert status == 500


GOOD = """#+ summary: Echo
#+ description: a day and a reading
#+ params:
#+   - name: date
#+     type: date
#+   - name: reading
#+     type: string
#+ defaults:
#+   - reading: as-of
#+ enumerate:
#+   - reading: [as-of, certain]
#+ example:
#+   date: "2003-06-30"
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
SELECT ?day ?reading WHERE {
  BIND(?_date_xsd_date AS ?day)
  BIND(COALESCE(?__reading, "as-of") AS ?reading)
}
"""


def test_the_catalogue_reads_grlcs_decorators(tmp_path):
    (tmp_path / "echo.rq").write_text(GOOD)
    q = queries.get("echo", folder=tmp_path)
    reading = q.parameter("reading")
    assert (reading.default, reading.enum, reading.variable) == (
        "as-of",
        ("as-of", "certain"),
        "__reading",
    )
    assert queries.run(q, {"date": "2003-06-30"}).rows == [
        {"day": "2003-06-30", "reading": "as-of"}
    ]


@pytest.mark.parametrize(
    "old, new, message",
    [
        ("PREFIX xsd: <", "PREFIX xsd:  <", "exact line"),
        (
            "#+   - reading: as-of",
            "#+   - reading: as-of\n#+   - mode: fast",
            r"defaults: no #\+ params entry declares \['mode'\]",
        ),
        ("#+   - reading: [as-of, certain]", "#+   - reading", "grlc would ask the endpoint"),
        ("a day and a reading", "binds ?_date_xsd_date", "grlc would take it for a parameter"),
        ("#+   - reading: [as-of, certain]", "#+   - reading: as-of", "needs a list"),
    ],
)
def test_the_catalogue_refuses_what_breaks_under_grlc(tmp_path, old, new, message):
    assert old in GOOD
    (tmp_path / "echo.rq").write_text(GOOD.replace(old, new))
    with pytest.raises(DataFileError, match=message):
        queries.get("echo", folder=tmp_path)
