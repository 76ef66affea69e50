"""API router: LHEO imports (token-authenticated) and the publication status of trainings."""

from ninja import File, Form, Path, Router, Schema, Status
from ninja.files import UploadedFile

from alternance.accounts.models import Scope
from alternance.api.auth import AUTH_HELP, ApiKeyAuth
from alternance.api.errors import MAX_ID, ApiError, error_statuses
from alternance.trainings.models import ImportReport, Training
from alternance.trainings.services import import_lheo

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


def _report(report: ImportReport) -> dict:
    return {
        "id": report.pk,
        "source": report.source,
        "filename": report.filename,
        "lheo_version": report.lheo_version,
        "state": report.state,
        "started_at": report.started_at.isoformat(),
        "finished_at": report.finished_at.isoformat() if report.finished_at else None,
        "counts": report.counts,
        "errors": report.errors,
        "warnings": report.warnings,
        "fatal_error": report.fatal_error,
        "fatal_line": report.fatal_line,
    }


@router.post(
    "/imports/lheo",
    response={201: ImportReportOut},
    summary="Déposer un flux LHEO 2.2 ou 2.3 (jeton requis)",
    description=AUTH_HELP,
    auth=ApiKeyAuth(Scope.LHEO),
)
def upload_lheo(request, file: File[UploadedFile], source: Form[str] = "lheo"):
    token = request.auth
    source = source.strip()[:64]
    if not source:
        raise ApiError("invalid", "« source » : donnez le nom du flux, par exemple carif-bretagne.", "source")
    report = import_lheo(file.file, source=source, filename=file.name or "flux.xml", uploaded_by=f"jeton {token.name}")
    if report.state == ImportReport.State.FAILED:
        where = f" (ligne {report.fatal_line})" if report.fatal_line else ""
        raise ApiError(
            "lheo_invalid", f"Flux illisible{where}, rien n'a été importé : {report.fatal_error}", "file", 400
        )
    return Status(201, _report(report))


@router.get(
    "/imports/{report_id}",
    response=ImportReportOut,
    summary="Rapport d'un import LHEO (jeton requis)",
    description=AUTH_HELP,
    auth=ApiKeyAuth(Scope.LHEO),
)
def get_import(request, report_id: int = Path(..., ge=1, le=MAX_ID)):
    report = ImportReport.objects.filter(pk=report_id).first()
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


def _sees_everything(request) -> bool:
    """The team (staff session) and keys of scope lheo see every training and its history; others the
    published trainings, without history (like the status page, which is for the team only)."""
    if request.headers.get("Authorization"):
        ApiKeyAuth(Scope.LHEO)(request)  # 401 for an unknown key, 403 without the scope
        return True
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated and user.is_staff)


@router.get(
    "/trainings/{training_id}/status",
    response=TrainingStatusOut,
    summary="Statut de publication et historique",
    description="Sans clé : les formations publiées, sans historique. Avec une clé de portée lheo "
    "(ou pour l'équipe connectée) : toutes les formations et leur historique. " + AUTH_HELP,
)
@error_statuses(401, 403, 429)
def training_status(request, training_id: int = Path(..., ge=1, le=MAX_ID)):
    privileged = _sees_everything(request)
    trainings = Training.objects.all() if privileged else Training.objects.filter(status=Training.Status.PUBLISHED)
    training = trainings.filter(pk=training_id).first()
    if training is None:
        raise ApiError("not_found", f"Aucune formation publiée n'a l'identifiant {training_id}.", "training_id", 404)
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
