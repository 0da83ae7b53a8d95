"""The OpenAPI 3.1 document of the API, built from the saved queries' ``#+`` headers."""

from __future__ import annotations

SCHEMAS = {
    "date": {"type": "string", "format": "date"},
    "iri": {"type": "string"},
    "string": {"type": "string"},
    "integer": {"type": "integer"},
    "decimal": {"type": "number"},
    "boolean": {"type": "boolean"},
}
ROWS = {
    "application/json": {"schema": {"type": "array", "items": {"type": "object"}}},
    "text/csv": {"schema": {"type": "string"}},
    "text/tab-separated-values": {"schema": {"type": "string"}},
    "application/sparql-results+json": {"schema": {"type": "object"}},
}
GRAPH = {
    "text/turtle": {"schema": {"type": "string"}},
    "application/n-triples": {"schema": {"type": "string"}},
    "application/ld+json": {"schema": {"type": "object"}},
    "application/rdf+xml": {"schema": {"type": "string"}},
}
PROBLEM = {
    "description": "the reason, as JSON",
    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Problem"}}},
}


def _typed(p, value):
    if value is None:
        return None
    if p.type == "integer":
        return int(value)
    if p.type == "decimal":
        return float(value)
    if p.type == "boolean":
        return str(value).lower() in ("true", "1", "yes")
    return str(value)


def _parameter(q, p) -> dict:
    schema = dict(SCHEMAS[p.type])
    if p.enum:
        schema["enum"] = [_typed(p, v) for v in p.enum]
    if p.default is not None:
        schema["default"] = _typed(p, p.default)
    out = {
        "name": p.name,
        "in": "query",
        "required": p.required,
        "description": (p.description + "; " if p.description else "") + p.expects,
        "schema": schema,
    }
    if p.name in q.example:
        out["example"] = _typed(p, q.example[p.name])
    return out


def _simple(name, description, required=False, enum=None):
    schema = {"type": "string"}
    if enum:
        schema["enum"] = list(enum)
    return {
        "name": name,
        "in": "query",
        "required": required,
        "description": description,
        "schema": schema,
    }


def ownership_parameters() -> dict[str, list[str]]:
    """Each ownership route's parameter names, as the document declares them (the API
    refuses any other)."""
    return {name: [p["name"] for p in params] for name, (_, params) in _ownership_specs().items()}


def _ownership_specs() -> dict:
    from ..ownership import DEFINITIONS, INTERESTS, THRESHOLDS
    from ..temporal import READINGS

    at = _simple("at", "the day: YYYY, YYYY-MM or YYYY-MM-DD (default today)")
    reading = _simple("reading", "how to read uncertain dates", enum=READINGS)
    holder = _simple("holder", "the holder: label, alternative label or IRI", True)
    held = _simple("held", "the held company: label, alternative label or IRI", True)
    return {
        "stake": (
            "The direct stake of a holder in a company, with sources",
            [holder, held, at, reading],
        ),
        "integrated": (
            "Integrated ownership through all chains and cycles",
            [
                holder,
                {**held, "required": False},
                at,
                reading,
                _simple("interest", "capital or votes", enum=INTERESTS),
                _simple("definition", "corrected or plain", enum=DEFINITIONS),
            ],
        ),
        "control": (
            "Who controls a company by voting rights",
            [held, at, reading, _simple("threshold", "control threshold", enum=THRESHOLDS)],
        ),
        "timeline": (
            "The days on which a holder's figures in a company change",
            [holder, held, reading, _simple("definition", "corrected or plain", enum=DEFINITIONS)],
        ),
        "paths": (
            "Every chain of stakes from a holder to a company",
            [
                holder,
                held,
                at,
                reading,
                _simple("interest", "capital or votes", enum=INTERESTS),
                _simple("limit", "at most this many paths (1000 at most)"),
            ],
        ),
        "network": (
            "Every stake on a day, as nodes and edges",
            [at, reading, _simple("interest", "capital or votes", enum=INTERESTS)],
        ),
    }


def _ownership_paths() -> dict:
    out = {}
    for name, (summary, params) in _ownership_specs().items():
        out[f"/api/ownership/{name}"] = {
            "get": {
                "operationId": f"ownership_{name}",
                "summary": summary,
                "description": "The record `alliance-graph ownership "
                f"{name} --format json` prints.",
                "tags": ["ownership"],
                "parameters": params,
                "responses": {
                    "200": {
                        "description": "the record",
                        "content": {"application/json": {"schema": {}}},
                    },
                    "400": PROBLEM,
                },
            }
        }
    return out


def document(catalogue) -> dict:
    """The OpenAPI 3.1 document: one operation per saved query, the ownership analyses,
    the query list and the SPARQL endpoint."""
    from importlib.metadata import version

    paths = {
        "/api/queries": {
            "get": {
                "operationId": "list_queries",
                "summary": "The saved queries with their documentation and parameters",
                "tags": ["queries"],
                "responses": {
                    "200": {
                        "description": "one entry per saved query",
                        "content": {
                            "application/json": {
                                "schema": {"type": "array", "items": {"type": "object"}}
                            }
                        },
                    }
                },
            }
        },
        "/sparql": {
            "get": {
                "operationId": "sparql",
                "summary": "SPARQL 1.1 Protocol endpoint (read-only)",
                "description": "Without a query: the SPARQL 1.1 service description.",
                "tags": ["sparql"],
                "parameters": [
                    _simple("query", "a SPARQL 1.1 query"),
                    _simple(
                        "format",
                        "json, xml, csv, tsv, turtle, ntriples, "
                        "json-ld or rdf-xml (else by Accept)",
                    ),
                ],
                "responses": {
                    "200": {"description": "results", "content": {**ROWS, **GRAPH}},
                    "400": PROBLEM,
                    "503": PROBLEM,
                },
            }
        },
    }
    for q in catalogue:
        graph = q.form in ("CONSTRUCT", "DESCRIBE")
        content = {**GRAPH, "application/json": ROWS["application/json"]} if graph else ROWS
        params = [_parameter(q, p) for p in q.parameters]
        params.append(
            _simple(
                "format",
                "json, csv, tsv, sparql-json"
                + (", turtle, ntriples, json-ld, rdf-xml" if graph else "")
                + " (else by Accept)",
            )
        )
        paths[f"/api/queries/{q.name}"] = {
            "get": {
                "operationId": "query_" + q.name.replace("-", "_"),
                "summary": q.summary,
                "description": q.description,
                "tags": list(q.tags) or ["queries"],
                "parameters": params,
                "responses": {
                    "200": {
                        "description": "the results, as `alliance-graph query "
                        f"{q.name}` prints them",
                        "content": content,
                    },
                    "400": PROBLEM,
                    "503": PROBLEM,
                },
            }
        }
    paths.update(_ownership_paths())
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "alliance-graph",
            "version": version("alliance-graph"),
            "description": "The saved queries, ownership analyses and SPARQL endpoint of "
            "the Renault-Nissan-Mitsubishi Alliance knowledge graph.",
        },
        "paths": paths,
        "components": {
            "schemas": {
                "Problem": {
                    "type": "object",
                    "properties": {
                        "status": {"type": "integer"},
                        "error": {"type": "string"},
                        "reason": {"type": "string"},
                    },
                    "required": ["status", "reason"],
                }
            }
        },
    }
