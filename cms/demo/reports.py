"""Reports (meldingen) in the demo: categories with their handling text and target
time, the centre as a district on the map, the outside parties, the routes (a street
light goes to the grid operator, litter to the municipal team), the report form's stage
and two sample reports."""

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
    and two sample reports when the form has none."""
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
    lamp = ReportCategory.objects.get(name="Lamp brandt niet")
    litter = ReportCategory.objects.get(name="Zwerfvuil en sluikstort")
    submit_sample(
        form,
        {
            "categorie": {"id": str(litter.pk), "label": litter.full_name},
            "omschrijving": "Naast de glasbak ligt een hoop vuilniszakken.",
            "plaats": _point(51.0521, 3.7212, "Kerkstraat bij de glasbak"),
            "email": "sofie.peeters@voorbeeld.be",
        },
        [("start_handling", {})],
    )
    submit_sample(
        form,
        {
            "categorie": {"id": str(lamp.pk), "label": lamp.full_name},
            "omschrijving": "De lamp tegenover nummer 12 brandt al een week niet.",
            "plaats": _point(51.0641, 3.7271, "Nieuwstraat 12"),
        },
        [],
    )


def _point(lat: float, lon: float, address: str) -> dict:
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [lon, lat]},
        "properties": {"address": address, "description": "", "area_m2": None},
    }
