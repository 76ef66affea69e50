"""Forms of a training organisation's space: its contact details, a training site, an API key."""

from django import forms
from dsfr.forms import DsfrBaseForm

from alternance.organisations import rules
from alternance.organisations.services import DeclarationError, resolve_commune


class _AddressMixin:
    """postcode + commune checked against the referential (cleaned_data["commune"] becomes a Commune)."""

    def _clean_address(self, cleaned: dict, required: bool) -> dict:
        address, postcode, commune = (cleaned.get(k) or "" for k in ("address", "postcode", "commune"))
        if not (address or postcode or commune) and not required:
            cleaned["commune"] = None
            return cleaned
        if not address:
            self.add_error("address", "Indiquez le numéro et la voie, par exemple « 12 rue des Lilas ».")
        try:
            cleaned["commune"] = resolve_commune(postcode, commune)
        except DeclarationError as exc:
            self.add_error(exc.field if exc.field in self.fields else None, exc.message)
        return cleaned


class ContactForm(_AddressMixin, DsfrBaseForm):
    contact_email = forms.EmailField(
        label="Adresse électronique de contact",
        required=False,
        max_length=254,
        help_text="Elle reçoit les demandes de rendez-vous. Format attendu : nom@domaine.fr",
        error_messages={"invalid": "L'adresse électronique n'est pas valide : vérifiez le format nom@domaine.fr."},
    )
    phone = forms.CharField(
        label="Téléphone",
        required=False,
        max_length=20,
        help_text="10 chiffres, par exemple 04 78 12 34 56, ou +33 suivi de 9 chiffres.",
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    website = forms.URLField(
        label="Site internet",
        required=False,
        max_length=255,
        assume_scheme="https",
        help_text="Format attendu : https://www.exemple.fr",
        error_messages={"invalid": "L'adresse du site n'est pas valide : commencez par https://"},
    )
    address = forms.CharField(
        label="Adresse (numéro et voie)", required=False, max_length=255, help_text="Par exemple : 12 rue des Lilas"
    )
    postcode = forms.CharField(
        label="Code postal",
        required=False,
        max_length=5,
        help_text="5 chiffres, par exemple 69003.",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "postal-code"}),
    )
    commune = forms.CharField(label="Commune", required=False, max_length=255, help_text="Par exemple : Lyon")

    def clean_phone(self):
        phone = self.cleaned_data["phone"].strip()
        if phone:
            errors = rules.phone_errors(phone)
            if errors:
                raise forms.ValidationError(errors[0])
            phone = rules.format_phone(phone)
        return phone

    def clean_website(self):
        website = self.cleaned_data["website"]
        if website:
            errors = rules.website_errors(website)
            if errors:
                raise forms.ValidationError(errors[0])
        return website

    def clean(self):
        cleaned = super().clean()
        if not set(self.changed_data) & {"address", "postcode", "commune"}:
            cleaned["commune"] = None  # the address as shown (even a CEDEX one): nothing to check or declare
            return cleaned
        return self._clean_address(cleaned, required=False)


class SiteForm(_AddressMixin, DsfrBaseForm):
    name = forms.CharField(
        label="Nom du lieu", required=False, max_length=255, help_text="Facultatif. Par exemple : Site de Vaise"
    )
    address = forms.CharField(
        label="Adresse (numéro et voie)",
        max_length=255,
        error_messages={"required": "Indiquez l'adresse du lieu de formation (numéro et voie)."},
    )
    postcode = forms.CharField(
        label="Code postal",
        max_length=5,
        help_text="5 chiffres.",
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
        error_messages={"required": "Indiquez le code postal du lieu de formation (5 chiffres)."},
    )
    commune = forms.CharField(label="Commune", required=False, max_length=255)

    def clean(self):
        return self._clean_address(super().clean(), required=True)


class ApiKeyForm(DsfrBaseForm):
    name = forms.CharField(
        label="Nom de la clé",
        max_length=100,
        help_text="Celui de votre logiciel, pour la reconnaître (100 caractères au plus).",
        error_messages={
            "required": "Donnez un nom à la clé, par exemple celui de votre logiciel.",
            "max_length": "Le nom de la clé dépasse 100 caractères : raccourcissez-le.",
        },
    )
