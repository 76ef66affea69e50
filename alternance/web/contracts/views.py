"""Pages: minimum pay simulator, contract form and its CERFA PDF."""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from alternance.contracts import services
from alternance.contracts.cerfa import display, render_cerfa
from alternance.contracts.models import Contract
from alternance.contracts.pay import (
    BASE_SMIC,
    PayError,
    explain,
    format_date_fr,
    format_money_fr,
)
from alternance.contracts.rules import FIELD_BLOCKS, FIELD_LABELS
from alternance.contracts.services import compute_minimum_pay

from .forms import ContractForm, SimulatorForm


def page(request, template: str, context: dict, status: int = 200):
    """Render a DSFR page; django-dsfr reads ``request.csp_nonce`` (django-csp), absent without a CSP middleware."""
    if not hasattr(request, "csp_nonce"):
        request.csp_nonce = ""
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
    if form.errors:
        title = f"Erreur dans le formulaire — {title}"
    return page(request, "contracts/simulator.html", {"form": form, "rows": rows, "title": title})


def contract_new(request):
    """The contract form: one page, a fieldset per block of CERFA FA13; a valid contract is stored."""
    form = ContractForm(request.POST or None, check=services.check)
    if request.method == "POST" and form.is_valid():
        try:
            contract = services.create_contract(form.cleaned_data)
        except services.ContractInvalid as invalid:  # the reference changed between the two checks
            for issue in invalid.issues:
                form.add_error(issue.field if issue.field in form.fields else None, issue.message)
        else:
            return redirect("contracts:detail", public_id=contract.public_id)
    title = "Établir un contrat d'apprentissage"
    if form.errors:
        title = f"Erreur dans le formulaire — {title}"
    context = {"form": form, "title": title, "rows": period_rows(form.periods)}
    return page(request, "contracts/contract_form.html", context)


def contract_detail(request, public_id):
    contract = get_object_or_404(Contract, public_id=public_id)
    values = contract.values
    issues, periods = services.check(values)
    blocks = [
        (title, [(FIELD_LABELS[name], display(name, values.get(name))) for name in names])
        for _key, title, names in FIELD_BLOCKS
    ]
    context = {
        "contract": contract,
        "blocks": blocks,
        "issues": issues,
        "rows": period_rows(periods),
        "title": "Contrat d'apprentissage enregistré",
    }
    return page(request, "contracts/contract_detail.html", context)


def contract_pdf(request, public_id):
    """The filled CERFA as a PDF; a contract failing a check cannot be printed (error page, status 409)."""
    contract = get_object_or_404(Contract, public_id=public_id)
    values = contract.values
    issues, periods = services.check(values)
    if issues:
        context = {"contract": contract, "issues": issues, "title": "Impression impossible"}
        return page(request, "contracts/cannot_print.html", context, status=409)
    pdf = render_cerfa(values, periods, reference=str(contract.public_id))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="contrat-apprentissage-{contract.public_id}.pdf"'
    return response
