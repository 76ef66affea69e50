"""Official referentials: ROME 4.0, NAF rev.2, communes, diplomas (CFD) and certifications (RNCP), SMIC.

Rows are never deleted by the loaders: a code that disappears from its source is marked inactive.
"""

from django.db import models


class ActiveQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)


class RomeOccupation(models.Model):
    """A ROME 4.0 fiche (France Travail, Répertoire opérationnel des métiers et des emplois)."""

    code = models.CharField(primary_key=True, max_length=5)
    label = models.CharField(max_length=255)
    grand_domain_code = models.CharField(max_length=1)
    grand_domain_label = models.CharField(max_length=255)
    domain_code = models.CharField(max_length=3, db_index=True)
    domain_label = models.CharField(max_length=255)
    is_active = models.BooleanField(default=True)

    objects = ActiveQuerySet.as_manager()

    class Meta:
        ordering = ["code"]

    def __str__(self):
        return f"{self.code} {self.label}"


class Appellation(models.Model):
    """A ROME 4.0 appellation (job title), keyed by its OGR code."""

    ogr_code = models.IntegerField(primary_key=True)
    label = models.CharField(max_length=255)
    short_label = models.CharField(max_length=255)
    rome = models.ForeignKey(RomeOccupation, on_delete=models.PROTECT, related_name="appellations")
    is_principal = models.BooleanField(default=False)
    rome_v3_parent = models.CharField(max_length=5, db_index=True)
    rarely_used = models.BooleanField(default=False)
    is_active = models.BooleanField(default=True)

    objects = ActiveQuerySet.as_manager()

    class Meta:
        ordering = ["ogr_code"]

    def __str__(self):
        return self.label


class NafCode(models.Model):
    """A NAF rev.2 sous-classe (INSEE), with its hierarchy."""

    code = models.CharField(primary_key=True, max_length=6)  # "10.71C"
    label = models.CharField(max_length=255)
    class_code = models.CharField(max_length=5)
    class_label = models.CharField(max_length=255)
    group_code = models.CharField(max_length=4)
    group_label = models.CharField(max_length=255)
    division_code = models.CharField(max_length=2, db_index=True)
    division_label = models.CharField(max_length=255)
    section_code = models.CharField(max_length=1)
    section_label = models.CharField(max_length=255)
    is_active = models.BooleanField(default=True)

    objects = ActiveQuerySet.as_manager()

    class Meta:
        ordering = ["code"]

    def __str__(self):
        return f"{self.code} {self.label}"


class Commune(models.Model):
    """A French commune or municipal arrondissement (INSEE code officiel géographique)."""

    insee = models.CharField(primary_key=True, max_length=5)
    kind = models.CharField(max_length=8)  # COM or ARM
    name = models.CharField(max_length=255)
    departement_code = models.CharField(max_length=3, db_index=True)
    departement_name = models.CharField(max_length=255)
    region_code = models.CharField(max_length=3)
    region_name = models.CharField(max_length=255)
    population = models.IntegerField(default=0)
    postcodes = models.CharField(max_length=255, blank=True)  # space-separated
    lat = models.FloatField(null=True)
    lon = models.FloatField(null=True)
    search_name = models.CharField(max_length=255, db_index=True)  # normalized name
    is_active = models.BooleanField(default=True)

    objects = ActiveQuerySet.as_manager()

    class Meta:
        ordering = ["insee"]

    def __str__(self):
        return f"{self.name} ({self.departement_code})"

    @property
    def postcode_list(self) -> list[str]:
        return self.postcodes.split()


class RomeNafWeight(models.Model):
    """Real hirings of a NAF sous-classe for a ROME 4.0 fiche (La Bonne Boite, bridged from ROME v3)."""

    rome = models.ForeignKey(RomeOccupation, on_delete=models.CASCADE, related_name="naf_weights")
    naf = models.ForeignKey(NafCode, on_delete=models.CASCADE, related_name="rome_weights")
    hirings = models.IntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["rome", "naf"], name="unique_rome_naf_weight")]


