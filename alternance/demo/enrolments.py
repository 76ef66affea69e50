"""Demonstration enrolments (is_demo=True) for the dashboard to show something on a fresh install:
fictional learners (Faker names) in real CFA preparing real diplomas, written through enrolments.services."""

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone

from alternance.core.identifiers import make_siret
from alternance.enrolments.models import Enrolment
from alternance.enrolments.services import MAX_RECORDS, ingest
from alternance.organisations.models import Organisation
from alternance.reference.models import Diploma


def _names(seed: int):
    try:
        from faker import Faker
    except ImportError:  # production installs without the development tools
        return (lambda: "Apprenant"), (lambda: "Démonstration")
    fake = Faker("fr_FR")
    fake.seed_instance(seed)
    return fake.last_name, fake.first_name


def seed_demo_enrolments(learners: int = 3000, organisations: int = 40, seed: int = 1) -> int:
    """Replace the demonstration enrolments; return how many were accepted."""
    rng = random.Random(seed)
    today = timezone.localdate()
    cfas = list(Organisation.objects.exclude(uai="").exclude(siret="").filter(commune__isnull=False).order_by("uai"))
    cfds = list(Diploma.objects.filter(is_active=True, level__isnull=False).values_list("cfd", flat=True)[:300])
    if not cfas or not cfds:
        return 0
    cfas = rng.sample(cfas, min(organisations, len(cfas)))
    last_name, first_name = _names(seed)
    per_cfa: dict[int, list] = {cfa.pk: [] for cfa in cfas}
    for n in range(learners):
        cfa = cfas[min(int(rng.paretovariate(1.2)) - 1, len(cfas) - 1)]
        start = dt.date(today.year - rng.choice([0, 1]) - (today.month < 9), 9, 1)
        registered = start - dt.timedelta(days=rng.randint(0, 60))
        contract_start = start + dt.timedelta(days=rng.randint(-10, 80))
        contracts = []
        if rng.random() < 0.85 and contract_start <= today:
            broken = rng.random() < 0.15
            break_date = contract_start + dt.timedelta(days=rng.randint(30, 300)) if broken else None
            contracts.append(
                {
                    "employer_siret": make_siret(f"96{n % 1_000_000:06d}", "0001"),
                    "start_date": contract_start.isoformat(),
                    "end_date": (start + dt.timedelta(days=730)).isoformat(),
                    "break_date": break_date.isoformat() if break_date and break_date < today else None,
                    "break_reason": "démission" if break_date and break_date < today else None,
                }
            )
        postcode = (cfa.commune.postcode_list or [""])[0]
        per_cfa[cfa.pk].append(
            {
                "learner_id": f"DEMO-{n:06d}",
                "school_year": f"{start.year}-{start.year + 1}",
                "last_name": last_name(),
                "first_name": first_name(),
                "birth_date": dt.date(
                    start.year - rng.randint(16, 24), rng.randint(1, 12), rng.randint(1, 28)
                ).isoformat(),
                "postcode": postcode,
                "uai_responsable": cfa.uai,
                "uai_formateur": cfa.uai,
                "siret_responsable": cfa.siret,
                "siret_formateur": cfa.siret,
                "cfd": rng.choice(cfds),
                "course_start": start.isoformat(),
                "course_end": (start + dt.timedelta(days=rng.choice([300, 665]))).isoformat(),
                "registered_on": registered.isoformat(),
                "contracts": contracts,
                "dropped_out_on": None,
                "outcome": None,
                "rqth": rng.random() < 0.03,
            }
        )
    accepted = 0
    with transaction.atomic():
        Enrolment.objects.filter(is_demo=True).delete()
        for cfa in cfas:
            records = per_cfa[cfa.pk]
            for begin in range(0, len(records), MAX_RECORDS):
                result = ingest(cfa, records[begin : begin + MAX_RECORDS], source=Enrolment.Source.DEMO, is_demo=True)
                accepted += result.accepted
    return accepted
