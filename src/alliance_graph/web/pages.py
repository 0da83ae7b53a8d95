"""The human face: server-rendered pages (Jinja2 templates, escaped by default)."""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from pathlib import Path

from markupsafe import Markup
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.templating import Jinja2Templates

from ..errors import UnknownEntityError, UsageError
from ..names import pick_label
from ..namespaces import AG
from ..queries import compact
from ..temporal import READINGS, DateSpan
from . import entity_view
from .api import day_of, single
from .backend import local_path
from .errors import HTTPProblem

HERE = Path(__file__).parent
templates = Jinja2Templates(directory=str(HERE / "templates"))
templates.env.filters["path"] = local_path
templates.env.filters["short"] = lambda iri: compact(iri)


def fact_body(shown) -> Markup:
    """The part of a fact's HTML that no day changes (its dates, rank reason, rivals,
    details, citations), rendered the first time it is shown and kept with the fact: the
    facts are kept per backend (entity_view.FactCache), so a page renders only the
    certainty of each fact on its day."""
    fact = getattr(shown, "fact", shown)
    if fact.body is None:
        fact.body = Markup(templates.get_template("_fact.html").render(f=fact))
    return fact.body


templates.env.filters["fact_body"] = fact_body
FIRST_YEAR = 1999

TRIPLES = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
# A term's definition is its skos:definition (the ontology's own, as OBO-style
# catalogues write it); an rdfs:comment stands in for one where a user's terms have none.
ONTOLOGY = f"""PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?term ?type ?label (LANG(?label) AS ?labelLang) ?comment (LANG(?comment) AS ?commentLang)
WHERE {{
  ?term a ?type . FILTER(STRSTARTS(STR(?term), "{AG}"))
  OPTIONAL {{ ?term rdfs:label ?label }}
  OPTIONAL {{ ?term skos:definition ?comment }}
  OPTIONAL {{ FILTER NOT EXISTS {{ ?term skos:definition [] }} ?term rdfs:comment ?comment }}
}} ORDER BY ?term"""


def reading_of(text: str | None) -> str:
    reading = text or "as-of"
    if reading not in READINGS:
        raise HTTPProblem(
            400, f"parameter 'reading' expects one of {', '.join(READINGS)} (got {reading!r})"
        )
    return reading


