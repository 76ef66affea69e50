"""Forms of the offer stepper (French labels, DSFR rendering). Every rule is offers.rules: the forms only
parse the fields and attach the rules' messages to them."""

from django import forms
from django.utils import timezone
from dsfr.forms import DsfrBaseForm

from alternance.offers import rules
from alternance.offers.models import Recipient
from alternance.reference.models import Appellation, Commune, RomeOccupation
from alternance.reference.suggest import suggest_occupations, suggest_places

STATUS_LABELS = {
    "brouillon": "Brouillon",
    "publiee": "En ligne",
    "suspendue": "Suspendue",
    "pourvue": "Pourvue",
    "expiree": "Expirée",
    "annulee": "Annulée",
}
TRANSITION_LABELS = {
    "create": "Création du brouillon",
    "publish": "Publication",
    "pause": "Suspension",
    "resume": "Remise en ligne",
    "fill": "Poste pourvu",
    "expire": "Expiration",
    "extend": "Prolongation",
    "cancel": "Annulation",
}
LEVEL_CHOICES = [("", "Choisir un niveau")] + [
    (str(level), f"Niveau {level} ({label})") for level, label in rules.DIPLOMA_LEVELS.items()
]


def resolve_occupation(text: str, rome_code: str):
    """(rome, appellation, title) from the typed text, read as the suggestion list would; the ROME code chosen
    in the list (hidden field) decides between homonyms. None when nothing matches."""
    text = (text or "").strip()
    docs = suggest_occupations(text, 10) if text else []
    if rome_code:
        docs = [d for d in docs if d.rome == rome_code] or docs
    if not docs:
        return None
    doc = next((d for d in docs if d.label.lower() == text.lower()), docs[0])
    rome = RomeOccupation.objects.filter(code=doc.rome).first()
    if rome is None:
        return None
    appellation = None
    if doc.ogr:
        appellation = Appellation.objects.filter(ogr_code=doc.ogr).first()
    if appellation is None:
        appellation = Appellation.objects.filter(rome=rome, is_principal=True).order_by("ogr_code").first()
    return rome, appellation, doc.label


class OccupationForm(DsfrBaseForm):
    """Step « Métier et lieu »: the field names are those of the search form, for /suggestions/metiers/ and
    /suggestions/lieux/."""

    metier = forms.CharField(
        label="Métier",
        max_length=100,
        error_messages={"required": "Indiquez le métier, par exemple « boulanger », puis choisissez-le dans la liste."},
    )
    rome = forms.CharField(required=False, widget=forms.HiddenInput)
    lieu = forms.CharField(label="Lieu de travail", max_length=100, required=False)
    insee = forms.CharField(required=False, widget=forms.HiddenInput)

    def clean(self):
        data = super().clean()
        if data.get("metier"):
            found = resolve_occupation(data["metier"], (data.get("rome") or "").strip().upper())
            if found is None:
                self.add_error(
                    "metier",
                    f"Aucun métier ne correspond à « {data['metier']} » : vérifiez l'orthographe ou essayez un mot "
                    "plus court, puis choisissez dans la liste.",
                )
            else:
                data["rome_obj"], data["appellation"], data["title"] = found
        data["commune"] = None
        text, insee = (data.get("lieu") or "").strip(), (data.get("insee") or "").strip()
        if text or insee:
            commune = Commune.objects.active().filter(insee=insee).first() if insee else None
            if commune is None and text:
                places = suggest_places(text, 1)
                commune = Commune.objects.filter(insee=places[0].insee).first() if places else None
            if commune is None or commune.lat is None:
                self.add_error(
                    "lieu", f"Aucune commune ne correspond à « {text} » : saisissez un nom ou un code postal."
                )
            else:
                data["commune"] = commune
        return data

    def draft_values(self) -> dict:
        data = self.cleaned_data
        values = {"rome": data["rome_obj"], "appellation": data["appellation"], "title": data["title"]}
        if data.get("commune") is not None:
            values["commune"] = data["commune"]
        return values


