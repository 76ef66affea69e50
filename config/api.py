"""The JSON API, served under /api/v1 (OpenAPI at /api/v1/openapi.json, docs at /api/v1/docs)."""

from ninja import NinjaAPI

from alternance.api import (
    contracts,
    details,
    enrolments,
    errors,
    job_applications,
    organisations,
    reference,
    search,
    trainings,
)
from alternance.api.docs import SWAGGER, with_parameter_examples


class AlternanceAPI(NinjaAPI):
    def get_openapi_schema(self, *args, **kwargs):
        return with_parameter_examples(super().get_openapi_schema(*args, **kwargs))


api = AlternanceAPI(
    title="API alternance",
    version="1.0.0",
    description=(
        "API ouverte de la plateforme alternance : référentiels (ROME, communes), recherche d'offres, "
        "d'entreprises et de formations en apprentissage, contrôles SIRET/UAI, rémunération minimale "
        'des apprentis. Erreurs : {"code", "message", "field"} avec un statut 4xx.'
    ),
    urls_namespace="api",
    docs=SWAGGER,
)
errors.install(api)
api.add_router("/", reference.router)
api.add_router("/", search.router)
api.add_router("/", organisations.router)
api.add_router("/", trainings.router)
api.add_router("/contracts", contracts.router)
api.add_router("/", details.router)
api.add_router("/", enrolments.router)
api.add_router("/", job_applications.router)
errors.document_errors(api)  # after every router: each operation lists the error statuses it can answer
