"""Synthetic learners (names from Faker) in real CFA (organismes/cfa_uai_siret.cp1252.csv) preparing real
diplomas (diplomes/): CAP Boulanger CFD 50022137 (level 3), RNCP37537 (same CAP), BTS MCO CFD 32031213."""

import datetime as dt
import itertools

from faker import Faker

from alternance.core.identifiers import make_siret

CFA_UAI, CFA_SIRET = "0010826T", "85052026300011"  # CECOF Bernard Palissy, Ambérieu-en-Bugey (01)
OTHER_CFA_UAI = "0010856A"  # CFA de l'industrie AFPMA, Péronnas (01)
BAKER_CFD, BAKER_RNCP = "50022137", "RNCP37537"
POSTCODE = "01500"  # Ambérieu-en-Bugey
COMMUNE = "01004"

fake = Faker("fr_FR")
Faker.seed(11)
_ids = itertools.count(1)


def employer_siret(n: int = 1) -> str:
    """A Luhn-valid synthetic SIRET (SIREN bodies 981xxxxx are used by no fixture)."""
    return make_siret(f"981{n % 100_000:05d}", "0001")


def record(**overrides) -> dict:
    n = next(_ids)
    base = {
        "learner_id": f"L{n:06d}",
        "school_year": "2025-2026",
        "last_name": fake.last_name(),
        "first_name": fake.first_name(),
        "birth_date": "2008-03-14",
        "email": f"apprenant{n}@example.org",
        "phone": "0612345678",
        "postcode": POSTCODE,
        "commune_insee": None,
        "nir": None,
        "uai_responsable": CFA_UAI,
        "siret_responsable": CFA_SIRET,
        "uai_formateur": CFA_UAI,
        "siret_formateur": CFA_SIRET,
        "cfd": BAKER_CFD,
        "rncp": None,
        "course_start": "2025-09-01",
        "course_end": "2027-06-30",
        "registered_on": "2025-07-10",
        "contracts": [
            {
                "employer_siret": employer_siret(n),
                "start_date": "2025-09-01",
                "end_date": "2027-08-31",
                "break_date": None,
                "break_reason": None,
            }
        ],
        "dropped_out_on": None,
        "outcome": None,
        "rqth": False,
    }
    return base | overrides


TODAY = dt.date(2026, 3, 1)
