"""Applications (to an offer, or spontaneous to a company) and appointment requests to a training's CFA.

No account is needed: people are identified by their e-mail address, whose keyed digest (`email_digest`)
links a candidate's requests together for the private follow-up page. Every status change is kept in an
event row (the history). Rows are deleted for good (with the CV file) by services.purge_expired.
"""

import uuid

from django.db import models
from django.utils import timezone

from .storage import cv_storage
from .workflow import ApplicationStatus, AppointmentStatus


def cv_path(instance, filename: str) -> str:
    """CV files are named after the application's random public id, never after the person."""
    return f"{instance.public_id.hex[:2]}/{instance.public_id.hex}.{instance.cv_kind or 'bin'}"


class RequestQuerySet(models.QuerySet):
    def of_candidate(self, email_digest: str):
        return self.filter(email_digest=email_digest)

    def awaiting_reply(self):
        return self.filter(answered_at__isnull=True, status="nouvelle")

    def inactive_since(self, moment):
        return self.filter(last_activity_at__lt=moment)


class Candidate(models.Model):
    """The contact fields shared by applications and appointment requests."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    first_name = models.CharField("prénom", max_length=100)
    last_name = models.CharField("nom", max_length=100)
    email = models.EmailField("adresse électronique")
    email_digest = models.CharField(max_length=64, db_index=True, editable=False)
    phone = models.CharField("téléphone", max_length=20, blank=True)
    message = models.TextField("message", blank=True)
    api_key = models.ForeignKey(
        "accounts.ApiKey", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )  # the partner that sent it, if any
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    answered_at = models.DateTimeField(null=True, blank=True)  # the first answer
    reminded_at = models.DateTimeField(null=True, blank=True)  # the one reminder sent
    unanswered_notice_at = models.DateTimeField(null=True, blank=True)  # the candidate told after 30 days
    last_activity_at = models.DateTimeField(default=timezone.now, db_index=True)

    objects = RequestQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["-created_at", "-id"]

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


class Application(Candidate):
    offer = models.ForeignKey(
        "offers.Offer", null=True, blank=True, on_delete=models.SET_NULL, related_name="job_applications"
    )  # empty: a spontaneous application
    company = models.ForeignKey(
        "companies.Company", null=True, on_delete=models.SET_NULL, related_name="job_applications"
    )  # empty only when the company was removed (the purge then deletes the application)
    answers = models.JSONField(default=list, blank=True)  # [{"question", "answer"}] in the offer's order
    cv = models.FileField(storage=cv_storage, upload_to=cv_path, blank=True)
    cv_kind = models.CharField(max_length=4, blank=True)  # pdf or docx, read from the content
    status = models.CharField(
        max_length=20, choices=[(s.value, s.value) for s in ApplicationStatus], default=ApplicationStatus.NEW
    )
    recruiter_message = models.TextField(blank=True)
    refusal_reason = models.CharField(max_length=32, blank=True)

    class Meta(Candidate.Meta):
        verbose_name = "candidature"
        constraints = [
            models.UniqueConstraint(
                fields=["email_digest", "offer"],
                condition=models.Q(offer__isnull=False),
                name="one_application_per_offer",
            ),
            models.UniqueConstraint(
                fields=["email_digest", "company"],
                condition=models.Q(offer__isnull=True),
                name="one_spontaneous_application_per_company",
            ),
        ]

    def __str__(self):
        return f"Candidature {self.public_id}"

    @property
    def is_spontaneous(self) -> bool:
        return self.offer_id is None


class ApplicationEvent(models.Model):
    """One status change of an application (the history)."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="events")
    transition = models.CharField(max_length=32)
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20)
    actor = models.CharField(max_length=16)  # candidat, recruteur, systeme
    reason = models.CharField(max_length=32, blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "id"]


class AppointmentRequest(Candidate):
    training = models.ForeignKey(
        "trainings.Training", null=True, on_delete=models.SET_NULL, related_name="appointment_requests"
    )
    organisation = models.ForeignKey(
        "organisations.Organisation", null=True, on_delete=models.SET_NULL, related_name="appointment_requests"
    )  # the CFA asked (the training's responsible organisation): it gets the e-mail and the reminder
    answered_by = models.ForeignKey(
        "organisations.Organisation", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )  # the organisation of the latest answer: the CFA asked, or the course's trainer from its space
    reasons = models.JSONField(default=list)  # keys of rules.APPOINTMENT_REASONS
    status = models.CharField(
        max_length=20, choices=[(s.value, s.value) for s in AppointmentStatus], default=AppointmentStatus.NEW
    )
    cfa_message = models.TextField(blank=True)
    proposed_date = models.DateTimeField(null=True, blank=True)
    decline_reason = models.CharField(max_length=32, blank=True)
    emailed = models.BooleanField(default=False)  # False: the CFA has no contact address yet

    class Meta(Candidate.Meta):
        verbose_name = "demande de rendez-vous"
        verbose_name_plural = "demandes de rendez-vous"

    def __str__(self):
        return f"Demande de rendez-vous {self.public_id}"


class AppointmentEvent(models.Model):
    request = models.ForeignKey(AppointmentRequest, on_delete=models.CASCADE, related_name="events")
    transition = models.CharField(max_length=32)
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20)
    actor = models.CharField(max_length=16)
    reason = models.CharField(max_length=32, blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "id"]


class EmailLog(models.Model):
    """One e-mail to send, and how its sending went (visible to staff; no content beyond the address)."""

    class Status(models.TextChoices):
        PENDING = "en_attente", "En attente"
        SENT = "envoye", "Envoyé"
        FAILED = "echec", "Échec (nouvel essai prévu)"
        ABANDONED = "abandonne", "Abandonné"
        OBSOLETE = "sans_objet", "Sans objet (données supprimées)"

    kind = models.CharField(max_length=48)
    object_id = models.UUIDField(db_index=True)  # public id of the application or appointment request
    to = models.EmailField()
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING, db_index=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "courriel"

    def __str__(self):
        return f"{self.kind} → {self.to} ({self.status})"
