"""API router: enrolments sent by the CFAs' software (key of scope « enrolments »), and the public
indicators of enrolments (small counts suppressed)."""

import datetime as dt
import json

from django.db.models import Prefetch
from django.http import HttpResponse
from ninja import Field, Query, Router, Schema

from alternance.accounts.models import Scope
from alternance.api.auth import AUTH_HELP, ApiKeyAuth
from alternance.api.errors import ApiError, ErrorOut
from alternance.core.bulk import gc_paused
from alternance.enrolments import indicators, rules
from alternance.enrolments.models import Enrolment, EnrolmentContract
from alternance.enrolments.services import MAX_RECORDS, ingest

MAX_PAGE = 10_000  # like /organisations: a larger page would overflow the database's OFFSET (a 500)

router = Router(tags=["inscriptions"])


# --- the documented body (the view parses it itself: each record is validated on its own) ---------------


class ContractIn(Schema):
    employer_siret: str = Field(description="SIRET de l'employeur (14 chiffres)", examples=["98100001100016"])
    start_date: dt.date = Field(description="Début du contrat", examples=["2025-09-01"])
    end_date: dt.date | None = Field(None, description="Fin prévue du contrat", examples=["2027-08-31"])
    break_date: dt.date | None = Field(None, description="Date de rupture, le cas échéant", examples=[None])
    break_reason: str | None = Field(None, description="Motif de la rupture", examples=[None])


class EnrolmentIn(Schema):
    learner_id: str = Field(description="Identifiant de l'apprenant dans votre logiciel", examples=["A-2025-0042"])
    school_year: str = Field(description="Année scolaire AAAA-AAAA", examples=["2025-2026"])
    last_name: str = Field(examples=["Martin"])
    first_name: str = Field(examples=["Léa"])
    birth_date: dt.date = Field(description="15 à 30 ans au début de la formation", examples=["2008-03-14"])
    email: str | None = Field(None, examples=["lea.martin@example.org"])
    phone: str | None = Field(None, examples=["0612345678"])
    postcode: str | None = Field(None, description="Code postal (ou commune_insee)", examples=["01500"])
    commune_insee: str | None = Field(None, description="Code INSEE de la commune (ou postcode)", examples=[None])
    nir: str | None = Field(
        None, description="NIR : jamais enregistré ni renvoyé, seule sa présence est gardée", examples=[None]
    )
    uai_responsable: str = Field(description="UAI de l'organisme responsable", examples=["0010826T"])
    siret_responsable: str | None = Field(None, examples=["85052026300011"])
    uai_formateur: str = Field(description="UAI du lieu de formation", examples=["0010826T"])
    siret_formateur: str | None = Field(None, examples=["85052026300011"])
    cfd: str | None = Field(None, description="Code formation diplôme (BCN), ou rncp", examples=["50022137"])
    rncp: str | None = Field(None, description="Fiche RNCP, ou cfd", examples=[None])
    course_start: dt.date = Field(examples=["2025-09-01"])
    course_end: dt.date = Field(examples=["2027-06-30"])
    registered_on: dt.date = Field(examples=["2025-07-10"])
    contracts: list[ContractIn] = Field(default_factory=list, description="Contrats d'apprentissage")
    dropped_out_on: dt.date | None = Field(None, description="Date d'abandon de la formation", examples=[None])
    outcome: str | None = Field(None, description="« obtenu », « non_obtenu » ou null", examples=[None])
    rqth: bool = Field(False, description="Reconnaissance de la qualité de travailleur handicapé")


class EnrolmentBatchIn(Schema):
    records: list[EnrolmentIn] = Field(max_length=MAX_RECORDS, description=f"{MAX_RECORDS} enregistrements au plus")


def _inline_schema(model) -> dict:
    """The JSON schema of a model with its $defs inlined (OpenAPI's requestBody cannot reach them)."""
    schema = model.model_json_schema()
    defs = schema.pop("$defs", {})

    def inline(node):
        if isinstance(node, dict):
            if "$ref" in node:
                return inline(defs[node["$ref"].rsplit("/", 1)[-1]])
            return {k: inline(v) for k, v in node.items()}
        if isinstance(node, list):
            return [inline(v) for v in node]
        return node

    return inline(schema)


