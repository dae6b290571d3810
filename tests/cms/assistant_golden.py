"""The assistant's golden set: Dutch questions as entrepreneurs type them, written from
the demo's services (cms/demo/content.py), each with the slugs of the pages that answer
it. ``None`` marks a question the demo site cannot answer: the assistant must refuse it.

Typos, everyday words and missing accents are on purpose. Add a question here when an
editor reports one that went wrong, with the page that should have answered it.
"""

ANSWERABLE: list[tuple[str, set[str]]] = [
    # terrace
    ("mag ik een terras zetten voor mijn frituur?", {"terrasvergunning"}),
    ("Hoeveel kost een terras per m2?", {"terrasvergunning"}),
    ("terasvergunning aanvragen", {"terrasvergunning"}),
    ("Moet ik elk jaar een nieuwe terrasvergunning aanvragen?", {"terrasvergunning"}),
    ("hoe hoog mag een windscherm zijn", {"terrasvergunning"}),
    ("tafels en stoelen op de stoep voor mijn café", {"terrasvergunning"}),
    ("mag mijn terras in de winter blijven staan", {"terrasvergunning"}),
    ("Tot hoe laat mag mijn terras buiten staan?", {"terrasvergunning"}),
    ("parasols met reclame van een brouwerij", {"terrasvergunning", "reclamevergunning"}),
    ("hoe lang duurt het voor ik mijn terrasvergunning krijg", {"terrasvergunning"}),
    # the finder's advice (its answers are passages that link to the finder)
    ("brandveiligheidsattest voor de zaal", {"welke-vergunning"}),
    (
        "welke vergunning heb ik nodig voor een evenement op een plein",
        {"evenementenvergunning", "welke-vergunning"},
    ),
    # events
    ("ik organiseer een fuif in de parochiezaal", {"evenementenvergunning"}),
    ("vergunning voor een buurtfeest", {"evenementenvergunning"}),
    ("heb ik een vergunning nodig voor een feest in mijn tuin", {"evenementenvergunning"}),
    ("hoe luid mag de muziek zijn op een concert", {"evenementenvergunning"}),
    ("wanneer moet ik mijn evenement aanvragen", {"evenementenvergunning"}),
    ("wat kost een evenementenvergunning", {"evenementenvergunning"}),
    ("kan ik nadarhekken lenen van de gemeente", {"evenementenvergunning"}),
    ("veiligheidsplan voor 800 bezoekers", {"evenementenvergunning"}),
    ("een braderie organiseren in onze straat", {"evenementenvergunning"}),
    ("moet de straat afgesloten worden voor ons evenement", {"evenementenvergunning"}),
    # advertising
    ("mag ik een reclamebord aan mijn gevel hangen", {"reclamevergunning"}),
    ("uithangbord plaatsen boven de stoep", {"reclamevergunning"}),
    ("lichtreclame 's nachts aan laten", {"reclamevergunning"}),
    ("wat kost een reclamevergunning?", {"reclamevergunning"}),
    ("stickers op mijn etalageraam, heb ik een vergunning nodig", {"reclamevergunning"}),
    ("spandoek ophangen voor de opening van mijn winkel", {"reclamevergunning"}),
    ("ik neem een zaak over met een bestaand uithangbord", {"reclamevergunning"}),
    ("publiciteit aan de gevel", {"reclamevergunning"}),
    # facade premium
    ("welke premie voor mijn gevel?", {"gevelrenovatiepremie"}),
    ("subsidie om de voorgevel van mijn winkel te schilderen", {"gevelrenovatiepremie"}),
    (
        "mag ik de werken aan mijn gevel zelf doen en toch een premie krijgen",
        {"gevelrenovatiepremie"},
    ),
    ("hoeveel is de gevelpremie", {"gevelrenovatiepremie"}),
    ("nieuwe etalage premie", {"gevelrenovatiepremie"}),
    ("ik huur het pand, kan ik een gevelrenovatiepremie krijgen", {"gevelrenovatiepremie"}),
    ("gevelrenovatie offerte aannemer", {"gevelrenovatiepremie"}),
    # starter premium
    ("startpremie voor een nieuwe winkel in het centrum", {"startpremie-winkel-centrum"}),
    (
        "ik open een winkel in een leeg pand op de markt, krijg ik geld?",
        {"startpremie-winkel-centrum"},
    ),
    ("leegstand premie", {"startpremie-winkel-centrum"}),
    (
        "kan ik de startpremie combineren met de gevelpremie",
        {"startpremie-winkel-centrum", "gevelrenovatiepremie"},
    ),
    (
        "ik neem een bestaande winkel over, krijg ik de starterspremie",
        {"startpremie-winkel-centrum"},
    ),
    ("hoe weet ik of het pand lang genoeg leeg stond", {"startpremie-winkel-centrum"}),
    ("premie voor een nachtwinkel", {"startpremie-winkel-centrum"}),
    # place on the street
    ("ik heb een container nodig op straat voor mijn verbouwing", {"inname-openbaar-domein"}),
    ("verhuislift plaatsen voor de deur", {"inname-openbaar-domein"}),
    ("parkeerverbod aanvragen voor laden en lossen", {"inname-openbaar-domein"}),
    ("er staat een auto op mijn gereserveerde plaats", {"inname-openbaar-domein"}),
    ("vaste laadzone voor mijn winkel", {"inname-openbaar-domein"}),
    ("stelling op de stoep voor werken aan mijn huis", {"inname-openbaar-domein"}),
    ("hoeveel kost een inname van het openbaar domein per dag", {"inname-openbaar-domein"}),
    # question to the desk
    ("ik wil een afspraak maken met het ondernemersloket", {"vraag-aan-het-loket"}),
    ("advies voor mijn zaak", {"vraag-aan-het-loket"}),
    ("binnen hoeveel dagen antwoorden jullie op een vraag", {"vraag-aan-het-loket"}),
    # reporting a problem
    ("de straatlamp voor mijn winkel is kapot", {"melding-openbaar-domein"}),
    ("zwerfvuil bij mijn zaak melden", {"melding-openbaar-domein"}),
    ("sluikstort naast de winkel", {"melding-openbaar-domein"}),
    ("kapotte stoep melden", {"melding-openbaar-domein"}),
    ("kan ik een melding anoniem doen", {"melding-openbaar-domein"}),
    # enterprise number
    ("hoe krijg ik een ondernemingsnummer", {"ondernemingsnummer"}),
    ("inschrijving in de KBO als zelfstandige", {"ondernemingsnummer"}),
    ("ik start een vennootschap, wat moet ik doen", {"ondernemingsnummer", "starten"}),
    # topics
    (
        "welke premies en subsidies zijn er voor ondernemers",
        {"subsidies-en-premies", "gevelrenovatiepremie", "startpremie-winkel-centrum"},
    ),
    ("een zaak beginnen in Voorbeeld", {"starten", "vraag-aan-het-loket"}),
    # more, in other words
    ("terrasje voor mijn koffiebar", {"terrasvergunning"}),
    ("hoeveel kost een terras per jaar", {"terrasvergunning"}),
    ("mag de muziek op mijn fuif tot 3 uur spelen", {"evenementenvergunning"}),
    ("evenement op het marktplein met 500 mensen", {"evenementenvergunning"}),
    ("vlag met mijn logo aan de gevel", {"reclamevergunning"}),
    ("lichtbak boven de deur van mijn zaak", {"reclamevergunning"}),
    ("hoeveel procent van mijn gevelrenovatie betalen jullie terug", {"gevelrenovatiepremie"}),
    ("premie voor nieuwe ramen in mijn winkelpand", {"gevelrenovatiepremie"}),
    (
        "huur betalen voor een winkel in het centrum, is daar steun voor",
        {"startpremie-winkel-centrum"},
    ),
    ("hoeveel dagen vooraf moet ik een container aanvragen", {"inname-openbaar-domein"}),
    ("steiger op het voetpad", {"inname-openbaar-domein"}),
    ("een put in de weg melden", {"melding-openbaar-domein"}),
    ("ondernemingsnummer voor een eenmanszaak", {"ondernemingsnummer"}),
]

