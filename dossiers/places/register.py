"""The imported address register as the address register of address questions.

Registered with ``forms_builder.streets`` when ``DossiersConfig.ready()`` imports this
module. Only streets and addresses in use (status "current") are offered and accepted.
"""

from __future__ import annotations

import re

from django.db.models import Count

from dossiers.models import Address, AddressImport, PlaceStatus, Street
from forms_builder.streets import (
    AddressRegister,
    LocatedAddress,
    RegisteredAddress,
    RegisteredStreet,
    comparable,
    register,
    split_house_number,
)


def _street(street: Street) -> RegisteredStreet:
    return RegisteredStreet(
        street_id=street.street_id,
        name=street.name_nl,
        nis_code=street.nis_code,
        municipality=street.municipality,
    )


def _number_value(number: str) -> int | None:
    digits = re.match(r"\d+", number or "")
    return int(digits.group()) if digits else None


@register
class FlemishAddressRegister(AddressRegister):
    """Streets and addresses imported with ``manage.py import_addresses``."""

    register_id = "flemish_address_register"

    def municipality(self, nis_code: str = "") -> tuple[str, str] | None:
        streets = Street.objects.filter(status=PlaceStatus.CURRENT)
        if not nis_code:
            # The municipality the last limited import was for, else the one with the
            # most streets (an installation imports its own municipality).
            last = (
                AddressImport.objects.exclude(municipality="")
                .values_list("municipality", flat=True)
                .first()
            )
            if last and streets.filter(nis_code=last).exists():
                nis_code = last
            else:
                largest = (
                    streets.values("nis_code")
                    .annotate(size=Count("id"))
                    .order_by("-size", "nis_code")
                    .first()
                )
                if largest is None:
                    return None
                nis_code = largest["nis_code"]
        found = streets.filter(nis_code=nis_code).values_list("municipality", flat=True).first()
        return (nis_code, found) if found else None

    def search_streets(self, query: str, nis_code: str, limit: int) -> list[RegisteredStreet]:
        wanted = comparable(query)
        if not wanted:
            return []
        streets = Street.objects.filter(
            nis_code=nis_code, status=PlaceStatus.CURRENT, search_name__contains=wanted
        )
        starting = list(streets.filter(search_name__startswith=wanted)[:limit])
        rest = list(
            streets.exclude(pk__in=[street.pk for street in starting])[: limit - len(starting)]
        )
        return [_street(street) for street in starting + rest]

    def street_named(self, name: str, nis_code: str) -> RegisteredStreet | None:
        wanted = comparable(name)
        street = Street.objects.filter(
            nis_code=nis_code, status=PlaceStatus.CURRENT, search_name=wanted
        ).first()
        return _street(street) if wanted and street else None

    def find_address(
        self, street: RegisteredStreet, number: str, box: str
    ) -> RegisteredAddress | None:
        candidates = Address.objects.filter(
            street__street_id=street.street_id,
            status=PlaceStatus.CURRENT,
            house_number__iexact=number.strip(),
        )
        box = box.strip()
        for address in candidates:
            if comparable(address.box_number) == comparable(box):
                return RegisteredAddress(
                    address_id=address.address_id,
                    street=street,
                    number=address.house_number,
                    box=address.box_number,
                    postcode=address.postcode,
                )
        return None

    def postcode_near(self, street: RegisteredStreet, number: str) -> str:
        wanted = _number_value(number) or 0
        postcodes = Address.objects.filter(street__street_id=street.street_id).values_list(
            "house_number", "postcode"
        )
        best = None
        for house_number, postcode in postcodes.iterator():
            value = _number_value(house_number)
            distance = abs(value - wanted) if value is not None else 10**9
            if best is None or distance < best[0]:
                best = (distance, postcode)
        return best[1] if best else ""

    def locate(self, query: str, limit: int) -> list[LocatedAddress]:
        street_part, number = split_house_number(query)
        wanted = comparable(street_part)
        if not wanted:
            return []
        addresses = Address.objects.filter(
            status=PlaceStatus.CURRENT,
            street__status=PlaceStatus.CURRENT,
            street__search_name__contains=wanted,
            latitude__isnull=False,
            longitude__isnull=False,
        )
        if number:
            addresses = addresses.filter(house_number__istartswith=number)
        rows = addresses.select_related("street").order_by(
            "street__name_nl", "house_number", "box_number"
        )[:limit]
        return [
            LocatedAddress(
                label=str(address),
                latitude=float(address.latitude),
                longitude=float(address.longitude),
            )
            for address in rows
        ]
