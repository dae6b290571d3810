"""The texts of the demo municipality "Gemeente Voorbeeld", in plain Dutch (B1).

This module is longer than 400 lines because it is data, not logic: every page text of
the demo in one place, read and edited like a document.

Plain data: :mod:`cms.demo` turns it into pages. A service's ``form`` names its form in
:data:`FORMS`; ``related`` and ``also_in`` name other services and topics by slug.
"""

from __future__ import annotations

from . import english, forms

MUNICIPALITY = "Gemeente Voorbeeld"

BRANDING = {
    "municipality_name": MUNICIPALITY,
    "address": "Ondernemersloket\nMarkt 1\n9999 Voorbeeld",
    "phone": "09 123 45 67",
    "email": "ondernemen@voorbeeld.be",
    "opening_hours": [
        {"type": "hours", "value": {"days": "Maandag tot vrijdag", "hours": "9.00 tot 12.00 uur"}},
        {"type": "hours", "value": {"days": "Dinsdag", "hours": "ook 16.00 tot 19.00 uur"}},
        {"type": "hours", "value": {"days": "Woensdagnamiddag", "hours": "alleen op afspraak"}},
    ],
    "opening_hours_note": "Gesloten op feestdagen. Op afspraak kan het ook op een ander moment.",
}

HOME = {
    "title": "Ondernemersloket",
    "intro": "<p>Alles voor ondernemers in Gemeente Voorbeeld: vergunningen, premies en "
    "vragen aan het loket. Online, wanneer het u past.</p>",
    "announcements": [
        {
            "title": "Nieuw: startpremie voor winkels in het centrum",
            "date": "2026-10-01",
            "text": "Opent u een winkel in een leeg pand in het centrum? Dan krijgt u tot "
            "€ 7.500 premie.",
            "link": "startpremie-winkel-centrum",
        },
        {
            "title": "Terrassen in de winter",
            "date": "2026-09-15",
            "text": "Uw terras mag blijven staan tot 31 december. Vraag wel een verlenging "
            "aan als uw vergunning eerder afloopt.",
            "link": "terrasvergunning",
        },
        {
            "title": "Werken aan de Markt",
            "date": "2026-09-01",
            "text": "Van 5 januari tot 27 maart vernieuwen we de stoepen aan de Markt. De "
            "winkels blijven bereikbaar.",
            "link": "",
        },
    ],
}

TOPICS = [
    {
        "slug": "starten",
        "title": "Starten",
        "search_description": "Een zaak beginnen in Voorbeeld: wat moet u regelen?",
        "intro": "<p>U wilt een zaak beginnen in Voorbeeld. Hier leest u wat u moet "
        "regelen, en waar het loket u kan helpen.</p>",
    },
    {
        "slug": "vergunningen",
        "title": "Vergunningen",
        "search_description": "Een terras, reclame of plaats op straat: vraag het hier aan.",
        "intro": "<p>Voor sommige dingen hebt u toestemming van de gemeente nodig, zoals een "
        "terras of een uithangbord. Twijfelt u? Gebruik dan de vragenlijst "
        "“Welke vergunning heb ik nodig?”.</p>",
    },
    {
        "slug": "subsidies-en-premies",
        "title": "Subsidies en premies",
        "search_description": "Geld van de gemeente voor uw gevel of uw nieuwe winkel.",
        "intro": "<p>De gemeente helpt ondernemers met premies: voor een mooiere gevel of een "
        "nieuwe winkel in het centrum.</p>",
    },
    {
        "slug": "evenementen",
        "title": "Evenementen",
        "search_description": "Een markt, fuif of buurtfeest organiseren.",
        "intro": "<p>U organiseert een markt, een fuif, een sportwedstrijd of een buurtfeest? "
        "Dan hebt u meestal een vergunning nodig.</p>",
    },
    {
        "slug": "ondernemen-in-het-centrum",
        "title": "Ondernemen in het centrum",
        "search_description": "Een zaak in het centrum: terras, premies en laden en lossen.",
        "intro": "<p>Het centrum van Voorbeeld is levendig dankzij zijn winkels en cafés. "
        "Hier vindt u alles voor een zaak in het centrum.</p>",
        "also": [
            "terrasvergunning",
            "startpremie-winkel-centrum",
            "gevelrenovatiepremie",
            "reclamevergunning",
            "inname-openbaar-domein",
        ],
    },
]

_CONTACT_DESK = (
    "<p>Ondernemersloket, Markt 1, 9999 Voorbeeld<br/>Telefoon 09 123 45 67<br/>"
    '<a href="mailto:ondernemen@voorbeeld.be">ondernemen@voorbeeld.be</a></p>'
)

