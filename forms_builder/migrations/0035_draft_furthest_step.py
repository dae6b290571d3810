from django.db import migrations, models


def fill_furthest_step(apps, schema_editor):
    """Drafts started before the field existed: the furthest step with stored data."""
    Draft = apps.get_model("forms_builder", "Draft")
    for draft in Draft.objects.only("pk", "data").iterator():
        steps = (draft.data or {}).get("step_data") or {}
        furthest = max((int(key) for key in steps if str(key).isdigit()), default=0)
        if furthest:
            Draft.objects.filter(pk=draft.pk).update(furthest_step=furthest)


class Migration(migrations.Migration):
    dependencies = [
        ("forms_builder", "0034_merged_after_logic_procedures_editor_maps"),
    ]

    operations = [
        migrations.AddField(
            model_name="draft",
            name="furthest_step",
            field=models.PositiveSmallIntegerField(
                default=0, verbose_name="furthest step completed"
            ),
        ),
        migrations.RunPython(fill_furthest_step, migrations.RunPython.noop),
    ]
