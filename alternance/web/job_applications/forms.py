"""Forms of the application, appointment and answer pages (French labels, DSFR rendering, no JavaScript)."""

import datetime as dt

from django import forms
from django.utils import timezone
from dsfr.forms import DsfrBaseForm

from alternance.job_applications import rules


def _text(label: str, required: bool = True, max_length: int = 100, help_text: str = "", **attrs) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        help_text=help_text,
        widget=forms.TextInput(attrs=attrs),
        error_messages={
            "required": f"Saisissez « {label} ».",
            "max_length": f"« {label} » : {max_length} caractères au plus ; raccourcissez.",
        },
    )


def _message(label: str, required: bool = False, help_text: str = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=rules.MAX_MESSAGE_CHARS,
        help_text=help_text or f"{rules.MAX_MESSAGE_CHARS} caractères au plus.",
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={
            "required": f"Saisissez « {label} ».",
            "max_length": f"« {label} » : {rules.MAX_MESSAGE_CHARS} caractères au plus ; raccourcissez.",
        },
    )


class ContactForm(DsfrBaseForm):
    first_name = _text("Prénom", autocomplete="given-name")
    last_name = _text("Nom", autocomplete="family-name")
    email = forms.EmailField(
        label="Adresse électronique",
        max_length=254,
        help_text="Format attendu : nom@exemple.fr. Vous y recevrez le lien pour suivre votre demande.",
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={
            "required": "Saisissez votre adresse électronique.",
            "invalid": "« Adresse électronique » : saisissez une adresse valide, par exemple nom@exemple.fr.",
        },
    )
    phone = _text(
        "Téléphone (facultatif)",
        required=False,
        max_length=20,
        help_text="Par exemple 06 12 34 56 78.",
        autocomplete="tel",
        inputmode="tel",
    )

    def clean_phone(self):
        phone = self.cleaned_data.get("phone", "").strip()
        digits = [c for c in phone if c.isdigit()]
        if phone and (len(digits) < 10 or any(not (c.isdigit() or c in " .+-()") for c in phone)):
            raise forms.ValidationError("« Téléphone » : saisissez 10 chiffres, par exemple 06 12 34 56 78.")
        return phone


class CvField(forms.FileField):
    template_name = "job_applications/_upload_field.html"


class ApplicationForm(ContactForm):
    message = _message(
        "Message au recruteur (facultatif)",
        help_text="Dites en quelques lignes pourquoi cette entreprise vous intéresse.",
    )
    cv = CvField(
        label="CV",
        help_text="Fichier PDF ou Word (DOCX), 3 Mo au plus.",
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.docx,application/pdf"}),
        error_messages={
            "required": "Joignez votre CV (fichier PDF ou Word, 3 Mo au plus).",
            "empty": "Le fichier du CV est vide ; choisissez un fichier PDF ou Word (DOCX).",
        },
    )

    def __init__(self, *args, questions: list[str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = list(questions or [])[: rules.MAX_QUESTIONS]
        for i, question in enumerate(self.questions, start=1):
            self.fields[f"answer_{i}"] = forms.CharField(
                label=f"Question du recruteur : {question}",
                max_length=rules.MAX_ANSWER_CHARS,
                widget=forms.Textarea(attrs={"rows": 3}),
                error_messages={
                    "required": f"Répondez à la question {i} du recruteur.",
                    "max_length": f"Réponse {i} : {rules.MAX_ANSWER_CHARS} caractères au plus ; raccourcissez.",
                },
            )

    def clean_cv(self):
        upload = self.cleaned_data.get("cv")
        if upload is None:
            return None
        if upload.size > rules.MAX_CV_BYTES:
            size = f"{upload.size / (1024 * 1024):.1f}".replace(".", ",")
            raise forms.ValidationError(f"Le CV pèse {size} Mo ; envoyez un fichier de 3 Mo au plus.")
        data = upload.read()
        try:
            rules.check_cv(data)
        except rules.CvError as exc:
            raise forms.ValidationError(exc.message) from exc
        return data

    @property
    def answers(self) -> list[str]:
        return [self.cleaned_data.get(f"answer_{i}", "") for i in range(1, len(self.questions) + 1)]


class AppointmentForm(ContactForm):
    reasons = forms.MultipleChoiceField(
        label="Sur quoi portent vos questions ?",
        choices=list(rules.APPOINTMENT_REASONS.items()),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Cochez au moins un sujet pour le rendez-vous."},
    )
    message = _message("Message au CFA (facultatif)")


class InterviewForm(DsfrBaseForm):
    message = _message(
        "Votre message au candidat",
        required=True,
        help_text="Date, heure, lieu ou téléphone de l'entretien, et la personne à demander.",
    )


class RefusalForm(DsfrBaseForm):
    reason = forms.ChoiceField(
        label="Motif du refus",
        choices=[("", "Choisissez un motif")] + list(rules.REFUSAL_REASONS.items()),
        error_messages={
            "required": "Choisissez le motif du refus.",
            "invalid_choice": "Choisissez un motif de la liste.",
        },
    )
    message = _message("Message au candidat (facultatif)", help_text="Un conseil, une autre piste : il sera lu.")


class AppointmentDateForm(DsfrBaseForm):
    day = forms.DateField(
        label="Date proposée",
        help_text="Au format jj/mm/aaaa.",
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": "Indiquez la date du rendez-vous.",
            "invalid": "« Date proposée » : saisissez une date au format jj/mm/aaaa.",
        },
    )
    hour = forms.TimeField(
        label="Heure",
        help_text="Par exemple 14:30.",
        input_formats=["%H:%M", "%Hh%M", "%H h %M", "%Hh", "%H"],
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        error_messages={
            "required": "Indiquez l'heure du rendez-vous.",
            "invalid": "« Heure » : saisissez une heure, par exemple 14:30.",
        },
    )
    message = _message("Message (facultatif)", help_text="Le lieu du rendez-vous, la personne à demander.")

    def clean(self):
        data = super().clean()
        if data.get("day") and data.get("hour"):
            moment = dt.datetime.combine(data["day"], data["hour"])
            data["proposed_date"] = timezone.make_aware(moment)
        return data


class CallbackForm(DsfrBaseForm):
    message = _message("Message (facultatif)", help_text="Quand vous comptez rappeler.")


class DeclineForm(DsfrBaseForm):
    reason = forms.ChoiceField(
        label="Motif du refus",
        choices=[("", "Choisissez un motif")] + list(rules.APPOINTMENT_DECLINE_REASONS.items()),
        error_messages={
            "required": "Choisissez le motif du refus.",
            "invalid_choice": "Choisissez un motif de la liste.",
        },
    )
    message = _message("Message (facultatif)")


def attach_error(form, exc) -> None:
    """A domain error on the form's field that shows it (the date's error on the day)."""
    field = {"company_siret": None, "offer_id": None, "training_id": None, "proposed_date": "day"}.get(
        exc.field, exc.field
    )
    form.add_error(field if field in form.fields else None, exc.message)
