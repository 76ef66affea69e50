"""Every field of the official form (cerfa n° 10103*12, 157 AcroForm fields) and what fills it (pure).

``CERFA_FIELDS`` is the one table: (name of the PDF field, kind, source). Kinds:
- ``text``: the contract value as typed; ``code``: a code of alternance.contracts.codes (the form's boxes hold
  codes); ``date``: « 01/09/2026 » (the form's own format, dd/mm/yyyy, checked by its scripts);
  ``money``: « 1 234,56 € »;
- ``yes`` / ``no``: a check box ticked when the value is True / False (the form has a « oui » and a « non » box);
- ``is``: a check box ticked when the value equals the extra argument;
- ``computed``: a value ``cerfa_values`` derives (joined names, hours and minutes, the pay table, the NIR);
- ``signature``: left empty, signed by hand (or by a signature tool) on the printed form.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from alternance.contracts.fields import normalize_idcc, normalize_naf
from alternance.contracts.pay import BASE_SMIC, PayPeriod

PDF_VERSION = "cerfa n° 10103*12"


@dataclass(frozen=True)
class CerfaField:
    name: str  # the AcroForm field name, exactly as in the official PDF
    kind: str
    source: str = ""  # key of the contract data, or of the computed values
    extra: str = ""


F = CerfaField
_PAY_NAMES = {1: "1re", 2: "2e", 3: "3e", 4: "4e"}


def _pay_rows() -> list[CerfaField]:
    rows = []
    for year in range(1, 5):
        ordinal = _PAY_NAMES[year]
        rows += [
            F(f"Rémunération - {ordinal}  année, du _af_date", "computed", f"pay_{year}_a_start"),
            F(f"Rémunération - {ordinal}  année, au_af_date", "computed", f"pay_{year}_a_end"),
            F(f"{year}e année % du", "computed", f"pay_{year}_a_percent"),
            F(f"{year}e année % du *", "computed", f"pay_{year}_a_base"),
            F(f"{year}e année du_af_date", "computed", f"pay_{year}_b_start"),
            F(f"{year}e année au_af_date", "computed", f"pay_{year}_b_end"),
            F(f"{year}e année % du1", "computed", f"pay_{year}_b_percent"),
            F(f"{year}e année % du *1", "computed", f"pay_{year}_b_base"),
        ]
    return rows


CERFA_FIELDS: tuple[CerfaField, ...] = (
    # L'employeur (page 1)
    F("employeur privé", "no", "employer_public"),
    F("employeur public", "yes", "employer_public"),
    F("mode contractuel", "code", "contract_mode"),
    F("Nom et prénom ou dénomination :", "text", "employer_name"),
    F("N°SIRET de l’établissement d’exécution du contrat :", "text", "employer_siret"),
    F("N°", "text", "employer_street_number"),
    F("Voie", "text", "employer_address"),
    F("Complément", "text", "employer_address_complement"),
    F("Code postal", "text", "employer_postcode"),
    F("Commune", "text", "employer_city"),
    F("Téléphone", "text", "employer_phone"),
    F("Courriel 1", "computed", "employer_email_local"),
    F("Courriel 2", "computed", "employer_email_domain"),
    F("Type d’employeur", "code", "employer_type"),
    F("Employeur spécifique", "code", "employer_specific"),
    F("Code activité de l’entreprise (NAF) :", "computed", "employer_naf"),
    F("Effectif total salariés de l’entreprise :", "text", "employer_headcount"),
    F("Code IDCC de la convention collective applicable :", "computed", "employer_idcc"),
    F(
        "*Pour les employeurs du secteur public, adhésion de l’apprenti au régime spécifique d’assurance chômage :",
        "yes",
        "employer_public_unemployment",
    ),
    # L'apprenti(e)
    F("Nom de naissance de l’apprenti(e) :", "text", "apprentice_last_name"),
    F("Nom d’usage", "text", "apprentice_usage_name"),
    F("Le premier prénom de l’apprenti(e) selon l’état civil :", "text", "apprentice_first_name"),
    F("NIR de l’apprenti(e)", "computed", "apprentice_nir"),
    F("Apprenti Date naissance_af_date", "date", "apprentice_birth_date"),
    F("Sexe M", "is", "apprentice_sex", "M"),
    F("Sexe F", "is", "apprentice_sex", "F"),
    F("Département naissance apprenti", "text", "apprentice_birth_department"),
    F("Commune naissance apprenti", "text", "apprentice_birth_city"),
    F("Nationalité apprenti", "code", "apprentice_nationality"),
    F("Régime social apprenti", "code", "apprentice_social_regime"),
    F("Adresse de l’apprenti(e) N°", "text", "apprentice_street_number"),
    F("Adresse de l’apprenti(e) Voie", "text", "apprentice_address"),
    F("Adresse de l’apprenti(e) Complément", "text", "apprentice_address_complement"),
    F("Adresse de l’apprenti(e) CP", "text", "apprentice_postcode"),
    F("Adresse de l’apprenti(e) Commune", "text", "apprentice_city"),
    F("Adresse de l’apprenti(e) Téléphone", "text", "apprentice_phone"),
    F("Adresse de l’apprenti(e) Courriel1", "computed", "apprentice_email_local"),
    F("Adresse de l’apprenti(e) Courriel2", "computed", "apprentice_email_domain"),
    F("Déclare être inscrit sur la liste des sportifs de haut niveau OUI", "yes", "apprentice_high_level_athlete"),
    F("Déclare être inscrit sur la liste des sportifs de haut niveau NON", "no", "apprentice_high_level_athlete"),
    F("Déclare bénéficier de la reconnaissance travailleur handicapé OUI", "yes", "apprentice_disability"),
    F("Déclare bénéficier de la reconnaissance travailleur handicapé NON", "no", "apprentice_disability"),
    F("Situation avant ce contrat", "code", "apprentice_situation"),
    F("Dernier diplôme ou titre préparé", "code", "apprentice_last_diploma_type"),
    F("Dernière classe / année suivie", "code", "apprentice_last_class"),
    F("Intitulé précis du dernier diplôme ou titre préparé :", "text", "apprentice_last_diploma_title"),
    F("Diplôme ou titre le plus élevé obtenu", "code", "apprentice_highest_diploma"),
    F("Déclare avoir un projet de création ou de reprise d’entreprise OUI", "yes", "apprentice_business_project"),
    F("Déclare avoir un projet de création ou de reprise d’entreprise NON", "no", "apprentice_business_project"),
    # Le représentant légal
    F("Représentant légal Nom / Prénom", "computed", "guardian_name"),
    F("Adresse du représentant légal N°", "text", "guardian_street_number"),
    F("Adresse du représentant légal Voie", "text", "guardian_address"),
    F("Adresse du représentant légal Complément", "text", "guardian_address_complement"),
    F("Adresse du représentant légal CP", "text", "guardian_postcode"),
    F("Adresse du représentant légal Commune", "text", "guardian_city"),
    F("Adresse du représentant légal Courriel1", "computed", "guardian_email_local"),
    F("Adresse du représentant légal Courriel2", "computed", "guardian_email_domain"),
    # Les maîtres d'apprentissage (pages 1 and 2)
    F("Maître d’apprentissage n°1 Nom de naissance", "text", "supervisor1_last_name"),
    F("Maître d’apprentissage n°1 Prénom", "text", "supervisor1_first_name"),
    F("Maître d’apprentissage n°1 Date naissance_af_date", "date", "supervisor1_birth_date"),
    F("Maître d’apprentissage n°1 Courriel1", "computed", "supervisor1_email_local"),
    F("Maître d’apprentissage n°1 Courriel2", "computed", "supervisor1_email_domain"),
    F("Maître d’apprentissage n°1 Courriel2suite", "computed", "supervisor1_email_domain_rest"),
    F("Maître d’apprentissage n°1 Emploi occupé :", "text", "supervisor1_job_title"),
    F("Maître d’apprentissage n°1Diplôme ou titre le plus élevé obtenu :", "text", "supervisor1_diploma"),
    F(
        "Maître d’apprentissage n°1 Niveau de diplôme ou titre le plus élevé obtenu :",
        "code",
        "supervisor1_diploma_level",
    ),
    F("Maître d’apprentissage n° 2Nom de naissance", "text", "supervisor2_last_name"),
    F("Maître d’apprentissage n°2 Prénom", "text", "supervisor2_first_name"),
    F("Maître d’apprentissage n°2 Date naissance_af_date", "date", "supervisor2_birth_date"),
    F("Maître d’apprentissage n°2 Courriel1", "computed", "supervisor2_email_local"),
    F("Maître d’apprentissage n°2 Courriel2", "computed", "supervisor2_email_domain"),
    F("Maître d’apprentissage n°2 Courriel2suite", "computed", "supervisor2_email_domain_rest"),
    F("Maître d’apprentissage n°2 Emploi occupé :", "text", "supervisor2_job_title"),
    F("Maître d’apprentissage n°2 Diplôme ou titre le plus élevé obtenu :", "text", "supervisor2_diploma"),
    F(
        "Maître d’apprentissage n°2 Niveau de diplôme ou titre le plus élevé obtenu :",
        "code",
        "supervisor2_diploma_level",
    ),
    F("employeur atteste", "yes", "supervisor_attestation"),
    # Le contrat (page 2)
    F("Type de contrat ou d’avenant :", "code", "contract_type"),
    F("Type de dérogation :", "code", "contract_derogation"),
    F(
        "Numéro du contrat précédent ou du contrat sur lequel porte l’avenant :",
        "text",
        "contract_previous_number",
    ),
    F("Date de conclusion : _af_date", "date", "contract_signature_date"),
    F("Date de début d’exécution du contrat : _af_date", "date", "contract_start_date"),
    F("Date de début de formation pratique chez l’employeur : _af_date", "date", "contract_practical_start_date"),
    F("Si avenant, date d’effet :_af_date", "date", "contract_amendment_date"),
    F("ate de fin du contrat ou de la période d'apprentissage_af_date", "date", "contract_end_date"),
    F("Durée hebdomadaire du travail  heure", "computed", "weekly_hours"),
    F("Durée hebdomadaire du travail  minutes", "computed", "weekly_minutes"),
    F(
        "Travail sur machines dangereuses ou exposition à des risques particuliers : OUI",
        "yes",
        "contract_risky_work",
    ),
    F(
        "Travail sur machines dangereuses ou exposition à des risques particuliers : NON",
        "no",
        "contract_risky_work",
    ),
    # La rémunération
    *_pay_rows(),
    F("Salaire brut mensuel à l’embauche :", "money", "contract_monthly_pay"),
    F("Caisse de retraite complémentaire :", "text", "contract_pension_fund"),
    F("Avantages en nature, le cas échéant : Nourriture", "money", "contract_food_benefit"),
    F("Avantages en nature, le cas échéant : Logement", "money", "contract_housing_benefit"),
    F("Avantages en nature, le cas échéant : Autre", "computed", "other_benefit_mark"),
    # La formation
    F("CFA d’entreprise OUI", "yes", "training_cfa_company"),
    F("CFA d’entreprise NON", "no", "training_cfa_company"),
    F("Dénomination du CFA responsable :", "text", "training_cfa_name"),
    F("N° UAI du CFA", "text", "training_cfa_uai"),
    F("N° SIRET CFA", "text", "training_cfa_siret"),
    F("Adresse du CFA responsable N°", "text", "training_cfa_street_number"),
    F("Adresse du CFA responsable Voie", "text", "training_cfa_address"),
    F("Adresse du CFA responsable Complément", "text", "training_cfa_address_complement"),
    F("Adresse du CFA responsable CP", "text", "training_cfa_postcode"),
    F("Adresse du CFA responsable Commune", "text", "training_cfa_city"),
    F(
        "Si le CFA responsable est le lieu de formation principal cochez la case ci-contre",
        "yes",
        "training_cfa_is_main_site",
    ),
    F("Diplôme ou titre visé par l’apprenti :", "code", "training_diploma_type"),
    F("Diplôme ou titre visé par l’apprenti : Intitulé précis :", "text", "training_diploma_title"),
    F("Code du diplôme", "computed", "diploma_cfd"),
    F("Code RNCP", "computed", "diploma_rncp"),
    F("Date de début de formation en CFA :  _af_date", "date", "training_start_date"),
    F("Date prévue de fin des épreuves ou examens :_af_date", "date", "training_end_date"),
    F("Durée de la formation :", "text", "training_hours"),
    F("Dénomination du lieu de formation principal :", "text", "training_site_name"),
    F("N° UAI :", "text", "training_site_uai"),
    F("N° SIRET :", "text", "training_site_siret"),
    F("Adresse du lieu de formation principal : N°", "text", "training_site_street_number"),
    F("Adresse du lieu de formation principal : Voie", "text", "training_site_address"),
    F("Adresse du lieu de formation principal : Complément", "text", "training_site_address_complement"),
    F("Adresse du lieu de formation principal : CP", "text", "training_site_postcode"),
    F("Adresse du lieu de formation principal : Commune", "text", "training_site_city"),
    F("Visa du CFA (cachet et signature du directeur) :", "signature"),
    # Attestation, lieu, signatures
    F(
        "L’employeur atteste disposer de l’ensemble des pièces justificatives nécessaires au dépôt du contrat",
        "yes",
        "contract_documents_attested",
    ),
    F("Fait à", "computed", "signed_at"),
    F("Signature de l’employeur", "signature"),
    F("Signature de l’apprenti(e)", "signature"),
    F("Signature du représentant légal de l’apprenti(e) mineur(e)", "signature"),
)
CHECK_KINDS = frozenset({"yes", "no", "is"})
CHECKED = "/Oui"  # the « on » state of every check box of the form
UNCHECKED = "/Off"


def format_pdf_date(day: date | None) -> str:
    """« 01/09/2026 »: the format the form's date fields check (AFDate_FormatEx("dd/mm/yyyy"))."""
    return f"{day:%d/%m/%Y}" if day else ""


