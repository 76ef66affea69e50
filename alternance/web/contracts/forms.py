"""Forms of the contract pages (French labels, DSFR rendering)."""

from django import forms
from dsfr.forms import DsfrBaseForm

from alternance.contracts.cerfa import CODE_LISTS
from alternance.contracts.fields import FIELD_BLOCKS, FIELD_LABELS
from alternance.contracts.nir import nir_errors, normalize_nir


def date_field(label: str, help_text: str = "", required: bool = True) -> forms.DateField:
    return forms.DateField(
        label=label,
        help_text=help_text or "Au format jj/mm/aaaa.",
        required=required,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": f"Saisissez la {label[0].lower()}{label[1:]}.",
            "invalid": f"« {label} » : saisissez une date au format jj/mm/aaaa.",
        },
    )


def money_field(
    label: str, help_text: str, required: bool = False, max_value: int = 100000, too_big: str = ""
) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        help_text=help_text,
        required=required,
        min_value=0,
        max_value=max_value,
        decimal_places=2,
        localize=True,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
        error_messages={
            "required": f"Saisissez « {label} ».",
            "invalid": f"« {label} » : saisissez un montant en euros, par exemple 1850,00.",
            "min_value": f"« {label} » ne peut pas être négatif.",
            "max_value": too_big or f"« {label} » : saisissez un montant mensuel inférieur à 100 000 €.",
            "max_decimal_places": f"« {label} » : deux chiffres après la virgule au plus.",
        },
    )


class SimulatorForm(DsfrBaseForm):
    birth_date = date_field("Date de naissance de l'apprenti")
    start_date = date_field("Date de début du contrat")
    end_date = date_field("Date de fin du contrat", "Le dernier jour du contrat, au format jj/mm/aaaa.")
    conventional_monthly = money_field(
        "Salaire minimum conventionnel (facultatif)",
        "Montant mensuel brut prévu par la convention collective pour l'emploi, en euros. "
        "Il sert de base dès 21 ans s'il est plus élevé que le SMIC.",
    )
    mayotte = forms.BooleanField(label="Le contrat s'exécute à Mayotte", required=False)


