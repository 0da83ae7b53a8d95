"""Where the shipped ontology, data, shapes and queries live.

In a source checkout they are the top-level folders; an installed wheel carries copies
under ``alliance_graph/resources``.
"""

from pathlib import Path

_HERE = Path(__file__).resolve().parent


def resource_dir(name: str) -> Path:
    """The folder ``name`` (``ontology``, ``data``, ``shapes``, ``queries`` or ``contexts``)."""
    packaged = _HERE / "resources" / name
    if packaged.is_dir():
        return packaged
    return _HERE.parents[1] / name


SHIPPED = ("ontology", "data", "shapes", "queries", "contexts")


def shipped_folder_of(path: Path | str) -> Path | None:
    """The shipped folder (:data:`SHIPPED`) that ``path`` lies in, if any: what the project
    reads every time it runs, so no output may land there."""
    real = Path(path).resolve()
    for name in SHIPPED:
        folder = resource_dir(name).resolve()
        if real.is_relative_to(folder):
            return folder
    return None


def ontology_files() -> list[Path]:
    return sorted(resource_dir("ontology").glob("*.ttl"))


def data_files() -> list[Path]:
    # alliance.ttl is the entry point; parts beside it are read after it, in name order.
    folder = resource_dir("data")
    main = folder / "alliance.ttl"
    rest = sorted(p for p in folder.glob("*.ttl") if p.name != "alliance.ttl")
    return ([main] if main.exists() else []) + rest


def shapes_files() -> list[Path]:
    return sorted(resource_dir("shapes").glob("*.ttl"))
