"""API router: contracts."""

from ninja import Router

router = Router(tags=["contracts"])
