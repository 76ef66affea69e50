"""Apprenticeship training courses (formations en apprentissage), their LHEO imports and publication history."""

import datetime as dt

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models

from .counts import ImportCounts
from .workflow import STATUS_LABELS, TrainingStatus


class TrainingQuerySet(models.QuerySet):
    def visible(self):
        """Published courses: the only ones the search shows."""
        return self.filter(status=Training.Status.PUBLISHED)

    def public(self):
        """Courses with a public page and API record: published ones, and ones closed after they were published
        (old links and bookmarks lead to a record that says the course is closed, as a filled offer's does).
        A course never published, being checked, ready or rejected is unknown (404)."""
        published = Training.Status.PUBLISHED
        was_published = StatusChange.objects.filter(training=models.OuterRef("pk")).filter(
            models.Q(from_status=published) | models.Q(to_status=published)
        )  # a course created published has a step from « publiée »
        return self.filter(
            models.Q(status=published) | models.Q(models.Exists(was_published), status=Training.Status.CLOSED)
        )

    def from_source(self, source: str):
        return self.filter(source=source)

    def real(self):
        """Without the demonstration rows (is_demo): what may leave the platform as open data."""
        return self.filter(is_demo=False)


class Training(models.Model):
    # The statuses are defined once, in workflow.TrainingStatus (with the transition table).
    Status = models.TextChoices("Status", [(s.name, (s.value, STATUS_LABELS[s])) for s in TrainingStatus])

    organisation = models.ForeignKey("organisations.Organisation", on_delete=models.PROTECT, related_name="trainings")
    title = models.CharField(max_length=500)
    diploma = models.ForeignKey("reference.Diploma", null=True, blank=True, on_delete=models.SET_NULL)
    certification = models.ForeignKey("reference.Certification", null=True, blank=True, on_delete=models.SET_NULL)
    level = models.PositiveSmallIntegerField(null=True, blank=True)  # 3 to 8
    commune = models.ForeignKey("reference.Commune", null=True, blank=True, on_delete=models.SET_NULL)
    address = models.CharField(max_length=255, blank=True)
    lat = models.FloatField(null=True, blank=True)
    lon = models.FloatField(null=True, blank=True)
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)
    duration_months = models.PositiveSmallIntegerField(null=True, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PUBLISHED, db_index=True)
    is_demo = models.BooleanField(default=False)
    source = models.CharField(max_length=64, blank=True)
    external_id = models.CharField(max_length=255, blank=True, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)  # polled by the search index
    # LHEO catalogue (a Training is one LHEO action of one formation).
    trainer = models.ForeignKey(
        "organisations.Organisation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="trained_courses",
        help_text="Organisme formateur (le responsable lui-même quand le flux n'en donne pas).",
    )
    site = models.ForeignKey(
        "organisations.TrainingSite", null=True, blank=True, on_delete=models.SET_NULL, related_name="trainings"
    )
    description = models.TextField(blank=True)
    rncp_code = models.CharField(max_length=12, blank=True, db_index=True)
    cfd_code = models.CharField(max_length=8, blank=True)
    formacodes = models.CharField(max_length=255, blank=True)  # space-separated
    postcode = models.CharField(max_length=5, blank=True)
    city = models.CharField(max_length=255, blank=True)
    geocoded_by_commune = models.BooleanField(default=False)
    url = models.URLField(max_length=500, blank=True)
    content_hash = models.CharField(max_length=64, blank=True)
    # Digest of its <formation>'s bytes in the last feed (and of the referentials): an identical formation is
    # skipped by the next import before it is validated and read (lheo_records.RecordChecker.is_unchanged).
    feed_hash = models.CharField(max_length=64, blank=True)
    last_import = models.ForeignKey(
        "trainings.ImportReport", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status_rule = models.CharField(max_length=64, blank=True)
    status_changed_at = models.DateTimeField(null=True, blank=True)

    objects = TrainingQuerySet.as_manager()

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return self.title

    def place(self) -> dict:
        """Where the course is given: its own address, else its training site's, else its commune's.

        {"address", "postcode", "city", "lat", "lon"}; select_related("site", "commune") avoids extra queries.
        """
        site = self.site
        address = self.address or (site.address if site else "")
        postcode = self.postcode or (site.postcode if site else "")
        if not postcode and self.commune:
            postcode = (self.commune.postcodes.split() or [""])[0]
        city = self.city or (site.city if site else "") or (self.commune.name if self.commune else "")
        lat, lon = self.lat, self.lon
        if (lat is None or lon is None) and site and site.lat is not None:
            lat, lon = site.lat, site.lon
        return {"address": address, "postcode": postcode, "city": city, "lat": lat, "lon": lon}


class TrainingRome(models.Model):
    """An occupation a training prepares for (through RNCP -> ROME, or given by the feed)."""

    training = models.ForeignKey(Training, on_delete=models.CASCADE, related_name="romes")
    rome = models.ForeignKey("reference.RomeOccupation", on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["training", "rome"], name="unique_training_rome")]


