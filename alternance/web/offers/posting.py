"""The recruiter's offers: the list of a company (or of a CFA's mandates), the stepper that writes an offer
(métier et lieu, contrat et rémunération, description et questions, récapitulatif), the management page with
the lifecycle actions and the history. Every step is a plain POST validated on the server (offers.rules);
the offer is a draft from the first step, so a recruiter can come back to it."""

import datetime as dt

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from alternance.accounts import postings
from alternance.accounts.services import MembershipError
from alternance.contracts.pay import PayError
from alternance.contracts.services import minimum_pay_by_age
from alternance.offers import rules, services
from alternance.offers.models import Offer
from alternance.offers.workflow import TRANSITIONS, InvalidTransition, OfferStatus, OfferTransition
from alternance.search.scoring import date_fr

from ..decorators import rate_limited
from .forms import (
    STATUS_LABELS,
    TRANSITION_LABELS,
    ActionForm,
    ContractForm,
    DescriptionForm,
    MandateForm,
    OccupationForm,
)
from .space import Space, in_space, space_offer

STEPS = [
    ("metier", "Métier et lieu"),
    ("contrat", "Contrat et rémunération"),
    ("description", "Description et questions"),
    ("recapitulatif", "Récapitulatif"),
]
STEP_TITLES = dict(STEPS)
SLUGS = [slug for slug, _ in STEPS]
FIELD_STEPS = {
    "appellation": "metier",
    "diploma_level": "contrat",
    "start_date": "contrat",
    "duration_months": "contrat",
    "openings": "contrat",
    "rhythm": "contrat",
    "description": "description",
}
ACTIONS = {
    OfferTransition.PAUSE: ("Suspendre", "L'offre est suspendue : elle n'apparaît plus dans la recherche."),
    OfferTransition.RESUME: ("Remettre en ligne", "L'offre est de nouveau en ligne."),
    OfferTransition.EXTEND: ("Prolonger de 60 jours", "L'offre est prolongée jusqu'au {expiry}."),
    OfferTransition.FILL: ("Marquer comme pourvue", "L'offre est pourvue : les candidats le verront sur sa page."),
    OfferTransition.CANCEL: ("Annuler l'offre", "L'offre est annulée : elle n'apparaît plus dans la recherche."),
}


def pay_table(start: dt.date | None, today: dt.date) -> dict:
    """The legal minimum monthly pay for a contract starting on `start` (today when past, unknown or « dès que
    possible ») at 16, 18, 21 and 26 (contracts.pay with the SMIC of the referential)."""
    day = start if start and start > today else today
    try:
        rows = minimum_pay_by_age(day)
    except PayError as error:
        return {"date": date_fr(day), "rows": [], "error": error.message}
    return {
        "date": date_fr(day),
        "rows": [{"age": age, "percent": p.percent, "monthly": p.minimum_monthly} for age, p in rows],
        "error": "",
    }


def stepper(slug: str, new_cfa: bool = False) -> dict:
    number = SLUGS.index(slug) + 1
    title = "Entreprise, mandat et métier" if new_cfa else STEP_TITLES[slug]
    return {
        "number": number,
        "total": len(STEPS),
        "step_title": title,
        "next_title": STEP_TITLES[SLUGS[number]] if number < len(STEPS) else "",
    }


def mandate_line(offer: Offer) -> str:
    if offer.delegated_by_id is None:
        return ""
    return f"Offre publiée par {offer.delegated_by.name} pour le compte de {offer.company.name}"


def start_label(offer: Offer) -> str:
    if offer.start_asap:
        return "Dès que possible"
    return date_fr(offer.start_date) if offer.start_date else ""


@in_space
def offer_list(request, space: Space):
    offers = list(space.offers().select_related("company", "delegated_by", "commune").order_by("-created_at")[:500])
    for offer in offers:
        offer.status_label = STATUS_LABELS.get(offer.status, offer.status)
        offer.expiry_fr = date_fr(timezone.localdate(offer.expires_at)) if offer.expires_at else ""
        offer.manage_url = space.url("offer", offer.pk)
        offer.mandate = mandate_line(offer)
    return render(
        request,
        "offers/space_list.html",
        {
            "title": f"Offres — {space.name}",
            "space": space,
            "offers": offers,
            "inbox_url": space.inbox_url,
            "new_url": space.url("offer_new"),
        },  # fmt: skip
    )


