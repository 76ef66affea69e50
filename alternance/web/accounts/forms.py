"""Forms of the personal space (French labels, DSFR rendering)."""

from django import forms
from dsfr.forms import DsfrBaseForm


class JoinCompanyForm(DsfrBaseForm):
    siret = forms.CharField(
        label="SIRET de l'établissement",
        max_length=17,
        help_text="14 chiffres, sur l'avis de situation SIRENE ou une fiche de paie.",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        error_messages={"required": "Saisissez le SIRET de l'établissement (14 chiffres)."},
    )
    name = forms.CharField(
        label="Nom de l'établissement",
        required=False,
        max_length=255,
        help_text="Seulement si la plateforme ne connaît pas encore ce SIRET.",
    )
    naf_code = forms.CharField(
        label="Code NAF (APE)",
        required=False,
        max_length=6,
        help_text="Seulement si la plateforme ne connaît pas encore ce SIRET. Format : 10.71C.",
    )
    commune = forms.CharField(
        label="Commune (code INSEE)",
        required=False,
        max_length=5,
        help_text="Seulement si la plateforme ne connaît pas encore ce SIRET. Exemple : 69123 pour Lyon.",
    )


class JoinOrganisationForm(DsfrBaseForm):
    identifier = forms.CharField(
        label="UAI ou SIRET de l'organisme",
        max_length=17,
        help_text="UAI : 7 chiffres et une lettre (0691234A) ; SIRET : 14 chiffres.",
        error_messages={"required": "Saisissez l'UAI ou le SIRET de l'organisme."},
    )