SERVICES = [
    {
        "slug": "terrasvergunning",
        "topic": "vergunningen",
        "suggest_for_nace": "56",
        "title": "Terrasvergunning aanvragen",
        "intro": "Wilt u een terras plaatsen op de stoep of op een plein? Dan hebt u een "
        "vergunning nodig.",
        "keywords": "terras, stoep, inname openbaar domein, horeca, café, windscherm",
        "call_to_action": "Terrasvergunning aanvragen",
        "what_it_is": "<p>Met een terrasvergunning mag u tafels en stoelen zetten op het "
        "openbaar domein: de stoep, een plein of een parkeerplaats. De vergunning zegt "
        "waar het terras mag staan, hoe groot het is en van wanneer tot wanneer.</p>",
        "audience": "<p>Voor cafés, restaurants, bakkers en andere zaken die eten of drinken "
        "verkopen in Voorbeeld.</p>",
        "conditions": "<ul><li>Er blijft minstens 1,5 meter vrij op de stoep voor "
        "voetgangers, rolstoelen en kinderwagens.</li><li>Het terras staat voor uw eigen "
        "zaak.</li><li>Windschermen zijn doorzichtig en maximaal 1,8 meter hoog.</li>"
        "<li>Na 23 uur zet u het terras binnen.</li></ul>",
        "cost": "<p>U betaalt € 0,30 per m² per dag dat het terras buiten staat, met een "
        "minimum van € 25. U ziet het bedrag voor u de aanvraag verstuurt. U krijgt een "
        "factuur na de beslissing.</p>",
        "how_to_apply": "<p>Vul het formulier online in. Het duurt ongeveer 5 minuten. U "
        "kunt ook langskomen aan het loket.</p>",
        "processing_time": "<p>We beslissen binnen 30 dagen nadat we uw volledige aanvraag "
        "hebben ontvangen.</p>",
        "documents": "<ul><li>de naam en het ondernemingsnummer van uw zaak</li>"
        "<li>de grootte van het terras in m²</li><li>een schets met de plaats van het "
        "terras (mag ook later)</li></ul>",
        "legal_basis": "<p>Politiereglement op het gebruik van het openbaar domein en het "
        "retributiereglement terrassen van Gemeente Voorbeeld.</p>",
        "contact": _CONTACT_DESK,
        "faq": [
            (
                "Moet ik elk jaar opnieuw een vergunning aanvragen?",
                "<p>Nee. De vergunning geldt 5 jaar, zolang uw terras niet verandert.</p>",
            ),
            (
                "Mag ik parasols met reclame gebruiken?",
                "<p>Ja, als de reclame over uw eigen zaak of uw producten gaat. Voor andere "
                "reclame hebt u een reclamevergunning nodig.</p>",
            ),
            (
                "Wat als mijn terras in de winter blijft staan?",
                "<p>Dat mag tot 31 december als het in uw vergunning staat. Anders vraagt u "
                "een verlenging aan.</p>",
            ),
        ],
        "related": ["reclamevergunning", "inname-openbaar-domein"],
        "form": "terrace",
        "english": english.TERRACE_SERVICE,
    },
    {
        "slug": "evenementenvergunning",
        "topic": "evenementen",
        "suggest_for_nace": "56, 93",
        "title": "Evenement organiseren",
        "intro": "Organiseert u een markt, fuif, sportwedstrijd of buurtfeest? Vraag dan een "
        "evenementenvergunning aan.",
        "keywords": "evenement, fuif, feest, markt, braderie, concert, muziek, "
        "buurtfeest, evenementenvergunning",
        "call_to_action": "Evenement aanvragen",
        "what_it_is": "<p>Met een evenementenvergunning geeft de burgemeester toestemming "
        "voor uw evenement. De politie en de brandweer kijken mee of alles veilig is.</p>",
        "audience": "<p>Voor verenigingen, ondernemers en inwoners die een evenement "
        "organiseren dat open is voor het publiek.</p>",
        "conditions": "<ul><li>U vraagt de vergunning minstens 30 dagen vooraf aan. Bij meer "
        "dan 500 bezoekers 90 dagen vooraf.</li><li>Bij versterkte muziek volgt u de regels "
        "voor geluid (maximaal 95 decibel).</li><li>Bij meer dan 500 bezoekers maakt u een "
        "veiligheidsplan.</li></ul>",
        "cost": "<p>De vergunning is gratis. Leent u materiaal van de gemeente, zoals "
        "nadarhekken of podiumdelen? Dan betaalt u daarvoor.</p>",
        "how_to_apply": "<p>Vul het formulier online in. Houd de datum, het uur, de plaats en "
        "het aantal bezoekers bij de hand.</p>",
        "processing_time": "<p>De burgemeester beslist binnen 60 dagen. Bij een klein "
        "buurtfeest gaat het meestal sneller.</p>",
        "documents": "<ul><li>een plan van de plaats, met de podia, standen en "
        "nooduitgangen</li><li>bij meer dan 500 bezoekers: een veiligheidsplan</li></ul>",
        "legal_basis": "<p>Politiereglement evenementen van Gemeente Voorbeeld en Vlarem II "
        "(regels voor versterkte muziek).</p>",
        "contact": "<p>Dienst Evenementen, Markt 1, 9999 Voorbeeld<br/>Telefoon 09 123 45 80<br/>"
        '<a href="mailto:evenementen@voorbeeld.be">evenementen@voorbeeld.be</a></p>',
        "faq": [
            (
                "Heb ik ook een vergunning nodig voor een feest in mijn tuin?",
                "<p>Nee, niet voor een privéfeest. Wel als het feest open is voor iedereen of "
                "als u toegang laat betalen.</p>",
            ),
            (
                "Moet ik de straat laten afsluiten?",
                "<p>Dat vraagt u in hetzelfde formulier: zeg dat het evenement op straat of "
                "een plein is. De politie regelt de borden.</p>",
            ),
        ],
        "related": ["inname-openbaar-domein", "vraag-aan-het-loket"],
        "form": "event",
    },
    {
        "slug": "reclamevergunning",
        "topic": "vergunningen",
        "title": "Uithangbord of reclame plaatsen",
        "intro": "Wilt u een uithangbord, een opschrift, een vlag of een spandoek aan uw zaak "
        "hangen? Vraag dan een reclamevergunning aan.",
        "keywords": "reclame, uithangbord, lichtreclame, opschrift, vlag, spandoek, "
        "publiciteit, signalisatie",
        "call_to_action": "Reclamevergunning aanvragen",
        "what_it_is": "<p>Met een reclamevergunning mag u reclame plaatsen aan uw gevel of "
        "boven de stoep. De gemeente let erop dat reclame veilig is en dat de straat mooi "
        "blijft.</p>",
        "audience": "<p>Voor elke onderneming die reclame wil plaatsen die je vanaf de straat "
        "ziet.</p>",
        "conditions": "<ul><li>Een uithangbord steekt maximaal 1 meter uit voor de gevel en "
        "hangt minstens 2,5 meter boven de stoep.</li><li>Lichtreclame is uit tussen 23 en 6 "
        "uur.</li><li>Reclame mag niet knipperen en geen verkeersborden verbergen.</li></ul>",
        "cost": "<p>De vergunning kost € 50. Een tijdelijk spandoek (tot 30 dagen) is gratis.</p>",
        "how_to_apply": "<p>Vul het formulier online in en voeg een tekening of ontwerp toe. "
        "Een foto van uw gevel helpt ons.</p>",
        "processing_time": "<p>We beslissen binnen 30 dagen.</p>",
        "documents": "<ul><li>een tekening met de afmetingen en de plaats op de gevel</li>"
        "<li>een foto van de gevel zoals hij nu is</li></ul>",
        "legal_basis": "<p>Gemeentelijke stedenbouwkundige verordening over publiciteit. Voor "
        "grote reclame (meer dan 4 m²) hebt u soms ook een omgevingsvergunning nodig.</p>",
        "contact": _CONTACT_DESK,
        "faq": [
            (
                "Heb ik een vergunning nodig voor reclame op mijn raam?",
                "<p>Nee. Stickers en affiches aan de binnenkant van uw raam zijn vrij.</p>",
            ),
            (
                "Mijn vorige zaak had al een uithangbord. Moet ik opnieuw aanvragen?",
                "<p>Ja, als u het bord verandert. Houdt u het bord zoals het is? Dan niet.</p>",
            ),
        ],
        "related": ["gevelrenovatiepremie", "terrasvergunning"],
        "form": "signage",
    },
    {
        "slug": "gevelrenovatiepremie",
        "topic": "subsidies-en-premies",
        "title": "Premie voor de renovatie van uw gevel",
        "intro": "Knapt u de gevel van uw handelspand op? Dan krijgt u 40% van de kosten "
        "terug, tot € 5.000.",
        "keywords": "gevel, renovatie, premie, subsidie, etalage, schilderen, ramen, "
        "handelspand, gevelpremie",
        "call_to_action": "Gevelpremie aanvragen",
        "what_it_is": "<p>De gevelpremie is geld van de gemeente voor werken aan de voorgevel "
        "van een handelspand: schilderen, nieuwe ramen of deuren, een nieuwe etalage of het "
        "herstellen van de gevel.</p>",
        "audience": "<p>Voor eigenaars en huurders van een handelspand in Voorbeeld waar een "
        "zaak open is of binnen 6 maanden opent.</p>",
        "conditions": "<ul><li>De werken zijn nog niet begonnen als u de premie aanvraagt."
        "</li><li>De werken kosten minstens € 1.000 (zonder btw).</li><li>Een aannemer "
        "voert de werken uit.</li><li>Huurt u het pand? Dan gaat de eigenaar akkoord.</li>"
        "</ul>",
        "cost": "<p>De aanvraag is gratis. De premie is 40% van de kosten zonder btw, met een "
        "maximum van € 5.000.</p>",
        "how_to_apply": "<ol><li>Vraag offertes aan een aannemer.</li><li>Vul het formulier "
        "online in en voeg de offertes toe.</li><li>Wacht op onze beslissing voor u begint."
        "</li><li>Stuur de facturen als de werken klaar zijn. Dan betalen we de premie.</li>"
        "</ol>",
        "processing_time": "<p>We beslissen binnen 60 dagen. We betalen uit binnen 30 dagen "
        "nadat we de facturen hebben.</p>",
        "documents": "<ul><li>de offertes van de aannemer</li><li>als u huurt: een brief van "
        "de eigenaar dat hij akkoord gaat</li><li>uw rekeningnummer</li></ul>",
        "legal_basis": "<p>Subsidiereglement gevelrenovatie van handelspanden, goedgekeurd "
        "door de gemeenteraad van Gemeente Voorbeeld.</p>",
        "contact": _CONTACT_DESK,
        "faq": [
            (
                "Mag ik de werken zelf doen?",
                "<p>Nee. Alleen werken door een aannemer komen in aanmerking. Het materiaal "
                "dat u zelf koopt, telt niet mee.</p>",
            ),
            (
                "Kan ik de premie combineren met de startpremie?",
                "<p>Ja. De twee premies gaan over andere kosten.</p>",
            ),
        ],
        "related": ["startpremie-winkel-centrum", "reclamevergunning"],
        "form": "facade",
    },
    {
        "slug": "startpremie-winkel-centrum",
        "topic": "subsidies-en-premies",
        "title": "Startpremie voor een winkel in het centrum",
        "intro": "Opent u een winkel in een leeg pand in het centrum? Dan krijgt u een "
        "startpremie tot € 7.500.",
        "keywords": "startpremie, starterspremie, winkel, leegstand, centrum, "
        "kernwinkelgebied, nieuwe zaak, starter",
        "call_to_action": "Startpremie aanvragen",
        "what_it_is": "<p>De gemeente wil minder lege winkels in het centrum. Daarom krijgt u "
        "een premie als u een nieuwe winkel opent in een pand dat minstens 6 maanden leeg "
        "stond.</p>",
        "audience": "<p>Voor ondernemers die een winkel openen in het kernwinkelgebied: de "
        "Markt, de Kerkstraat, de Stationsstraat en de straten ertussen.</p>",
        "conditions": "<ul><li>Het pand stond minstens 6 maanden leeg.</li><li>De winkel is "
        "minstens 4 dagen per week open.</li><li>U vraagt de premie aan binnen 6 maanden "
        "na de opening.</li><li>Geen nachtwinkels, wedkantoren of zaken die alleen "
        "online verkopen.</li></ul>",
        "cost": "<p>De aanvraag is gratis. U krijgt de helft van uw huur in het eerste jaar, "
        "met een maximum van € 7.500. Koopt u het pand? Dan krijgt u een vaste premie van "
        "€ 5.000.</p>",
        "how_to_apply": "<p>Vul het formulier online in. Voeg uw huurcontract toe als u "
        "huurt. Een ondernemingsplan helpt ons, maar is niet verplicht.</p>",
        "processing_time": "<p>We beslissen binnen 45 dagen. De premie komt in twee delen: "
        "de helft na de beslissing, de rest na een jaar.</p>",
        "documents": "<ul><li>uw ondernemingsnummer</li><li>uw huurcontract of de "
        "aankoopakte</li><li>uw rekeningnummer</li></ul>",
        "legal_basis": "<p>Reglement startpremie voor handelszaken in het kernwinkelgebied "
        "van Gemeente Voorbeeld.</p>",
        "contact": _CONTACT_DESK,
        "faq": [
            (
                "Hoe weet ik of het pand lang genoeg leeg stond?",
                "<p>Vraag het aan het loket. Wij kijken het na in het register van leegstaande "
                "panden.</p>",
            ),
            (
                "Ik neem een bestaande winkel over. Krijg ik de premie?",
                "<p>Nee. De premie is alleen voor een winkel in een leeg pand.</p>",
            ),
        ],
        "related": ["gevelrenovatiepremie", "reclamevergunning", "ondernemingsnummer"],
        "form": "starter",
    },
    {
        "slug": "inname-openbaar-domein",
        "topic": "vergunningen",
        "title": "Plaats op straat voor laden, lossen of werken",
        "intro": "Hebt u plaats op straat nodig voor een container, een verhuislift, werken "
        "of om te laden en te lossen? Vraag dan een tijdelijke inname van het openbaar "
        "domein aan.",
        "keywords": "inname openbaar domein, laden en lossen, laadzone, container, "
        "verhuislift, werken, stelling, werfzone, parkeerverbod, signalisatie",
        "call_to_action": "Plaats op straat aanvragen",
        "what_it_is": "<p>Met deze toelating mag u een deel van de stoep, de parkeerstrook of "
        "de rijbaan tijdelijk gebruiken. U krijgt er borden 'parkeren verboden' bij als u "
        "dat vraagt.</p>",
        "audience": "<p>Voor ondernemers, aannemers, verhuisfirma's en inwoners.</p>",
        "conditions": "<ul><li>U vraagt minstens 10 dagen vooraf aan.</li><li>U zet de "
        "borden minstens 48 uur vooraf.</li><li>Voetgangers kunnen er veilig langs.</li>"
        "</ul>",
        "cost": "<p>€ 2 per meter per dag, met een minimum van € 15. Laden en lossen "
        "korter dan een halve dag is gratis.</p>",
        "how_to_apply": "<p>Vul het formulier online in.</p>",
        "processing_time": "<p>We beslissen binnen 10 werkdagen.</p>",
        "documents": "<ul><li>het adres en de dagen</li><li>hoeveel meter u nodig hebt</li></ul>",
        "legal_basis": "<p>Politiereglement op de tijdelijke inname van het openbaar domein "
        "en de wegcode.</p>",
        "contact": "<p>Dienst Mobiliteit, Markt 1, 9999 Voorbeeld<br/>Telefoon 09 123 45 70<br/>"
        '<a href="mailto:mobiliteit@voorbeeld.be">mobiliteit@voorbeeld.be</a></p>',
        "faq": [
            (
                "Wat als er toch een auto staat?",
                "<p>Bel de politie op 09 123 45 00. Zij laten de auto wegtakelen als de "
                "borden op tijd stonden.</p>",
            ),
            (
                "Moet ik een vaste laadzone aanvragen voor mijn winkel?",
                "<p>Een vaste laadzone vraagt u aan via een vraag aan het loket. Dit formulier "
                "is voor een tijdelijke inname.</p>",
            ),
        ],
        "related": ["terrasvergunning", "evenementenvergunning"],
        "form": "occupation",
    },
    {
        "slug": "vraag-aan-het-loket",
        "topic": "starten",
        "title": "Een vraag stellen aan het ondernemersloket",
        "intro": "Hebt u een vraag over uw zaak, een vergunning of een premie? Stel ze online "
        "of maak een afspraak.",
        "keywords": "vraag, afspraak, advies, loket, contact, hulp, starten",
        "call_to_action": "Vraag stellen",
        "what_it_is": "<p>Het ondernemersloket helpt u met alles wat u met de gemeente moet "
        "regelen voor uw zaak. Weet u niet welke dienst u nodig hebt? Stel uw vraag hier.</p>",
        "audience": "<p>Voor iedereen die een zaak heeft of wil beginnen in Voorbeeld.</p>",
        "cost": "<p>Gratis.</p>",
        "how_to_apply": "<p>Stel uw vraag online. Liever persoonlijk? Vraag in hetzelfde "
        "formulier een afspraak aan het loket.</p>",
        "processing_time": "<p>We antwoorden binnen 5 werkdagen.</p>",
        "contact": _CONTACT_DESK,
        "faq": [
            (
                "Helpen jullie ook met mijn ondernemingsnummer?",
                "<p>Dat regelt u bij een erkend ondernemingsloket. Wij vertellen u graag hoe "
                "het werkt.</p>",
            ),
        ],
        "related": ["ondernemingsnummer"],
        "form": "question",
    },
    {
        "slug": "melding-openbaar-domein",
        "topic": "ondernemen-in-het-centrum",
        "title": "Een probleem op straat melden",
        "intro": "Ziet u een kapotte stoep, een lamp die niet werkt of zwerfvuil bij uw zaak? "
        "Meld het ons.",
        "keywords": "melding, probleem, kapot, stoep, straatverlichting, zwerfvuil, "
        "sluikstort, defect, klacht",
        "call_to_action": "Probleem melden",
        "what_it_is": "<p>Met een melding laat u de gemeente weten dat er iets mis is op "
        "straat. De technische dienst gaat kijken en lost het op.</p>",
        "audience": "<p>Voor iedereen.</p>",
        "cost": "<p>Gratis.</p>",
        "how_to_apply": "<p>Vul het formulier online in. Een foto helpt ons om het snel te "
        "vinden.</p>",
        "processing_time": "<p>Gevaarlijke situaties lossen we binnen 24 uur op. De rest "
        "binnen 14 dagen.</p>",
        "contact": "<p>Technische dienst, telefoon 09 123 45 90. Is er gevaar? Bel de "
        "politie op 101.</p>",
        "faq": [
            (
                "Krijg ik te horen wat er met mijn melding gebeurt?",
                "<p>Ja, als u uw e-mailadres geeft. U kunt de melding ook anoniem doen.</p>",
            ),
        ],
        "related": ["vraag-aan-het-loket"],
        "form": "report",
    },
    {
        "slug": "ondernemingsnummer",
        "topic": "starten",
        "title": "Een ondernemingsnummer aanvragen",
        "intro": "Begint u als zelfstandige of met een vennootschap? Dan hebt u een "
        "ondernemingsnummer nodig. U vraagt het aan bij een erkend ondernemingsloket.",
        "keywords": "ondernemingsnummer, KBO, starten, zelfstandige, vennootschap, "
        "ondernemingsloket",
        "call_to_action": "Naar de erkende ondernemingsloketten",
        "external_url": "https://economie.fgov.be/nl/themas/ondernemingen/een-onderneming-"
        "oprichten/inschrijving-de-kruispuntbank",
        "what_it_is": "<p>Het ondernemingsnummer is het identiteitsnummer van uw onderneming "
        "in de Kruispuntbank van Ondernemingen (KBO).</p>",
        "audience": "<p>Voor iedereen die een onderneming start.</p>",
        "cost": "<p>De inschrijving kost ongeveer € 100. Het erkende ondernemingsloket zegt "
        "u het juiste bedrag.</p>",
        "how_to_apply": "<p>U regelt het bij een erkend ondernemingsloket van uw keuze, niet "
        "bij de gemeente.</p>",
        "legal_basis": "<p>Wetboek van economisch recht, boek III.</p>",
        "contact": _CONTACT_DESK,
        "related": ["vraag-aan-het-loket", "startpremie-winkel-centrum"],
    },
]

