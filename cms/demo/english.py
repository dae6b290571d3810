"""The demo's English texts: the home page, the permits topic, the terrace service and
its application form, translated completely, as an editor fills in the "English" tab
and the questions' "in English" settings (core.translation, forms_builder.translation)."""

from __future__ import annotations

import copy

#: The home page's English texts; its announcements stay Dutch (marked so).
HOME = {
    "title_en": "Business desk",
    "intro_en": "<p>Everything for businesses in the municipality of Voorbeeld: permits, "
    "grants and questions to the desk. Online, when it suits you.</p>",
}

#: The topic pages' English texts, by slug.
TOPICS = {
    "vergunningen": {
        "title_en": "Permits",
        "intro_en": "<p>For some things you need permission from the municipality, such as "
        "a terrace or a shop sign. Not sure? Use the questionnaire “Which permit do I "
        "need?”.</p>",
    },
}

#: The terrace service page's English texts (``<name>_en``).
TERRACE_SERVICE = {
    "title_en": "Apply for a terrace permit",
    "intro_en": "Do you want to put a terrace on the pavement or on a square? Then you "
    "need a permit.",
    "call_to_action_en": "Apply for a terrace permit",
    "what_it_is_en": "<p>With a terrace permit you may put tables and chairs on public "
    "ground: the pavement, a square or a parking space. The permit says where the terrace "
    "may stand, how big it is and from when until when.</p>",
    "audience_en": "<p>For cafés, restaurants, bakeries and other businesses that sell food "
    "or drinks in Voorbeeld.</p>",
    "conditions_en": "<ul><li>At least 1.5 metres of the pavement stays free for people on "
    "foot, wheelchairs and prams.</li><li>The terrace is in front of your own business."
    "</li><li>Windscreens are transparent and at most 1.8 metres high.</li><li>After 11 pm "
    "you take the terrace inside.</li></ul>",
    "cost_en": "<p>You pay € 0.30 per m² for every day the terrace stands outside, at least "
    "€ 25. You see the amount before you send the application. You get an invoice after "
    "the decision.</p>",
    "how_to_apply_en": "<p>Fill in the form online. It takes about 5 minutes. You can also "
    "come to the desk.</p>",
    "processing_time_en": "<p>We decide within 30 days after we received your complete "
    "application.</p>",
    "documents_en": "<ul><li>the name and enterprise number of your business</li><li>the "
    "size of the terrace in m²</li><li>a sketch showing where the terrace stands (may "
    "also come later)</li></ul>",
    "legal_basis_en": "<p>Police regulation on the use of public ground and the terrace "
    "fee regulation of the municipality of Voorbeeld.</p>",
    "contact_en": "<p>Business desk, Markt 1, 9999 Voorbeeld<br/>Phone 09 123 45 67<br/>"
    '<a href="mailto:ondernemen@voorbeeld.be">ondernemen@voorbeeld.be</a></p>',
    "faq_en": [
        (
            "Do I have to apply for a permit again every year?",
            "<p>No. The permit is valid for 5 years, as long as your terrace does not change.</p>",
        ),
        (
            "May I use parasols with advertising?",
            "<p>Yes, if the advertising is about your own business or your products. For "
            "other advertising you need an advertising permit.</p>",
        ),
        (
            "What if my terrace stays outside in winter?",
            "<p>That is allowed until 31 December if your permit says so. Otherwise you "
            "apply for an extension.</p>",
        ),
    ],
}

#: The terrace form page's own English texts.
TERRACE_FORM = {
    "title_en": "Terrace permit application",
    "intro_en": "<p>This takes about 5 minutes.</p>",
    "confirmation_text_en": "<p>Thank you. We will look at your application and let you know.</p>",
}

#: The terrace form's steps in English, by their Dutch title.
TERRACE_STEPS = {
    "Uw onderneming": {
        "title_en": "Your business",
        "intro_en": "<p>Who applies for the permit?</p>",
    },
    "Uw terras": {"title_en": "Your terrace"},
    "Waar en hoe lang?": {"title_en": "Where and how long?"},
}

#: The terrace form's questions in English, by their machine name.
TERRACE_FIELDS = {
    "bedrijfsnaam": {"label_en": "Name of the business"},
    "naam": {"label_en": "Your name"},
    "email": {
        "label_en": "Your e-mail address",
        "help_text_en": "We send the confirmation and every change to this address.",
    },
    "adres": {"label_en": "Address of the business"},
    "oppervlakte": {"label_en": "Size of the terrace (m²)"},
    "startdatum": {"label_en": "From when do you want to put the terrace outside?"},
    "soort": {
        "label_en": "Kind of terrace",
        "choices_en": ["Open terrace", "Terrace with windscreens", "Covered terrace"],
        "required_message_en": "Choose the kind of terrace",
    },
    "opmerkingen": {"label_en": "Remarks"},
    "terraszone": {
        "label_en": "Where will the terrace be?",
        "help_text_en": "Draw the terrace on the map: then we measure its size and count "
        "with that. You do not draw it? Then the size you gave before counts.",
    },
    "dagen": {
        "label_en": "How many days does the terrace stand outside?",
        "help_text_en": "Count every day of the period, also the days your business is closed.",
    },
}


def translated_steps(steps: list[dict], step_texts: dict, field_texts: dict) -> list[dict]:
    """A copy of raw StreamField ``steps`` with the English texts filled in."""
    steps = copy.deepcopy(steps)
    for step in steps:
        value = step["value"]
        value.update(step_texts.get(value["title"], {}))
        for field in value["fields"]:
            field["value"].update(field_texts.get(field["value"].get("name"), {}))
    return steps