def format_pdf_money(amount: Decimal | None) -> str:
    """« 1 234,56 € » with plain spaces (the form's font has no narrow no-break space)."""
    if amount is None:
        return ""
    whole, cents = f"{Decimal(amount).quantize(Decimal('0.01')):.2f}".split(".")
    groups = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    return f"{' '.join(groups)},{cents} €"


def _split_email(prefix: str, email: str, values: dict, rest: bool = False) -> None:
    """The form prints « @ » between two boxes: the local part, then the domain (a third box for long ones)."""
    local, _, domain = (email or "").partition("@")
    values[f"{prefix}_email_local"] = local
    if rest and len(domain) > 14:
        values[f"{prefix}_email_domain"], values[f"{prefix}_email_domain_rest"] = domain[:14], domain[14:]
    else:
        values[f"{prefix}_email_domain"] = domain
        values[f"{prefix}_email_domain_rest"] = ""


@dataclass(frozen=True)
class PaySlot:
    start: date
    end: date
    percent: int
    base: str  # « SMIC » or « SMC »


def pay_slots(periods: list[PayPeriod], chosen: Mapping | None = None) -> dict[int, list[PaySlot]]:
    """The engine's periods as the form's table: per contract year, at most two periods (the form has two
    boxes a year: an age band changes at most once a year). Periods split only by a SMIC revaluation are one
    slot; a third change in a year (rare: the conventional minimum overtaken by the SMIC) joins the second.
    ``chosen`` holds the percent the employer applies per year (pay_percent_N) when above the minimum."""
    chosen = chosen or {}
    slots: dict[int, list[PaySlot]] = {}
    for period in periods:
        percent = max(period.percent, int(chosen.get(f"pay_percent_{period.contract_year}") or 0))
        base = "SMIC" if period.base == BASE_SMIC else "SMC"
        year = slots.setdefault(period.contract_year, [])
        if year and (year[-1].percent, year[-1].base) == (percent, base) or len(year) == 2:
            last = year[-1]
            year[-1] = PaySlot(last.start, period.end, percent if len(year) == 2 else last.percent, base)
        else:
            year.append(PaySlot(period.start, period.end, percent, base))
    return slots


