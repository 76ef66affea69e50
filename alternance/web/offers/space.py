"""Whose offers a page shows: a company (its members) or a CFA (its members, offers under mandates).

The queryset of what the user's active memberships reach is built first, then the object is fetched in
it: another company's or CFA's page answers 404.
"""

from dataclasses import dataclass
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404
from django.urls import reverse

from alternance.accounts.models import Membership
from alternance.companies.models import Company
from alternance.job_applications.models import Application
from alternance.offers.models import Offer, Recipient
from alternance.organisations.models import Organisation

from ..decorators import private_page


def companies_of(user):
    """Companies this user acts for (active memberships); staff: every company. Scope before fetching."""
    if user.is_staff:
        return Company.objects.all()
    return Company.objects.filter(
        pk__in=Membership.objects.of_user(user).active().exclude(company=None).values("company")
    )


def organisations_of(user):
    """Organisations this user acts for (active memberships); staff: every organisation."""
    if user.is_staff:
        return Organisation.objects.all()
    return Organisation.objects.filter(
        pk__in=Membership.objects.of_user(user).active().exclude(organisation=None).values("organisation")
    )


@dataclass
class Space:
    company: Company | None = None
    organisation: Organisation | None = None

    @property
    def is_cfa(self) -> bool:
        return self.organisation is not None

    @property
    def name(self) -> str:
        return (self.organisation or self.company).name

    @property
    def key(self):
        return self.organisation.pk if self.is_cfa else self.company.siret

    def url(self, name: str, *args) -> str:
        prefix = "organisation" if self.is_cfa else "company"
        return reverse(f"offers:{prefix}_{name}", args=[self.key, *args])

    @property
    def inbox_url(self) -> str:
        if self.is_cfa:
            return reverse("offers:organisation_inbox", args=[self.organisation.pk])
        return reverse("accounts:company_inbox", args=[self.company.siret])

    def offers(self):
        """The company's offers (those a CFA posted for it included), or the offers a CFA posted under mandates."""
        if self.is_cfa:
            return Offer.objects.filter(delegated_by=self.organisation)
        return Offer.objects.filter(company=self.company)

    def inbox_offers(self):
        """The offers whose applications this space's inbox receives (its « Offre » filter): a company's own,
        less those a mandate sends to the CFA; a CFA's, those of its mandates naming it that have applications."""
        if self.is_cfa:
            return self.offers().filter(recipient=Recipient.ORGANISATION, job_applications__isnull=False).distinct()
        return self.offers().exclude(delegated_by__isnull=False, recipient=Recipient.ORGANISATION)

    def applications(self):
        """The applications this space answers: a mandate naming the CFA sends them to the CFA's inbox only."""
        to_cfa = {"offer__delegated_by__isnull": False, "offer__recipient": Recipient.ORGANISATION}
        if self.is_cfa:
            return Application.objects.filter(
                offer__delegated_by=self.organisation, offer__recipient=Recipient.ORGANISATION
            )
        return Application.objects.filter(company=self.company).exclude(**to_cfa)


def resolve(request, siret=None, organisation_id=None) -> Space:
    if organisation_id is not None:
        return Space(organisation=get_object_or_404(organisations_of(request.user), pk=organisation_id))
    return Space(company=get_object_or_404(companies_of(request.user).select_related("commune"), siret=siret))


def in_space(view):
    """Sign-in required, private page, and `space` resolved from the address (404 outside the memberships)."""

    @login_required
    @private_page
    @wraps(view)
    def wrapper(request, *args, siret=None, organisation_id=None, **kwargs):
        return view(request, resolve(request, siret, organisation_id), *args, **kwargs)

    return wrapper


def space_offer(space: Space, pk: int) -> Offer:
    return get_object_or_404(
        space.offers().select_related("company", "company__commune", "commune", "rome", "appellation", "delegated_by"),
        pk=pk,
    )
