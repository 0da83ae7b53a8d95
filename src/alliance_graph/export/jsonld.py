"""The JSON-LD export: the graph compacted with the project's context, embedded.

The context is ``contexts/alliance.jsonld`` (prefixes and the main terms with their
datatypes), embedded instead of referenced so that a reader never fetches anything. The
document is JSON-LD 1.0 and 1.1 alike (checked with pyld in both processing modes, see
docs/export.md). Output is stable: nodes sorted by ``@id``, blank nodes with their stable
labels, and every set of values sorted (``@list`` values keep their order).
"""

from __future__ import annotations

import json

from .. import resources
from ..errors import ExportError
from .parts import Parts
from .registry import Options


def context() -> dict:
    """The JSON-LD context shipped with the project (contexts/alliance.jsonld)."""
    path = resources.resource_dir("contexts") / "alliance.jsonld"
    try:
        return json.loads(path.read_text(encoding="utf-8"))["@context"]
    except (OSError, ValueError, KeyError) as exc:
        raise ExportError(f"{path}: cannot read the JSON-LD context: {exc}") from None


def _key(item) -> tuple:
    # rdflib writes nodes flat: a value is a string, a number, a reference {"@id"} or a
    # value object {"@value", "@language"/"@type"}, so these fields order it fully.
    if isinstance(item, dict):
        return tuple(str(item.get(k, "")) for k in ("@id", "@value", "@language", "@type"))
    return ("", str(item), type(item).__name__, "")


def _ordered(value, key: str = ""):
    """``value`` with every array sorted, except ``@list`` arrays, whose order is data."""
    if isinstance(value, dict):
        for k, v in value.items():
            if isinstance(v, dict | list):
                value[k] = _ordered(v, k)
        return value
    if isinstance(value, list):
        items = [_ordered(v) if isinstance(v, dict | list) else v for v in value]
        if key != "@list":
            items.sort(key=_key)
        return items
    return value


def write_jsonld(parts: Parts, out, options: Options) -> None:
    from rdflib.plugins.serializers.jsonld import from_rdf

    ctx = context()
    # rdflib's JSON-LD serialiser builds this document and dumps it; taking the document
    # itself saves parsing the text back to order it.
    doc = from_rdf(parts.graph(options.derived), context_data=ctx, auto_compact=True)
    doc = {k: (v if k == "@context" else _ordered(v, k)) for k, v in doc.items()}
    doc["@context"] = ctx
    text = json.dumps(doc, indent=1, sort_keys=True, ensure_ascii=False) + "\n"
    out.write(text.encode("utf-8"))