#: The assistant's synonyms: everyday words → the words the service pages use.
ASSISTANT_SYNONYMS = [
    ("terras", "inname openbaar domein"),
    ("reclamebord", "publiciteit"),
    ("food truck", "ambulante handel"),
    ("frituur", "horeca"),
]

#: Form pages: key → title, slug, steps, reference prefix, team, decision term.
FORMS = {
    "terrace": {
        "title": "Aanvraag terrasvergunning",
        "slug": "aanvraag-terras",
        # Translated completely: the demo's English form (cms.demo.english).
        "steps": english.translated_steps(
            forms.TERRACE_DEMO_STEPS, english.TERRACE_STEPS, english.TERRACE_FIELDS
        ),
        "calculations": forms.TERRACE_CALCULATIONS,
        "reference_prefix": "TER",
        "team": "Lokale economie",
        "decision_term_days": 30,
        # As the browser tests know it: no declaration to tick.
        "texts": {
            "intro": "<p>Dit duurt ongeveer 5 minuten.</p>",
            "confirmation_text": "<p>Bedankt. We bekijken uw aanvraag en laten u iets weten.</p>",
            **english.TERRACE_FORM,
        },
    },
    "event": {
        "title": "Aanvraag evenementenvergunning",
        "slug": "aanvraag-evenement",
        "steps": forms.EVENT_STEPS,
        "rules": forms.EVENT_RULES,
        "outcomes": forms.EVENT_OUTCOMES,
        "reference_prefix": "EVE",
        "team": "Evenementen",
        "decision_term_days": 60,
    },
    "signage": {
        "title": "Aanvraag reclamevergunning",
        "slug": "aanvraag-reclame",
        "steps": forms.SIGNAGE_STEPS,
        "reference_prefix": "REC",
        "team": "Lokale economie",
        "decision_term_days": 30,
    },
    "facade": {
        "title": "Aanvraag gevelrenovatiepremie",
        "slug": "aanvraag-gevelpremie",
        "steps": forms.FACADE_STEPS,
        "reference_prefix": "GEV",
        "team": "Lokale economie",
        "decision_term_days": 60,
    },
    "starter": {
        "title": "Aanvraag startpremie",
        "slug": "aanvraag-startpremie",
        "steps": forms.STARTER_STEPS,
        "calculations": forms.STARTER_CALCULATIONS,
        "reference_prefix": "STP",
        "team": "Lokale economie",
        "decision_term_days": 45,
    },
    "occupation": {
        "title": "Aanvraag inname openbaar domein",
        "slug": "aanvraag-inname",
        "steps": forms.OCCUPATION_STEPS,
        "reference_prefix": "IOD",
        "team": "Mobiliteit",
        "decision_term_days": 14,
    },
    "question": {
        "title": "Vraag aan het ondernemersloket",
        "slug": "vraag-stellen",
        "steps": forms.QUESTION_STEPS,
        "reference_prefix": "VRG",
        "team": "Lokale economie",
        "decision_term_days": 7,
    },
    "report": {
        "title": "Melding probleem op straat",
        "slug": "melding",
        "steps": forms.REPORT_STEPS,
        "reference_prefix": "MEL",
        "team": "Openbaar domein",
        "decision_term_days": 14,
    },
}