def _render_step(request, space, slug, form, offer=None, status=200, **extra):
    context = {
        "title": ("Erreur dans le formulaire — " if form is not None and form.errors else "")
        + ("Publier une offre" if offer is None or offer.status == OfferStatus.DRAFT else "Modifier l'offre"),
        "space": space,
        "offer": offer,
        "form": form,
        "slug": slug,
        "action": request.path,
        "list_url": space.url("offers"),
        "previous_url": space.url("offer_step", offer.pk, SLUGS[SLUGS.index(slug) - 1])
        if offer is not None and slug != "metier"
        else "",
        "place_hint": "Facultatif. Sans choix : la commune de l'entreprise"
        + (
            f" ({offer.company.commune.name})"
            if offer is not None
            else (f" ({space.company.commune.name})" if space.company else "")
        ),
        **stepper(slug, new_cfa=offer is None and space.is_cfa),
        **extra,
    }
    return render(request, "offers/step.html", context, status=status)


@in_space
@rate_limited("forms")
def offer_new(request, space: Space):
    """First step without an offer: it creates the draft (a CFA names the company and confirms the mandate)."""
    form = (MandateForm if space.is_cfa else OccupationForm)(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if space.is_cfa:
                offer = postings.post_under_mandate(
                    request.user, space.organisation, siret=data["siret"], name=data["name"],
                    naf_code=data["naf_code"], commune_insee=data["commune_insee"], mandate=data["mandate"],
                    recipient=data["recipient"], contact_email=data["contact_email"], **form.draft_values(),
                )  # fmt: skip
            else:
                offer = postings.post_for_company(request.user, space.company, **form.draft_values())
        except MembershipError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            return redirect(space.url("offer_step", offer.pk, "contrat"))
    return _render_step(request, space, "metier", form, status=400 if form.errors else 200)


def _initial(offer: Offer, slug: str) -> dict:
    if slug == "metier":
        return {"metier": offer.title, "rome": offer.rome_id, "lieu": offer.commune.name, "insee": offer.commune_id}
    if slug == "contrat":
        return {name: getattr(offer, name) for name in ("diploma_level", "start_date", "start_asap",
                                                          "duration_months", "openings", "rhythm")}  # fmt: skip
    questions = list(offer.questions or []) + ["", "", ""]
    return {"description": offer.description, **{f"question_{i + 1}": questions[i] for i in range(3)}}


def _values(slug: str, form) -> dict:
    data = form.cleaned_data
    if slug == "metier":
        return form.draft_values()
    if slug == "contrat":
        names = ("diploma_level", "start_date", "start_asap", "duration_months", "openings", "rhythm")
        return {name: data.get(name) for name in names}
    return {"description": data["description"].strip(), "questions": data["questions"]}


@in_space
@rate_limited("forms")
def offer_step(request, space: Space, pk: int, step: str):
    offer = space_offer(space, pk)
    if step not in SLUGS:
        raise Http404
    if offer.status not in services.EDITABLE_STATUSES:
        messages.error(request, "Cette offre est close : elle ne se modifie plus.")
        return redirect(space.url("offer", offer.pk))
    if step == "recapitulatif":
        return _summary(request, space, offer)
    form_class = {"metier": OccupationForm, "contrat": ContractForm, "description": DescriptionForm}[step]
    form = form_class(request.POST or None, initial=_initial(offer, step))
    computing = request.POST.get("action") == "calculer"
    if request.method == "POST" and form.is_valid() and not computing:
        try:
            services.update_posting(offer, _values(step, form), by=request.user)
        except InvalidTransition as exc:
            messages.error(request, str(exc))
            return redirect(space.url("offer", offer.pk))
        return redirect(space.url("offer_step", offer.pk, SLUGS[SLUGS.index(step) + 1]))
    extra = {}
    if step == "contrat":
        today = timezone.localdate()
        start = offer.start_date
        if form.is_bound:
            start = None if form.cleaned_data.get("start_asap") else form.cleaned_data.get("start_date", start)
        extra["pay"] = pay_table(start, today)
    return _render_step(request, space, step, form, offer, status=400 if form.errors else 200, **extra)


def _summary(request, space: Space, offer: Offer):
    today = timezone.localdate()
    errors = rules.posting_errors(services.posting_values(offer), today)
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "publier" and offer.status == OfferStatus.DRAFT:
            try:
                services.submit(offer, by=request.user)
            except services.OfferIncomplete as exc:
                errors = exc.errors
            else:
                messages.success(
                    request,
                    f"Votre offre « {offer.title} » est en ligne jusqu'au "
                    f"{date_fr(timezone.localdate(offer.expires_at))} : les candidats la trouvent dans la recherche "
                    "d'ici quelques secondes. Nous vous préviendrons 7 jours avant son expiration.",
                )
                return redirect(space.url("offer", offer.pk))
        elif offer.status == OfferStatus.DRAFT:
            messages.info(request, "Votre brouillon est enregistré : reprenez-le depuis la liste de vos offres.")
            return redirect(space.url("offers"))
        else:
            messages.success(request, "Vos modifications sont enregistrées.")
            return redirect(space.url("offer", offer.pk))
    issues = [
        {"message": message, "url": space.url("offer_step", offer.pk, FIELD_STEPS.get(field, "description"))}
        for field, message in errors.items()
    ]
    return render(
        request,
        "offers/summary.html",
        {
            "title": "Récapitulatif de l'offre",
            "space": space,
            "offer": offer,
            "issues": issues,
            "level": rules.DIPLOMA_LEVELS.get(offer.diploma_level, ""),
            "start": start_label(offer),
            "pay": pay_table(offer.start_date, today),
            "mandate": mandate_line(offer),
            "action": space.url("offer_step", offer.pk, "recapitulatif"),
            "steps": {slug: space.url("offer_step", offer.pk, slug) for slug in SLUGS},
            "previous_url": space.url("offer_step", offer.pk, "description"),
            **stepper("recapitulatif"),
        },
        status=400 if request.method == "POST" and issues else 200,
    )


@in_space
def offer_manage(request, space: Space, pk: int):
    offer = space_offer(space, pk)
    history = list(offer.status_changes.select_related("by"))
    for change in history:
        change.label = TRANSITION_LABELS.get(change.transition, change.transition)
        change.from_label = STATUS_LABELS.get(change.from_status, "—")
        change.to_label = STATUS_LABELS.get(change.to_status, change.to_status)
        change.who = change.by.email if change.by else "La plateforme"
        local = timezone.localtime(change.at)
        change.when = f"{date_fr(local.date())} à {local:%H}\u00a0h\u00a0{local:%M}"
    actions = [
        {
            "transition": t.value,
            "label": label,
            "reason": t in (OfferTransition.PAUSE, OfferTransition.FILL, OfferTransition.CANCEL),
        }  # fmt: skip
        for t, (label, _) in ACTIONS.items()
        if OfferStatus(offer.status) in TRANSITIONS[t][0]
    ]
    limit = offer.published_at + services.MAX_LIFETIME if offer.published_at else None
    return render(
        request,
        "offers/manage.html",
        {
            "title": f"{offer.title} — gérer l'offre",
            "space": space,
            "offer": offer,
            "status_label": STATUS_LABELS.get(offer.status, offer.status),
            "expiry": date_fr(timezone.localdate(offer.expires_at)) if offer.expires_at else "",
            "published": date_fr(timezone.localdate(offer.published_at)) if offer.published_at else "",
            "limit": date_fr(timezone.localdate(limit)) if limit else "",
            "level": rules.DIPLOMA_LEVELS.get(offer.diploma_level, ""),
            "start": start_label(offer),
            "mandate": mandate_line(offer),
            "history": history,
            "actions": actions,
            "editable": offer.status in services.EDITABLE_STATUSES,
            "edit_url": space.url("offer_step", offer.pk, "metier"),
            "summary_url": space.url("offer_step", offer.pk, "recapitulatif"),
            "action_url": space.url("offer_action", offer.pk),
            "inbox_url": f"{space.inbox_url}?offre={offer.pk}",
            "public": offer.status != OfferStatus.DRAFT,
            "list_url": space.url("offers"),
        },
    )


@require_POST
@in_space
@rate_limited("forms")
def offer_action(request, space: Space, pk: int):
    offer = space_offer(space, pk)
    form = ActionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choisissez une action de la liste.")
        return redirect(space.url("offer", offer.pk))
    transition = OfferTransition(form.cleaned_data["transition"])
    try:
        changed = services.apply_transition(offer, transition, by=request.user, reason=form.cleaned_data["reason"])
    except InvalidTransition as exc:
        messages.error(request, str(exc))
    else:
        expiry = date_fr(timezone.localdate(changed.expires_at)) if changed.expires_at else ""
        messages.success(request, ACTIONS[transition][1].format(expiry=expiry))
    return redirect(space.url("offer", offer.pk))
