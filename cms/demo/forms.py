"""The application forms of the demo municipality, as raw StreamField data.

This module is longer than 400 lines because it is data, not logic: whole forms as an
editor would build them, each kept in one piece.

Written the way an editor builds them in the admin: steps with fields of many types,
conditions on fields and steps, information texts and file uploads. Machine names are
given explicitly, because the sample dossiers and the tests refer to them.
"""

from __future__ import annotations


def _field(
    type_id: str, label: str, name: str, *, required=True, maps_to="", help_text="", **options
) -> dict:
    return {
        "type": type_id,
        "value": {
            "label": label,
            "name": name,
            "help_text": help_text,
            "required": required,
            "maps_to": maps_to,
            **options,
        },
    }


def _information(text: str) -> dict:
    return {"type": "information", "value": {"text": text}}


def _step(title: str, *fields: dict, intro: str = "", condition: dict | None = None) -> dict:
    value = {"title": title, "intro": intro, "fields": list(fields)}
    if condition:
        value["condition"] = condition
    return {"type": "step", "value": value}


def when(field: str, operator: str, value: str = "") -> dict:
    """A condition with one rule: show when the answer to ``field`` ``operator`` ``value``."""
    return {"combinator": "all", "rules": [{"field": field, "operator": operator, "value": value}]}


def _name_field(**options) -> dict:
    return _field(
        "short_text", "Uw naam", "naam", maps_to="applicant_name", max_length=200, **options
    )


def _email_field(**options) -> dict:
    options.setdefault("help_text", "We sturen de bevestiging en elke wijziging naar dit adres.")
    return _field("email", "Uw e-mailadres", "email", maps_to="applicant_email", **options)


def _company_fields(*, company_required=True, enterprise_number=True, phone_required=False):
    fields = [
        _field(
            "short_text",
            "Naam van de onderneming",
            "bedrijfsnaam",
            maps_to="company_name",
            max_length=200,
            required=company_required,
        )
    ]
    if enterprise_number:
        fields.append(
            _field(
                "enterprise_number",
                "Ondernemingsnummer",
                "ondernemingsnummer",
                maps_to="enterprise_number",
                help_text="U vindt het op uw facturen of in de Kruispuntbank van Ondernemingen. "
                "Bijvoorbeeld 0123.456.789.",
                company_lookup=True,
                lookup_name_field="bedrijfsnaam",
            )
        )
    fields += [
        _name_field(),
        _email_field(),
        _field(
            "phone",
            "Uw telefoonnummer",
            "telefoon",
            maps_to="applicant_phone",
            required=phone_required,
            help_text="Zodat we u kunnen bellen als we een vraag hebben.",
        ),
    ]
    return fields


#: The terrace form. Tests use it as it is: do not change names, labels or order.
TERRACE_STEPS = [
    {
        "type": "step",
        "value": {
            "title": "Uw onderneming",
            "intro": "<p>Wie vraagt de vergunning aan?</p>",
            "fields": [
                _field(
                    "short_text",
                    "Naam van de onderneming",
                    "bedrijfsnaam",
                    maps_to="company_name",
                    max_length=200,
                ),
                _name_field(),
                _email_field(),
            ],
        },
    },
    {
        "type": "step",
        "value": {
            "title": "Uw terras",
            "intro": "",
            "fields": [
                _field(
                    "short_text",
                    "Adres van de zaak",
                    "adres",
                    max_length=255,
                    maps_to="permit_place",
                ),
                _field(
                    "integer",
                    "Oppervlakte van het terras (m²)",
                    "oppervlakte",
                    min_value=1,
                    max_value=500,
                ),
                _field(
                    "date",
                    "Vanaf wanneer wilt u het terras plaatsen?",
                    "startdatum",
                    maps_to="permit_period",
                ),
                _field(
                    "single_choice",
                    "Soort terras",
                    "soort",
                    choices=["Open terras", "Terras met windschermen", "Overdekt terras"],
                    widget="radio",
                    required_message="Kies het soort terras",
                ),
                _field("long_text", "Opmerkingen", "opmerkingen", required=False, max_length=2000),
            ],
        },
    },
]

#: The demo's terrace form: the form above plus how long the terrace stands, for its fee.
TERRACE_DEMO_STEPS = [
    *TERRACE_STEPS,
    _step(
        "Waar en hoe lang?",
        _field(
            "location",
            "Waar komt het terras?",
            "terraszone",
            shape="zone",
            required=False,
            help_text="Teken het terras op de kaart: dan meten wij de oppervlakte en rekenen "
            "we daarmee. Tekent u niet? Dan geldt de oppervlakte die u hiervoor gaf.",
        ),
        _field(
            "integer",
            "Hoeveel dagen staat het terras buiten?",
            "dagen",
            min_value=1,
            max_value=365,
            help_text="Tel alle dagen van de periode mee, ook de dagen dat uw zaak dicht is.",
        ),
    ),
]

