"""Pages of enrolments: the public dashboard (suppressed figures, CSV), and for an organisation's members
(staff: every organisation) the upload of a CSV/XLSX file with its preview, and its named learners."""

import csv
import json

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods
from dsfr.forms import DsfrBaseForm

from alternance.enrolments import indicators, loaders, rules
from alternance.enrolments.models import Enrolment
from alternance.enrolments.services import confirm_upload, stage_upload, staged, validate_batch
from alternance.organisations.models import Organisation

from ..decorators import private_page, rate_limited
from ..organisations.space import organisations_of

SECTIONS = (
    ("status", "Par statut", "Statut"),
    ("region", "Par région", "Région"),
    ("level", "Par niveau de diplôme", "Niveau"),
    ("departement", "Par département", "Département"),
    ("diploma", "Par diplôme", "Diplôme"),
    ("organisation", "Par organisme de formation", "Organisme"),
)
CHARTED = {"status", "region", "level"}


def _shown(row: indicators.Row) -> str:
    if row.suppressed == "small":
        return "<3"
    if row.suppressed:
        return "s"
    return f"{row.value:,}".replace(",", "\u202f")


def _chart(rows: list[indicators.Row]) -> dict:
    """Attributes of a <bar-chart>: published cells only (hidden ones are in the table)."""
    published = [r for r in rows if not r.suppressed and r.value]
    return {
        "x": json.dumps([[r.label[:40] for r in published]], ensure_ascii=False),
        "y": json.dumps([[r.value for r in published]]),
        "hidden": len(rows) - len(published),
    }


@require_GET
def dashboard(request):
    result = indicators.latest(demo=False)
    demo = False
    if (result is None or result.is_empty) and Enrolment.objects.filter(is_demo=True).exists():
        demo_result = indicators.latest(demo=True)
        if demo_result is not None:
            result, demo = demo_result, True
    if result is None:
        return render(
            request, "enrolments/dashboard_pending.html", {"title": "Tableau de bord de l'apprentissage"}, status=200
        )
    sections = [
        {
            "kind": kind,
            "title": title,
            "column": column,
            "rows": [(row, _shown(row)) for row in result.tables[kind]],
            "chart": _chart(result.tables[kind]) if kind in CHARTED else None,
        }
        for kind, title, column in SECTIONS
    ]
    months = [
        {"date": m["date"], "total": _shown(m["total"]), "status": [_shown(r) for r in m["status"]]}
        for m in result.months
    ]
    line = {
        "x": json.dumps([[m["date"].strftime("%m/%Y") for m in result.months]] * len(rules.Status)),
        "y": json.dumps([[r.value for r in [m["status"][i] for m in result.months]] for i in range(len(rules.Status))]),
        "name": json.dumps([rules.STATUS_LABELS[s] for s in rules.Status], ensure_ascii=False),
    }
    return render(
        request,
        "enrolments/dashboard.html",
        {
            "title": "Tableau de bord de l'apprentissage",
            "result": result,
            "computed_at": timezone.localtime(result.computed_at) if result.computed_at else None,
            "demo": demo,
            "total": _shown(result.total),
            "sections": sections,
            "months": months,
            "status_labels": [rules.STATUS_LABELS[s] for s in rules.Status],
            "line": line,
        },
    )


@require_GET
def dashboard_csv(request):
    """The same figures as the page, real enrolments only (never demonstration data)."""
    result = indicators.latest(demo=False)
    if result is None:
        return HttpResponse(
            "Les indicateurs sont en cours de calcul : réessayez dans quelques minutes.\n",
            content_type="text/plain; charset=utf-8",
            status=503,
            headers={"Retry-After": "120"},
        )
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="indicateurs-apprentissage-{result.day}.csv"'
    response.write("\ufeff")
    writer = csv.writer(response, delimiter=";")
    writer.writerow(["date", "tableau", "code", "libelle", "parent", "apprenants", "masque"])

    def write(day, kind, row):
        writer.writerow(
            [day, kind, row.key, row.label, row.parent, "" if row.value is None else row.value, row.suppressed]
        )

    write(result.day, "total", result.total)
    for kind, rows in result.tables.items():
        for row in rows:
            write(result.day, kind, row)
    for month in result.months[:-1]:
        write(month["date"], "total", month["total"])
        for row in month["status"]:
            write(month["date"], "status", row)
    return response


# --- an organisation's members (staff: every organisation): upload a file, preview its errors, confirm -------


def _scope(request):
    """The organisations whose enrolments this person uploads and reads: those of their active memberships
    (staff: all). Nobody else sees this part of the site (404)."""
    organisations = organisations_of(request.user)
    if not request.user.is_staff and not organisations.exists():
        raise Http404("Aucun organisme")
    return organisations


