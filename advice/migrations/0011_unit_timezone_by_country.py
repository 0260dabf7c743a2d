# A unit's time zone defaults to its country's; units left on the old default of every
# unit (Europe/Warsaw) outside Poland get their country's zone.

import advice.unit_zones
from django.db import migrations, models

# A copy of ``advice.unit_zones.COUNTRY_ZONES`` as it was when this migration was written.
COUNTRY_ZONES = {
    "PL": "Europe/Warsaw",
    "CZ": "Europe/Prague",
    "SK": "Europe/Bratislava",
    "DE": "Europe/Berlin",
    "AT": "Europe/Vienna",
    "LT": "Europe/Vilnius",
    "LV": "Europe/Riga",
    "EE": "Europe/Tallinn",
    "NO": "Europe/Oslo",
    "UA": "Europe/Kyiv",
}


def zones_by_country(apps, schema_editor):
    Unit = apps.get_model("advice", "Unit")
    for unit in Unit.objects.filter(timezone="Europe/Warsaw").exclude(country__iexact="PL"):
        zone = COUNTRY_ZONES.get(unit.country.upper())
        if zone:
            unit.timezone = zone
            unit.save(update_fields=["timezone"])


class Migration(migrations.Migration):

    dependencies = [
        ('advice', '0010_unit_case_retention_days'),
    ]

    operations = [
        migrations.AlterField(
            model_name='unit',
            name='timezone',
            field=models.CharField(blank=True, default='', help_text="IANA time zone staff read times in; empty for the country's.", max_length=64, validators=[advice.unit_zones.validate_zone]),
        ),
        migrations.RunPython(zones_by_country, migrations.RunPython.noop),
    ]
