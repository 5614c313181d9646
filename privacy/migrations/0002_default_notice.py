"""Publish the portal's first privacy notice, so that every consent from now on names a version."""

from django.conf import settings
from django.db import migrations
from django.utils import timezone


def publish_default(apps, schema_editor):
    from privacy.defaults import default_notice

    PrivacyNotice = apps.get_model("privacy", "PrivacyNotice")
    if PrivacyNotice.objects.filter(programme__isnull=True).exists():
        return
    fields = {}
    # Only the languages this migration's model has columns for: a language added later is
    # filled in by the migration that adds its columns.
    columns = {field.name for field in PrivacyNotice._meta.get_fields()}
    for code, _name in settings.LANGUAGES:
        if f"body_{code}" not in columns:
            continue
        title, body = default_notice(code)
        fields[f"title_{code}"] = title
        fields[f"body_{code}"] = body
    PrivacyNotice.objects.create(
        version=1,
        title=fields[f"title_{settings.LANGUAGE_CODE}"],
        body=fields[f"body_{settings.LANGUAGE_CODE}"],
        published_at=timezone.now(),
        **fields,
    )


class Migration(migrations.Migration):
    dependencies = [("privacy", "0001_initial")]

    operations = [migrations.RunPython(publish_default, migrations.RunPython.noop)]