#: Teams and their shared mailbox.
TEAMS = {
    "Lokale economie": "economie@voorbeeld.be",
    "Evenementen": "evenementen@voorbeeld.be",
    "Mobiliteit": "mobiliteit@voorbeeld.be",
    "Openbaar domein": "openbaardomein@voorbeeld.be",
}

FORM_TEXTS = {
    "intro": "<p>Dit duurt ongeveer 5 minuten. U kunt tussendoor bewaren en later verder gaan.</p>",
    "confirmation_text": "<p>Bedankt. We bekijken uw aanvraag en laten u iets weten.</p>",
    "declaration_text": "<p>Ik verklaar dat ik alles naar waarheid heb ingevuld.</p>",
}

CONTACT_PAGE = {
    "slug": "contact",
    "title": "Contact en afspraak",
    "intro": "<p>U bent welkom aan het ondernemersloket in het gemeentehuis. Bel, mail of "
    "maak een afspraak.</p>",
    "appointment_text": "<p>Met een afspraak hoeft u niet te wachten en heeft de juiste "
    "medewerker tijd voor u. Een afspraak duurt meestal een halfuur. Zeg bij uw vraag "
    "waarover het gaat, dan kunnen we ons voorbereiden.</p>",
    "appointment_link_text": "Vraag stellen of afspraak maken",
    "body": "<h2>Zo vindt u ons</h2><p>Het gemeentehuis ligt aan de Markt. Met de bus: "
    "halte Markt (lijn 3 en 12). Met de fiets: fietsenstalling naast het gemeentehuis. "
    "Met de auto: parking Kerkstraat, 2 minuten te voet.</p><h2>Toegankelijkheid</h2>"
    "<p>Het loket is toegankelijk met een rolstoel. Er is een ringleiding voor mensen met "
    "een hoorapparaat.</p>",
}

