"""Shared helpers of the search tests."""

from alternance.search.services import search

LYON = (45.7549, 4.8364)  # centre of commune 69123


def search_lyon(**kwargs):
    """search() for D1102 within 30 km of Lyon, any argument overridden by kwargs."""
    params = dict(romes=["D1102"], lat=LYON[0], lon=LYON[1], radius_km=30)
    params.update(kwargs)
    return search(**params)
