"""Rate counters in an UNLOGGED table on PostgreSQL: a counted request no longer waits for a WAL flush.

Each counted request upserts one row and commits; with a logged table every commit waited for the write-ahead
log on disk (about 1 to 7 ms a request on the shared machine, the sync worker idle meanwhile). The counters are
worth a minute: losing them in a server crash only resets the windows, and standbys do not need them.
"""

from django.db import migrations

TABLE = "core_ratecounter"


def unlogged(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"ALTER TABLE {schema_editor.quote_name(TABLE)} SET UNLOGGED")


def logged(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"ALTER TABLE {schema_editor.quote_name(TABLE)} SET LOGGED")


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]

    operations = [migrations.RunPython(unlogged, logged, elidable=False)]
