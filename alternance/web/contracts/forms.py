"""Forms of the contract pages (French labels, DSFR rendering)."""

from django import forms
from dsfr.forms import DsfrBaseForm


def date_field(label: str, help_text: str = "", required: bool = True) -> forms.DateField:
    return forms.DateField(
        label=label,
        help_text=help_text or "Au format jj/mm/aaaa.",
        required=required,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": f"Saisissez la {label[0].lower()}{label[1:]}.",
            "invalid": f"« {label} » : saisissez une date au format jj/mm/aaaa.",
        },
    )


def money_field(label: str, help_text: str, required: bool = False) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        help_text=help_text,
        required=required,
        min_value=0,
        max_value=100000,
        decimal_places=2,
        localize=True,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
        error_messages={
            "required": f"Saisissez « {label} ».",
            "invalid": f"« {label} » : saisissez un montant en euros, par exemple 1850,00.",
            "min_value": f"« {label} » ne peut pas être négatif.",
            "max_value": f"« {label} » : saisissez un montant mensuel inférieur à 100 000 €.",
            "max_decimal_places": f"« {label} » : deux chiffres après la virgule au plus.",
        },
    )


class SimulatorForm(DsfrBaseForm):
    birth_date = date_field("Date de naissance de l'apprenti")
    start_date = date_field("Date de début du contrat")
    end_date = date_field("Date de fin du contrat", "Le dernier jour du contrat, au format jj/mm/aaaa.")
    conventional_monthly = money_field(
        "Salaire minimum conventionnel (facultatif)",
        "Montant mensuel brut prévu par la convention collective pour l'emploi, en euros. "
        "Il sert de base dès 21 ans s'il est plus élevé que le SMIC.",
    )
    mayotte = forms.BooleanField(label="Le contrat s'exécute à Mayotte", required=False)
