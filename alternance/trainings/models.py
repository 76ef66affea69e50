"""Apprenticeship training courses (formations en apprentissage)."""

from django.db import models


class TrainingQuerySet(models.QuerySet):
    def visible(self):
        return self.filter(status=Training.Status.PUBLISHED)


class Training(models.Model):
    class Status(models.TextChoices):
        TO_CHECK = "a_verifier", "À vérifier"
        READY = "prete", "Prête"
        PUBLISHED = "publiee", "Publiée"
        REJECTED = "rejetee", "Rejetée"
        CLOSED = "fermee", "Fermée"

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
    updated_at = models.DateTimeField(auto_now=True)

    objects = TrainingQuerySet.as_manager()

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return self.title


class TrainingRome(models.Model):
    """An occupation a training prepares for (through RNCP -> ROME, or given by the feed)."""

    training = models.ForeignKey(Training, on_delete=models.CASCADE, related_name="romes")
    rome = models.ForeignKey("reference.RomeOccupation", on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["training", "rome"], name="unique_training_rome")]