BODY_EXAMPLE = {
    "records": [
        {
            "learner_id": "A-2025-0042",
            "school_year": "2025-2026",
            "last_name": "Martin",
            "first_name": "Léa",
            "birth_date": "2008-03-14",
            "email": "lea.martin@example.org",
            "phone": "0612345678",
            "postcode": "01500",
            "nir": None,
            "uai_responsable": "0010826T",
            "siret_responsable": "85052026300011",
            "uai_formateur": "0010826T",
            "siret_formateur": "85052026300011",
            "cfd": "50022137",
            "course_start": "2025-09-01",
            "course_end": "2027-06-30",
            "registered_on": "2025-07-10",
            "contracts": [
                {
                    "employer_siret": "98100001100016",
                    "start_date": "2025-09-01",
                    "end_date": "2027-08-31",
                    "break_date": None,
                    "break_reason": None,
                }
            ],
            "dropped_out_on": None,
            "outcome": None,
            "rqth": False,
        }
    ]
}


class RecordErrorOut(Schema):
    code: str
    message: str
    field: str


class RecordOut(Schema):
    index: int
    status: str = Field(description="accepted ou rejected")
    change: str = Field(description="created, updated ou unchanged (enregistrements acceptés)")
    errors: list[RecordErrorOut]


class BatchOut(Schema):
    accepted: int
    rejected: int
    records: list[RecordOut]


def _organisation(request):
    organisation = request.auth.organisation
    if organisation is None:
        raise ApiError(
            "no_organisation",
            "Cette clé d'API n'est rattachée à aucun organisme : demandez une clé créée avec --organisation UAI.",
            "Authorization",
            403,
        )
    return organisation


@router.post(
    "/enrolments",
    response={200: BatchOut, 400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 413: ErrorOut},
    summary=f"Envoyer des inscriptions d'apprentis ({MAX_RECORDS} au plus par appel)",
    description=(
        "Chaque enregistrement est contrôlé seul ; les valides sont enregistrés même si d'autres sont refusés "
        "(tous ceux d'un envoi ensemble ou aucun). Renvoyer le même enregistrement ne change rien ; un contenu "
        "nouveau crée une nouvelle version (historique gardé). Clé : organisme, learner_id, school_year. "
        "Le NIR n'est jamais enregistré. " + AUTH_HELP
    ),
    auth=ApiKeyAuth(Scope.ENROLMENTS),
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": _inline_schema(EnrolmentBatchIn), "example": BODY_EXAMPLE}},
        }
    },
)
def send_enrolments(request):
    organisation = _organisation(request)
    with gc_paused():  # parsing, validating and answering 2,000 records: no cyclic GC passes (core.bulk)
        return _send_enrolments(organisation, request.body)


def _send_enrolments(organisation, raw: bytes) -> HttpResponse:
    try:
        body = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        raise ApiError("invalid_json", "Le corps de la requête n'est pas du JSON valide.", "records") from None
    records = body.get("records") if isinstance(body, dict) else None
    if not isinstance(records, list):
        raise ApiError(
            "invalid_body", 'Le corps attendu est {"records": [...]} : une liste d\'enregistrements.', "records"
        )
    if len(records) > MAX_RECORDS:
        raise ApiError(
            "too_many_records",
            f"Vous avez envoyé {len(records)} enregistrements : {MAX_RECORDS} au plus par appel. "
            "Découpez l'envoi en plusieurs appels.",
            "records",
            413,
        )
    result = ingest(organisation, records, source=Enrolment.Source.API)
    # The body is written in the shape of BatchOut (keys in its order; a test checks it against the schema),
    # without ninja's validation pass over 2,000 RecordOut (a sixth of a call's time).
    body = {
        "accepted": result.accepted,
        "rejected": result.rejected,
        "records": [
            {"index": r.index, "status": r.status, "change": r.change, "errors": r.errors} for r in result.records
        ],
    }
    return HttpResponse(json.dumps(body), content_type="application/json; charset=utf-8")


# --- read back ------------------------------------------------------------------------------------------------


class ContractOut(Schema):
    employer_siret: str
    start_date: dt.date
    end_date: dt.date | None
    break_date: dt.date | None
    break_reason: str


class EnrolmentOut(Schema):
    learner_id: str
    school_year: str
    version: int
    last_name: str
    first_name: str
    birth_date: dt.date
    email: str
    phone: str
    postcode: str
    commune_insee: str
    nir_present: bool = Field(description="Le NIR a été transmis (il n'est jamais gardé)")
    uai_responsable: str
    siret_responsable: str
    uai_formateur: str
    siret_formateur: str
    cfd: str
    rncp: str
    course_start: dt.date
    course_end: dt.date
    registered_on: dt.date
    contracts: list[ContractOut]
    dropped_out_on: dt.date | None
    outcome: str | None
    rqth: bool
    status: str = Field(description="Statut du jour : " + ", ".join(rules.Status))
    updated_at: str = Field(description="Instant de la dernière version (ISO 8601, en microsecondes), pour `since`")


