"""Companies (établissements), identified by SIRET."""

from django.db import models

# The statuses of offers.rules.PUBLIC_STATUSES (a lower app does not import offers; a test keeps them equal).
OFFER_PUBLIC_STATUSES = ("publiee", "suspendue", "pourvue", "expiree", "annulee")


class CompanyQuerySet(models.QuerySet):
    def public(self):
        """Companies with a public page: open to spontaneous applications, or with an offer whose page is public."""
        return self.filter(
            models.Q(accepts_spontaneous=True) | models.Q(offers__status__in=OFFER_PUBLIC_STATUSES)
        ).distinct()


class Company(models.Model):
    class SizeBand(models.TextChoices):
        """INSEE tranche d'effectif salarié de l'établissement (SIRENE)."""

        NN = "NN", "Effectif inconnu"
        B00 = "00", "0 salarié"
        B01 = "01", "1 ou 2 salariés"
        B02 = "02", "3 à 5 salariés"
        B03 = "03", "6 à 9 salariés"
        B11 = "11", "10 à 19 salariés"
        B12 = "12", "20 à 49 salariés"
        B21 = "21", "50 à 99 salariés"
        B22 = "22", "100 à 199 salariés"
        B31 = "31", "200 à 249 salariés"
        B32 = "32", "250 à 499 salariés"
        B41 = "41", "500 à 999 salariés"
        B42 = "42", "1 000 à 1 999 salariés"
        B51 = "51", "2 000 à 4 999 salariés"
        B52 = "52", "5 000 à 9 999 salariés"
        B53 = "53", "10 000 salariés et plus"

    siret = models.CharField(max_length=14, unique=True)
    name = models.CharField(max_length=255)
    naf = models.ForeignKey("reference.NafCode", on_delete=models.PROTECT, related_name="companies")
    commune = models.ForeignKey("reference.Commune", on_delete=models.PROTECT, related_name="+")
    address = models.CharField(max_length=255, blank=True)
    lat = models.FloatField()
    lon = models.FloatField()
    size_band = models.CharField(max_length=2, choices=SizeBand.choices, default=SizeBand.NN)
    accepts_spontaneous = models.BooleanField(default=True)
    accessible_disability = models.BooleanField(default=False)
    hires_on_platform = models.PositiveIntegerField(default=0)
    # Where applications are sent (demo companies: a reserved example.org address); empty: not reachable yet.
    contact_email = models.EmailField(blank=True)
    # The public profile, written by the company's members (alternance/web/accounts): shown on its page.
    description = models.TextField(blank=True)
    website = models.URLField(blank=True)
    # Written by job_applications.services.refresh_reply_stats (last 12 months; None until enough answers).
    reply_rate = models.FloatField(null=True, blank=True)
    median_reply_days = models.FloatField(null=True, blank=True)
    is_demo = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)  # polled by the search index

    objects = CompanyQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        verbose_name_plural = "companies"

    def __str__(self):
        return self.name
