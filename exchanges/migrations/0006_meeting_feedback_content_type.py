# The content type of the moved model follows it (issue 12), so that its audit log entries
# (auditlog's LogEntry.content_type) and permissions stay attached.

from django.db import migrations

MODEL = "meetingfeedback"


def _relabel(apps, schema_editor, old: str, new: str) -> None:
    ContentType = apps.get_model("contenttypes", "ContentType")
    LogEntry = apps.get_model("auditlog", "LogEntry")
    types = ContentType.objects.using(schema_editor.connection.alias)
    if not types.filter(app_label=old, model=MODEL).exists():
        return  # a new database: post_migrate creates the type under its new label
    # A `migrate` stopped between 0005 and here has run post_migrate, which made an empty type
    # under the new label; it holds nothing of value unless something was logged.
    made = types.filter(app_label=new, model=MODEL)
    logged = LogEntry.objects.using(schema_editor.connection.alias).filter(content_type__in=made)
    if logged.exists():
        raise RuntimeError(f"Both {old}.{MODEL} and {new}.{MODEL} have audit log entries.")
    made.delete()
    types.filter(app_label=old, model=MODEL).update(app_label=new)
    ContentType.objects.clear_cache()


def forwards(apps, schema_editor):
    _relabel(apps, schema_editor, "visits", "exchanges")


def backwards(apps, schema_editor):
    _relabel(apps, schema_editor, "exchanges", "visits")


class Migration(migrations.Migration):
    dependencies = [
        ("exchanges", "0005_meeting_feedback"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auditlog", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
