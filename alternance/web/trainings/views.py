"""Pages of the catalogue: LHEO import reports and upload, publication status (staff), open data (public)."""

import datetime as dt

from django import forms
from django.conf import settings
from django.contrib.admin.views.decorators import staff_member_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.cache import get_conditional_response
from django.utils.http import http_date
from django.views.decorators.http import require_GET, require_http_methods, require_safe

from alternance.job_applications.services import cfa_email
from alternance.trainings import opendata, workflow
from alternance.trainings.models import ImportReport, Training
from alternance.trainings.services import decide_manually, mark_interrupted_imports, queue_lheo_import, store_upload
from alternance.web.decorators import private_page, rate_limited

from .public import is_closed, public_training, same_search_url


class UploadForm(forms.Form):
    file = forms.FileField(label="Fichier LHEO 2.2 ou 2.3 (XML)")
    source = forms.SlugField(
        label="Nom du flux",
        max_length=64,
        initial="lheo",
        help_text="Par exemple carif-bretagne. Les formations de ce flux absentes du fichier seront fermées.",
    )


class DecisionForm(forms.Form):
    status = forms.ChoiceField(label="Nouveau statut", choices=Training.Status.choices)
    reason = forms.CharField(label="Motif", max_length=500, help_text="Il figurera dans l'historique.")


@staff_member_required
@private_page
@rate_limited("forms")
@require_http_methods(["GET", "POST"])
def import_list(request):
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        report = queue_lheo_import(
            store_upload(upload.chunks(1024 * 1024)),
            source=form.cleaned_data["source"],
            filename=upload.name,
            uploaded_by=request.user.get_username(),
        )
        return redirect("trainings:import_detail", report_id=report.pk)
    mark_interrupted_imports()
    page = Paginator(ImportReport.objects.all(), 30).get_page(request.GET.get("page"))
    return render(
        request, "trainings/imports.html", {"title": "Imports LHEO", "page_obj": page, "form": form}, status=200
    )


@staff_member_required
@private_page
@require_GET
def import_detail(request, report_id: int):
    mark_interrupted_imports()
    report = ImportReport.objects.filter(pk=report_id).first()
    if report is None:
        raise Http404("Rapport introuvable")
    counts = [{"label": label, "value": value} for label, value in report.import_counts.labelled()]
    errors = Paginator(report.errors, 100).get_page(request.GET.get("page"))
    return render(
        request,
        "trainings/import_detail.html",
        {"title": f"Import n° {report.pk}", "report": report, "counts": counts, "errors": errors},
    )


@staff_member_required
@private_page
@rate_limited("forms")
@require_http_methods(["GET", "POST"])
def training_status(request, training_id: int):
    training = Training.objects.select_related("organisation").filter(pk=training_id).first()
    if training is None:
        raise Http404("Formation introuvable")
    form = DecisionForm(request.POST or None, initial={"status": training.status})
    error = ""
    if request.method == "POST" and form.is_valid():
        try:
            decide_manually(
                training, form.cleaned_data["status"], actor=request.user, reason=form.cleaned_data["reason"]
            )
        except workflow.InvalidTransition as exc:
            error = f"Nouveau statut : {exc} Choisissez un autre statut."
        else:
            return redirect("trainings:status", training_id=training.pk)
    return render(
        request,
        "trainings/status.html",
        {
            "title": f"Statut : {training.title}",
            "training": training,
            "history": training.status_history.select_related("actor"),
            "form": form,
            "error": error,
        },
    )


@require_safe
def open_data(request):
    files = []
    for name, dataset in opendata.DATASETS.items():
        for fmt in opendata.FORMATS:
            path = opendata.published_file(f"{name}.{fmt}")
            files.append(
                {
                    "dataset": dataset["title"],
                    "filename": f"{name}.{fmt}",
                    "format": {"csv": "CSV", "jsonl": "JSON Lines", "parquet": "Parquet"}[fmt],
                    "size_kb": round(path.stat().st_size / 1024) if path else None,
                    "modified": dt.datetime.fromtimestamp(path.stat().st_mtime, tz=dt.UTC) if path else None,
                }
            )
    return render(
        request,
        "trainings/open_data.html",
        {"title": "Données ouvertes", "files": files, "schema": opendata.schema_document()},
    )


@require_safe
def open_data_file(request, filename: str):
    path = opendata.published_file(filename)
    if path is None:
        raise Http404("Fichier introuvable")
    etag = opendata.etag(path)
    last_modified = int(path.stat().st_mtime)
    not_modified = get_conditional_response(request, etag=etag, last_modified=last_modified)
    if not_modified is not None:
        return not_modified
    extension = filename.rsplit(".", 1)[1]
    response = FileResponse(open(path, "rb"), content_type=opendata.MEDIA_TYPES[extension])
    response["ETag"] = etag
    response["Last-Modified"] = http_date(last_modified)
    response["Cache-Control"] = "public, max-age=3600"
    response["Content-Disposition"] = f'attachment; filename="{filename}"' if extension != "json" else "inline"
    return response


def appointment_path(training) -> str:
    """« Demander un rendez-vous » leads to the request form (alternance.web.job_applications)."""
    return f"/formations/{training.pk}/rendez-vous/"


@require_safe
def training_detail(request, pk: int):
    """The public page of a published training: its CFA and register verdict, place, diploma, sessions. A
    course closed after publication keeps its page, which says so and leads to the same search nearby."""
    training = public_training(pk, "organisation", "trainer", "site", "commune", "diploma", "certification")
    place = training.place()
    occupations = [row.rome for row in training.romes.select_related("rome").order_by("rome_id")]
    closed = is_closed(training)
    return render(
        request,
        "trainings/detail.html",
        {
            "title": f"Formation fermée\u00a0: {training.title}" if closed else training.title,
            "training": training,
            "organisation": training.organisation,
            "trainer": training.trainer if training.trainer_id not in (None, training.organisation_id) else None,
            "sessions": list(training.sessions.all()),
            "occupations": occupations,
            "occupation": occupations[0] if occupations else None,
            "place": place | {"label": f"{training.title}, {place['city']}"},
            "map_tiles": settings.MAP_TILE_URL,
            "closed": closed,
            "search_url": same_search_url(training, occupations[0] if occupations else None) if closed else "",
            "appointment_url": "" if closed else appointment_path(training),
            "cfa_reachable": bool(cfa_email(training)),
        },
    )
