"""Pages: minimum pay simulator, contract form and its CERFA PDF."""

from django.shortcuts import render

from alternance.contracts.pay import (
    BASE_SMIC,
    PayError,
    explain,
    format_date_fr,
    format_money_fr,
)
from alternance.contracts.services import compute_minimum_pay

from .forms import SimulatorForm

SKIPLINKS = [{"link": "#content", "label": "Contenu"}, {"link": "#footer", "label": "Pied de page"}]


def page(request, template: str, context: dict, status: int = 200):
    """Render a DSFR page; django-dsfr reads ``request.csp_nonce`` (django-csp), absent without a CSP middleware."""
    if not hasattr(request, "csp_nonce"):
        request.csp_nonce = ""
    context.setdefault("skiplinks", SKIPLINKS)
    return render(request, template, context, status=status)


def period_rows(periods) -> list[dict]:
    sentences = explain(periods)
    return [
        {
            "start": format_date_fr(p.start),
            "end": format_date_fr(p.end),
            "age_band": p.age_band,
            "contract_year": p.contract_year,
            "percent": p.percent,
            "base": "SMIC" if p.base == BASE_SMIC else "minimum conventionnel",
            "base_monthly": format_money_fr(p.base_monthly),
            "minimum_monthly": format_money_fr(p.minimum_monthly),
            "explanation": sentence,
        }
        for p, sentence in zip(periods, sentences, strict=True)
    ]


def simulator(request):
    """Simulator of the legal minimum pay: a plain GET form, works without JavaScript."""
    form = SimulatorForm(request.GET or None)
    rows = None
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        try:
            periods = compute_minimum_pay(
                data["birth_date"],
                data["start_date"],
                data["end_date"],
                conventional_monthly=data["conventional_monthly"],
                mayotte=data["mayotte"],
            )
        except PayError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            rows = period_rows(periods)
    title = "Rémunération minimale d'un apprenti"
    return page(request, "contracts/simulator.html", {"form": form, "rows": rows, "title": title})
