"""API router: LHEO imports (token-authenticated) and the publication status of trainings.

An upload is written to disk (settings.LHEO_UPLOAD_DIR) and imported by the background worker: the answer
is 202 with the report's URL; the report goes « en_attente » -> « en_cours » -> « termine » / « echec » /
« interrompu ». A source belongs to the first key that fed it, or to that key's organisation
(trainings.sources): only its owner uploads to it (403 for another key), reads its reports (404 for another)
and sees its courses' history.
"""

from django.conf import settings
from django.urls import reverse
from ninja import File, Form, Router, Schema, Status
from ninja import Path as PathParam
from ninja.files import UploadedFile

from alternance.accounts.models import Scope
from alternance.api.auth import AUTH_HELP, ApiKeyAuth
from alternance.api.errors import MAX_ID, ApiError, error_statuses
from alternance.trainings import lheo
from alternance.trainings.models import ImportReport, Training
from alternance.trainings.services import (
    SourceTaken,
    claim_source,
    mark_interrupted_imports,
    owned_sources,
    queue_lheo_import,
    store_upload,
)

router = Router(tags=["trainings"])


class RejectedOut(Schema):
    id: str
    line: int
    reason: str


class ImportReportOut(Schema):
    id: int
    source: str
    filename: str
    lheo_version: str
    state: str
    started_at: str
    finished_at: str | None
    counts: dict[str, int]
    errors: list[RejectedOut]
    warnings: list[str]
    fatal_error: str
    fatal_line: int | None


class ImportAcceptedOut(Schema):
    id: int
    state: str
    url: str


def _report(report: ImportReport) -> dict:
    return {
        "id": report.pk,
        "source": report.source,
        "filename": report.filename,
        "lheo_version": report.lheo_version,
        "state": report.state,
        "started_at": report.started_at.isoformat(),
        "finished_at": report.finished_at.isoformat() if report.finished_at else None,
        "counts": report.import_counts.as_json(),
        "errors": report.errors,
        "warnings": report.warnings,
        "fatal_error": report.fatal_error,
        "fatal_line": report.fatal_line,
    }


@router.post(
    "/imports/lheo",
    response={202: ImportAcceptedOut},
    summary="Déposer un flux LHEO 2.2 ou 2.3 (clé requise)",
    description="Le fichier est importé en arrière-plan : la réponse 202 donne l'adresse du rapport, à "
    "consulter jusqu'à l'état « termine », « echec » ou « interrompu ». Un flux (« source ») appartient à la "
    "première clé qui l'alimente (ou à son organisme) : une autre clé reçoit 403. " + AUTH_HELP,
    auth=ApiKeyAuth(Scope.LHEO),
)
@error_statuses(403, 413)
def upload_lheo(request, file: File[UploadedFile], source: Form[str] = "lheo"):
    key = request.auth
    source = source.strip()[:64]
    if not source:
        raise ApiError("invalid", "« source » : donnez le nom du flux, par exemple carif-bretagne.", "source")
    if file.size is not None and file.size > settings.LHEO_MAX_BYTES:
        limit = settings.LHEO_MAX_BYTES // (1024 * 1024)
        raise ApiError("too_large", f"Le fichier dépasse {limit} Mo : découpez le flux.", "file", 413)
    head = file.read(lheo.HEAD_BYTES)
    file.seek(0)
    try:
        lheo.check_head(head)  # not LHEO, empty, DOCTYPE entities: refused at once, nothing queued
    except lheo.FeedError as error:
        raise ApiError("lheo_invalid", f"Flux refusé, rien n'a été importé : {error.message}", "file", 400) from None
    try:
        claim_source(source, api_key_id=key.pk, organisation_id=key.organisation_id)
    except SourceTaken as refused:
        raise ApiError("source_forbidden", refused.message, "source", 403) from None
    path = store_upload(file.chunks(1024 * 1024))
    report = queue_lheo_import(
        path, source=source, filename=file.name or "flux.xml", uploaded_by=f"clé {key.name}", api_key_id=key.pk
    )
    url = reverse("api:import_report", kwargs={"report_id": report.pk})
    return Status(202, {"id": report.pk, "state": report.state, "url": url})


@router.get(
    "/imports/{report_id}",
    url_name="import_report",
    response=ImportReportOut,
    summary="Rapport d'un import LHEO (jeton requis)",
    description="Seulement les rapports des flux de la clé (404 pour les autres). " + AUTH_HELP,
    auth=ApiKeyAuth(Scope.LHEO),
)
def get_import(request, report_id: int = PathParam(..., ge=1, le=MAX_ID)):
    mark_interrupted_imports()
    own = owned_sources(request.auth.pk, request.auth.organisation_id)
    report = ImportReport.objects.filter(pk=report_id, source__in=own).first()
    if report is None:
        raise ApiError("not_found", f"Aucun rapport d'import n'a le numéro {report_id}.", "report_id", 404)
    return _report(report)


class StatusChangeOut(Schema):
    from_status: str
    to_status: str
    rule: str
    reason: str
    changed_at: str


class TrainingStatusOut(Schema):
    id: int
    title: str
    status: str
    status_rule: str
    history: list[StatusChangeOut]


def _privileged_trainings(request):
    """The trainings whose history this caller sees: all for the team (staff session), those of the sources it
    owns for a key of scope lheo, none for the others (who see the trainings with a public page, published or
    closed after publication, without history, like the status page, which is for the team only)."""
    if request.headers.get("Authorization"):
        key = ApiKeyAuth(Scope.LHEO)(request)  # 401 for an unknown key, 403 without the scope
        return Training.objects.filter(source__in=owned_sources(key.pk, key.organisation_id))
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and user.is_staff:
        return Training.objects.all()
    return Training.objects.none()


@router.get(
    "/trainings/{training_id}/status",
    response=TrainingStatusOut,
    summary="Statut de publication et historique",
    description="Les formations publiées ou fermées après leur publication (celles qui ont une fiche publique), "
    "sans historique ; avec une clé de portée lheo, en plus, toutes les formations des flux de cette clé et leur "
    "historique (404 pour une formation non publique d'un autre flux) ; l'équipe connectée voit tout. " + AUTH_HELP,
)
@error_statuses(401, 403, 429)
def training_status(request, training_id: int = PathParam(..., ge=1, le=MAX_ID)):
    training = _privileged_trainings(request).filter(pk=training_id).first()
    privileged = training is not None
    if training is None:
        training = Training.objects.public().filter(pk=training_id).first()
    if training is None:
        raise ApiError("not_found", f"Aucune formation publique n'a l'identifiant {training_id}.", "training_id", 404)
    if not privileged:
        return {
            "id": training.pk,
            "title": training.title,
            "status": training.status,
            "status_rule": training.status_rule,
            "history": [],
        }
    return {
        "id": training.pk,
        "title": training.title,
        "status": training.status,
        "status_rule": training.status_rule,
        "history": [
            {
                "from_status": c.from_status,
                "to_status": c.to_status,
                "rule": c.rule,
                "reason": c.reason,
                "changed_at": c.changed_at.isoformat(),
            }
            for c in training.status_history.all()
        ],
    }
