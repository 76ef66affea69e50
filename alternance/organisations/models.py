"""Training organisations (organismes de formation, CFA), identified by SIRET and UAI.

Every fact about an organisation (its UAI, name, address, Qualiopi flag...) is kept with the source that
gave it and its date (OrganisationFact); the register reconciles them (services.reconcile).
"""

from django.db import models

from .rules import source_label

# Words of a name search kept (each one is a condition of the query).
MAX_SEARCH_WORDS = 10


class OrganisationQuerySet(models.QuerySet):
    def search(
        self, *, uai: str = "", siret: str = "", q: str = "", region: str = "", nature: str = "", verdict: str = ""
    ):
        """Organisations matching every criterion given (region: code of the commune's région)."""
        qs = self
        if region:
            qs = qs.filter(commune__region_code=region)
        if nature:
            qs = qs.filter(nature=nature)
        if verdict:
            qs = qs.filter(quality_verdict=verdict)
        if uai:
            qs = qs.filter(
                models.Q(uai=uai.strip().upper()) | models.Q(facts__field="uai", facts__value=uai.strip().upper())
            )
        if siret:
            qs = qs.filter(siret=siret.replace(" ", ""))
        if q:
            for word in q.split()[:MAX_SEARCH_WORDS]:
                qs = qs.filter(name__icontains=word)
        return qs.distinct()

    def with_issues(self):
        return self.exclude(quality_verdict=Organisation.Verdict.RELIABLE)


class Organisation(models.Model):
    class Nature(models.TextChoices):
        RESPONSIBLE = "responsable", "Responsable"
        TRAINER = "formateur", "Formateur"
        RESPONSIBLE_AND_TRAINER = "responsable_formateur", "Responsable et formateur"
        UNKNOWN = "inconnue", "Inconnue"

    class Verdict(models.TextChoices):
        RELIABLE = "fiable", "Fiable"
        TO_CHECK = "a_verifier", "À vérifier"
        UNRELIABLE = "non_fiable", "Non fiable"

    siret = models.CharField(max_length=14, blank=True, db_index=True)
    uai = models.CharField(max_length=8, blank=True, db_index=True)
    name = models.CharField(max_length=255)
    address = models.CharField(max_length=255, blank=True)
    postcode = models.CharField(max_length=5, blank=True)
    city = models.CharField(max_length=255, blank=True)
    commune = models.ForeignKey("reference.Commune", null=True, blank=True, on_delete=models.SET_NULL)
    lat = models.FloatField(null=True, blank=True)
    lon = models.FloatField(null=True, blank=True)
    nature = models.CharField(max_length=32, choices=Nature.choices, default=Nature.UNKNOWN)
    qualiopi = models.BooleanField(null=True)
    opened_on = models.DateField(null=True, blank=True)
    closed_on = models.DateField(null=True, blank=True)
    source = models.CharField(max_length=64, blank=True)
    # Where appointment requests are sent; empty: the CFA cannot be reached by e-mail yet (never invented).
    contact_email = models.EmailField(blank=True)
    # Contact details declared by the organisation itself (OrganisationFact, source « déclaration de
    # l'organisme »), chosen by services.apply_declarations with the weights of rules.SOURCE_WEIGHTS.
    phone = models.CharField(max_length=20, blank=True)
    website = models.URLField(max_length=255, blank=True)
    # Written by job_applications.services.refresh_reply_stats (appointment requests, last 12 months).
    reply_rate = models.FloatField(null=True, blank=True)
    median_reply_days = models.FloatField(null=True, blank=True)
    # Reconciliation: the UAI confirmed by the most sources, and whether sources disagree.
    probable_uai = models.CharField(max_length=8, blank=True)
    uai_conflict = models.BooleanField(default=False)
    # Data-quality verdict (organisations.rules.verdict) and the issue codes behind it.
    quality_verdict = models.CharField(max_length=16, choices=Verdict.choices, default=Verdict.TO_CHECK, db_index=True)
    quality_issues = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["uai", "siret"], name="unique_organisation_uai_siret")]

    def __str__(self):
        return self.name


class OrganisationFact(models.Model):
    """One fact about an organisation, as given by one source on one date."""

    class Field(models.TextChoices):
        SIRET = "siret", "SIRET"
        UAI = "uai", "UAI"
        NAME = "name", "Nom"
        ADDRESS = "address", "Adresse"
        QUALIOPI = "qualiopi", "Qualiopi"
        NATURE = "nature", "Nature"
        CLOSED_ON = "closed_on", "Date de fermeture"
        CONTACT_EMAIL = "contact_email", "Adresse électronique de contact"
        PHONE = "phone", "Téléphone"
        WEBSITE = "website", "Site internet"
        POSTCODE = "postcode", "Code postal"
        COMMUNE = "commune", "Commune (code INSEE)"
        SITE = "site", "Lieu de formation"

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="facts")
    field = models.CharField(max_length=16, choices=Field.choices)
    value = models.CharField(max_length=255)
    source = models.CharField(max_length=64)
    observed_on = models.DateField()
    # The member who declared it (source rules.DECLARATION); empty for the official sources.
    # Who declared it (source « déclaration de l'organisme »). No database constraint: the register's facts are
    # its history and must never go with the accounts table (a TRUNCATE ... CASCADE of users, as the test
    # harness flushes them, emptied every fact); deleting a user still sets this to NULL through the ORM.
    declared_by = models.ForeignKey(
        "auth.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", db_constraint=False
    )

    class Meta:
        ordering = ["field", "value", "source"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "field", "value", "source"], name="unique_organisation_fact"
            )
        ]

    def __str__(self):
        return f"{self.field}={self.value} ({self.source}, {self.observed_on})"

    @property
    def source_label(self) -> str:
        return source_label(self.source)


class TrainingSite(models.Model):
    """A place where an organisation trains (lieu de formation)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="sites")
    key = models.CharField(max_length=255)  # the feed's identifier of the place, or its normalised address
    name = models.CharField(max_length=255, blank=True)
    address = models.CharField(max_length=255, blank=True)
    postcode = models.CharField(max_length=5, blank=True)
    city = models.CharField(max_length=255, blank=True)
    commune = models.ForeignKey("reference.Commune", null=True, blank=True, on_delete=models.SET_NULL)
    lat = models.FloatField(null=True, blank=True)
    lon = models.FloatField(null=True, blank=True)
    siret = models.CharField(max_length=14, blank=True)
    uai = models.CharField(max_length=8, blank=True)
    source = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["city", "name"]
        constraints = [models.UniqueConstraint(fields=["organisation", "key"], name="unique_training_site")]

    def __str__(self):
        return f"{self.name or self.address} {self.city}".strip()