class Pages:
    def __init__(self, backend):
        self.backend = backend

    def render(self, request, name, status=200, headers=None, **context):
        context.setdefault("endpoint", self.backend.settings.endpoint)
        return templates.TemplateResponse(
            request, name, context, status_code=status, headers=headers
        )

    def error_page(self, request, status, title, reason, headers=None):
        return self.render(
            request,
            "error.html",
            status=status,
            headers=headers,
            title=title,
            reason=reason,
            status_code=status,
        )

    # -- home and search -------------------------------------------------------------

    def _home_data(self):
        b = self.backend
        from .. import summary  # the counts of `alliance-graph summary`, run here

        counts = summary.counted(b.sparql(summary.CLASS_COUNTS, trusted=True).rows, b.directory)
        triples = b.sparql(TRIPLES).rows[0]["n"]
        from .. import ownership

        today = dt.date.today()
        per_year = []
        for year in range(FIRST_YEAR, today.year + 1):
            day = min(dt.date(year, 7, 1), today)
            g = ownership.snapshot(b.holdings, day)
            per_year.append({"year": year, "at": day.isoformat(), "stakes": g.number_of_edges()})
        return {
            "triples": triples,
            "counts": counts,
            "per_year": per_year,
            "queries": b.catalogue(),
        }

    async def home(self, request: Request):
        data = await run_in_threadpool(self._cached("home", self._home_data))
        return self.render(request, "home.html", **data)

    def _cached(self, key, make):
        cache = self.__dict__.setdefault("_cache", {})

        def get():
            if key not in cache:
                cache[key] = make()
            return cache[key]

        return get

    async def timeline_svg(self, request: Request):
        def draw():
            from .. import plot

            return plot.to_bytes(plot.timeline(self.backend.rdflib_graph), "svg")

        body = await run_in_threadpool(self._cached("timeline", draw))
        return Response(body, media_type="image/svg+xml", headers={"Cache-Control": "max-age=3600"})

    async def search(self, request: Request):
        q = request.query_params.get("q", "")[:200].strip()
        found, exact, problem = [], None, None
        if q:
            found = await run_in_threadpool(self.backend.suggest, q, 50)
            try:
                exact = await run_in_threadpool(self.backend.resolve, q)
            except UnknownEntityError as exc:
                problem = str(exc) if not found else None
        exact_hit = None
        if exact:
            exact_hit = next((f for f in found if f["iri"] == exact), None) or {
                "iri": exact,
                "label": self.backend.directory.label(exact),
                "path": local_path(exact),
                "kind": "",
            }
        return self.render(
            request, "search.html", q=q, search_q=q, found=found, exact=exact_hit, problem=problem
        )

    # -- entities ----------------------------------------------------------------------

    async def entity(self, request: Request, iri: str):
        day = day_of(single(request, "at"))
        data = await run_in_threadpool(entity_view.load, self.backend, iri, day)
        if not data:
            raise HTTPProblem(404, f"the graph says nothing about <{iri}>")
        path = local_path(iri)
        return self.render(
            request,
            "entity.html",
            e=data,
            day=str(day),
            day_input=day.earliest.isoformat(),
            path=path,
            explorer=data["kinds"] and path.startswith("/resource/"),
        )

    async def ontology(self, request: Request):
        rows = (await run_in_threadpool(self.backend.sparql_unbounded, ONTOLOGY)).rows
        terms: dict[str, dict] = {}
        for r in rows:
            t = terms.setdefault(
                r["term"],
                {"name": r["term"][len(AG) :], "types": [], "labels": set(), "comments": set()},
            )
            kind = r["type"].rsplit("#", 1)[-1]
            if kind not in t["types"]:
                t["types"].append(kind)
            if r.get("label") is not None:
                t["labels"].add((r["label"], r.get("labelLang") or None))
            if r.get("comment") is not None:
                t["comments"].add((r["comment"], r.get("commentLang") or None))
        for t in terms.values():
            # A term is labelled, and defined, as every face labels a resource (one text
            # of several languages: names.pick_label), whatever order the engine lists.
            t["label"] = pick_label(t.pop("labels"))
            t["comment"] = pick_label(t.pop("comments"))
        return self.render(request, "ontology.html", terms=list(terms.values()))

    # -- saved queries and the editor --------------------------------------------------

    async def queries_index(self, request: Request):
        return self.render(request, "queries.html", queries=self.backend.catalogue())

    async def query_page(self, request: Request):
        from .. import queries
        from .api import params_of

        name = request.path_params["name"]
        saved = await run_in_threadpool(queries.get, name)
        params = params_of(request)
        result, problem = None, None
        submitted = "run" in request.query_params
        params.pop("run", None)
        if submitted:
            try:
                result = await run_in_threadpool(self.backend.run, name, params)
            except UsageError as exc:
                problem = str(exc)
        values = {
            p.name: params.get(
                p.name,
                ""
                if submitted
                else str(saved.example.get(p.name, p.default if p.default is not None else "")),
            )
            for p in saved.parameters
        }
        query_string = "&".join(f"{k}={_quote(v)}" for k, v in params.items() if v != "")
        return self.render(
            request,
            "query.html",
            q=saved,
            values=values,
            result=result,
            problem=problem,
            query_string=query_string,
            names=self.backend.suggest_all(),
            status=400 if problem else 200,
        )

    async def editor(self, request: Request):
        from .. import queries

        text = request.query_params.get("query")
        start = request.query_params.get("from")
        if text is None and start:
            saved = await run_in_threadpool(queries.get, start)
            text = saved.bind(saved.example)
        result, problem = None, None
        if text and "run" in request.query_params:
            try:
                result = await run_in_threadpool(self.backend.sparql, text)
            except UsageError as exc:
                problem = str(exc)
            except Exception as exc:  # QueryError and timeouts, shown on the page
                from .errors import status_of

                if status_of(exc) == 500:
                    raise
                problem = str(exc)
        default = "SELECT ?s ?label WHERE {\n  ?s rdfs:label ?label\n} LIMIT 20"
        if text is None:
            from ..namespaces import PREFIXES

            text = "".join(f"PREFIX {k}: <{v}>\n" for k, v in PREFIXES.items()) + default
        return self.render(
            request,
            "editor.html",
            text=text,
            result=result,
            problem=problem,
            queries=self.backend.catalogue(),
        )

    # -- the ownership explorer ------------------------------------------------------

    def _view(self, day: DateSpan, reading: str, company: str | None) -> dict:
        from .. import ownership

        b = self.backend
        h = b.holdings
        g = ownership.snapshot(h, day, reading=reading)
        panel = None
        if company:
            iri = ownership_resolve(h, company)
            held = [
                {"held": v, "label": h.label(v), **a} for _, v, a in g.out_edges(iri, data=True)
            ]
            holders = [
                {"holder": u, "label": h.label(u), **a} for u, _, a in g.in_edges(iri, data=True)
            ]
            integrated = ownership.integrated(h, iri, None, day, reading=reading) if held else []
            control = ownership.control(h, iri, day, reading=reading)
            # the sources of each step of control: those of the stake with votes it reads
            votes = ownership.snapshot(h, day, interest="voting", reading=reading)
            by_pair = {(u, v): a["sources"] for u, v, a in votes.edges(data=True)}
            for c in control["controllers"]:
                for step in c["chain"]:
                    step["sources"] = by_pair.get((step["holder_iri"], step["held_iri"]), [])
            panel = {
                "iri": iri,
                "label": h.label(iri),
                "path": local_path(iri),
                "held": held,
                "holders": holders,
                "integrated": integrated,
                "control": control,
                "timelines": [
                    {"holder": s["label"], "records": self._timeline(s["holder"], iri, reading)}
                    for s in holders
                ],
            }
        nodes = [
            {"iri": n, "label": a.get("label") or n, "path": local_path(n)}
            for n, a in sorted(g.nodes(data=True), key=lambda x: x[1].get("label") or x[0])
        ]
        return {
            "svg": self._svg(day, reading),
            "panel": panel,
            "nodes": nodes,
            "day": str(day),
            "day_input": day.earliest.isoformat(),
            "reading": reading,
        }

    def _timeline(self, holder: str, held: str, reading: str) -> list[dict]:
        """``ownership.timeline`` of one pair, computed once per pair and reading."""
        from .. import ownership

        key = ("timeline", holder, held, reading)
        return self._cached(
            key, lambda: ownership.timeline(self.backend.holdings, holder, held, reading=reading)
        )()

    def _svg(self, day: DateSpan, reading: str) -> str:
        return _network_svg(self.backend, day, reading)

    async def explorer(self, request: Request):
        day = day_of(single(request, "at"))
        reading = reading_of(single(request, "reading"))
        company = single(request, "company") or None
        view = await run_in_threadpool(self._view, day, reading, company)
        today = dt.date.today()
        return self.render(
            request,
            "explorer.html",
            view=view,
            year=day.earliest.year,
            first_year=FIRST_YEAR,
            last_year=today.year,
            readings=READINGS,
            company=company or "",
        )

    async def explorer_view(self, request: Request):
        day = day_of(single(request, "at"))
        reading = reading_of(single(request, "reading"))
        company = single(request, "company") or None
        view = await run_in_threadpool(self._view, day, reading, company)
        return self.render(request, "explorer_view.html", view=view, company=company or "")


def ownership_resolve(h, name):
    from . import names

    return names.resolve(h, name)


def _quote(value: str) -> str:
    from urllib.parse import quote

    return quote(str(value), safe="")


_DECLARATION = re.compile(r"^\s*<\?xml[^>]*>\s*(<!DOCTYPE[^>]*>\s*)?", re.S)
# matplotlib's one <style> element (stroke joins and caps): site.css has the same rule,
# and the Content-Security-Policy admits no inline style element.
_STYLE = re.compile(r"<style[^>]*>.*?</style>", re.S)


@lru_cache(maxsize=128)
def _network_svg_cached(backend, day: DateSpan, reading: str) -> str:
    from .. import plot

    h = backend.holdings
    from .. import ownership

    g = ownership.snapshot(h, day, reading=reading)
    links = {n: f"/explorer?at={day}&reading={reading}&company={_quote(n)}" for n in g.nodes}
    fig = plot.network(h, day, reading=reading, links=links)
    svg = plot.to_bytes(fig, "svg").decode("utf-8")
    return _STYLE.sub("", _DECLARATION.sub("", svg))


def _network_svg(backend, day, reading):
    return _network_svg_cached(backend, day, reading)


__all__ = ["Pages"]