class MandateForm(OccupationForm):
    """First step of a CFA: the partner company, the mandate, who receives the applications, then the occupation."""

    siret = forms.CharField(
        label="SIRET de l'entreprise",
        max_length=17,
        help_text="14 chiffres, sur l'avis de situation SIRENE de l'entreprise.",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        error_messages={"required": "Saisissez le SIRET de l'entreprise (14 chiffres)."},
    )
    name = forms.CharField(
        label="Nom de l'entreprise", required=False, max_length=255,
        help_text="Seulement si la plateforme ne connaît pas encore ce SIRET.",
    )  # fmt: skip
    naf_code = forms.CharField(
        label="Code NAF (APE)", required=False, max_length=6,
        help_text="Seulement si la plateforme ne connaît pas encore ce SIRET. Format : 10.71C.",
    )  # fmt: skip
    commune_insee = forms.CharField(
        label="Commune de l'établissement (code INSEE)", required=False, max_length=5,
        help_text="Seulement si la plateforme ne connaît pas encore ce SIRET. Exemple : 69123 pour Lyon.",
    )  # fmt: skip
    mandate = forms.BooleanField(
        label="L'entreprise nous a confié la publication de cette offre (mandat)",
        required=False,
        help_text="L'offre dira qu'elle est publiée par votre organisme pour le compte de l'entreprise.",
    )
    recipient = forms.ChoiceField(
        label="Qui reçoit les candidatures ?",
        choices=[(Recipient.COMPANY, "L'entreprise"), (Recipient.ORGANISATION, "Notre organisme (le CFA)")],
        widget=forms.RadioSelect,
        initial=Recipient.COMPANY,
        error_messages={"required": "Choisissez qui reçoit les candidatures."},
    )
    contact_email = forms.EmailField(
        label="Adresse de l'entreprise qui reçoit les candidatures",
        required=False,
        help_text="Si l'entreprise la reçoit et n'en a pas encore sur la plateforme. Format : nom@domaine.fr",
        error_messages={"invalid": "L'adresse électronique n'est pas valide : vérifiez le format nom@domaine.fr."},
    )

    field_order = ["siret", "name", "naf_code", "commune_insee", "mandate", "recipient", "contact_email"]


class ContractForm(DsfrBaseForm):
    diploma_level = forms.TypedChoiceField(
        label="Niveau du diplôme préparé", choices=LEVEL_CHOICES, coerce=int, required=False, empty_value=None
    )
    start_date = forms.DateField(
        label="Date de début du contrat",
        required=False,
        help_text="Format attendu : JJ/MM/AAAA. D'aujourd'hui à dans deux ans.",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        error_messages={"invalid": "Saisissez la date de début au format JJ/MM/AAAA."},
    )
    start_asap = forms.BooleanField(label="Dès que possible", required=False)
    duration_months = forms.IntegerField(
        label="Durée du contrat (en mois)", required=False, help_text="De 6 à 36 mois.",
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={"invalid": "Saisissez la durée en nombre entier de mois, de 6 à 36."},
    )  # fmt: skip
    openings = forms.IntegerField(
        label="Nombre de postes", required=False, initial=1,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={"invalid": "Saisissez un nombre entier de postes, 1 au moins."},
    )  # fmt: skip
    rhythm = forms.CharField(
        label="Rythme de l'alternance", required=False, max_length=rules.RHYTHM_MAX,
        help_text="Facultatif. Par exemple « 2 semaines en entreprise, 1 semaine au CFA ».",
        error_messages={"max_length": "Le rythme dépasse 255 caractères : raccourcissez-le."},
    )  # fmt: skip

    def clean(self):
        data = super().clean()
        today = timezone.localdate()
        checks = {
            "diploma_level": rules.level_error(data.get("diploma_level")),
            "duration_months": rules.duration_error(data.get("duration_months")),
            "openings": rules.openings_error(data.get("openings")),
        }
        if "start_date" not in self.errors:
            checks["start_date"] = rules.start_error(data.get("start_date"), bool(data.get("start_asap")), today)
        for field, message in checks.items():
            if message and field not in self.errors:
                self.add_error(field, message)
        return data


class DescriptionForm(DsfrBaseForm):
    description = forms.CharField(
        label="Description du poste",
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="De 30 à 5 000 caractères, sans adresse internet : les missions, l'équipe, ce que l'apprenti "
        "apprendra, les horaires.",
    )
    question_1 = forms.CharField(label="Question 1", required=False, help_text="Facultatif. 200 caractères au plus.")
    question_2 = forms.CharField(label="Question 2", required=False, help_text="Facultatif. 200 caractères au plus.")
    question_3 = forms.CharField(label="Question 3", required=False, help_text="Facultatif. 200 caractères au plus.")

    def clean(self):
        data = super().clean()
        if message := rules.description_error(data.get("description") or ""):
            self.add_error("description", message)
        questions = [data.get(f"question_{i}") or "" for i in range(1, rules.MAX_QUESTIONS + 1)]
        for i, message in rules.question_errors(questions).items():
            self.add_error(f"question_{min(i, rules.MAX_QUESTIONS)}", message)
        data["questions"] = questions
        return data


class ActionForm(forms.Form):
    transition = forms.ChoiceField(choices=[(t, t) for t in ("pause", "resume", "fill", "extend", "cancel")])
    reason = forms.CharField(required=False, max_length=255)
