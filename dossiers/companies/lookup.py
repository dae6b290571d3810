"""The imported KBO open data as a company register for enterprise number fields.

Registered with ``forms_builder.lookups`` when ``DossiersConfig.ready()`` imports this
module. Texts are the Dutch ones of the register where it has them (the register's
language codes: 2 Dutch, 1 French, 0 unknown), else the French ones.
"""

from __future__ import annotations

from django.db.models import Case, IntegerField, Value, When

from dossiers.models import CompanyAddress, CompanyName, Enterprise, Establishment, RegisterCode
from forms_builder.lookups import CompanyRecord, CompanyRegister, register

#: Names in this order of preference: Dutch, unknown, French, German, English.
LANGUAGE_ORDER = Case(
    When(language="2", then=Value(0)),
    When(language="0", then=Value(1)),
    When(language="1", then=Value(2)),
    default=Value(3),
    output_field=IntegerField(),
)


def company_name(entity_number: str) -> str:
    """The entity's name: its legal name (001) first, else a trade name (003)."""
    name = (
        CompanyName.objects.filter(entity_number=entity_number)
        .order_by("name_type", LANGUAGE_ORDER)
        .values_list("name", flat=True)
        .first()
    )
    return name or ""


def code_description(category: str, code: str) -> str:
    """The register's description of ``code`` (Dutch, else French), or the code."""
    if not code:
        return ""
    descriptions = dict(
        RegisterCode.objects.filter(category=category, code=code).values_list(
            "language", "description"
        )
    )
    return descriptions.get("NL") or descriptions.get("FR") or code


def address_parts(address: CompanyAddress) -> dict:
    """An address as an address field stores it."""
    return {
        "street": address.street_nl or address.street_fr,
        "number": address.house_number,
        "box": address.box,
        "postcode": address.postcode,
        "municipality": address.municipality_nl or address.municipality_fr,
    }


def format_establishment_number(number: str) -> str:
    """``2123456789`` → ``2.123.456.789``, as the register writes it."""
    return f"{number[0]}.{number[1:4]}.{number[4:7]}.{number[7:]}" if len(number) == 10 else number


def one_line_address(parts: dict) -> str:
    box = f" bus {parts['box']}" if parts["box"] else ""
    return f"{parts['street']} {parts['number']}{box}, {parts['postcode']} {parts['municipality']}"


@register
class KboOpenDataRegister(CompanyRegister):
    """Enterprises imported from the KBO open-data extract (``manage.py import_kbo``)."""

    register_id = "kbo_open_data"

    def find(self, number: str) -> CompanyRecord | None:
        enterprise = Enterprise.objects.filter(number=number).first()
        if enterprise is None:
            return None
        addresses = CompanyAddress.objects.filter(entity_number=number).order_by(
            # The seat (REGO) before any other address.
            Case(
                When(address_type="REGO", then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        seat = addresses.first()
        establishments = []
        for establishment in Establishment.objects.filter(enterprise_number=number).order_by(
            "number"
        ):
            line = format_establishment_number(establishment.number)
            name = company_name(establishment.number)
            if name:
                line += f" {name}"
            place = CompanyAddress.objects.filter(entity_number=establishment.number).first()
            if place is not None:
                line += f" – {one_line_address(address_parts(place))}"
            establishments.append(line)
        return CompanyRecord(
            number=number,
            name=company_name(number),
            legal_form=code_description("JuridicalForm", enterprise.juridical_form),
            address=address_parts(seat) if seat is not None else None,
            establishments=establishments,
            active=enterprise.is_active,
        )
