"""Pages: minimum pay simulator, the contract form as a stepper (one block of the official form per step,
saved as a draft), its summary, the stored contract and its PDF (the official cerfa n° 10103*12, filled), and
the contracts of a company in its members' space.

Who sees a stored contract: one made without an account, whoever holds its link; one a member of the employer's
company made (``Contract.company``), that company's active members only (staff: every company, as elsewhere in
the space) — anyone else gets 404, link or not."""

import uuid

from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from alternance.accounts.models import Membership
from alternance.companies.models import Company
from alternance.contracts import services
from alternance.contracts.cerfa import display, render_cerfa
from alternance.contracts.cerfa_pdf import official_form_path, render_official
from alternance.contracts.fields import BLOCK_OF, FIELD_BLOCKS, FIELD_LABELS
from alternance.contracts.models import RETENTION_DAYS, Contract, ContractDraft
from alternance.contracts.pay import (
    BASE_SMIC,
    PayError,
    explain,
    format_date_fr,
    format_money_fr,
)
from alternance.contracts.services import compute_minimum_pay
from alternance.core.ratelimit import client_key, hit_scope
from alternance.web.accounts.views import companies_of
from alternance.web.decorators import private_page, rate_limited, too_many_requests

from .forms import STEP_FORMS, PrintForm, SimulatorForm


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


# The stepper: (slug in the URL, key of fields.FIELD_BLOCKS, title), in the order of the official form.
STEPS = [
    ("employeur", "employer"),
    ("apprenti", "apprentice"),
    ("representant-legal", "guardian"),
    ("maitres-apprentissage", "supervisors"),
    ("formation", "training"),
    ("contrat", "contract"),
    ("remuneration", "pay"),
]
TITLES = {key: title for key, title, _fields in FIELD_BLOCKS}
FIELDS = {key: fields for key, _title, fields in FIELD_BLOCKS}
SLUGS = {key: slug for slug, key in STEPS}
KEYS = {slug: key for slug, key in STEPS}
SESSION_KEY = "contract_draft"  # the draft's unguessable public_id; never any value of the contract


def throttled(request, what: str):
    """None when this address may create one more draft or contract (settings.RATE_LIMITS["contract_creation"]),
    else the French 429 page with Retry-After."""
    verdict = hit_scope("contract_creation", f"{what}:{client_key(request)}")
    return None if verdict.allowed else too_many_requests(request, verdict.retry_after)


def current_draft(request) -> ContractDraft | None:
    """The draft of this browser: scoped by the id kept in its session, nothing else."""
    public_id = request.session.get(SESSION_KEY)
    if not public_id:
        return None
    draft = ContractDraft.objects.filter(public_id=public_id).first()
    if draft is not None and draft.owner_id is not None and draft.owner_id != request.user.pk:
        draft = None  # a signed-in person's draft, in a session that is no longer theirs
    if draft is None:
        request.session.pop(SESSION_KEY, None)
    return draft


def step_nav(current: str, draft: ContractDraft | None) -> list[dict]:
    done = set(draft.steps_done) if draft else set()
    return [
        {
            "number": number,
            "slug": slug,
            "title": TITLES[key],
            "url": reverse("contracts:step", args=[slug]),
            "current": key == current,
            "done": key in done,
        }
        for number, (slug, key) in enumerate(STEPS, start=1)
    ]


def issue_rows(issues) -> list[dict]:
    """Issues with the step (and its link) where each field is filled in."""
    rows = []
    for issue in issues:
        key = BLOCK_OF.get(issue.field)
        url = reverse("contracts:step", args=[SLUGS[key]]) + f"#id_{issue.field}" if key else ""
        rows.append({"message": issue.message, "url": url, "step": TITLES.get(key, "")})
    return rows


def _with_facts(step: str, data) -> tuple[dict, dict]:
    """(data with the platform's facts in the fields left empty, the facts found); ``data`` is a dict or a
    mutable QueryDict (one value per field)."""
    facts = services.prefill(step, data)
    filled = data.copy()
    for name, value in facts.items():
        if name in FIELDS[step] and value not in (None, "") and not str(filled.get(name) or "").strip():
            filled[name] = value
    return filled, facts


@private_page
@require_http_methods(["GET", "POST"])
def contract_new(request):
    """Start (or resume) the contract form: the first step not yet saved of this browser's draft."""
    draft = current_draft(request)
    done = set(draft.steps_done) if draft else set()
    for slug, key in STEPS:
        if key not in done:
            return redirect("contracts:step", slug=slug)
    return redirect("contracts:summary")


