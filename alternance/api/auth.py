"""One authentication class for every protected endpoint: an API key with the endpoint's scope.

    @router.post("/applications", auth=ApiKeyAuth(Scope.APPLICATIONS))
    def create(request): request.auth  # the ApiKey

A missing or unknown key answers 401, a key without the scope 403, in the API's one error shape. Unknown
keys are counted per client address (settings.RATE_LIMITS["api_key_failures"]): past the limit, every key
from that address is refused with 429 and Retry-After until the window ends.
"""

from django.utils import timezone
from ninja.security import HttpBearer

from alternance.accounts.models import ApiKey
from alternance.api.errors import ApiError
from alternance.api.ratelimit import too_many
from alternance.core.ratelimit import client_key, hit_scope, peek_scope

AUTH_HELP = (
    "Authentification : en-tête « Authorization: Bearer <clé> » "
    "(clé créée par manage.py create_api_token NOM --scope PORTÉE)."
)


class ApiKeyAuth(HttpBearer):
    openapi_description = AUTH_HELP

    def __init__(self, scope: str):
        super().__init__()
        self.scope = scope

    def __call__(self, request):
        header = request.headers.get("Authorization", "")
        scheme, _, secret = header.partition(" ")
        if scheme.lower() != "bearer" or not secret.strip():
            raise ApiError(
                "unauthorized",
                "Authentification requise : ajoutez l'en-tête « Authorization: Bearer <clé> ».",
                "Authorization",
                401,
            )
        return self.authenticate(request, secret.strip())

    def authenticate(self, request, token: str) -> ApiKey:
        address = client_key(request)
        blocked = peek_scope("api_key_failures", address)
        if not blocked.allowed:
            raise too_many(blocked, "Authorization")
        key = ApiKey.objects.authenticate(token)
        if key is None:
            hit_scope("api_key_failures", address)
            raise ApiError(
                "unauthorized",
                "Cette clé d'API est inconnue ou révoquée : demandez-en une nouvelle.",
                "Authorization",
                401,
            )
        if not key.allows(self.scope):
            raise ApiError(
                "forbidden",
                f"Cette clé d'API n'a pas la portée « {self.scope} » ; ses portées : {', '.join(key.scopes)}.",
                "Authorization",
                403,
            )
        ApiKey.objects.filter(pk=key.pk).update(last_used_at=timezone.now())
        return key
