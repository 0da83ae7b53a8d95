"""The web face of the graph: a SPARQL 1.1 endpoint, the saved queries as an API, Linked
Data pages and an ownership explorer (``alliance-graph serve``; docs/web.md)."""

from .app import app, create_app
from .backend import Settings

__all__ = ["Settings", "app", "create_app"]
