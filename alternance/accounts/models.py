"""Accounts of the platform: API keys for machines, memberships of people (allauth keeps their accounts)."""

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

    def number_or_name(self, value: str):
        """The keys with this number (all digits) or this name."""
        value = value.strip()
        return self.filter(pk=int(value)) if value.isdigit() else self.filter(name=value)

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


class MembershipQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status=Membership.Status.ACTIVE)

    def pending(self):
        return self.filter(status=Membership.Status.PENDING)

    def of_user(self, user):
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(user=user)

    def admins(self):
        return self.active().filter(role=Membership.Role.ADMIN)


class Membership(models.Model):
    """A person's place in a company (by SIRET) or a training organisation (from the register).

    Roles come from memberships, never from flags on the person: the first member of a company or an
    organisation becomes its administrator; later ones ask (« en attente ») and an administrator accepts or
    removes them. Staff act as administrators everywhere. One person may hold several memberships.
    """

    class Role(models.TextChoices):
        ADMIN = "admin", "Administrateur"
        MEMBER = "member", "Membre"

    class Status(models.TextChoices):
        PENDING = "pending", "En attente"
        ACTIVE = "active", "Active"

    user = models.ForeignKey("auth.User", on_delete=models.CASCADE, related_name="memberships")
    company = models.ForeignKey(
        "companies.Company", null=True, blank=True, on_delete=models.CASCADE, related_name="memberships"
    )
    organisation = models.ForeignKey(
        "organisations.Organisation", null=True, blank=True, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField("rôle", max_length=10, choices=Role.choices, default=Role.MEMBER)
    status = models.CharField("statut", max_length=10, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(auto_now_add=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey("auth.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = "rattachement"
        verbose_name_plural = "rattachements"
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(company__isnull=False, organisation__isnull=True))
                | (models.Q(company__isnull=True, organisation__isnull=False)),
                name="membership_one_target",
            ),
            models.UniqueConstraint(
                fields=["user", "company"], condition=models.Q(company__isnull=False), name="membership_user_company"
            ),
            models.UniqueConstraint(
                fields=["user", "organisation"],
                condition=models.Q(organisation__isnull=False),
                name="membership_user_organisation",
            ),
        ]

    def __str__(self):
        return f"{self.user} → {self.company or self.organisation} ({self.role}, {self.status})"

    @property
    def target(self):
        return self.company or self.organisation

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE

    @property
    def is_admin(self) -> bool:
        return self.is_active and self.role == self.Role.ADMIN