@private_page
@rate_limited("forms")
@require_http_methods(["GET", "POST"])
def contract_step(request, slug):
    """One block of the official form. A plain POST saves it into the draft and goes to the next step; the
    « Compléter » button fills the fields the platform knows (SIRET, UAI, CFD or RNCP) and stays."""
    if slug not in KEYS:
        return page(request, "contracts/step_missing.html", {"title": "Étape inconnue"}, status=404)
    key = KEYS[slug]
    number = [k for _s, k in STEPS].index(key) + 1
    draft = current_draft(request)
    known = draft.values if draft else {}
    form_class = STEP_FORMS[key]
    facts = {}
    lookup = request.method == "POST" and request.POST.get("action") == "completer"
    if request.method == "POST":
        posted, facts = _with_facts(key, request.POST.copy())
        if lookup:
            form = form_class(initial={**known, **{name: posted.get(name) for name in form_class.base_fields}})
        else:
            form = form_class(posted, check=services.check, known=known)
            if form.is_valid():
                if draft is None and (refused := throttled(request, "draft")):
                    return refused
                values = dict(form.cleaned_data)
                if key == "training":
                    values["training_diploma_level"] = facts.get("training_diploma_level")
                owner = request.user if request.user.is_authenticated else None
                draft = services.save_draft_step(draft, key, values, owner=owner)
                request.session[SESSION_KEY] = str(draft.public_id)
                if number < len(STEPS):
                    return redirect("contracts:step", slug=STEPS[number][0])
                return redirect("contracts:summary")
    else:
        form = form_class(initial={name: known.get(name) for name in form_class.base_fields})
        if key in ("employer", "training"):
            facts = services.prefill(key, {name: known.get(name) for name in form_class.base_fields})
    # Bound: the other steps' issues (this step's are the form's errors). Unbound: every issue of the draft.
    others = form.other_issues if form.is_bound else services.check(known)[0] if known else []
    title = f"{TITLES[key]} — étape {number} sur {len(STEPS)}"
    if form.errors:
        title = f"Erreur dans le formulaire — {title}"
    context = {
        "form": form,
        "title": title,
        "step_title": TITLES[key],
        "number": number,
        "total": len(STEPS),
        "next_title": TITLES[STEPS[number][1]] if number < len(STEPS) else "Récapitulatif",
        "previous_url": reverse("contracts:step", args=[STEPS[number - 2][0]]) if number > 1 else "",
        "action": reverse("contracts:step", args=[slug]),
        "steps": step_nav(key, draft),
        "other_issues": issue_rows(others),
        "facts": facts,
        "lookup": lookup,
        "key": key,
        "draft": draft,
        "expires_on": draft.expires_on if draft else None,
        "retention_days": RETENTION_DAYS,
        "rows": period_rows(form.periods) if key == "pay" and form.periods else [],
    }
    return page(request, "contracts/step.html", context)


@login_required
@private_page
@rate_limited("forms")
@require_http_methods(["GET", "POST"])
def my_drafts(request):
    """The drafts this signed-in person saved, newest first; « Reprendre » makes one this browser's draft (so
    that a contract started on one computer is finished on another). Someone else's draft is a 404."""
    drafts = ContractDraft.objects.filter(owner=request.user)
    if request.method == "POST":
        try:
            public_id = uuid.UUID(request.POST.get("brouillon", ""))
        except ValueError:
            raise Http404("Brouillon introuvable") from None
        draft = get_object_or_404(drafts, public_id=public_id)
        request.session[SESSION_KEY] = str(draft.public_id)
        return redirect("contracts:new")
    rows = []
    for draft in drafts[:100]:
        values = draft.values
        rows.append(
            {
                "public_id": draft.public_id,
                "employer": values.get("employer_name") or "Employeur non renseigné",
                "apprentice": " ".join(
                    part for part in (values.get("apprentice_first_name"), values.get("apprentice_last_name")) if part
                ),
                "steps": len(set(draft.steps_done) & set(KEYS.values())),
                "updated": format_date_fr(timezone.localdate(draft.updated_at)),
                "expires": format_date_fr(draft.expires_on),
                "current": str(draft.public_id) == request.session.get(SESSION_KEY),
            }
        )
    context = {
        "title": "Mes contrats en cours de saisie",
        "drafts": rows,
        "total": len(STEPS),
        "retention_days": RETENTION_DAYS,
    }
    return page(request, "contracts/drafts.html", context)


def _blocks(values: dict) -> list[dict]:
    return [
        {
            "title": title,
            "url": reverse("contracts:step", args=[SLUGS[key]]),
            "items": [(FIELD_LABELS[name], display(name, values.get(name))) for name in names],
        }
        for key, title, names in FIELD_BLOCKS
    ]


def owning_company(user, siret: str) -> Company | None:
    """The company a signed-in person makes this contract for: the employer's SIRET among the companies of their
    active memberships; None otherwise (the contract is then reached by its link and purged)."""
    if not getattr(user, "is_authenticated", False):
        return None
    memberships = Membership.objects.of_user(user).active().exclude(company=None)
    siret = (siret or "").replace(" ", "")
    return Company.objects.filter(siret=siret, pk__in=memberships.values("company")).first() if siret else None