class UploadForm(DsfrBaseForm):
    file = forms.FileField(
        label="Fichier des inscriptions (CSV ou XLSX)",
        help_text="Une ligne par apprenant, les noms de colonnes de l'API en première ligne ; 10 Mo au plus.",
    )

    def __init__(self, *args, organisations=None, staff: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisations = organisations
        if staff:  # any organisation of the register, by its UAI
            self.fields = {
                "organisation": forms.CharField(
                    label="UAI de l'organisme",
                    max_length=8,
                    help_text="7 chiffres et une lettre, par exemple 0010826T.",
                ),
                **self.fields,
            }
        else:  # one of the person's own organisations
            self.fields = {
                "organisation": forms.ModelChoiceField(
                    label="Organisme",
                    queryset=organisations.order_by("name"),
                    empty_label=None,
                    error_messages={"invalid_choice": "Choisissez l'un de vos organismes dans la liste."},
                ),
                **self.fields,
            }

    def clean_organisation(self):
        value = self.cleaned_data["organisation"]
        if isinstance(value, Organisation):
            return value
        uai = value.strip().upper()
        organisation = self.organisations.filter(uai=uai).order_by("pk").first()
        if organisation is None:
            raise forms.ValidationError(f"Aucun organisme n'a l'UAI {uai} : vérifiez-le dans le registre.")
        return organisation

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > 10 * 1024 * 1024:
            raise forms.ValidationError("Le fichier dépasse 10 Mo : découpez-le en plusieurs fichiers.")
        try:
            self.records = loaders.read_records(upload.read(), upload.name)
        except loaders.LoaderError as exc:
            raise forms.ValidationError(str(exc)) from None
        return upload


@login_required
@private_page
@rate_limited("forms")
@require_http_methods(["GET", "POST"])
def upload(request):
    organisations = _scope(request)
    chosen = request.GET.get("organisme", "")
    initial = {"organisation": int(chosen)} if chosen.isdigit() and not request.user.is_staff else {}
    if chosen.isdigit() and request.user.is_staff:
        found = organisations.filter(pk=int(chosen)).first()
        initial = {"organisation": found.uai} if found else {}
    form = UploadForm(
        request.POST or None,
        request.FILES or None,
        organisations=organisations,
        staff=request.user.is_staff,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        token = stage_upload(form.cleaned_data["organisation"], form.records, form.cleaned_data["file"].name)
        request.session["enrolment_upload"] = token
        return redirect("enrolments:preview")
    return render(
        request,
        "enrolments/upload.html",
        {"title": "Déposer des inscriptions", "form": form, "columns": loaders.COLUMNS, "staff": request.user.is_staff},
        status=400 if form.errors else 200,
    )


@login_required
@private_page
@rate_limited("forms")
@require_http_methods(["GET", "POST"])
def preview(request):
    """Errors line by line before anything is stored; the parsed file stays server-side (session token)."""
    organisations = _scope(request)
    token = request.session.get("enrolment_upload", "")
    payload = staged(token) if token else None
    if payload is None:
        return redirect("enrolments:upload")
    organisation = get_object_or_404(organisations, pk=payload["organisation"])
    if request.method == "POST":
        result = confirm_upload(token, organisation)
        del request.session["enrolment_upload"]
        if result is None:
            raise Http404("Fichier introuvable")
        request.session["enrolment_upload_result"] = {
            "accepted": result.accepted,
            "rejected": result.rejected,
            "created": result.count("created"),
            "updated": result.count("updated"),
            "unchanged": result.count("unchanged"),
        }
        return redirect("enrolments:organisation", organisation_id=organisation.pk)
    checked = validate_batch(organisation, payload["records"])
    lines = [
        {"line": index + 2, "learner_id": str(payload["records"][index].get("learner_id") or ""), "errors": errors}
        for index, _record, errors in checked
        if errors
    ]
    return render(
        request,
        "enrolments/preview.html",
        {
            "title": "Vérifier le fichier avant de l'enregistrer",
            "organisation": organisation,
            "filename": payload["filename"],
            "total": len(checked),
            "valid": len(checked) - len(lines),
            "lines": lines[:500],
            "more": max(0, len(lines) - 500),
        },
    )


@login_required
@private_page
@require_GET
def organisation_enrolments(request, organisation_id: int):
    """The named learners of one organisation: its members (active memberships) and staff only."""
    organisation = get_object_or_404(organisations_of(request.user), pk=organisation_id)
    learners = indicators.organisation_detail(organisation)
    counts = {}
    for _enrolment, verdict in learners:
        if verdict.status:
            counts[verdict.status] = counts.get(verdict.status, 0) + 1
    return render(
        request,
        "enrolments/organisation.html",
        {
            "title": f"Inscriptions — {organisation.name}",
            "organisation": organisation,
            "learners": [(e, v, rules.STATUS_LABELS.get(v.status, "")) for e, v in learners[:1000]],
            "more": max(0, len(learners) - 1000),
            "counts": [(rules.STATUS_LABELS[s], counts.get(s, 0)) for s in rules.Status],
            "upload_result": request.session.pop("enrolment_upload_result", None),
        },
    )
