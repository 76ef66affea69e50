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


class CompanyProfileForm(DsfrBaseForm):
    contact_email = forms.EmailField(
        label="Adresse électronique qui reçoit les candidatures",
        required=False,
        help_text="Format attendu : nom@domaine.fr. Vide : personne ne peut vous écrire par la plateforme.",
        error_messages={"invalid": "L'adresse électronique n'est pas valide : vérifiez le format nom@domaine.fr."},
    )
    description = forms.CharField(
        label="Présentation de l'entreprise",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="2 000 caractères au plus. Ce que vous faites, comment vous accueillez un apprenti.",
        error_messages={"max_length": "La présentation dépasse 2 000 caractères : raccourcissez-la."},
    )
    website = forms.URLField(
        label="Site internet",
        required=False,
        help_text="Format attendu : https://www.exemple.fr",
        error_messages={"invalid": "L'adresse du site n'est pas valide : commencez par https://"},
    )
    accessible_disability = forms.BooleanField(
        label="Nous accueillons des apprentis en situation de handicap", required=False
    )