#: The demo's privacy statement (plain Dutch, B1). The retention periods match the form
#: settings of the demo: unfinished applications 30 days, closed dossiers 24 months.
PRIVACY_STATEMENT = (
    "<h2>Wie is verantwoordelijk voor uw gegevens?</h2>"
    "<p>Gemeente Voorbeeld, Markt 1, 9999 Voorbeeld, is verantwoordelijk voor de gegevens "
    "die u via dit ondernemersloket doorgeeft. We volgen de Europese regels over privacy "
    "(de Algemene Verordening Gegevensbescherming, AVG of GDPR) en de Vlaamse regels over "
    "gegevensbescherming bij de overheid.</p>"
    "<h2>Welke gegevens vragen we?</h2>"
    "<ul><li>Uw naam, uw e-mailadres en uw telefoonnummer.</li>"
    "<li>De gegevens van uw onderneming: de naam, het ondernemingsnummer en het adres.</li>"
    "<li>Uw antwoorden op de vragen van het formulier en de documenten die u meestuurt.</li>"
    "<li>De berichten die u en de gemeente elkaar sturen over uw aanvraag.</li></ul>"
    "<p>We vragen alleen wat we nodig hebben om uw aanvraag te behandelen.</p>"
    "<h2>Waarom gebruiken we uw gegevens?</h2>"
    "<p>We gebruiken uw gegevens om uw aanvraag te behandelen en erover te beslissen, om u "
    "te laten weten hoe ver uw aanvraag staat en om u iets te vragen als er informatie "
    "ontbreekt. Dat is een taak van de gemeente: de wet vraagt ons om over vergunningen, "
    "premies en andere aanvragen te beslissen.</p>"
    "<p>We gebruiken uw gegevens niet voor reclame en we verkopen ze nooit. Moet een andere "
    "overheid mee beslissen, bijvoorbeeld de politie bij een evenement? Dan geven we haar "
    "alleen de gegevens die ze daarvoor nodig heeft.</p>"
    "<h2>Wie ziet uw gegevens?</h2>"
    "<p>Alleen de medewerkers van de gemeente die uw aanvraag behandelen. We houden bij "
    "wanneer een medewerker uw dossier opent of een document downloadt. Een firma beheert "
    "de website voor de gemeente. Die firma mag uw gegevens alleen gebruiken om de website "
    "te laten werken. Uw gegevens blijven in de Europese Unie.</p>"
    "<h2>Hoe lang bewaren we uw gegevens?</h2>"
    "<ul><li>Maakt u een aanvraag niet af? Dan wissen we ze na 30 dagen, samen met de "
    "documenten die u al had toegevoegd.</li>"
    "<li>Is uw dossier afgesloten? Dan bewaren we uw persoonsgegevens nog een tijd, voor "
    "het geval u of de gemeente er nog iets over wil weten. Voor de meeste aanvragen is dat "
    "2 jaar; voor sommige aanvragen is het korter of langer. Daarna wissen we "
    "automatisch uw naam, uw contactgegevens, de gegevens van uw onderneming, uw "
    "antwoorden, uw documenten en de berichten.</li>"
    "<li>We houden alleen het dossiernummer, de data, het verloop en de beslissing bij. "
    "Daarmee maken we statistieken, bijvoorbeeld hoeveel terrasvergunningen we geven. "
    "Daaruit kan niemand meer afleiden wie de aanvraag deed.</li>"
    "<li>Moet de gemeente een dossier volgens de wet langer bewaren, bijvoorbeeld voor het "
    "archief? Dan bewaren we het zo lang als de wet vraagt.</li></ul>"
    "<h2>Wat zijn uw rechten?</h2>"
    "<p>U hebt het recht om:</p>"
    "<ul><li>te weten welke gegevens we over u of uw onderneming hebben, en er een kopie "
    "van te krijgen;</li>"
    "<li>foute gegevens te laten verbeteren;</li>"
    "<li>uw gegevens te laten wissen als we ze niet meer nodig hebben en de wet ons niet "
    "verplicht om ze te bewaren;</li>"
    "<li>bezwaar te maken tegen hoe we uw gegevens gebruiken, of te vragen dat we ze minder "
    "gebruiken.</li></ul>"
    "<p>Loopt uw aanvraag nog en vraagt u om uw gegevens te wissen? Dan trekken we uw "
    "aanvraag in: zonder uw gegevens kunnen we ze niet verder behandelen.</p>"
    "<p>Via Mijn loket ziet u altijd uw eigen dossiers en de aanvragen die u nog niet "
    "afmaakte.</p>"
    "<h2>Hoe vraagt u dat?</h2>"
    '<p>Mail naar <a href="mailto:privacy@voorbeeld.be">privacy@voorbeeld.be</a> of schrijf '
    "naar Gemeente Voorbeeld, ter attentie van de functionaris voor gegevensbescherming, "
    "Markt 1, 9999 Voorbeeld. Zeg om welk e-mailadres of ondernemingsnummer het gaat. We "
    "vragen u misschien om te bewijzen wie u bent. Zo geven we uw gegevens nooit aan iemand "
    "anders. U krijgt binnen een maand een antwoord. Het is gratis.</p>"
    "<h2>De functionaris voor gegevensbescherming</h2>"
    "<p>De gemeente heeft een functionaris voor gegevensbescherming. Die controleert of de "
    "gemeente goed omgaat met uw gegevens en helpt u als u een vraag hebt. U bereikt de "
    'functionaris via <a href="mailto:privacy@voorbeeld.be">privacy@voorbeeld.be</a> of op '
    "09 123 45 60.</p>"
    "<h2>Bent u niet tevreden?</h2>"
    "<p>Laat het ons eerst weten. Vindt u dat we uw vraag niet goed behandelen? Dan kunt u "
    "een klacht indienen bij de Vlaamse Toezichtcommissie voor de verwerking van "
    "persoonsgegevens. Zij houdt toezicht op hoe Vlaamse overheden en gemeenten met "
    'persoonsgegevens omgaan: <a href="https://www.vlaamsetoezichtcommissie.be">'
    "www.vlaamsetoezichtcommissie.be</a>.</p>"
)

