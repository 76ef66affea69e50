"""The boxes of the official contract form (cerfa n° 10103*12, notice FA14), pure: the label of every field,
the form's seven blocks (one step of the contract page each) and the normalisation of its codes (NAF, IDCC,
diploma). ``rules`` checks a contract keyed by these names.
"""

import re

FIELD_LABELS: dict[str, str] = {
    # Employeur
    "employer_public": "L'employeur est un employeur public",
    "employer_name": "Dénomination de l'employeur",
    "employer_siret": "SIRET de l'établissement d'exécution du contrat",
    "employer_street_number": "Numéro dans la voie (établissement)",
    "employer_address": "Adresse de l'établissement",
    "employer_address_complement": "Complément d'adresse (établissement)",
    "employer_postcode": "Code postal de l'établissement",
    "employer_city": "Commune de l'établissement",
    "employer_phone": "Téléphone de l'employeur",
    "employer_email": "Courriel de l'employeur",
    "employer_type": "Type d'employeur",
    "employer_specific": "Employeur spécifique",
    "employer_naf": "Code NAF de l'activité principale",
    "employer_headcount": "Effectif salarié de l'entreprise",
    "employer_idcc": "Code IDCC de la convention collective",
    "employer_public_unemployment": "Employeur public adhérant au régime spécifique d'assurance chômage",
    # Apprenti
    "apprentice_last_name": "Nom de naissance de l'apprenti",
    "apprentice_usage_name": "Nom d'usage de l'apprenti",
    "apprentice_first_name": "Prénom de l'apprenti",
    "apprentice_birth_date": "Date de naissance de l'apprenti",
    "apprentice_sex": "Sexe de l'apprenti",
    "apprentice_birth_department": "Département de naissance de l'apprenti",
    "apprentice_birth_city": "Commune de naissance de l'apprenti",
    "apprentice_nationality": "Nationalité de l'apprenti",
    "apprentice_social_regime": "Régime social de l'apprenti",
    "apprentice_street_number": "Numéro dans la voie (apprenti)",
    "apprentice_address": "Adresse de l'apprenti",
    "apprentice_address_complement": "Complément d'adresse (apprenti)",
    "apprentice_postcode": "Code postal de l'apprenti",
    "apprentice_city": "Commune de l'apprenti",
    "apprentice_phone": "Téléphone de l'apprenti",
    "apprentice_email": "Courriel de l'apprenti",
    "apprentice_situation": "Situation de l'apprenti avant ce contrat",
    "apprentice_last_diploma_type": "Dernier diplôme ou titre préparé par l'apprenti",
    "apprentice_last_class": "Dernière classe ou année suivie par l'apprenti",
    "apprentice_last_diploma_title": "Intitulé précis du dernier diplôme ou titre préparé",
    "apprentice_highest_diploma": "Diplôme ou titre le plus élevé obtenu par l'apprenti",
    "apprentice_left_3e": "L'apprenti a terminé la classe de 3e",
    "apprentice_disability": "L'apprenti bénéficie de la reconnaissance de travailleur handicapé (RQTH)",
    "apprentice_business_project": "L'apprenti a un projet de création ou de reprise d'entreprise",
    "apprentice_high_level_athlete": "L'apprenti est inscrit comme sportif de haut niveau",
    # Représentant légal
    "guardian_last_name": "Nom du représentant légal",
    "guardian_first_name": "Prénom du représentant légal",
    "guardian_street_number": "Numéro dans la voie (représentant légal)",
    "guardian_address": "Adresse du représentant légal",
    "guardian_address_complement": "Complément d'adresse (représentant légal)",
    "guardian_postcode": "Code postal du représentant légal",
    "guardian_city": "Commune du représentant légal",
    "guardian_email": "Courriel du représentant légal",
    # Maîtres d'apprentissage
    "supervisor1_last_name": "Nom du maître d'apprentissage",
    "supervisor1_first_name": "Prénom du maître d'apprentissage",
    "supervisor1_birth_date": "Date de naissance du maître d'apprentissage",
    "supervisor1_email": "Courriel du maître d'apprentissage",
    "supervisor1_job_title": "Emploi occupé par le maître d'apprentissage",
    "supervisor1_diploma": "Diplôme ou titre le plus élevé du maître d'apprentissage",
    "supervisor1_diploma_level": "Niveau du diplôme le plus élevé du maître d'apprentissage",
    "supervisor1_experience_years": "Années d'expérience du maître d'apprentissage dans la qualification préparée",
    "supervisor2_last_name": "Nom du second maître d'apprentissage",
    "supervisor2_first_name": "Prénom du second maître d'apprentissage",
    "supervisor2_birth_date": "Date de naissance du second maître d'apprentissage",
    "supervisor2_email": "Courriel du second maître d'apprentissage",
    "supervisor2_job_title": "Emploi occupé par le second maître d'apprentissage",
    "supervisor2_diploma": "Diplôme ou titre le plus élevé du second maître d'apprentissage",
    "supervisor2_diploma_level": "Niveau du diplôme le plus élevé du second maître d'apprentissage",
    "supervisor2_experience_years": "Années d'expérience du second maître dans la qualification préparée",
    "supervisor_attestation": "L'employeur atteste sur l'honneur que chaque maître d'apprentissage remplit "
    "les conditions pour l'être",
    # Formation
    "training_cfa_company": "Le CFA est un CFA d'entreprise",
    "training_cfa_name": "Nom du CFA",
    "training_cfa_uai": "Numéro UAI du CFA",
    "training_cfa_siret": "SIRET du CFA",
    "training_cfa_street_number": "Numéro dans la voie (CFA)",
    "training_cfa_address": "Adresse du CFA",
    "training_cfa_address_complement": "Complément d'adresse (CFA)",
    "training_cfa_postcode": "Code postal du CFA",
    "training_cfa_city": "Commune du CFA",
    "training_cfa_is_main_site": "Le CFA est le lieu principal de la formation",
    "training_diploma_code": "Code du diplôme ou titre préparé (CFD ou RNCP)",
    "training_diploma_rncp": "Code RNCP du diplôme ou titre préparé",
    "training_diploma_title": "Intitulé du diplôme ou titre préparé",
    "training_diploma_type": "Type de diplôme ou titre visé par l'apprenti",
    "training_start_date": "Date de début de la formation",
    "training_end_date": "Date de fin de la formation",
    "training_hours": "Durée de la formation en CFA, en heures",
    "training_site_name": "Nom du lieu principal de formation",
    "training_site_uai": "Numéro UAI du lieu principal de formation",
    "training_site_siret": "SIRET du lieu principal de formation",
    "training_site_street_number": "Numéro dans la voie (lieu de formation)",
    "training_site_address": "Adresse du lieu principal de formation",
    "training_site_address_complement": "Complément d'adresse (lieu de formation)",
    "training_site_postcode": "Code postal du lieu principal de formation",
    "training_site_city": "Commune du lieu principal de formation",
    # Contrat
    "contract_mode": "Mode contractuel de l'apprentissage",
    "contract_type": "Type de contrat ou d'avenant",
    "contract_derogation": "Type de dérogation",
    "contract_previous_number": "Numéro du contrat précédent ou du contrat modifié par l'avenant",
    "contract_signature_date": "Date de conclusion du contrat (signatures)",
    "contract_start_date": "Date de début d'exécution du contrat",
    "contract_practical_start_date": "Date de début de la formation pratique chez l'employeur",
    "contract_amendment_date": "Date d'effet de l'avenant",
    "contract_end_date": "Date de fin du contrat",
    "contract_weekly_hours": "Durée hebdomadaire de travail",
    "contract_risky_work": "Travail sur machines dangereuses ou exposition à des risques particuliers",
    "contract_mayotte": "Le contrat s'exécute à Mayotte",
    "contract_signature_place": "Lieu de signature (\u00ab\u00a0Fait à\u00a0\u00bb)",
    "contract_documents_attested": "L'employeur atteste disposer de toutes les pièces justificatives du dépôt",
    # Rémunération
    "contract_monthly_pay": "Salaire brut mensuel à l'embauche",
    "contract_conventional_monthly": "Salaire minimum conventionnel de l'emploi",
    "pay_percent_1": "Pourcentage appliqué la 1re année",
    "pay_percent_2": "Pourcentage appliqué la 2e année",
    "pay_percent_3": "Pourcentage appliqué la 3e année",
    "pay_percent_4": "Pourcentage appliqué la 4e année",
    "contract_pension_fund": "Caisse de retraite complémentaire",
    "contract_food_benefit": "Avantage en nature, nourriture (par repas)",
    "contract_housing_benefit": "Avantage en nature, logement (par mois)",
    "contract_other_benefit": "Autre avantage en nature",
}


