"""Shared factory_boy factories.

They take REAL reference rows by lookup (the session fixture of tests/conftest.py loads the official
referentials), so every code used here exists in ../shared/data:
- commune 69123 Lyon (communes/communes_fr.csv), 75056 Paris;
- NAF 10.71C « Boulangerie et boulangerie-pâtisserie » (naf/naf_rev2_sous_classes.csv);
- ROME D1102 « Boulanger / Boulangère » and its principal appellation OGR 11573 (rome/*.csv).

Use them in tests that request the `db` (or `reference_data`) fixture, e.g.
`OfferFactory(company__commune=Commune.objects.get(insee="75056"))` or
`TrainingFactory(romes=["D1102"])`.
"""

import datetime as dt

import factory
from django.utils import timezone

from alternance.companies.models import Company
from alternance.core.identifiers import make_siret, uai_check_letter
from alternance.offers.models import Offer
from alternance.offers.workflow import OfferStatus
from alternance.organisations.models import Organisation
from alternance.reference.models import Appellation, Commune, NafCode, RomeOccupation
from alternance.trainings.models import Training, TrainingRome

LYON = "69123"
PARIS = "75056"
BAKERY_NAF = "10.71C"
BAKER_ROME = "D1102"
BAKER_APPELLATION = 11573  # « Boulanger / Boulangère », principal appellation of D1102


def commune(insee: str = LYON) -> Commune:
    return Commune.objects.get(insee=insee)


def _uai(n: int) -> str:
    digits = f"{9_000_000 + n:07d}"[-7:]
    return digits + uai_check_letter(digits)


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    # SIREN bodies 98xxxxxx / 97xxxxxx are used by no fixture; make_siret completes the Luhn keys.
    siret = factory.Sequence(lambda n: make_siret(f"98{n % 1_000_000:06d}", "0001"))
    uai = factory.Sequence(_uai)
    name = factory.Sequence(lambda n: f"CFA de test {n}")
    commune = factory.LazyFunction(lambda: commune(LYON))
    postcode = factory.LazyAttribute(lambda o: (o.commune.postcode_list or [""])[0] if o.commune else "")
    city = factory.LazyAttribute(lambda o: o.commune.name if o.commune else "")
    lat = factory.LazyAttribute(lambda o: o.commune.lat if o.commune else None)
    lon = factory.LazyAttribute(lambda o: o.commune.lon if o.commune else None)
    nature = Organisation.Nature.RESPONSIBLE_AND_TRAINER
    qualiopi = True
    source = "test"


class TrainingFactory(factory.django.DjangoModelFactory):
    """A published training; `romes=["D1102", ...]` adds TrainingRome rows."""

    class Meta:
        model = Training
        skip_postgeneration_save = True

    organisation = factory.SubFactory(OrganisationFactory)
    title = factory.Sequence(lambda n: f"CAP Boulanger (test {n})")
    level = 3
    commune = factory.LazyAttribute(lambda o: o.organisation.commune)
    lat = factory.LazyAttribute(lambda o: o.commune.lat if o.commune else None)
    lon = factory.LazyAttribute(lambda o: o.commune.lon if o.commune else None)
    start_date = factory.LazyFunction(lambda: dt.date(timezone.localdate().year + 1, 9, 1))
    end_date = factory.LazyAttribute(lambda o: o.start_date.replace(year=o.start_date.year + 2) - dt.timedelta(days=1))
    duration_months = 24
    status = Training.Status.PUBLISHED
    source = "test"

    @factory.post_generation
    def romes(obj, create, extracted, **kwargs):
        if not create or not extracted:
            return
        for code in extracted:
            TrainingRome.objects.get_or_create(training=obj, rome=RomeOccupation.objects.get(code=code))


class CompanyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Company

    siret = factory.Sequence(lambda n: make_siret(f"97{n % 1_000_000:06d}", "0001"))
    name = factory.Sequence(lambda n: f"Boulangerie de test {n}")
    naf = factory.LazyFunction(lambda: NafCode.objects.get(code=BAKERY_NAF))
    commune = factory.LazyFunction(lambda: commune(LYON))
    lat = factory.LazyAttribute(lambda o: o.commune.lat)
    lon = factory.LazyAttribute(lambda o: o.commune.lon)
    size_band = Company.SizeBand.B02


class OfferFactory(factory.django.DjangoModelFactory):
    """A published offer (published now, expiring in 60 days) for a baker, at the company's place."""

    class Meta:
        model = Offer

    company = factory.SubFactory(CompanyFactory)
    rome = factory.LazyFunction(lambda: RomeOccupation.objects.get(code=BAKER_ROME))
    appellation = factory.LazyFunction(lambda: Appellation.objects.get(ogr_code=BAKER_APPELLATION))
    title = factory.LazyAttribute(lambda o: o.appellation.label if o.appellation else o.rome.label)
    description = "Offre de test."
    diploma_level = 3
    start_date = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=60))
    duration_months = 24
    commune = factory.LazyAttribute(lambda o: o.company.commune)
    lat = factory.LazyAttribute(lambda o: o.company.lat)
    lon = factory.LazyAttribute(lambda o: o.company.lon)
    status = OfferStatus.PUBLISHED
    published_at = factory.LazyFunction(timezone.now)
    expires_at = factory.LazyAttribute(lambda o: o.published_at + dt.timedelta(days=60) if o.published_at else None)
