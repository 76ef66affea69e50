"""Apprenticeship offers posted by companies (or by a CFA on their behalf)."""

from django.db import models
from django.utils import timezone

from . import rules
from .workflow import OfferStatus


class OfferQuerySet(models.QuerySet):
    def searchable(self, now=None):
        """Offers a young person may see: published and not past their expiry date."""
        now = now or timezone.now()
        return self.filter(status=OfferStatus.PUBLISHED, expires_at__gt=now)

    def public(self):
        """Offers whose page is public: every status but draft (a closed offer keeps its page and says so)."""
        return self.filter(status__in=[s.value for s in rules.PUBLIC_STATUSES])


class Recipient(models.TextChoices):
    COMPANY = "entreprise", "L'entreprise"
    ORGANISATION = "organisme", "Le CFA mandataire"


class Offer(models.Model):
    STATUS_CHOICES = [(s.value, s.value) for s in OfferStatus]

    company = models.ForeignKey("companies.Company", on_delete=models.CASCADE, related_name="offers")
    rome = models.ForeignKey("reference.RomeOccupation", on_delete=models.PROTECT, related_name="+")
    appellation = models.ForeignKey(
        "reference.Appellation", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(max_length=255)
    description = models.TextField(blank=True)
    diploma_level = models.PositiveSmallIntegerField(null=True, blank=True)  # 3 to 7
    start_date = models.DateField(null=True, blank=True)
    start_asap = models.BooleanField(default=False)  # « dès que possible » (then no start_date)
    duration_months = models.PositiveSmallIntegerField(null=True, blank=True)
    openings = models.PositiveSmallIntegerField(default=1)
    rhythm = models.CharField(
        max_length=255,
        blank=True,
        help_text="Rythme de l'alternance, par exemple « 2 semaines en entreprise, 1 au CFA ».",
    )
    accessible_disability = models.BooleanField(default=False)
    commune = models.ForeignKey("reference.Commune", on_delete=models.PROTECT, related_name="+")
    lat = models.FloatField()
    lon = models.FloatField()
    status = models.CharField(max_length=16, choices=STATUS_CHOICES, default=OfferStatus.DRAFT, db_index=True)
    published_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    applications_count = models.PositiveIntegerField(default=0)
    # Up to 3 questions the recruiter asks every candidate (list of strings).
    questions = models.JSONField(default=list, blank=True)
    delegated_by = models.ForeignKey(
        "organisations.Organisation", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # With a mandate (delegated_by), who receives the applications: the company or the CFA.
    recipient = models.CharField(max_length=12, choices=Recipient.choices, default=Recipient.COMPANY)
    created_by = models.ForeignKey("auth.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    # The expiry date the members were last reminded of (one reminder per offer per expiry date).
    expiry_reminded_for = models.DateTimeField(null=True, blank=True)
    is_demo = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    objects = OfferQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        indexes = [
            # searchable() and services.expire_overdue(): status then expiry date.
            models.Index(fields=["status", "expires_at"], name="offer_status_expiry"),
        ]

    def __str__(self):
        return self.title

    @property
    def applications_go_to_organisation(self) -> bool:
        """A mandate naming the CFA as recipient: applications, e-mails and the inbox go to the CFA."""
        return self.delegated_by_id is not None and self.recipient == Recipient.ORGANISATION

    @property
    def applications_email(self) -> str:
        """Where the applications to this offer are sent (the mandate decides; else the company's address)."""
        if self.applications_go_to_organisation:
            return self.delegated_by.contact_email
        return self.company.contact_email

    def availability(self, now=None) -> rules.Availability:
        return rules.availability(self.status, self.expires_at, self.applications_count, now or timezone.now())


class OfferStatusChange(models.Model):
    """One step of an offer's life (the history shown on its management page): from, to, who, when, why."""

    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="status_changes")
    transition = models.CharField(max_length=16)
    from_status = models.CharField(max_length=16, blank=True)
    to_status = models.CharField(max_length=16)
    by = models.ForeignKey("auth.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    reason = models.CharField(max_length=255, blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.offer_id}: {self.from_status or '—'} → {self.to_status}"
