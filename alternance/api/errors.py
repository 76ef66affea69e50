"""The one error type of the API: {"code", "message", "field"} with a 4xx status (500 for a server fault).

Every error answer of /api/v1 has this shape, whatever raised it: ApiError, a validation error, an
authentication error, a 404, or an unexpected exception (a 500 that shows no traceback and is logged
without the request's data). document_errors() lists these statuses in the OpenAPI of every operation.
"""

import logging
import traceback

from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.http import Http404
from django.http.multipartparser import MultiPartParserError
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError

logger = logging.getLogger("alternance.api")
MAX_ID = 2**63 - 1  # identifiers in paths: the largest database integer


class ErrorOut(Schema):
    """The error body of every 4xx or 500 answer."""

    code: str
    message: str
    field: str | None
    details: list[dict] | None = None


class ApiError(Exception):
    def __init__(
        self, code: str, message: str, field: str | None = None, status: int = 400, headers: dict | None = None
    ):
        super().__init__(message)
        self.code, self.message, self.field, self.status = code, message, field, status
        self.headers = headers or {}

    def payload(self) -> dict:
        return {"code": self.code, "message": self.message, "field": self.field}


def _field_of(error: dict) -> str | None:
    loc = [str(p) for p in error.get("loc", []) if p not in ("query", "body", "path", "form", "file", "payload")]
    return ".".join(loc) or None


_MESSAGES = {
    "missing": "Ce paramètre est obligatoire.",
    "int_parsing": "Saisissez un nombre entier.",
    "float_parsing": "Saisissez un nombre.",
    "date_from_datetime_parsing": "Saisissez une date au format AAAA-MM-JJ.",
    "date_parsing": "Saisissez une date au format AAAA-MM-JJ.",
    "greater_than_equal": "La valeur est trop petite.",
    "less_than_equal": "La valeur est trop grande.",
    "greater_than": "La valeur est trop petite.",
    "less_than": "La valeur est trop grande.",
    "string_too_long": "Le texte est trop long.",
    "string_too_short": "Le texte est trop court.",
    "decimal_parsing": "Saisissez un montant, par exemple 1850.00.",
    "finite_number": "Saisissez un nombre fini.",
    "decimal_max_places": "Deux chiffres après la virgule au plus.",
    "bool_parsing": "Saisissez true ou false.",
    "bool_type": "Saisissez true ou false.",
    "int_type": "Saisissez un nombre entier.",
    "int_from_float": "Saisissez un nombre entier.",
    "string_type": "Saisissez un texte (entre guillemets en JSON).",
    "list_type": 'Donnez une liste de valeurs, par exemple ["a", "b"].',
    "dict_type": "Donnez un objet JSON.",
    "model_attributes_type": "Donnez un objet JSON.",
    "model_type": "Donnez un objet JSON.",
    "json_invalid": "Le corps de la demande n'est pas un JSON valide.",
    "json_type": "Le corps de la demande n'est pas un JSON valide.",
    "enum": "Choisissez une des valeurs de la liste.",
    "literal_error": "Choisissez une des valeurs de la liste.",
}
UNKNOWN_PROBLEM = "Valeur invalide : vérifiez son type et son format dans la documentation."
"""A pydantic error type not translated above: never pydantic's English message."""

HTTP_MESSAGES = {
    "Cannot parse request body": "Le corps de la demande est illisible : envoyez un JSON valide (ou un formulaire "
    "multipart pour une candidature).",
    "CSRF check Failed": "Vérification CSRF refusée : appelez l'API avec une clé (en-tête Authorization).",
}
"""django-ninja's own English messages (it may add the parser's error after them, with DEBUG) in French."""


def _http_message(text: str) -> str:
    for english, french in HTTP_MESSAGES.items():
        if text.startswith(english):
            return french
    return text


SERVER_ERROR = {
    "code": "server_error",
    "message": "Erreur interne du service : rien n'a été modifié. Réessayez plus tard ; si l'erreur persiste, "
    "signalez-la avec l'heure de la demande.",
    "field": None,
}


