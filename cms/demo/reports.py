"""Reports (meldingen) in the demo: categories with their handling text and target
time, the centre as a district on the map, the outside parties, the routes (a street
light goes to the grid operator, litter to the municipal team), the report form's stage
and a sample report in each status."""

from __future__ import annotations

from dossiers.models import ExternalParty, ReportArea, ReportCategory, ReportRoute, Team
from forms_builder.models import ApplicationFormPage

from .samples import submit_sample

#: Main category → (handling text, target days, subcategories).
CATEGORIES = {
    "Straatverlichting": (
        "De straatverlichting is van de netbeheerder Fluvius. Zij herstellen een "
        "defecte lamp meestal binnen tien werkdagen.",
        10,
        ["Lamp brandt niet", "Paal beschadigd"],
    ),
    "Zwerfvuil en sluikstort": (
        "De ploeg openbaar domein ruimt zwerfvuil en sluikstort op binnen vijf werkdagen.",
        5,
        [],
    ),
    "Weg en voetpad": (
        "De ploeg openbaar domein herstelt kleine schade zelf; grotere werken plannen we in.",
        14,
        ["Put in de weg", "Losse stoeptegel"],
    ),
    "Riolering en water": (
        "Een verstopte straatkolk of een lek melden we aan De Watergroep.",
        7,
        [],
    ),
}

#: Outside parties: name → e-mail address.
PARTIES = {
    "Fluvius (netbeheerder)": "meldingen@fluvius.voorbeeld.be",
    "De Watergroep": "meldingen@watergroep.voorbeeld.be",
}

#: Main category → who handles it everywhere: a party's name or a team's name.
ROUTES = {
    "Straatverlichting": "Fluvius (netbeheerder)",
    "Zwerfvuil en sluikstort": "Openbaar domein",
    "Weg en voetpad": "Openbaar domein",
    "Riolering en water": "De Watergroep",
}

#: The centre of Gemeente Voorbeeld, around the Markt (WGS84, longitude first).
CENTRE = {
    "type": "Polygon",
    "coordinates": [
        [
            [3.7180, 51.0485],
            [3.7245, 51.0485],
            [3.7245, 51.0545],
            [3.7180, 51.0545],
            [3.7180, 51.0485],
        ]
    ],
}


def ensure_reports(form: ApplicationFormPage) -> None:
    """Categories, the centre, parties and routes (once), the form's stage "report",
    and the sample reports when the form has none."""
    if not ReportCategory.objects.exists():
        for order, (name, (text, days, subs)) in enumerate(CATEGORIES.items()):
            main = ReportCategory.objects.create(
                name=name, handling_text=text, target_days=days, sort_order=order
            )
            for sub_order, sub in enumerate(subs):
                ReportCategory.objects.create(name=sub, parent=main, sort_order=sub_order)
        ReportArea.objects.create(name="Centrum", polygon=CENTRE, streets="Markt\nKerkstraat")
        for name, email in PARTIES.items():
            ExternalParty.objects.create(name=name, email=email)
        for category, handler in ROUTES.items():
            ReportRoute.objects.create(
                category=ReportCategory.objects.get(name=category, parent=None),
                party=ExternalParty.objects.filter(name=handler).first(),
                team=Team.objects.filter(name=handler).first(),
            )
    if "report" not in (form.stages or []):
        form.stages = [*(form.stages or []), "report"]
        form.save_revision().publish()
    if form.dossiers.exists():
        return
    for category, description, place, email, transitions in SAMPLES:
        chosen = ReportCategory.objects.get(name=category)
        submit_sample(
            form,
            {
                "categorie": {"id": str(chosen.pk), "label": chosen.full_name},
                "omschrijving": description,
                "plaats": _point(*place),
                "email": email,
            },
            transitions,
        )


#: Sample reports, one in each status of a report: category, description, (latitude,
#: longitude, address), e-mail address, transitions. The street light goes to the grid
#: operator by its route.
SAMPLES = [
    (
        "Zwerfvuil en sluikstort",
        "Naast de glasbak ligt een hoop vuilniszakken.",
        (51.0521, 3.7212, "Kerkstraat bij de glasbak"),
        "sofie.peeters@voorbeeld.be",
        [("start_handling", {})],
    ),
    (
        "Lamp brandt niet",
        "De lamp tegenover nummer 12 brandt al een week niet.",
        (51.0641, 3.7271, "Nieuwstraat 12"),
        "",
        [],
    ),
    (
        "Put in de weg",
        "Diepe put in het fietspad.",
        (51.0562, 3.7231, "Stationsstraat 20"),
        "",
        [],
    ),
    (
        "Losse stoeptegel",
        "Een stoeptegel ligt los voor de school.",
        (51.0661, 3.7281, "Schoolstraat 3"),
        "jonas.maes@voorbeeld.be",
        [
            ("start_handling", {}),
            ("schedule", {"message": "We herstellen de stoep volgende week."}),
        ],
    ),
    (
        "Zwerfvuil en sluikstort",
        "Blikjes en papier in het plantsoen voor de bakkerij.",
        (51.0581, 3.7241, "Sint-Jansplein"),
        # The demo applicant (cms.demo.samples.DEMO_APPLICANT): Mijn loket shows this
        # report next to their applications.
        "pieter@bakkerijvandamme.be",
        [("start_handling", {}), ("resolve", {"message": "Het plantsoen is opgeruimd."})],
    ),
    (
        "Zwerfvuil en sluikstort",
        "Een oude zetel op de stoep.",
        (51.0621, 3.7261, "Dorpsstraat 8"),
        "",
        [("resolve", {}), ("reopen_report", {"reason": "De zetel staat er nog."})],
    ),
]


def _point(lat: float, lon: float, address: str) -> dict:
    """A location answer: a point with its address."""
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [lon, lat]},
        "properties": {"address": address, "description": "", "area_m2": None},
    }
