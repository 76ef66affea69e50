"""Enrolments of learners as sent by the CFAs' software (or uploaded by their staff).

An enrolment is keyed by organisation, the software's own learner id and the school year. Each new
content of a record becomes a version (EnrolmentVersion keeps every one); re-sending the same content
changes nothing. The French social security number (NIR) is never stored: only whether it was sent.
"""

import datetime as dt

from django.db import models

from alternance.enrolments import rules


class EnrolmentQuerySet(models.QuerySet):
    def of_organisation(self, organisation):
        return self.filter(organisation=organisation)

    def real(self):
        return self.filter(is_demo=False)

    def since(self, moment: dt.datetime | None):
        return self.filter(updated_at__gt=moment) if moment else self


class Enrolment(models.Model):
    class Source(models.TextChoices):
        API = "api", "API (logiciel du CFA)"
        UPLOAD = "fichier", "Fichier déposé"
        DEMO = "demo", "Démonstration"

    # Indexes: each one is written for every row of a batch, so only those a query needs. The organisation is the
    # head of the unique constraint (its own index would repeat it); nothing filters on cfd.
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, related_name="enrolments", db_index=False
    )
    learner_id = models.CharField("identifiant de l'apprenant", max_length=255)
    school_year = models.CharField("année scolaire", max_length=9)
    version = models.PositiveIntegerField(default=1)
    content_hash = models.CharField(max_length=32)
    last_name = models.CharField("nom", max_length=255)
    first_name = models.CharField("prénom", max_length=255)
    birth_date = models.DateField("date de naissance")
    email = models.CharField(max_length=254, blank=True)
    phone = models.CharField(max_length=32, blank=True)
    postcode = models.CharField(max_length=5, blank=True)
    commune_insee = models.CharField(max_length=5, blank=True)
    nir_present = models.BooleanField("NIR transmis", default=False)
    uai_responsable = models.CharField(max_length=8)
    siret_responsable = models.CharField(max_length=14, blank=True)
    uai_formateur = models.CharField(max_length=8)
    siret_formateur = models.CharField(max_length=14, blank=True)
    cfd = models.CharField(max_length=8, blank=True)
    rncp = models.CharField(max_length=12, blank=True)
    level = models.PositiveSmallIntegerField("niveau", null=True, blank=True)
    course_start = models.DateField("début de formation")
    course_end = models.DateField("fin de formation")
    registered_on = models.DateField("date d'inscription")
    dropped_out_on = models.DateField("date d'abandon", null=True, blank=True)
    outcome = models.CharField("résultat", max_length=16, blank=True)
    rqth = models.BooleanField("RQTH", default=False)
    # Where the learner is trained (the formateur's place), for the indicators.
    departement_code = models.CharField(max_length=3, blank=True)
    region_code = models.CharField(max_length=3, blank=True)
    source = models.CharField(max_length=8, choices=Source.choices, default=Source.API)
    is_demo = models.BooleanField(default=False, db_index=True)
    received_at = models.DateTimeField()
    updated_at = models.DateTimeField(db_index=True)

    objects = EnrolmentQuerySet.as_manager()

    class Meta:
        verbose_name = "inscription"
        ordering = ["updated_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "school_year", "learner_id"], name="unique_enrolment_per_year"
            )
        ]

    def __str__(self):
        return f"{self.learner_id} ({self.school_year})"

    def facts(self, contracts=None) -> rules.LearnerFacts:
        contracts = self.contracts.all() if contracts is None else contracts
        return rules.LearnerFacts(
            registered_on=self.registered_on,
            course_start=self.course_start,
            course_end=self.course_end,
            dropped_out_on=self.dropped_out_on,
            outcome=self.outcome or None,
            contracts=tuple(rules.ContractFacts(c.start_date, c.end_date, c.break_date) for c in contracts),
        )

    def status_on(self, day: dt.date, contracts=None) -> rules.Status | None:
        return rules.status_on(self.facts(contracts), day).status


class EnrolmentContract(models.Model):
    """An apprenticeship contract of the learner, as told by the CFA."""

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="contracts")
    employer_siret = models.CharField(max_length=14)
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    break_date = models.DateField("date de rupture", null=True, blank=True)
    break_reason = models.CharField("motif de rupture", max_length=255, blank=True)

    class Meta:
        ordering = ["start_date", "id"]


class EnrolmentVersion(models.Model):
    """One received content of an enrolment (without the NIR), kept when a newer version replaces it."""

    # No index of its own: the enrolment is the head of unique_enrolment_version.
    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="versions", db_index=False)
    version = models.PositiveIntegerField()
    content_hash = models.CharField(max_length=32)
    data = models.JSONField()
    source = models.CharField(max_length=8, choices=Enrolment.Source.choices)
    received_at = models.DateTimeField()

    class Meta:
        ordering = ["enrolment", "version"]
        constraints = [models.UniqueConstraint(fields=["enrolment", "version"], name="unique_enrolment_version")]


class IndicatorSnapshot(models.Model):
    """The last computed public indicators (real or demonstration enrolments), served by the pages and the API
    while a background task computes the next one (computing them takes tens of seconds on 100,000 learners)."""

    demo = models.BooleanField(unique=True)
    stamp = models.CharField(max_length=200, help_text="day, count and last update of the enrolments counted")
    day = models.DateField()
    computed_at = models.DateTimeField()
    data = models.JSONField()

    class Meta:
        verbose_name = "indicateurs calculés"