def install(api: NinjaAPI) -> None:
    @api.exception_handler(ApiError)
    def on_api_error(request, exc: ApiError):
        response = api.create_response(request, exc.payload(), status=exc.status)
        for name, value in exc.headers.items():
            response[name] = value
        return response

    @api.exception_handler(Http404)
    def on_not_found(request, exc):
        return api.create_response(
            request, {"code": "not_found", "message": "Ressource introuvable.", "field": None}, status=404
        )

    @api.exception_handler(AuthenticationError)
    def on_authentication_error(request, exc):
        message = "Authentification requise : ajoutez l'en-tête « Authorization: Bearer <clé> »."
        return api.create_response(
            request, {"code": "unauthorized", "message": message, "field": "Authorization"}, status=401
        )

    @api.exception_handler(HttpError)
    def on_http_error(request, exc: HttpError):
        return api.create_response(
            request,
            {"code": f"http_{exc.status_code}", "message": _http_message(str(exc)), "field": None},
            status=exc.status_code,
        )

    @api.exception_handler(MultiPartParserError)
    def on_unreadable_multipart(request, exc):
        message = (
            "Corps de la demande illisible : envoyez un formulaire multipart/form-data complet (avec sa "
            "frontière, « boundary »), par exemple avec curl -F."
        )
        return api.create_response(request, {"code": "invalid", "message": message, "field": None}, status=400)

    @api.exception_handler(SuspiciousOperation)
    def on_suspicious_request(request, exc):
        # Django answers these with a 400 (a 413 for a body too large) outside the API; here too, in the shape.
        if isinstance(exc, RequestDataTooBig):
            message = "Demande trop volumineuse : envoyez moins de données à la fois."
            return api.create_response(request, {"code": "too_large", "message": message, "field": None}, status=413)
        message = "Demande refusée : elle est mal formée (en-têtes ou corps)."
        return api.create_response(request, {"code": "invalid", "message": message, "field": None}, status=400)

    @api.exception_handler(Exception)
    def on_server_error(request, exc: Exception):
        # The exception's message and the request's parameters may hold personal data: log the type,
        # the route and the stack only.
        stack = "".join(traceback.format_tb(exc.__traceback__))
        route = getattr(request.resolver_match, "route", "") or "?"  # the pattern, not the path (no identifiers)
        logger.error("Erreur interne %s /%s : %s\n%s", request.method, route, type(exc).__name__, stack)
        response = api.create_response(request, SERVER_ERROR, status=500)
        response._has_been_logged = True  # django.request would log the full path (identifiers)
        return response

    @api.exception_handler(ValidationError)
    def on_validation_error(request, exc: ValidationError):
        first = exc.errors[0] if exc.errors else {}
        field = _field_of(first)
        base = _MESSAGES.get(first.get("type", ""), UNKNOWN_PROBLEM)
        if first.get("ctx"):
            limit = first["ctx"].get("ge", first["ctx"].get("le", first["ctx"].get("max_length")))
            if limit is not None:
                base = f"{base} (limite : {limit})"
        message = f"« {field} » : {base}" if field else base
        details = [{"field": _field_of(e), "type": e.get("type")} for e in exc.errors]
        return api.create_response(
            request, {"code": "invalid", "message": message, "field": field, "details": details}, status=422
        )


ERROR_DESCRIPTIONS = {
    400: "Demande invalide (le message nomme le paramètre et la correction)",
    401: "Clé d'API absente, inconnue ou révoquée",
    403: "Clé d'API sans la portée nécessaire",
    404: "Ressource introuvable",
    413: "Fichier trop volumineux",
    422: "Paramètre mal formé (type, bornes, longueur)",
    429: "Trop de demandes : réessayez après le délai de l'en-tête Retry-After",
    500: "Erreur interne du service",
}


def rate_limited_operations(api: NinjaAPI) -> dict[str, set[int]]:
    """operationId -> extra error statuses declared by the views (attribute `error_statuses`)."""
    extra: dict[str, set[int]] = {}
    for _prefix, router in api._routers:
        for path_view in router.path_operations.values():
            for operation in path_view.operations:
                statuses = getattr(operation.view_func, "error_statuses", None)
                if statuses:
                    operation_id = operation.operation_id or api.get_openapi_operation_id(operation)
                    extra[operation_id] = set(statuses)
    return extra


def error_statuses(*statuses: int):
    """Declare the error statuses a view answers beyond those document_errors() infers (429, 413...)."""

    def decorator(view):
        view.error_statuses = set(getattr(view, "error_statuses", set())) | set(statuses)
        return view

    return decorator


def document_errors(api: NinjaAPI) -> None:
    """List in the OpenAPI every error status each operation can answer, all with the ErrorOut body:
    400, 422 and 500 everywhere; 404 with a path parameter; 401, 403 and 429 with an API key; 413 with a
    request body; the statuses the view declares with @error_statuses."""
    build = api.get_openapi_schema

    def get_openapi_schema(*args, **kwargs):
        schema = build(*args, **kwargs)
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        components["ErrorOut"] = ErrorOut.model_json_schema(ref_template="#/components/schemas/{model}")
        extra = rate_limited_operations(api)
        for item in schema.get("paths", {}).values():
            for operation in item.values():
                if not isinstance(operation, dict) or "responses" not in operation:
                    continue
                statuses = {400, 422, 500}
                if any(p.get("in") == "path" for p in operation.get("parameters", [])):
                    statuses.add(404)
                if operation.get("security"):
                    statuses |= {401, 403, 429}
                if "requestBody" in operation:
                    statuses.add(413)  # a body past Django's DATA_UPLOAD_MAX_* limits (on_suspicious_request)
                statuses |= extra.get(operation.get("operationId", ""), set())
                responses = operation["responses"]
                for status in sorted(statuses):
                    if status not in responses and str(status) not in responses:
                        responses[status] = {
                            "description": ERROR_DESCRIPTIONS[status],
                            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorOut"}}},
                        }
        return schema

    api.get_openapi_schema = get_openapi_schema