#: The terrace fee: € 0,30 per m² per day, at least € 25 (retributiereglement terrassen).
#: A zone drawn on the map counts with its area measured by the server (rounded up to a
#: whole m²); without one, the area the applicant typed counts.
TERRACE_CALCULATIONS = [
    {
        "type": "calculation",
        "value": {
            "label": "Oppervlakte voor de retributie",
            "name": "m2",
            "formula": "ceil(terraszone) if terraszone else oppervlakte",
            "show": False,
            "is_fee": False,
            "breakdown": "",
        },
    },
    {
        "type": "calculation",
        "value": {
            "label": "Retributie",
            "name": "retributie",
            "formula": "max(25, 0.30 * m2 * dagen)",
            "show": True,
            "is_fee": True,
            "breakdown": "€ 0,30 per m² per dag, minimum € 25: {m2} m² × {dagen} "
            "dagen = {retributie}",
        },
    },
]

EVENT_STEPS = [
    _step(
        "Uw gegevens",
        _field(
            "short_text",
            "Naam van de organisatie of vereniging",
            "bedrijfsnaam",
            maps_to="company_name",
            max_length=200,
            help_text="Organiseert u het als privépersoon? Laat dit dan leeg.",
            required=False,
        ),
        _name_field(),
        _email_field(),
        _field(
            "phone",
            "Telefoonnummer op de dag van het evenement",
            "telefoon",
            maps_to="applicant_phone",
            help_text="De politie of de brandweer kan u dan bereiken.",
        ),
        intro="<p>Wie organiseert het evenement?</p>",
    ),
    _step(
        "Uw evenement",
        _field("short_text", "Naam van het evenement", "evenement", max_length=200),
        _field(
            "single_choice",
            "Wat voor evenement is het?",
            "soort_evenement",
            choices=[
                "Markt of braderie",
                "Concert of fuif",
                "Sportwedstrijd",
                "Buurtfeest",
                "Ander evenement",
            ],
            widget="radio",
        ),
        _field(
            "date_range",
            "Wanneer is het evenement?",
            "periode",
            help_text="Vraag de vergunning minstens 30 dagen vooraf aan.",
            earliest_days_from_today=30,
        ),
        {
            "type": "repeatable",
            "value": {
                "label": "Op welke dagen en uren is het evenement?",
                "name": "dagen",
                "help_text": "Voeg een dag toe voor elke dag van het evenement. Loopt het "
                "na middernacht door? Geef dan een einduur dat vroeger is dan het beginuur.",
                "item_name": "dag",
                "min_items": 1,
                "max_items": 10,
                "fields": [
                    _field("date", "Datum", "datum", earliest_days_from_today=30),
                    _field("time", "Hoe laat begint het?", "beginuur"),
                    _field("time", "Hoe laat eindigt het?", "einduur"),
                ],
            },
        },
        _field(
            "short_text",
            "Waar vindt het evenement plaats?",
            "locatie",
            max_length=255,
            help_text="Het adres, de straat of het plein.",
        ),
        _field(
            "yes_no",
            "Vindt het evenement (deels) plaats op straat, een plein of in een park?",
            "openbaar_domein",
        ),
        _field(
            "integer",
            "Hoeveel bezoekers verwacht u tegelijk?",
            "bezoekers",
            min_value=1,
            max_value=100000,
            help_text="Een schatting is genoeg.",
        ),
    ),
    _step(
        "Muziek en drank",
        _field("yes_no", "Speelt er versterkte muziek?", "muziek"),
        _field(
            "single_choice",
            "Hoe luid is de muziek?",
            "geluid",
            choices=["Tot 85 decibel", "Van 85 tot 95 decibel", "Meer dan 95 decibel"],
            widget="radio",
            help_text="Bij meer dan 85 decibel moet u het geluid meten en tonen aan bezoekers.",
            condition=when("muziek", "equals", "yes"),
        ),
        _field(
            "time",
            "Tot hoe laat speelt de muziek?",
            "einde_muziek",
            condition=when("muziek", "equals", "yes"),
        ),
        _field(
            "multiple_choice",
            "Wat schenkt u?",
            "drank",
            choices=["Geen drank", "Frisdrank", "Bier en wijn", "Sterke drank"],
            min_selected=1,
        ),
    ),
    _step(
        "Veiligheid",
        _information(
            "<p>Bij meer dan 500 bezoekers vragen we een <b>veiligheidsplan</b>: waar zijn de "
            "nooduitgangen, de EHBO-post en de brandblussers, en wie is verantwoordelijk?</p>"
        ),
        _field(
            "file_upload",
            "Uw veiligheidsplan",
            "veiligheidsplan",
            allowed_types=["pdf", "docx", "odt"],
            max_file_mb=10,
            max_files=1,
        ),
        _field("yes_no", "Is er een EHBO-post?", "ehbo"),
        condition=when("bezoekers", "greater_than", "500"),
        intro="<p>Uw evenement is groot. Daarom hebben we wat meer informatie nodig.</p>",
    ),
]