def cerfa_values(data: Mapping, periods: list[PayPeriod], nir: str = "") -> dict[str, str | bool]:
    """Value of every fillable field of the form, by PDF field name: a string for a text field, True/False
    for a check box. The NIR passes through, it is never kept."""
    computed: dict = {}
    for prefix in ("employer", "apprentice", "guardian", "supervisor1", "supervisor2"):
        _split_email(prefix, data.get(f"{prefix}_email") or "", computed, rest=prefix.startswith("supervisor"))
    computed["employer_naf"] = normalize_naf(data.get("employer_naf") or "")
    computed["employer_idcc"] = normalize_idcc(data.get("employer_idcc") or "")
    computed["apprentice_nir"] = nir
    computed["guardian_name"] = " ".join(
        part for part in (data.get("guardian_last_name"), data.get("guardian_first_name")) if part
    )
    hours = data.get("contract_weekly_hours")
    if hours is not None:
        whole = int(hours)
        computed["weekly_hours"] = str(whole)
        computed["weekly_minutes"] = f"{round((Decimal(hours) - whole) * 60):02d}"
    computed["other_benefit_mark"] = "X" if (data.get("contract_other_benefit") or "").strip() else ""
    code = (data.get("training_diploma_code") or "").strip().upper()
    computed["diploma_rncp"] = data.get("training_diploma_rncp") or (code if code.startswith("RNCP") else "")
    computed["diploma_cfd"] = "" if code.startswith("RNCP") else code
    place, signed = data.get("contract_signature_place") or "", data.get("contract_signature_date")
    computed["signed_at"] = f"{place}, le {format_pdf_date(signed)}" if place and signed else place
    for year, slots in pay_slots(periods, data).items():
        for letter, slot in zip("ab", slots, strict=False):
            computed[f"pay_{year}_{letter}_start"] = format_pdf_date(slot.start)
            computed[f"pay_{year}_{letter}_end"] = format_pdf_date(slot.end)
            computed[f"pay_{year}_{letter}_percent"] = str(slot.percent)
            computed[f"pay_{year}_{letter}_base"] = slot.base
    values: dict[str, str | bool] = {}
    for field in CERFA_FIELDS:
        if field.kind == "signature":
            continue
        value = computed.get(field.source, "") if field.kind == "computed" else data.get(field.source)
        if field.kind == "yes":
            values[field.name] = value is True
        elif field.kind == "no":
            values[field.name] = value is False
        elif field.kind == "is":
            values[field.name] = value == field.extra
        elif field.kind == "date":
            values[field.name] = format_pdf_date(value)
        elif field.kind == "money":
            values[field.name] = format_pdf_money(value)
        else:
            values[field.name] = "" if value is None else str(value)
    return values
