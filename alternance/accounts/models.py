"""Accounts of the platform: API keys for machines (people's accounts and memberships come with allauth)."""

import hashlib
import secrets

from django.db import models
from django.utils import timezone


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


class Scope(models.TextChoices):
    LHEO = "lheo", "Dépôt de flux LHEO"
    APPLICATIONS = "applications", "Candidatures et demandes de rendez-vous"
    ENROLMENTS = "enrolments", "Données d'inscription des apprentis"


class ApiKeyQuerySet(models.QuerySet):
    def active(self):
        return self.filter(revoked_at__isnull=True)

    def authenticate(self, secret: str):
        """The active key matching this secret, or None (the secret itself is never stored)."""
        if not secret:
            return None
        return self.active().select_related("organisation").filter(digest=digest(secret)).first()


class ApiKey(models.Model):
    """A secret that lets a machine call the protected API (Authorization: Bearer <clé>), within its scopes.

    Only the SHA-256 digest of the secret is kept; the secret is shown once, when the key is issued.
    A key may be bound to one training organisation (scope `enrolments`: the CFA's own software).
    """

    name = models.CharField("nom", max_length=255)
    digest = models.CharField(max_length=64, unique=True)
    scopes = models.JSONField("portées", default=list)
    organisation = models.ForeignKey(
        "organisations.Organisation", null=True, blank=True, on_delete=models.CASCADE, related_name="api_keys"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = ApiKeyQuerySet.as_manager()

    class Meta:
        verbose_name = "clé d'API"
        verbose_name_plural = "clés d'API"
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return self.name

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    def allows(self, scope: str) -> bool:
        return self.is_active and scope in self.scopes

    @classmethod
    def issue(cls, name: str, scopes: list[str], organisation=None) -> tuple["ApiKey", str]:
        """Create a key; the clear secret is returned once and never stored."""
        unknown = sorted(set(scopes) - set(Scope.values))
        if unknown or not scopes:
            raise ValueError(
                f"Portée inconnue : {', '.join(unknown) or '(aucune)'} ; portées : {', '.join(Scope.values)}"
            )
        secret = secrets.token_urlsafe(32)
        key = cls.objects.create(
            name=name, digest=digest(secret), scopes=sorted(set(scopes)), organisation=organisation
        )
        return key, secret

    def revoke(self) -> None:
        if self.revoked_at is None:
            self.revoked_at = timezone.now()
            self.save(update_fields=["revoked_at"])
