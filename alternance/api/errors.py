"""The one error type of the API: {"code", "message", "field"} with a 4xx status."""

from ninja import NinjaAPI, Schema
from ninja.errors import ValidationError


class ErrorOut(Schema):
    """The error body of every 4xx answer."""

    code: str
    message: str
    field: str | None


class ApiError(Exception):
    def __init__(self, code: str, message: str, field: str | None = None, status: int = 400, headers=None):
        super().__init__(message)
        self.code, self.message, self.field, self.status = code, message, field, status
        self.headers = headers or {}  # e.g. {"Retry-After": "60"} with a 429

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
}


def install(api: NinjaAPI) -> None:
    @api.exception_handler(ApiError)
    def on_api_error(request, exc: ApiError):
        response = api.create_response(request, exc.payload(), status=exc.status)
        for name, value in exc.headers.items():
            response[name] = value
        return response

    @api.exception_handler(ValidationError)
    def on_validation_error(request, exc: ValidationError):
        first = exc.errors[0] if exc.errors else {}
        field = _field_of(first)
        base = _MESSAGES.get(first.get("type", ""), first.get("msg", "Valeur invalide."))
        if first.get("ctx"):
            limit = first["ctx"].get("ge", first["ctx"].get("le", first["ctx"].get("max_length")))
            if limit is not None:
                base = f"{base} (limite : {limit})"
        message = f"« {field} » : {base}" if field else base
        details = [{"field": _field_of(e), "type": e.get("type")} for e in exc.errors]
        return api.create_response(
            request, {"code": "invalid", "message": message, "field": field, "details": details}, status=422
        )
