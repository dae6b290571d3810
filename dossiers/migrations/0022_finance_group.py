"""The "Financiën" group: access to the admin and the finance permission (statements,
payments, refunds, payouts). Made here, like Wagtail makes its Editors and Moderators
groups, so every installation has it; administrators add people to it."""

from django.db import migrations

GROUP = "Financiën"


def create_group(apps, schema_editor):
    ContentType = apps.get_model("contenttypes.ContentType")
    Permission = apps.get_model("auth.Permission")
    Group = apps.get_model("auth.Group")
    statement_type, _created = ContentType.objects.get_or_create(
        app_label="dossiers", model="bankstatement"
    )
    finance, _created = Permission.objects.get_or_create(
        content_type=statement_type,
        codename="manage_finance",
        defaults={"name": "Can manage payments, bank statements, refunds and payouts"},
    )
    group, _created = Group.objects.get_or_create(name=GROUP)
    group.permissions.add(finance)
    group.permissions.add(*Permission.objects.filter(
            content_type__app_label="wagtailadmin", codename="access_admin"
        ))


def remove_group(apps, schema_editor):
    apps.get_model("auth.Group").objects.filter(name=GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("dossiers", "0021_finance"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(create_group, remove_group)]
