"""Forms of the contract pages (French labels, DSFR rendering)."""

from django import forms
from dsfr.forms import DsfrBaseForm

from alternance.contracts.rules import FIELD_BLOCKS, FIELD_LABELS


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
        "employer_email",
        "apprentice_email",
        "guardian_last_name",
        "guardian_first_name",
        "guardian_address",
        "supervisor2_last_name",
        "supervisor2_first_name",
        "supervisor2_birth_date",
        "supervisor2_job_title",
        "training_diploma_title",
        "contract_conventional_monthly",
    }
)
BOOLEAN_FIELDS = frozenset(
    {
        "apprentice_left_3e",
        "apprentice_disability",
        "apprentice_business_project",
        "apprentice_high_level_athlete",
        "contract_mayotte",
    }
)
HELP_TEXTS = {
    "employer_siret": "14 chiffres, sans espace.",
    "employer_naf": "4 chiffres et une lettre, par exemple 10.71C.",
    "employer_idcc": "4 chiffres, par exemple 0843 ; 9999 s'il n'y a pas de convention collective.",
    "apprentice_left_3e": "Un jeune de 15 ans peut signer un contrat s'il a terminé la classe de 3e.",
    "guardian_last_name": "Obligatoire si l'apprenti a moins de 18 ans au début du contrat.",
    "supervisor2_last_name": "Facultatif : remplissez ces quatre champs pour un second maître d'apprentissage.",
    "training_cfa_uai": "7 chiffres et une lettre, par exemple 0010826T.",
    "training_diploma_code": "Code CFD (8 caractères) ou numéro RNCP (par exemple RNCP37537).",
    "training_end_date": "Le contrat doit finir au plus tard 3 mois après cette date.",
    "contract_end_date": "Dernier jour du contrat : de 6 mois à 3 ans après le début (4 ans en cas de RQTH).",
    "contract_weekly_hours": "En heures, par exemple 35.",
    "contract_monthly_pay": "En euros, au moins le minimum légal de la première période.",
    "contract_conventional_monthly": "Salaire minimum de la convention collective pour l'emploi, en euros : "
    "il sert de base dès 21 ans s'il est plus élevé que le SMIC.",
}
TEXT_TYPES = {
    "employer_email": forms.EmailField,
    "apprentice_email": forms.EmailField,
}


def _contract_field(name: str, label: str) -> forms.Field:
    required = name not in OPTIONAL_FIELDS
    help_text = HELP_TEXTS.get(name, "")
    if name in BOOLEAN_FIELDS:
        return forms.BooleanField(label=label, required=False, help_text=help_text)
    if name.endswith("_date"):
        return date_field(label, help_text, required=required)
    if name in {"contract_monthly_pay", "contract_conventional_monthly"}:
        return money_field(label, help_text, required=required)
    if name == "contract_weekly_hours":
        return money_field(label, help_text, True, 48, f"« {label} » : 48 heures par semaine au plus.")
    if name == "employer_headcount":
        return forms.IntegerField(
            label=label,
            min_value=0,
            max_value=10_000_000,
            error_messages={
                "required": f"Saisissez « {label} ».",
                "invalid": f"« {label} » : saisissez un nombre entier.",
                "min_value": f"« {label} » ne peut pas être négatif.",
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
            "max_length": f"« {label} » : 200 caractères au plus.",
        },
    )


class _ContractFormBase(DsfrBaseForm):
    """The fields of CERFA FA13; ``check`` (the contract rules) runs in ``clean``."""

    def __init__(self, *args, check=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.check = check
        self.periods = []

    def clean(self):
        cleaned = super().clean()
        if self.check is None:
            return cleaned
        values = {name: cleaned.get(name) for name in self.fields}
        issues, self.periods = self.check(values)
        for issue in issues:
            if issue.field in self.fields and issue.field not in self.errors:
                self.add_error(issue.field, issue.message)
            elif issue.field not in self.fields:
                self.add_error(None, issue.message)
        return cleaned

    def blocks(self):
        """(key, legend, bound fields) for each fieldset of the page."""
        return [(key, title, [self[name] for name in names]) for key, title, names in FIELD_BLOCKS]


ContractForm = type(
    "ContractForm",
    (_ContractFormBase,),
    {"__module__": __name__, **{name: _contract_field(name, label) for name, label in FIELD_LABELS.items()}},
)
