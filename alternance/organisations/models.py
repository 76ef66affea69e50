"""Training organisations (organismes de formation, CFA), identified by SIRET and UAI."""

from django.db import models


class Organisation(models.Model):
    class Nature(models.TextChoices):
        RESPONSIBLE = "responsable", "Responsable"
        TRAINER = "formateur", "Formateur"
        RESPONSIBLE_AND_TRAINER = "responsable_formateur", "Responsable et formateur"
        UNKNOWN = "inconnue", "Inconnue"

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
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["uai", "siret"], name="unique_organisation_uai_siret")]

    def __str__(self):
        return self.name
