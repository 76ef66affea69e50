"""A valid contract; real codes: NAF 10.71C, CAP Boulanger CFD 50022137 / RNCP37537, CFA UAI 0010826T."""

from datetime import date
from decimal import Decimal

from alternance.core.identifiers import make_siret

BAKER_CFD = "50022137"  # BOULANGER (CAP), diplomes/Kit_apprentissage_20231218.csv
BAKER_RNCP = "RNCP37537"
CFA_UAI = "0010826T"  # CFA CECOF Bernard Palissy, organismes/cfa_uai_siret.cp1252.csv


def valid_contract(**changes) -> dict:
    data = {
        "employer_name": "Boulangerie Le Fournil",
        "employer_siret": make_siret("81234567", "0001"),
        "employer_naf": "10.71C",
        "employer_idcc": "0843",
        "employer_headcount": 4,
        "employer_address": "12 rue de la République",
        "employer_postcode": "69002",
        "employer_city": "Lyon",
        "employer_email": "contact@fournil.example",
        "apprentice_last_name": "Martin",
        "apprentice_first_name": "Léa",
        "apprentice_birth_date": date(2009, 11, 20),
        "apprentice_address": "3 place Bellecour",
        "apprentice_postcode": "69002",
        "apprentice_city": "Lyon",
        "apprentice_email": "lea.martin@example.org",
        "apprentice_left_3e": False,
        "apprentice_disability": False,
        "apprentice_business_project": False,
        "apprentice_high_level_athlete": False,
        "guardian_last_name": "Martin",
        "guardian_first_name": "Claire",
        "guardian_address": "3 place Bellecour, 69002 Lyon",
        "supervisor1_last_name": "Durand",
        "supervisor1_first_name": "Paul",
        "supervisor1_birth_date": date(1980, 5, 4),
        "supervisor1_job_title": "Boulanger",
        "supervisor2_last_name": "",
        "supervisor2_first_name": "",
        "supervisor2_birth_date": None,
        "supervisor2_job_title": "",
        "training_cfa_name": "CFA CECOF Bernard Palissy",
        "training_cfa_uai": CFA_UAI,
        "training_diploma_code": BAKER_CFD,
        "training_diploma_title": "CAP Boulanger",
        "training_start_date": date(2026, 9, 7),
        "training_end_date": date(2028, 6, 30),
        "contract_start_date": date(2026, 9, 1),
        "contract_end_date": date(2028, 8, 31),
        "contract_weekly_hours": Decimal("35"),
        "contract_monthly_pay": Decimal("504.10"),
        "contract_conventional_monthly": None,
        "contract_mayotte": False,
    }
    data.update(changes)
    return data
