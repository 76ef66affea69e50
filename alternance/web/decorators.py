"""Decorators shared by every page of alternance/web.

    @private_page                    # a page holding personal data: never cached, never indexed
    def contract_detail(request, public_id): ...

    @rate_limited("forms")           # a form that writes: POSTs counted per address (settings.RATE_LIMITS)
    def contract_new(request): ...

Class-based views: PrivatePageMixin, or method_decorator(rate_limited("forms"), name="dispatch").
"""

from functools import wraps

from django.conf import settings
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers

from alternance.core.ratelimit import client_key, hit_scope


def private_page(view):
    """`Cache-Control: no-store` (no copy in a browser or proxy cache) and `noindex` (header and meta tag)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        request.is_private_page = True  # base.html adds <meta name="robots" content="noindex, nofollow">
        response = view(request, *args, **kwargs)
        add_never_cache_headers(response)  # no-cache, no-store, must-revalidate, private
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response

    return wrapper


class PrivatePageMixin:
    """private_page for class-based views."""

    @classmethod
    def as_view(cls, **initkwargs):
        return private_page(super().as_view(**initkwargs))


def too_many_requests(request, retry_after: int):
    """The French page answered when a rate limit is reached (429, Retry-After)."""
    minutes = max(1, -(-retry_after // 60))
    response = render(
        request,
        "429.html",
        {"title": "Trop de demandes", "minutes": minutes, "wait": f"{minutes} minute{'s' if minutes > 1 else ''}"},
        status=429,
    )
    response["Retry-After"] = str(retry_after)
    return response


def rate_limited(scope: str, *, methods: tuple[str, ...] = ("POST",)):
    """Count the requests of `methods` per client address under settings.RATE_LIMITS[scope] = (limit, seconds);
    past the limit, answer the French 429 page with Retry-After instead of running the view."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if request.method in methods and scope in settings.RATE_LIMITS:
                verdict = hit_scope(scope, client_key(request))
                if not verdict.allowed:
                    return too_many_requests(request, verdict.retry_after)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


ADMIN_RESET_HINT = "si vous avez oublié votre mot de passe, demandez à un administrateur de le réinitialiser."


def login_lockout(view, *, field: str = "username", hint: str = ADMIN_RESET_HINT):
    """Lock sign-ins out after settings.RATE_LIMITS["login_failures"] failures from one address or for one
    user name (the POST field `field`), for the rest of the window: the page says so in French (429,
    Retry-After) and the password is not even checked. Wraps a login view whose failed POST answers 200
    (Django's LoginView, the admin's, allauth's with field="login")."""
    from django.contrib import messages
    from django.http import QueryDict

    from alternance.core.ratelimit import key_of, peek_scope

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method != "POST":
            return view(request, *args, **kwargs)
        keys = [f"ip:{client_key(request)}", f"user:{key_of(request.POST.get(field, '').strip().lower())}"]
        verdicts = [peek_scope("login_failures", key) for key in keys]
        blocked = [v for v in verdicts if not v.allowed]
        if blocked:
            retry_after = max(v.retry_after for v in blocked)
            minutes = max(1, -(-retry_after // 60))
            messages.error(
                request,
                f"Trop de tentatives de connexion échouées : par sécurité, la connexion est bloquée pendant "
                f"{minutes} minute{'s' if minutes > 1 else ''}. Réessayez ensuite ; {hint}",
            )
            request.method, request.POST = "GET", QueryDict()
            response = view(request, *args, **kwargs)
            response.status_code = 429
            response["Retry-After"] = str(retry_after)
            return response
        response = view(request, *args, **kwargs)
        if response.status_code == 200:  # the form again: the user name or the password is wrong
            for key in keys:
                hit_scope("login_failures", key)
        return response

    return wrapper