def reachable_contracts(user):
    """Scope before fetching: contracts made without an account, and those of the companies this user acts for."""
    return Contract.objects.filter(Q(company__isnull=True) | Q(company__in=companies_of(user)))


@private_page
@require_http_methods(["GET", "POST"])
def contract_summary(request):
    """Every block of the draft and every check; POST stores the contract when all pass."""
    draft = current_draft(request)
    if draft is None:
        return redirect("contracts:new")
    values = draft.values
    issues, periods = services.check(values)
    missing = [TITLES[key] for _slug, key in STEPS if key not in draft.steps_done]
    if request.method == "POST" and not issues and not missing:
        if refused := throttled(request, "contract"):
            return refused
        try:
            company = owning_company(request.user, values.get("employer_siret"))
            contract = services.create_contract_from_draft(draft, company=company)
        except services.ContractInvalid as invalid:  # the reference changed between the two checks
            issues = invalid.issues
        else:
            request.session.pop(SESSION_KEY, None)
            return redirect("contracts:detail", public_id=contract.public_id)
    context = {
        "title": "Récapitulatif du contrat",
        "blocks": _blocks(values),
        "issues": issue_rows(issues),
        "missing": missing,
        "rows": period_rows(periods),
        "steps": step_nav("", draft),
        "draft": draft,
        "owner": owning_company(request.user, values.get("employer_siret")),
        "expires_on": draft.expires_on,
        "retention_days": RETENTION_DAYS,
    }
    return page(request, "contracts/summary.html", context)


@private_page
@require_http_methods(["POST"])
def contract_restart(request):
    """Forget this browser's draft (and delete it)."""
    draft = current_draft(request)
    if draft is not None:
        draft.delete()
    request.session.pop(SESSION_KEY, None)
    return redirect("contracts:new")


def _detail_context(contract, values, issues, periods, print_form) -> dict:
    return {
        "contract": contract,
        "blocks": _blocks(values),
        "issues": issues,
        "rows": period_rows(periods),
        "title": "Contrat d'apprentissage enregistré",
        "print_form": print_form,
        "official": official_form_path() is not None,
        "retention_days": RETENTION_DAYS,
    }


@private_page
def contract_detail(request, public_id):
    contract = get_object_or_404(reachable_contracts(request.user).select_related("company"), public_id=public_id)
    values = contract.values
    issues, periods = services.check(values)
    return page(
        request, "contracts/contract_detail.html", _detail_context(contract, values, issues, periods, PrintForm())
    )


@private_page
@sensitive_post_parameters("nir")
@require_http_methods(["GET", "POST"])
def contract_pdf(request, public_id):
    """The filled official form (cerfa n° 10103*12) as a PDF, or the summary PDF without the data folder. The
    NIR comes in the POST body only: checked, written into the PDF, never stored, logged or put in a URL. A
    contract failing a check cannot be printed (error page, status 409)."""
    contract = get_object_or_404(reachable_contracts(request.user).select_related("company"), public_id=public_id)
    values = contract.values
    issues, periods = services.check(values)
    if issues:
        context = {"contract": contract, "issues": issues, "title": "Impression impossible"}
        return page(request, "contracts/cannot_print.html", context, status=409)
    nir = ""
    if request.method == "POST":
        form = PrintForm(request.POST)
        if not form.is_valid():
            context = _detail_context(contract, values, issues, periods, PrintForm())
            context["print_errors"] = form.errors.get("nir", [])
            context["title"] = f"Erreur dans le formulaire — {context['title']}"
            return page(request, "contracts/contract_detail.html", context, status=400)
        nir = form.cleaned_data["nir"]
    form_path = official_form_path()
    if form_path is not None:
        pdf = render_official(values, periods, nir=nir, form_path=form_path)
        name = f"cerfa-10103-contrat-apprentissage-{contract.public_id}.pdf"
    else:
        pdf = render_cerfa(values, periods, reference=str(contract.public_id))
        name = f"contrat-apprentissage-{contract.public_id}.pdf"
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@private_page
def company_contracts(request, siret: str):
    """The contracts made by the members of a company, newest first, each linked to its page."""
    company = get_object_or_404(companies_of(request.user), siret=siret)
    rows = []
    for contract in Contract.objects.of_company(company)[:500]:
        values = contract.values
        rows.append(
            {
                "url": reverse("contracts:detail", args=[contract.public_id]),
                "apprentice": " ".join(
                    part for part in (values.get("apprentice_first_name"), values.get("apprentice_last_name")) if part
                ),
                "diploma": values.get("training_diploma_title") or values.get("training_diploma_code") or "",
                "start": format_date_fr(contract.start_date),
                "end": format_date_fr(contract.end_date),
                "created": format_date_fr(contract.created_at.date()),
            }
        )
    context = {"title": f"Contrats d'apprentissage — {company.name}", "company": company, "contracts": rows}
    return page(request, "contracts/company_contracts.html", context)
