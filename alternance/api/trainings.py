"""API router: trainings."""

from ninja import Router

router = Router(tags=["trainings"])
