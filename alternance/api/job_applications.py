"""Partner API: applications and appointment requests sent on a candidate's behalf (key of scope
`applications`). Same checks as the pages; every refusal in the API's one error shape."""

from django.db import transaction
from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile
from pydantic import Field

from alternance.accounts.models import Scope
from alternance.api.auth import AUTH_HELP, ApiKeyAuth
from alternance.api.errors import ApiError, ErrorOut
from alternance.companies.models import Company
from alternance.job_applications import rules, services
from alternance.job_applications.services import RequestError
from alternance.offers.models import Offer
from alternance.trainings.models import Training

router = Router(tags=["candidatures"])


class CreatedOut(Schema):
    id: str = Field(description="Identifiant public (UUID) de la candidature ou de la demande.")
    status: str = Field(description="Statut : « nouvelle » à la création.")


class AppointmentIn(Schema):
    training_id: int = Field(description="Identifiant de la formation.", examples=[1])
    first_name: str = Field(max_length=100, examples=["Inès"])
    last_name: str = Field(max_length=100, examples=["Martin"])
    email: str = Field(max_length=254, examples=["ines.martin@example.org"])
    phone: str = Field("", max_length=20, examples=["06 12 34 56 78"])
    message: str = Field("", max_length=rules.MAX_MESSAGE_CHARS)
    reasons: list[str] = Field(
        description="Sujets, parmi : " + ", ".join(f"{k} ({v})" for k, v in rules.APPOINTMENT_REASONS.items()),
        examples=[["inscription", "dates"]],
    )


def _errors(*statuses: int) -> dict:
    return {status: ErrorOut for status in statuses}


def _raise(exc: RequestError):
    headers = {"Retry-After": str(exc.retry_after)} if exc.status == 429 and exc.retry_after else None
    raise ApiError(exc.code, exc.message, exc.field, exc.status, headers=headers) from exc


APPLICATION_DOC = (
    AUTH_HELP
    + "\n\nFormulaire multipart : `offer_id` (candidature à une offre) ou `company_siret` (candidature spontanée), "
    "`first_name`, `last_name`, `email`, `phone` (facultatif), `message` (facultatif), `answers` (réponses aux "
    "questions de l'offre, dans l'ordre, un champ par réponse) et `cv` (PDF ou DOCX, 3 Mo au plus, type lu dans "
    "le contenu). Le recruteur reçoit la candidature et le CV par courriel ; le candidat reçoit son lien de suivi.\n\n"
    "Statuts : 201 créée ; 401 clé absente ou inconnue ; 403 clé sans la portée `applications` ; 404 offre ou "
    "entreprise inconnue ; 409 doublon (une candidature par adresse et par offre ou entreprise), offre fermée ou "
    f"complète ({rules.MAX_PER_OFFER} candidatures) ; 413 CV de plus de 3 Mo ; 415 CV qui n'est ni un PDF ni un "
    "DOCX ; 422 champ invalide, nommé dans `field` ; 429 plus de "
    f"{rules.MAX_PER_DAY_PER_EMAIL} demandes en 24 heures pour cette adresse (en-tête Retry-After)."
)


