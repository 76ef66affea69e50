"""API router: organisations."""

from ninja import Router

router = Router(tags=["organisations"])
