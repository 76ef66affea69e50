"""API router: search."""

from ninja import Router

router = Router(tags=["search"])
