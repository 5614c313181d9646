# The content types of the moved models follow them (issue 12), so that their audit log entries
# (auditlog's LogEntry.content_type) and permissions stay attached.

from django.db import migrations

MODELS = ["mentorship", "mentorshipcontact"]


def _relabel(apps, schema_editor, old: str, new: str) -> None:
    ContentType = apps.get_model("contenttypes", "ContentType")
    LogEntry = apps.get_model("auditlog", "LogEntry")
    types = ContentType.objects.using(schema_editor.connection.alias)
    for model in MODELS:
        if not types.filter(app_label=old, model=model).exists():
            continue  # a new database: post_migrate creates the type under its new label
        # A `migrate` stopped between 0001 and here has run post_migrate, which made an empty
        # type under the new label; it holds nothing of value unless something was logged.
        made = types.filter(app_label=new, model=model)
        logged = LogEntry.objects.using(schema_editor.connection.alias).filter(content_type__in=made)
        if logged.exists():
            raise RuntimeError(f"Both {old}.{model} and {new}.{model} have audit log entries.")
        made.delete()
        types.filter(app_label=old, model=model).update(app_label=new)


def forwards(apps, schema_editor):
    _relabel(apps, schema_editor, "calls", "mentorships")


def backwards(apps, schema_editor):
    _relabel(apps, schema_editor, "mentorships", "calls")


class Migration(migrations.Migration):
    dependencies = [
        ("mentorships", "0001_initial"),
        ("calls", "0002_move_mentorships"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auditlog", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