class EnrolmentFilters(Schema):
    since: dt.datetime | None = Field(None, description="Seulement ce qui a changé après cet instant (ISO 8601)")
    page: int = Field(1, ge=1, le=MAX_PAGE)
    page_size: int = Field(100, ge=1, le=1000)


class EnrolmentPage(Schema):
    count: int
    page: int
    page_size: int
    results: list[EnrolmentOut]


@router.get(
    "/enrolments",
    response={200: EnrolmentPage, 401: ErrorOut, 403: ErrorOut},
    summary="Relire les inscriptions envoyées par votre organisme",
    description=(
        "Triées par date de mise à jour ; `since` (le `updated_at` le plus récent déjà lu) pour ne relire que "
        "les changements. Un envoi en cours au moment de la lecture peut apparaître avec un `updated_at` un peu "
        "antérieur : relisez avec quelques secondes de recouvrement (la relecture est sans effet de bord). " + AUTH_HELP
    ),
    auth=ApiKeyAuth(Scope.ENROLMENTS),
)
def list_enrolments(request, filters: Query[EnrolmentFilters]):
    from django.utils import timezone

    organisation = _organisation(request)
    queryset = Enrolment.objects.of_organisation(organisation).since(filters.since).order_by("updated_at", "id")
    count = queryset.count()
    start = (filters.page - 1) * filters.page_size
    page = queryset.prefetch_related(Prefetch("contracts", queryset=EnrolmentContract.objects.order_by("start_date")))[
        start : start + filters.page_size
    ]
    today = timezone.localdate()
    results = []
    for e in page:
        contracts = list(e.contracts.all())
        results.append(
            {
                **{
                    f: getattr(e, f)
                    for f in EnrolmentOut.model_fields
                    if f not in ("contracts", "status", "outcome", "updated_at")
                },
                "outcome": e.outcome or None,
                "contracts": contracts,
                "status": str(e.status_on(today, contracts) or ""),
                "updated_at": e.updated_at.isoformat(),
            }
        )
    return {"count": count, "page": filters.page, "page_size": filters.page_size, "results": results}


# --- public indicators ----------------------------------------------------------------------------------------


class CellOut(Schema):
    key: str
    label: str
    value: int | None = Field(description="null quand le nombre est masqué")
    suppressed: bool = Field(description="masqué : moins de 3 apprenants, ou déductible des totaux")
    parent: str = Field("", description="région d'un département, département d'un organisme, niveau d'un diplôme")


class MonthOut(Schema):
    date: dt.date
    total: CellOut
    status: list[CellOut]


class IndicatorsOut(Schema):
    date: dt.date
    computed_at: dt.datetime | None = Field(None, description="instant du calcul de ces chiffres")
    threshold: int = Field(description="aucun groupe de moins de `threshold` apprenants n'est publié")
    total: CellOut
    status: list[CellOut]
    region: list[CellOut]
    departement: list[CellOut]
    organisation: list[CellOut]
    diploma: list[CellOut]
    level: list[CellOut]
    months: list[MonthOut]


def _cell(row: indicators.Row) -> dict:
    return {
        "key": row.key,
        "label": row.label,
        "value": row.value,
        "suppressed": bool(row.suppressed),
        "parent": row.parent,
    }


@router.get(
    "/indicators/enrolments",
    response={200: IndicatorsOut, 503: ErrorOut},
    summary="Indicateurs des inscriptions en apprentissage (petits effectifs masqués)",
    description=(
        "Nombre d'apprenants à la date du jour par statut, région, département, organisme, diplôme et niveau, "
        "et par statut fin de mois par fin de mois sur 12 mois. Un effectif de moins de 3 apprenants vaut null "
        'avec "suppressed": true, comme tout nombre qui permettrait de le retrouver par différence. '
        "Données réelles seulement (jamais de démonstration). Les chiffres sont ceux du dernier calcul "
        "(`computed_at`), refait en arrière-plan quelques minutes après l'arrivée de nouvelles données ; "
        "503 avant le tout premier calcul."
    ),
)
def enrolment_indicators(request):
    result = indicators.latest(demo=False)
    if result is None:
        raise ApiError(
            "indicators_pending",
            "Les indicateurs sont en cours de calcul : réessayez dans quelques minutes.",
            None,
            503,
            headers={"Retry-After": "120"},
        )
    return {
        "date": result.day,
        "computed_at": result.computed_at,
        "threshold": result.threshold,
        "total": _cell(result.total),
        **{kind: [_cell(r) for r in rows] for kind, rows in result.tables.items()},
        "months": [
            {"date": m["date"], "total": _cell(m["total"]), "status": [_cell(r) for r in m["status"]]}
            for m in result.months
        ],
    }