OUT_OF_SCOPE: list[str] = [
    "hoe vraag ik een nieuwe identiteitskaart aan",
    "mijn rijbewijs is verlopen",
    "wanneer wordt het restafval opgehaald",
    "ik wil trouwen in het stadhuis",
    "bouwvergunning voor een veranda",
    "hoeveel kost een parkeerkaart voor bewoners",
    "waar kan ik mijn hond laten registreren",
    "inschrijving in de bibliotheek",
    "wat zijn de openingsuren van het zwembad",
    "ik zoek een kinderopvang voor mijn dochter",
    "hoe betaal ik mijn onroerende voorheffing",
    "aangifte van een geboorte",
    "ik wil een food truck op de markt",
    "verkiezingen stemmen volmacht",
    "paspoort voor een reis naar Amerika",
    "mijn buren maken te veel lawaai 's nachts",
    "subsidie voor zonnepanelen op mijn huis",
    "hoe word ik lid van de voetbalclub",
    "weer morgen in voorbeeld",
    "recept voor stoofvlees met frietjes",
    "hoe vraag ik een uittreksel uit het strafregister aan",
    "waar kan ik mijn grofvuil kwijt",
    "een kat adopteren uit het asiel",
    "mijn fiets is gestolen",
    "adreswijziging na mijn verhuis",
    "belastingaangifte personenbelasting invullen",
]