def _block(*prefixes: str) -> tuple[str, ...]:
    return tuple(field for field in FIELD_LABELS if field.startswith(prefixes))


PAY_BLOCK = (
    "contract_monthly_pay",
    "contract_conventional_monthly",
    "pay_percent_1",
    "pay_percent_2",
    "pay_percent_3",
    "pay_percent_4",
    "contract_pension_fund",
    "contract_food_benefit",
    "contract_housing_benefit",
    "contract_other_benefit",
)

# The blocks of the official form, in order: (key, French title, fields). One step of the form each.
FIELD_BLOCKS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("employer", "L'employeur", _block("employer_")),
    ("apprentice", "L'apprenti(e)", _block("apprentice_")),
    ("guardian", "Le représentant légal (si l'apprenti est mineur)", _block("guardian_")),
    ("supervisors", "Le ou les maîtres d'apprentissage", _block("supervisor")),
    ("training", "La formation et le CFA", _block("training_")),
    ("contract", "Le contrat", tuple(f for f in _block("contract_") if f not in PAY_BLOCK)),
    ("pay", "La rémunération", PAY_BLOCK),
)
BLOCK_OF = {field: key for key, _title, fields in FIELD_BLOCKS for field in fields}


def normalize_naf(value: str) -> str:
    value = (value or "").strip().upper().replace(" ", "")
    if re.fullmatch(r"\d{4}[A-Z]", value):
        value = f"{value[:2]}.{value[2:]}"
    return value


def normalize_idcc(value: str) -> str:
    """IDCC on 4 digits: « 843 » and « 0843 » are the same convention (the list pads with zeros)."""
    value = (value or "").strip().replace(" ", "")
    return value.zfill(4) if value.isdigit() and len(value) < 4 else value


def normalize_diploma_code(value: str) -> str:
    return (value or "").strip().upper().replace(" ", "")