CONTENT_PAGES = [
    {
        "slug": "privacy",
        "title": "Privacyverklaring",
        "intro": "Hoe Gemeente Voorbeeld omgaat met uw gegevens als u iets aanvraagt via het "
        "ondernemersloket, en welke rechten u hebt.",
        "body": PRIVACY_STATEMENT,
    },
    {
        "slug": "toegankelijkheid",
        "title": "Toegankelijkheidsverklaring",
        "intro": "Gemeente Voorbeeld wil dat iedereen het ondernemersloket kan gebruiken.",
        "body": "<h2>Hoe toegankelijk is deze website?</h2><p>Deze website volgt de "
        "richtlijnen WCAG 2.1 op niveau AA. We testen elke pagina automatisch en met het "
        "toetsenbord.</p><h2>Lukt iets niet?</h2><p>Laat het ons weten via "
        '<a href="mailto:ondernemen@voorbeeld.be">ondernemen@voorbeeld.be</a> of bel '
        "09 123 45 67. We antwoorden binnen 5 werkdagen.</p>",
    },
]

FOOTER_LINKS = [
    {"label": "Website van Gemeente Voorbeeld", "url": "https://www.voorbeeld.be"},
]

#: The guided finder. Services are named by slug; ``next`` names the next question.
FINDER = {
    "slug": "welke-vergunning",
    "title": "Welke vergunning heb ik nodig?",
    "search_description": "Beantwoord een paar vragen. Dan weet u welke vergunning of "
    "premie u nodig hebt.",
    "intro": "<p>Beantwoord een paar korte vragen. Daarna ziet u welke vergunningen en "
    "premies bij uw plannen passen, en kunt u ze meteen aanvragen.</p><p>Het duurt "
    "ongeveer 1 minuut.</p>",
    "result_intro": "<p>Op basis van uw antwoorden raden we deze diensten aan. Twijfelt "
    "u nog? Stel dan uw vraag aan het loket.</p>",
    "questions": [
        {
            "name": "plan",
            "question": "Wat wilt u doen?",
            "hint": "Kies wat het best past. U kunt later nog terug.",
            "answers": [
                {"label": "Een terras plaatsen", "next": "terras-reclame"},
                {"label": "Een evenement organiseren", "next": "evenement-plaats"},
                {"label": "Reclame of een uithangbord plaatsen", "services": ["reclamevergunning"]},
                {"label": "Mijn gevel opknappen", "next": "gevel-reclame"},
                {"label": "Een winkel openen in het centrum", "next": "winkel-pand"},
                {
                    "label": "Plaats op straat voor laden, lossen of werken",
                    "services": ["inname-openbaar-domein"],
                },
                {
                    "label": "Een probleem op straat melden",
                    "services": ["melding-openbaar-domein"],
                },
                {"label": "Iets anders", "services": ["vraag-aan-het-loket"]},
            ],
        },
        {
            "name": "terras-reclame",
            "question": "Komt er reclame op het terras, zoals parasols met een merk?",
            "hint": "Reclame voor uw eigen zaak of uw eigen producten telt niet.",
            "answers": [
                {"label": "Ja", "services": ["terrasvergunning", "reclamevergunning"]},
                {"label": "Nee", "services": ["terrasvergunning"]},
            ],
        },
        {
            "name": "evenement-plaats",
            "question": "Waar vindt het evenement plaats?",
            "answers": [
                {
                    "label": "Op straat, een plein of in een park",
                    "services": ["evenementenvergunning", "inname-openbaar-domein"],
                    "advice": "<p>De politie zet de straat af als dat nodig is. Zeg dat in "
                    "uw aanvraag.</p>",
                },
                {
                    "label": "In een zaal of op een privéterrein",
                    "services": ["evenementenvergunning"],
                    "advice": "<p>Kijk na of de zaal een brandveiligheidsattest heeft.</p>",
                },
            ],
        },
        {
            "name": "gevel-reclame",
            "question": "Komt er ook nieuwe reclame op de gevel?",
            "answers": [
                {"label": "Ja", "services": ["gevelrenovatiepremie", "reclamevergunning"]},
                {"label": "Nee", "services": ["gevelrenovatiepremie"]},
            ],
        },
        {
            "name": "winkel-pand",
            "question": "Stond het pand minstens 6 maanden leeg?",
            "hint": "Weet u het niet zeker? Kies dan “Ik weet het niet”.",
            "answers": [
                {
                    "label": "Ja",
                    "next": "winkel-gevel",
                    "services": ["startpremie-winkel-centrum"],
                },
                {"label": "Nee", "next": "winkel-gevel"},
                {
                    "label": "Ik weet het niet",
                    "next": "winkel-gevel",
                    "services": ["vraag-aan-het-loket"],
                    "advice": "<p>Vraag het aan het loket: wij kijken het na in het "
                    "register van leegstaande panden.</p>",
                },
            ],
        },
        {
            "name": "winkel-gevel",
            "question": "Wilt u de gevel opknappen of een uithangbord hangen?",
            "answers": [
                {
                    "label": "Ja, allebei",
                    "services": ["gevelrenovatiepremie", "reclamevergunning"],
                },
                {"label": "Alleen een uithangbord", "services": ["reclamevergunning"]},
                {"label": "Alleen de gevel", "services": ["gevelrenovatiepremie"]},
                {
                    "label": "Nee",
                    "advice": "<p>Vergeet uw ondernemingsnummer niet als u nog moet starten.</p>",
                    "services": ["ondernemingsnummer"],
                },
            ],
        },
    ],
}