#: The days of an event may not overlap (forms_builder.repeatable, rule "no_overlap").
EVENT_RULES = [
    {
        "type": "no_overlap",
        "value": {
            "group": "dagen",
            "start": "datum",
            "end": "",
            "start_time": "beginuur",
            "end_time": "einduur",
            "message": "Deze dag overlapt met een andere dag. "
            "Kies een andere datum of andere uren.",
        },
    }
]

SIGNAGE_STEPS = [
    _step("Uw onderneming", *_company_fields()),
    _step(
        "Uw reclame",
        _field(
            "address",
            "Op welk adres komt de reclame?",
            "adres_reclame",
        ),
        _field(
            "single_choice",
            "Wat wilt u plaatsen?",
            "soort_reclame",
            choices=[
                "Uithangbord haaks op de gevel",
                "Opschrift plat op de gevel",
                "Vlag of reclamezuil",
                "Spandoek (tijdelijk)",
            ],
            widget="select",
        ),
        _field(
            "decimal",
            "Breedte (in meter)",
            "breedte",
            min_value=0.1,
            max_value=20,
            decimal_places=2,
        ),
        _field(
            "decimal", "Hoogte (in meter)", "hoogte", min_value=0.1, max_value=20, decimal_places=2
        ),
        _field(
            "integer",
            "Hoeveel centimeter steekt het bord uit voor de gevel?",
            "uitsteek",
            min_value=1,
            max_value=150,
            help_text="Het reglement laat maximaal 100 centimeter toe.",
            condition=when("soort_reclame", "equals", "Uithangbord haaks op de gevel"),
        ),
        _field("yes_no", "Is de reclame verlicht?", "verlicht"),
        _field(
            "time",
            "Hoe laat gaat de verlichting uit?",
            "verlichting_uit",
            help_text="Tussen 23 uur en 6 uur moet lichtreclame uit zijn.",
            latest="23:00",
            condition=when("verlicht", "equals", "yes"),
        ),
    ),
    _step(
        "Tekening en foto",
        _field(
            "file_upload",
            "Tekening of ontwerp van de reclame",
            "ontwerp",
            help_text="Met de afmetingen en de plaats op de gevel.",
            allowed_types=["pdf", "jpg", "jpeg", "png"],
            multiple=True,
            max_files=3,
        ),
        _field(
            "file_upload",
            "Foto van de gevel zoals hij nu is",
            "foto_gevel",
            required=False,
            allowed_types=["jpg", "jpeg", "png", "heic"],
        ),
    ),
]

