"""Fallback readers for the referentials shipped by registry packages (used when no data folder has the file)."""

from alternance.reference.sources import Source


def find_sources() -> dict[str, Source]:
    """Datasets available from installed packages."""
    return {}


def read(source: Source):
    raise NotImplementedError(source.dataset)
