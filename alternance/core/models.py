"""Tables of the shared helpers: the rate-limit counters (when no Redis is configured)."""

from django.db import models


class RateCounter(models.Model):
    """Events counted for one key in one time window (alternance.core.ratelimit); expired rows are purged."""

    key = models.CharField(max_length=191, primary_key=True)
    count = models.PositiveIntegerField(default=0)
    expires_at = models.DateTimeField(db_index=True)
