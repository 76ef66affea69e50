"""API router: reference."""

from ninja import Router

router = Router(tags=["reference"])
