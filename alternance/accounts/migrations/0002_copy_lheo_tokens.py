"""Existing LHEO upload tokens (trainings.ApiToken) become API keys of scope lheo: they keep working."""

from django.db import migrations


def copy_tokens(apps, schema_editor):
    ApiToken = apps.get_model("trainings", "ApiToken")
    ApiKey = apps.get_model("accounts", "ApiKey")
    for token in ApiToken.objects.all():
        ApiKey.objects.get_or_create(
            digest=token.digest,
            defaults={
                "name": token.name,
                "scopes": ["lheo"],
                "last_used_at": token.last_used_at,
                "revoked_at": None if token.is_active else token.last_used_at or token.created_at,
            },
        )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("trainings", "0003_training_updated_at_index"),
    ]

    operations = [migrations.RunPython(copy_tokens, migrations.RunPython.noop)]