OPTIONAL_FIELDS = frozenset(
    {
        "employer_street_number",
        "employer_address_complement",
        "employer_phone",
        "employer_email",
        "apprentice_usage_name",
        "apprentice_street_number",
        "apprentice_address_complement",
        "apprentice_phone",
        "apprentice_email",
        "apprentice_last_diploma_title",
        "guardian_last_name",
        "guardian_first_name",
        "guardian_street_number",
        "guardian_address",
        "guardian_address_complement",
        "guardian_postcode",
        "guardian_city",
        "guardian_email",
        "supervisor1_email",
        "supervisor2_last_name",
        "supervisor2_first_name",
        "supervisor2_birth_date",
        "supervisor2_email",
        "supervisor2_job_title",
        "supervisor2_diploma",
        "supervisor2_diploma_level",
        "supervisor2_experience_years",
        "training_cfa_siret",
        "training_cfa_street_number",
        "training_cfa_address_complement",
        "training_diploma_rncp",
        "training_diploma_title",
        "training_site_name",
        "training_site_uai",
        "training_site_siret",
        "training_site_street_number",
        "training_site_address",
        "training_site_address_complement",
        "training_site_postcode",
        "training_site_city",
        "contract_derogation",
        "contract_previous_number",
        "contract_amendment_date",
        "contract_conventional_monthly",
        "pay_percent_1",
        "pay_percent_2",
        "pay_percent_3",
        "pay_percent_4",
        "contract_food_benefit",
        "contract_housing_benefit",
        "contract_other_benefit",
    }
)
BOOLEAN_FIELDS = frozenset(
    {
        "employer_public",
        "employer_public_unemployment",
        "apprentice_left_3e",
        "apprentice_disability",
        "apprentice_business_project",
        "apprentice_high_level_athlete",
        "supervisor_attestation",
        "training_cfa_company",
        "training_cfa_is_main_site",
        "contract_risky_work",
        "contract_mayotte",
        "contract_documents_attested",
    }
)
CHOICES = CODE_LISTS  # the official form's code lists, as the PDF filler uses them
INTEGER_FIELDS = {
    "employer_headcount": 10_000_000,
    "training_hours": 5_000,
    "supervisor1_experience_years": 60,
    "supervisor2_experience_years": 60,
    "pay_percent_1": 200,
    "pay_percent_2": 200,
    "pay_percent_3": 200,
    "pay_percent_4": 200,
}
MONEY_FIELDS = frozenset(
    {"contract_monthly_pay", "contract_conventional_monthly", "contract_food_benefit", "contract_housing_benefit"}
)
HELP_TEXTS = {
    "employer_siret": "14 chiffres, sans espace. Si l'entreprise est connue de la plateforme, ses nom, adresse, "
    "code NAF et effectif sont remplis pour vous.",
    "employer_naf": "4 chiffres et une lettre, par exemple 10.71C.",
    "employer_idcc": "Par exemple 843 ou 0843 ; 9999 s'il n'y a pas de convention collective.",
    "employer_public": "Cochez pour un employeur du secteur public (État, collectivité, hôpital…).",
    "employer_public_unemployment": "Employeurs publics seulement.",
    "apprentice_birth_department": "Par exemple 69, 2A ; 99 pour une naissance à l'étranger.",
    "apprentice_left_3e": "Un jeune de 15 ans peut signer un contrat s'il a terminé la classe de 3e.",
    "apprentice_disability": "Décochée, la case « non » du formulaire est cochée.",
    "guardian_last_name": "Obligatoire si l'apprenti a moins de 18 ans au début du contrat.",
    "supervisor1_experience_years": "Dans une activité en rapport avec la qualification préparée : 1 an avec un "
    "diplôme au moins du niveau de celui de l'apprenti, 2 ans sinon.",
    "supervisor2_last_name": "Facultatif : remplissez ces champs pour un second maître d'apprentissage.",
    "training_cfa_uai": "7 chiffres et une lettre, par exemple 0010826T : nom, SIRET et adresse du CFA sont "
    "remplis pour vous s'il est au registre.",
    "training_diploma_code": "Code CFD (8 caractères) ou numéro RNCP (par exemple RNCP37537) : l'intitulé est "
    "rempli pour vous.",
    "training_site_name": "À remplir seulement si la formation a lieu ailleurs qu'au CFA responsable.",
    "training_end_date": "Date prévue de fin des épreuves : le contrat finit au plus tard 3 mois après.",
    "contract_start_date": "Premier jour du contrat, chez l'employeur ou au CFA.",
    "contract_practical_start_date": "Au plus tard 3 mois après le début du contrat.",
    "contract_signature_date": "Le jour où l'employeur et l'apprenti signent, au plus tard le premier jour.",
    "contract_previous_number": "Obligatoire pour un nouveau contrat après un précédent, ou pour un avenant.",
    "contract_end_date": "Dernier jour du contrat : de 6 mois à 3 ans après le début (4 ans en cas de RQTH).",
    "contract_weekly_hours": "En heures, par exemple 35 ou 35,5 ; 35 au plus pour un mineur.",
    "contract_monthly_pay": "En euros, au moins le minimum légal de la première période.",
    "contract_conventional_monthly": "Salaire minimum de la convention collective pour l'emploi, en euros : "
    "il sert de base dès 21 ans s'il est plus élevé que le SMIC.",
    "pay_percent_1": "Facultatif : si vous payez plus que le minimum légal, le pourcentage du SMIC (ou du "
    "minimum conventionnel) que vous appliquez.",
    "contract_pension_fund": "Nom de la caisse de retraite complémentaire de l'entreprise.",
}
TEXT_TYPES = {
    "employer_email": forms.EmailField,
    "apprentice_email": forms.EmailField,
    "guardian_email": forms.EmailField,
    "supervisor1_email": forms.EmailField,
    "supervisor2_email": forms.EmailField,
}


