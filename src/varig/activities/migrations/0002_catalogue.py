"""The catalogue as the evaluation report describes it (shared/seed, sections 3 and 5.4). Staff
edit it afterwards; this only adds what is missing and never overwrites an edit."""

from decimal import Decimal

from django.db import migrations

GUIDANCE, SPORT, NETWORK, UPSKILLING = "vejledning", "idraet", "netvaerk", "opkvalificering"

CATALOGUE = [
    {
        "name": "Klædt på til job",
        "strand": GUIDANCE,
        "description": (
            "Kursusforløb, der skal sikre en god 'onboarding' til arbejdsmarkedet. Vejlederen "
            "vurderer ved de individuelle samtaler, om jobkunden kan profitere af kurset; holdet "
            "sammensættes så homogent som muligt af hensyn til øvelserne og de sociale relationer."
        ),
        "topics": [
            "Uddannelse og job som førtidspensionist",
            "Kompetenceafklaring",
            "Jobsøgningsstrategier",
            "Jobsamtaletræning",
            "Arbejdspladskultur",
            "Kommunikation på arbejdspladsen",
        ],
        "sessions_planned": 4,
        "hours_per_session": Decimal("3"),
        "default_capacity": 10,
    },
    {
        "name": "Når du tjener penge",
        "strand": GUIDANCE,
        "description": (
            "Tilbagevendende kursus i økonomi, når man har en indtægt ved siden af "
            "førtidspensionen."
        ),
        "topics": ["Pensionsindbetalinger", "Boligstøtte", "Offentlige ydelser", "Økonomi"],
        "sessions_planned": 1,
        "hours_per_session": Decimal("2.5"),
        "default_capacity": 15,
    },
    {
        "name": "Erhvervsrettet uddannelsesforløb (tre moduler)",
        "strand": UPSKILLING,
        "description": "Uddannelsesforløb i tre moduler, der klæder jobkunden på til arbejdsmarkedet.",
        "topics": ["Modul 1", "Modul 2", "Modul 3"],
        "sessions_planned": 3,
        "default_capacity": 12,
    },
    {
        "name": "Iværksætteri",
        "strand": UPSKILLING,
        "description": "Kursus for jobkunder, der overvejer at starte noget for sig selv.",
        "default_capacity": 10,
    },
    {
        "name": "Digitale medier",
        "strand": UPSKILLING,
        "description": "Kursus i digitale medier.",
        "default_capacity": 10,
    },
    {
        "name": "Introduktion til samfundet",
        "strand": UPSKILLING,
        "description": "Introducerende kursus om samfundet.",
        "default_capacity": 12,
    },
    {
        "name": "CV og ansøgninger",
        "strand": UPSKILLING,
        "description": "Introducerende kursus i at skrive CV og ansøgninger.",
        "default_capacity": 10,
    },
    {
        "name": "Office-pakken",
        "strand": UPSKILLING,
        "description": "Kursus i Office-pakken (Word, Excel, Outlook).",
        "default_capacity": 10,
    },
    {
        "name": "Svømning",
        "strand": SPORT,
        "description": "Svømning med en anerkendende tilgang: struktur og indhold i hverdagen.",
        "default_capacity": 12,
    },
    {
        "name": "Cykelture",
        "strand": SPORT,
        "description": "Cykelture i fællesskab.",
        "default_capacity": 12,
    },
    {"name": "Yoga", "strand": SPORT, "description": "Yoga på hold.", "default_capacity": 12},
    {
        "name": "Styrketræning",
        "strand": SPORT,
        "description": "Styrketræning på hold.",
        "default_capacity": 10,
    },
    {
        "name": "Sammenkomst",
        "strand": NETWORK,
        "description": "Sammenkomst i lokalerne: spejl dig i andre jobsøgende eller arbejdende førtidspensionister.",
        "default_capacity": 30,
    },
    {
        "name": "Museumsbesøg",
        "strand": NETWORK,
        "description": "Museumsbesøg i fællesskab.",
        "default_capacity": 20,
    },
    {
        "name": "Vandretur over flere dage (Anholt)",
        "strand": NETWORK,
        "description": "Vandretur over tre dage, fx på Anholt.",
        "sessions_planned": 3,
        "default_capacity": 12,
    },
]


def seed(apps, schema_editor):
    Activity = apps.get_model("activities", "Activity")
    for entry in CATALOGUE:
        values = {**entry, "topics": "\n".join(entry.get("topics", []))}
        name = values.pop("name")
        Activity.objects.get_or_create(name=name, defaults=values)


class Migration(migrations.Migration):
    dependencies = [("activities", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