FACADE_STEPS = [
    _step(
        "Uw onderneming",
        *_company_fields(),
        _field(
            "vat_number",
            "Btw-nummer",
            "btw",
            required=False,
            help_text="Alleen als u btw-plichtig bent.",
        ),
    ),
    _step(
        "Het pand",
        _field("address", "Adres van het handelspand", "adres_pand"),
        _field(
            "single_choice",
            "Bent u eigenaar van het pand?",
            "eigenaar",
            choices=["Ik ben eigenaar", "Ik huur het pand"],
            widget="radio",
        ),
        _field(
            "file_upload",
            "Akkoord van de eigenaar",
            "akkoord_eigenaar",
            help_text="Een ondertekende brief waarin de eigenaar akkoord gaat met de werken.",
            allowed_types=["pdf", "jpg", "jpeg", "png"],
            condition=when("eigenaar", "equals", "Ik huur het pand"),
        ),
    ),
    _step(
        "De werken",
        _field(
            "multiple_choice",
            "Welke werken voert u uit?",
            "werken",
            choices=[
                "Schilderwerk",
                "Nieuwe ramen of deuren",
                "Gevel reinigen of herstellen",
                "Nieuwe etalage",
                "Oude reclame weghalen",
            ],
            min_selected=1,
        ),
        _field(
            "long_text",
            "Beschrijf de werken kort",
            "beschrijving",
            max_length=2000,
        ),
        _field(
            "amount",
            "Wat kosten de werken (zonder btw)?",
            "kostprijs",
            min_value=1000,
            help_text="De premie is 40% van dit bedrag, met een maximum van € 5.000.",
        ),
        _field(
            "date",
            "Wanneer beginnen de werken?",
            "start_werken",
            earliest_days_from_today=0,
            help_text="De werken mogen nog niet begonnen zijn.",
        ),
        _field(
            "file_upload",
            "Offertes van de aannemer",
            "offertes",
            allowed_types=["pdf"],
            multiple=True,
            max_files=5,
        ),
    ),
    _step(
        "Uitbetaling",
        _field(
            "iban",
            "Rekeningnummer (IBAN) voor de premie",
            "iban",
            belgian_only=True,
            help_text="Bijvoorbeeld BE68 5390 0754 7034.",
        ),
        _field("short_text", "Op naam van", "rekeninghouder", max_length=200),
        _information(
            "<p>We betalen de premie uit als de werken klaar zijn en u de facturen hebt "
            "bezorgd.</p>"
        ),
        _field(
            "consent",
            "Ik verklaar dat de werken nog niet begonnen zijn en dat ik de voorwaarden "
            "van het reglement heb gelezen.",
            "verklaring",
        ),
    ),
]

STARTER_STEPS = [
    _step("Uw onderneming", *_company_fields()),
    _step(
        "Uw zaak",
        _field(
            "single_choice",
            "Wat voor zaak is het?",
            "soort_zaak",
            choices=[
                "Kledingwinkel",
                "Voedingswinkel",
                "Boekhandel of cadeauwinkel",
                "Ambachtelijke zaak",
                "Andere winkel",
            ],
            widget="select",
        ),
        _field(
            "address",
            "Adres van de zaak",
            "adres_zaak",
            help_text="De zaak moet in het kernwinkelgebied liggen.",
        ),
        # A date the applicant knows: day, month and year boxes, not a calendar.
        _field("date", "Wanneer opent (of opende) uw zaak?", "opening", date_style="known"),
        _field("yes_no", "Is dit uw eerste zaak in Voorbeeld?", "eerste_zaak"),
        _field(
            "single_choice",
            "Huurt of koopt u het pand?",
            "huur_of_koop",
            choices=["Ik huur het pand", "Ik koop het pand"],
            widget="radio",
        ),
        _field(
            "amount",
            "Huurprijs per maand",
            "huurprijs",
            min_value=1,
            condition=when("huur_of_koop", "equals", "Ik huur het pand"),
        ),
        _field(
            "file_upload",
            "Uw huurcontract",
            "huurcontract",
            allowed_types=["pdf"],
            condition=when("huur_of_koop", "equals", "Ik huur het pand"),
        ),
    ),
    _step(
        "Uw plan",
        _field(
            "long_text",
            "Vertel kort wat u verkoopt en voor wie",
            "plan",
            max_length=3000,
        ),
        _field(
            "file_upload",
            "Ondernemingsplan",
            "ondernemingsplan",
            required=False,
            help_text="Hebt u een ondernemingsplan of financieel plan? Voeg het dan toe.",
            allowed_types=["pdf", "docx", "odt", "xlsx", "ods"],
        ),
        _field(
            "iban",
            "Rekeningnummer (IBAN) voor de premie",
            "iban",
            belgian_only=True,
        ),
    ),
]

#: The start-up premium's proposed amount, as the service page states the rule: half the
#: rent of the first year with at most € 7.500, or € 5.000 when the shop buys the building.
#: Officers see it in the dossier; the applicant does not.
STARTER_CALCULATIONS = [
    {
        "type": "calculation",
        "value": {
            "label": "Voorgestelde premie",
            "name": "voorgestelde_premie",
            "formula": 'min(7500, round(huurprijs * 12 / 2, 2)) if huur_of_koop == "Ik huur '
            'het pand" else 5000',
            "show": False,
            "is_fee": False,
            "breakdown": "",
        },
    }
]