class TrainingSession(models.Model):
    """A session (LHEO <session>) of a training: its period."""

    training = models.ForeignKey(Training, on_delete=models.CASCADE, related_name="sessions")
    external_id = models.CharField(max_length=255, blank=True)
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["start_date", "id"]


class StatusChange(models.Model):
    """One step of a training's publication history, with the rule (or person) that made it."""

    training = models.ForeignKey(Training, on_delete=models.CASCADE, related_name="status_history")
    from_status = models.CharField(max_length=16, blank=True)
    to_status = models.CharField(max_length=16, choices=Training.Status.choices)
    rule = models.CharField(max_length=64)
    reason = models.CharField(max_length=500, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    changed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["changed_at", "id"]


class ImportReport(models.Model):
    """One run of an LHEO import: what was read, created, updated, closed, and every rejected record."""

    class State(models.TextChoices):
        PENDING = "en_attente", "En attente"
        RUNNING = "en_cours", "En cours"
        SUCCEEDED = "termine", "Terminé"
        FAILED = "echec", "Échoué"
        INTERRUPTED = "interrompu", "Interrompu"

    source = models.CharField(max_length=64)
    filename = models.CharField(max_length=500)
    lheo_version = models.CharField(max_length=8, blank=True)
    state = models.CharField(max_length=16, choices=State.choices, default=State.RUNNING)
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    counts = models.JSONField(default=dict, blank=True)
    errors = models.JSONField(default=list, blank=True)  # [{"id", "line", "reason"}]
    warnings = models.JSONField(default=list, blank=True)
    fatal_error = models.TextField(blank=True)
    fatal_line = models.PositiveIntegerField(null=True, blank=True)
    uploaded_by = models.CharField(max_length=255, blank=True)
    # The API key that uploaded the file (accounts.ApiKey id; no foreign key: trainings sits below accounts).
    api_key_id = models.PositiveBigIntegerField(null=True, blank=True, db_index=True)
    # "host:pid" of the process running the import: a run whose process is gone is marked interrupted.
    worker = models.CharField(max_length=100, blank=True)
    # The uploaded file's name in settings.LHEO_UPLOAD_DIR while it may still be there (import_runs.delete_uploads).
    upload = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]

    def __str__(self):
        return f"{self.source} {self.filename} ({self.get_state_display()})"

    @property
    def import_counts(self) -> ImportCounts:
        return ImportCounts.from_json(self.counts)


class LheoSourceQuerySet(models.QuerySet):
    def owned_by(self, api_key_id: int, organisation_id: int | None):
        """The sources this key may feed and read: its organisation's, else its own (sources.py)."""
        mine = models.Q(organisation__isnull=True, api_key_id=api_key_id)
        if organisation_id is not None:
            mine |= models.Q(organisation_id=organisation_id)
        return self.filter(mine)


class LheoSource(models.Model):
    """Who owns an LHEO feed (ImportReport.source, Training.source): the organisation of the API key that first
    fed it, or that key itself when it has no organisation (a Carif-Oref's key). Only its owner may upload to it
    and read its reports and its courses' history; the team gives it to another key (create_api_token --source)."""

    name = models.CharField(max_length=64, unique=True)
    organisation = models.ForeignKey(
        "organisations.Organisation", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # accounts.ApiKey id (no foreign key: trainings sits below accounts).
    api_key_id = models.PositiveBigIntegerField(null=True, blank=True, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = LheoSourceQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def is_owned_by(self, api_key_id: int, organisation_id: int | None) -> bool:
        if self.organisation_id is not None:
            return self.organisation_id == organisation_id
        return self.api_key_id is not None and self.api_key_id == api_key_id


class ExactJSONEncoder(DjangoJSONEncoder):
    """DjangoJSONEncoder keeping a datetime's microseconds (an undone course gets back its exact dates)."""

    def default(self, o):
        if isinstance(o, dt.datetime):
            return o.isoformat()
        return super().default(o)


class ImportUndo(models.Model):
    """The undo journal of a running import: what one course was before the run touched it (before=None: the
    run created it). Written in the same short transaction as the change; emptied when the run ends well,
    played back (newest first) when it fails or its process dies — see import_journal.undo_import."""

    report = models.ForeignKey(ImportReport, on_delete=models.CASCADE, related_name="+")
    training_id = models.BigIntegerField()
    before = models.JSONField(null=True, encoder=ExactJSONEncoder)