@router.post(
    "/applications",
    response={201: CreatedOut, **_errors(401, 403, 404, 409, 413, 415, 422, 429)},
    summary="Envoyer une candidature (à une offre ou spontanée) pour un candidat",
    description=APPLICATION_DOC,
    auth=ApiKeyAuth(Scope.APPLICATIONS),
)
def create_application(
    request,
    cv: File[UploadedFile],
    first_name: Form[str],
    last_name: Form[str],
    email: Form[str],
    offer_id: Form[int | None] = None,
    company_siret: Form[str] = "",
    phone: Form[str] = "",
    message: Form[str] = "",
    answers: Form[list[str]] = None,
):
    company_siret = company_siret.replace(" ", "")
    if (offer_id is None) == (not company_siret):
        raise ApiError(
            "invalid",
            "Donnez soit « offer_id » (offre), soit « company_siret » (candidature spontanée).",
            "offer_id",
            422,
        )
    offer = company = None
    if offer_id is not None:
        offer = Offer.objects.public().select_related("company").filter(pk=offer_id).first()  # a draft: 404
        if offer is None:
            raise ApiError("not_found", f"Aucune offre n'a l'identifiant {offer_id}.", "offer_id", 404)
    else:
        if len(company_siret) != 14 or not company_siret.isdigit():
            raise ApiError("invalid", "« company_siret » : un SIRET comporte 14 chiffres.", "company_siret", 422)
        company = Company.objects.filter(siret=company_siret).first()
        if company is None:
            raise ApiError("not_found", f"Aucune entreprise n'a le SIRET {company_siret}.", "company_siret", 404)
    if cv.size is not None and cv.size > rules.MAX_CV_BYTES:
        raise ApiError("too_large", "Le CV pèse plus de 3 Mo ; envoyez un fichier de 3 Mo au plus.", "cv", 413)
    data = cv.read(rules.MAX_CV_BYTES + 1)
    for name, value, limit in (("first_name", first_name, 100), ("last_name", last_name, 100), ("email", email, 254),
                               ("phone", phone, 20), ("message", message, rules.MAX_MESSAGE_CHARS)):  # fmt: skip
        if len(value) > limit:
            raise ApiError("invalid", f"« {name} » : {limit} caractères au plus.", name, 422)
    try:
        application = services.submit_application(
            offer=offer, company=company, first_name=first_name, last_name=last_name, email=email, phone=phone,
            message=message, cv=data, answers=answers or [], api_key=request.auth,
        )  # fmt: skip
    except RequestError as exc:
        _raise(exc)
    return Status(201, {"id": str(application.public_id), "status": application.status})


APPOINTMENT_DOC = (
    AUTH_HELP + "\n\nCorps JSON : `training_id`, `first_name`, `last_name`, `email`, `phone` (facultatif), `message` "
    "(facultatif), `reasons` (au moins un sujet de la liste). Le CFA reçoit la demande par courriel s'il a une "
    "adresse de contact ; sinon elle est enregistrée et le candidat en est averti.\n\n"
    "Statuts : 201 créée ; 401 clé absente ou inconnue ; 403 clé sans la portée `applications` ; 404 formation "
    "inconnue ou jamais publiée ; 409 formation fermée après sa publication (code `training_closed` ; sa fiche "
    "GET /api/v1/trainings/{id} reste lisible) ou une demande pour cette formation attend déjà une réponse (code "
    "`duplicate`) ; 422 champ invalide, "
    f"nommé dans `field` ; 429 plus de {rules.MAX_PER_DAY_PER_EMAIL} demandes en 24 heures pour cette adresse."
)


@router.post(
    "/appointments",
    response={201: CreatedOut, **_errors(401, 403, 404, 409, 422, 429)},
    summary="Demander un rendez-vous à un CFA pour un candidat",
    description=APPOINTMENT_DOC,
    auth=ApiKeyAuth(Scope.APPLICATIONS),
    openapi_extra={
        "responses": {
            404: {"description": "Formation inconnue ou jamais publiée (code not_found)"},
            409: {"description": "Formation fermée (code training_closed) ou demande déjà en attente (duplicate)"},
        }
    },
)
def create_appointment(request, payload: AppointmentIn):
    # Like the page's form: a course never published is unknown (404); one closed after it was published is
    # refused by request_appointment (409 training_closed).
    training = Training.objects.public().select_related("organisation").filter(pk=payload.training_id).first()
    if training is None:
        raise ApiError("not_found", f"Aucune formation n'a l'identifiant {payload.training_id}.", "training_id", 404)
    try:
        with transaction.atomic():
            appointment = services.request_appointment(
                training=training, first_name=payload.first_name, last_name=payload.last_name, email=payload.email,
                phone=payload.phone, message=payload.message, reasons=payload.reasons, api_key=request.auth,
            )  # fmt: skip
    except RequestError as exc:
        _raise(exc)
    return Status(201, {"id": str(appointment.public_id), "status": appointment.status})