OCCUPATION_STEPS = [
    _step(
        "Uw gegevens",
        *_company_fields(company_required=False, enterprise_number=False, phone_required=True),
    ),
    _step(
        "De inname",
        _field(
            "single_choice",
            "Waarvoor hebt u plaats op de openbare weg nodig?",
            "reden",
            choices=[
                "Laden en lossen",
                "Een container",
                "Een verhuislift",
                "Een stelling of werfzone",
            ],
            widget="radio",
        ),
        _field(
            "short_text",
            "Naam van de containerfirma",
            "containerfirma",
            max_length=200,
            condition=when("reden", "equals", "Een container"),
        ),
        _field(
            "address",
            "Adres",
            "adres_inname",
            help_text="Kies de straat uit de lijst van de gemeente.",
            local_only=True,
        ),
        _field(
            "date_range",
            "Welke dagen?",
            "periode_inname",
            earliest_days_from_today=10,
            help_text="Vraag minstens 10 dagen vooraf aan.",
        ),
        _field("time", "Vanaf hoe laat?", "van"),
        _field("time", "Tot hoe laat?", "tot"),
        _field(
            "integer",
            "Hoeveel meter langs de straat hebt u nodig?",
            "lengte",
            min_value=1,
            max_value=200,
        ),
        _field("yes_no", "Neemt u ook een deel van de rijbaan in?", "rijbaan"),
        _field(
            "yes_no",
            "Wilt u borden 'parkeren verboden' lenen van de gemeente?",
            "borden",
            help_text="U haalt ze op bij de technische dienst en zet ze 48 uur vooraf.",
        ),
    ),
]

QUESTION_STEPS = [
    _step(
        "Uw vraag",
        _field(
            "single_choice",
            "Waarover gaat uw vraag?",
            "onderwerp",
            choices=[
                "Een zaak starten",
                "Vergunningen",
                "Premies en subsidies",
                "Evenementen",
                "Iets anders",
            ],
            widget="select",
        ),
        # Filled in from a link: the assistant sends the visitor here with the conversation.
        _field("long_text", "Uw vraag", "vraag", max_length=3000, prefill=True),
        _field("yes_no", "Wilt u liever een afspraak aan het loket?", "afspraak"),
        _field(
            "date",
            "Welke dag past voor u?",
            "voorkeur_dag",
            earliest_days_from_today=1,
            help_text="We bevestigen de afspraak per e-mail.",
            condition=when("afspraak", "equals", "yes"),
        ),
        _field(
            "multiple_choice",
            "Welk moment past voor u?",
            "dagdeel",
            choices=["Voormiddag", "Namiddag", "Dinsdagavond"],
            min_selected=1,
            condition=when("afspraak", "equals", "yes"),
        ),
    ),
    _step(
        "Uw gegevens",
        *_company_fields(company_required=False, enterprise_number=False),
    ),
]

#: The report form (melding, stage "report"): phone first, three short screens. The
#: category sends it to the right team or outside party (cms/demo/reports.py).
REPORT_STEPS = [
    _step(
        "Wat is er aan de hand?",
        _field("report_category", "Waarover gaat uw melding?", "categorie"),
        _field("long_text", "Beschrijf het probleem", "omschrijving", max_length=2000),
        _field(
            "file_upload",
            "Foto",
            "fotos",
            required=False,
            allowed_types=["jpg", "jpeg", "png", "heic"],
            multiple=True,
            max_files=3,
            camera=True,
            help_text="Neem een foto met uw gsm, of kies er een.",
        ),
        intro="<p>Is er gevaar? Bel dan de politie op 101.</p>",
    ),
    _step(
        "Waar is het?",
        _field(
            "location",
            "Waar is het probleem?",
            "plaats",
            shape="point",
            help_text="Duid de plek aan op de kaart, of geef het adres en een korte "
            "omschrijving van de plek.",
        ),
    ),
    _step(
        "Wilt u op de hoogte blijven?",
        _field(
            "email",
            "Uw e-mailadres",
            "email",
            required=False,
            maps_to="applicant_email",
            help_text="Niet verplicht. Met uw e-mailadres laten we weten wanneer we uw "
            "melding behandelen en wanneer ze is opgelost.",
        ),
    ),
]

#: A small event indoors needs no permit: a "melding" (notification) is enough. The
#: application goes on, with its own reference prefix and a shorter decision term.
EVENT_OUTCOMES = [
    {
        "type": "outcome",
        "value": {
            "title": "Melding van een klein evenement",
            "text": (
                "<p>Uw evenement is klein en vindt binnen plaats. Dan volstaat een melding: "
                "u hebt geen vergunning nodig. Stuur het formulier gewoon door. We laten u "
                "binnen 10 dagen weten of we nog iets nodig hebben.</p>"
            ),
            "condition": {
                "combinator": "all",
                "rules": [
                    {"field": "openbaar_domein", "operator": "equals", "value": "no"},
                    {"field": "bezoekers", "operator": "less_than", "value": "100"},
                ],
            },
            "kind": "procedure",
            "reference_prefix": "EVM",
            "decision_term_days": 10,
        },
    }
]