#: Sample dossiers: form key, answers by machine name, transitions to make.
SAMPLE_DOSSIERS = [
    (
        "event",
        {
            "bedrijfsnaam": "Jeugdhuis De Schakel",
            "naam": "Lien Martens",
            "email": "lien@deschakel.be",
            "telefoon": "+32470112233",
            "evenement": "Braderie Kerkstraat",
            "soort_evenement": "Markt of braderie",
            "periode": {"start": "2027-05-15", "end": "2027-05-16"},
            "dagen": [
                {"datum": "2027-05-15", "beginuur": "09:00", "einduur": "18:00"},
                {"datum": "2027-05-16", "beginuur": "10:00", "einduur": "17:00"},
            ],
            "locatie": "Kerkstraat",
            "openbaar_domein": True,
            "bezoekers": 800,
            "muziek": False,
            "drank": ["Frisdrank", "Bier en wijn"],
            "veiligheidsplan": "file:veiligheidsplan-braderie.pdf",
            "ehbo": True,
        },
        [("request_information", {"question": "Kunt u een plan van de standen bezorgen?"})],
    ),
    (
        "signage",
        {
            "bedrijfsnaam": "Kapsalon Lotte",
            "ondernemingsnummer": "0403170701",
            "naam": "Lotte Wouters",
            "email": "lotte@kapsalonlotte.be",
            "adres_reclame": {
                "street": "Stationsstraat",
                "number": "14",
                "box": "",
                "postcode": "9000",
                "municipality": "Gent",
            },
            "soort_reclame": "Uithangbord haaks op de gevel",
            "breedte": "0.80",
            "hoogte": "0.80",
            "uitsteek": 120,
            "verlicht": False,
            "ontwerp": "file:ontwerp-uithangbord.pdf",
        },
        [
            ("start_review", {}),
            (
                "reject",
                {
                    "decision": "Het uithangbord steekt 120 cm uit. Het reglement laat "
                    "maximaal 100 cm toe. U mag een nieuwe aanvraag doen met een kleiner bord."
                },
            ),
        ],
    ),
    (
        "facade",
        {
            "bedrijfsnaam": "Bakkerij Van Damme",
            "ondernemingsnummer": "0403170701",
            "naam": "Pieter Van Damme",
            "email": "pieter@bakkerijvandamme.be",
            "adres_pand": {
                "street": "Markt",
                "number": "7",
                "box": "",
                "postcode": "9000",
                "municipality": "Gent",
            },
            "eigenaar": "Ik ben eigenaar",
            "werken": ["Schilderwerk", "Nieuwe etalage"],
            "beschrijving": "De gevel schilderen en een nieuwe etalage met isolerend glas.",
            "kostprijs": "8400.00",
            "start_werken": "2027-03-01",
            "offertes": "file:offerte-schilderwerken.pdf",
            "iban": "BE68539007547034",
            "rekeninghouder": "Bakkerij Van Damme bv",
            "verklaring": True,
        },
        [("withdraw", {})],
    ),
    (
        "starter",
        {
            "bedrijfsnaam": "Boekhandel Het Leesteken",
            "ondernemingsnummer": "0403170701",
            "naam": "Sara El Amrani",
            "email": "sara@hetleesteken.be",
            "soort_zaak": "Boekhandel of cadeauwinkel",
            "adres_zaak": {
                "street": "Kerkstraat",
                "number": "22",
                "box": "",
                "postcode": "9000",
                "municipality": "Gent",
            },
            "opening": "2026-09-01",
            "eerste_zaak": True,
            "huur_of_koop": "Ik huur het pand",
            "huurprijs": "1100.00",
            "huurcontract": "file:huurcontract.pdf",
            "plan": "Een boekhandel met een leeshoek en activiteiten voor kinderen.",
            "iban": "BE68539007547034",
        },
        [
            ("start_review", {}),
            ("approve", {"decision": "U krijgt een startpremie van € 6.600."}),
            ("close", {}),
        ],
    ),
    (
        "occupation",
        {
            "bedrijfsnaam": "Verhuizingen Snel",
            "naam": "Tom Snel",
            "email": "tom@verhuizingensnel.be",
            "telefoon": "+32470998877",
            "reden": "Een verhuislift",
            "adres_inname": {
                "street": "Nieuwstraat",
                "number": "3",
                "box": "",
                "postcode": "9999",
                "municipality": "Voorbeeld",
                "address_id": "30000158",
                "street_id": "190008",
            },
            "periode_inname": {"start": "2026-12-10", "end": "2026-12-10"},
            "van": "08:00",
            "tot": "16:00",
            "lengte": 12,
            "rijbaan": False,
            "borden": True,
        },
        [
            ("start_review", {}),
            (
                "forward",
                {
                    "authority": "het Agentschap Wegen en Verkeer",
                    "message": "De Nieuwstraat is een gewestweg: het Agentschap Wegen en "
                    "Verkeer beslist over een inname van die weg.",
                },
            ),
        ],
    ),
    (
        "question",
        {
            "onderwerp": "Een zaak starten",
            "vraag": "Ik wil een koffiebar openen aan de Markt. Welke vergunningen heb ik nodig?",
            "afspraak": True,
            "voorkeur_dag": "2026-12-08",
            "dagdeel": ["Dinsdagavond"],
            "bedrijfsnaam": "Koffiebar Bonne Tasse",
            "naam": "Nora Claes",
            "email": "nora@bonnetasse.be",
        },
        [("start_review", {})],
    ),
]