def _contract_field(name: str, label: str) -> forms.Field:
    required = name not in OPTIONAL_FIELDS
    help_text = HELP_TEXTS.get(name, "")
    if name in BOOLEAN_FIELDS:
        return forms.BooleanField(label=label, required=False, help_text=help_text)
    if name in CHOICES:
        return forms.ChoiceField(
            label=label,
            required=required,
            help_text=help_text,
            choices=[("", "Choisissez dans la liste")] + [(code, f"{code} – {text}") for code, text in CHOICES[name]],
            error_messages={
                "required": f"Choisissez « {label} ».",
                "invalid_choice": f"« {label} » : choisissez une valeur de la liste.",
            },
        )
    if name.endswith("_date"):
        return date_field(label, help_text, required=required)
    if name in MONEY_FIELDS:
        return money_field(label, help_text, required=required)
    if name == "contract_weekly_hours":
        return money_field(label, help_text, True, 48, f"« {label} » : 48 heures par semaine au plus.")
    if name in INTEGER_FIELDS:
        return forms.IntegerField(
            label=label,
            required=required,
            help_text=help_text,
            min_value=0,
            max_value=INTEGER_FIELDS[name],
            error_messages={
                "required": f"Saisissez « {label} ».",
                "invalid": f"« {label} » : saisissez un nombre entier.",
                "min_value": f"« {label} » ne peut pas être négatif.",
                "max_value": f"« {label} » : {INTEGER_FIELDS[name]} au plus.",
            },
        )
    field_class = TEXT_TYPES.get(name, forms.CharField)
    return field_class(
        label=label,
        required=required,
        max_length=200,
        help_text=help_text,
        error_messages={
            "required": f"Saisissez « {label} ».",
            "invalid": f"« {label} » : saisissez une adresse électronique, par exemple nom@domaine.fr.",
            "max_length": f"« {label} » : 200 caractères au plus.",
        },
    )


class _ContractFormBase(DsfrBaseForm):
    """Fields of the official form; ``check`` (the contract rules) runs in ``clean`` on ``known`` values
    (the draft so far) merged with this form's: issues about this form's fields are its errors, the others
    are kept in ``other_issues`` (shown, not blocking, until the summary)."""

    def __init__(self, *args, check=None, known=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.check = check
        self.known = known or {}
        self.periods = []
        self.other_issues = []

    def clean(self):
        cleaned = super().clean()
        if self.check is None:
            return cleaned
        values = {**self.known, **{name: cleaned.get(name) for name in self.fields}}
        issues, self.periods = self.check(values)
        for issue in issues:
            if issue.field in self.fields:
                if issue.field not in self.errors:
                    self.add_error(issue.field, issue.message)
            else:
                self.other_issues.append(issue)
        return cleaned

    def blocks(self):
        """(key, legend, bound fields) for each fieldset of the page."""
        return [
            (key, title, [self[name] for name in names if name in self.fields])
            for key, title, names in FIELD_BLOCKS
            if any(name in self.fields for name in names)
        ]


def _fields(names) -> dict:
    return {name: _contract_field(name, FIELD_LABELS[name]) for name in names}


ContractForm = type("ContractForm", (_ContractFormBase,), {"__module__": __name__, **_fields(FIELD_LABELS)})

STEP_FORMS = {
    key: type(f"{key.title()}StepForm", (_ContractFormBase,), {"__module__": __name__, **_fields(names)})
    for key, _title, names in FIELD_BLOCKS
}


class PrintForm(DsfrBaseForm):
    """Typed at printing time only: the NIR is checked, written into the PDF and never kept."""

    nir = forms.CharField(
        label="Numéro de sécurité sociale (NIR) de l'apprenti",
        required=False,
        max_length=25,
        help_text="Facultatif : 15 caractères, sur la carte Vitale. Il est écrit dans le PDF et n'est jamais "
        "enregistré ; sans lui, le champ du formulaire reste vide, à remplir à la main.",
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "text", "spellcheck": "false"}),
        error_messages={"max_length": "Le numéro de sécurité sociale compte 15 caractères."},
    )

    def clean_nir(self):
        value = self.cleaned_data["nir"]
        errors = nir_errors(value)
        if errors:
            raise forms.ValidationError(f"Numéro de sécurité sociale : {errors[0]}")
        return normalize_nir(value)