class NafDivisionRome(models.Model):
    """ROME 4.0 fiches France Travail lists for a NAF division (secteurs NAF -> ROME, 2025)."""

    division_code = models.CharField(max_length=2, db_index=True)
    division_label = models.CharField(max_length=255)
    rome = models.ForeignKey(RomeOccupation, on_delete=models.CASCADE, related_name="naf_divisions")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["division_code", "rome"], name="unique_naf_division_rome")]


class Certification(models.Model):
    """A certification of the Répertoire national des certifications professionnelles (RNCP)."""

    rncp = models.CharField(primary_key=True, max_length=12)  # "RNCP38381"
    title = models.TextField()
    level = models.PositiveSmallIntegerField(null=True)  # 3 to 8 (cadre national des certifications)
    certification_type = models.CharField(max_length=255, blank=True)
    apprenticeship = models.BooleanField(null=True)
    expires_on = models.DateField(null=True)
    is_active = models.BooleanField(default=True)
    romes = models.ManyToManyField(RomeOccupation, related_name="certifications", blank=True)

    objects = ActiveQuerySet.as_manager()

    def __str__(self):
        return f"{self.rncp} {self.title[:60]}"


class Diploma(models.Model):
    """A diploma of the Base centrale des nomenclatures, keyed by its code formation diplôme (CFD)."""

    cfd = models.CharField(primary_key=True, max_length=8)
    title = models.CharField(max_length=255)
    short_title = models.CharField(max_length=64, blank=True)
    level = models.PositiveSmallIntegerField(null=True)  # 3 to 8
    opened_on = models.DateField(null=True)
    closed_on = models.DateField(null=True)
    certifications = models.ManyToManyField(Certification, related_name="diplomas", blank=True)
    is_active = models.BooleanField(default=True)

    objects = ActiveQuerySet.as_manager()

    def __str__(self):
        return f"{self.cfd} {self.title}"


class SmicRate(models.Model):
    """A SMIC revaluation (Code du travail L3231-2 and following), from its effective date."""

    effective_on = models.DateField(primary_key=True)
    hourly_gross = models.DecimalField(max_digits=8, decimal_places=4)
    monthly_hours = models.DecimalField(max_digits=6, decimal_places=2)
    monthly_gross = models.DecimalField(max_digits=10, decimal_places=2, null=True)
    legal_text = models.CharField(max_length=255, blank=True)

    class Meta:
        ordering = ["effective_on"]


class ReferenceLoadQuerySet(models.QuerySet):
    def latest_version(self):
        """(pk, started_at) of the last load: in-process caches of referential data rebuild when it changes."""
        return self.order_by("-pk").values_list("pk", "started_at").first()


class ReferenceLoad(models.Model):
    """One run of load_reference: which sources were used and what changed."""

    started_at = models.DateTimeField(auto_now_add=True)
    sources = models.JSONField(default=dict)
    counts = models.JSONField(default=dict)

    objects = ReferenceLoadQuerySet.as_manager()


class ReferenceRefresh(models.Model):
    """One scheduled refresh of the referentials by the background worker, with what load_reference printed."""

    class State(models.TextChoices):
        SCHEDULED = "prevue", "Prévue"
        RUNNING = "en_cours", "En cours"
        DONE = "terminee", "Terminée"
        FAILED = "echouee", "Échouée"

    scheduled_for = models.DateTimeField()
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    state = models.CharField(max_length=16, choices=State.choices, default=State.SCHEDULED, db_index=True)
    output = models.TextField(blank=True)  # the load report, as `manage.py load_reference` prints it

    class Meta:
        ordering = ["-scheduled_for", "-id"]

    def __str__(self):
        return f"{self.scheduled_for:%Y-%m-%d} ({self.get_state_display()})"
