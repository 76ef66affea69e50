"""Rate limits of the API (settings.RATE_LIMITS, shared cache): 429 in the error shape with Retry-After.

@router.get("/search")
@rate_limited("search")
def search(request, ...): ...
"""

from functools import wraps

from alternance.api.errors import ApiError, error_statuses
from alternance.core.ratelimit import Verdict, client_key, hit_scope


def too_many(verdict: Verdict, field: str | None = None) -> ApiError:
    return ApiError(
        "rate_limited",
        f"Trop de demandes depuis votre adresse : réessayez dans {verdict.retry_after} s (en-tête Retry-After).",
        field,
        429,
        headers={"Retry-After": str(verdict.retry_after)},
    )


def rate_limited(scope: str):
    """Count every call of the operation per client address under settings.RATE_LIMITS[scope]."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            verdict = hit_scope(scope, client_key(request))
            if not verdict.allowed:
                raise too_many(verdict)
            return view(request, *args, **kwargs)

        return error_statuses(429)(wrapper)

    return decorator
