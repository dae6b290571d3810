"""The CODA reader gives back every movement a CODA writer puts in (hypothesis), and
the builder makes the committed fixture byte for byte."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from dossiers.payments.statements import coda
from tests.dossiers.finance.coda_builder import Movement
from tests.dossiers.finance.coda_builder import coda as write_coda
from tests.dossiers.finance.conftest import fixture_bytes


def ogm_of(base: int) -> str:
    digits = f"{base:010d}"
    return digits + f"{int(digits) % 97 or 97:02d}"


movements = st.builds(
    Movement,
    bank_reference=st.text(alphabet="ABCDEF0123456789", min_size=1, max_size=21),
    amount=st.decimals(
        min_value=Decimal("-99999.99"), max_value=Decimal("99999.99"), places=2
    ).filter(lambda amount: amount != 0),
    ogm=st.one_of(st.just(""), st.integers(1, 10**10 - 1).map(ogm_of)),
    free=st.text(alphabet="abcdefghij klmnop0123456789", max_size=100),
    counterparty_name=st.text(alphabet="ABCDEFGHIJ KLMNOP", max_size=35),
)


@settings(max_examples=50, deadline=None)
@given(st.lists(movements, min_size=1, max_size=6, unique_by=lambda m: m.bank_reference))
def test_every_movement_comes_back(written):
    parsed = coda.parse(write_coda("BE71096123456769", "GEMEENTE", "071226", written).encode())
    assert parsed.account == "BE71096123456769"
    assert [line.amount for line in parsed.lines] == [m.amount for m in written]
    assert [line.structured_reference for line in parsed.lines] == [m.ogm for m in written]
    assert [line.bank_reference for line in parsed.lines] == [
        m.bank_reference.strip() for m in written
    ]
    for line, move in zip(parsed.lines, written, strict=True):
        if not move.ogm:
            assert line.communication == " ".join(move.free.split())


def test_the_fixture_is_the_builders():
    expected = write_coda(
        "BE71096123456769",
        "GEMEENTE VOORBEELD",
        "041226",
        [
            Movement(
                "0412A1B2C3D4E5F6G7H8I",
                Decimal("150.00"),
                "090000000151",
                "",
                "BE68539007547034",
                "CAFE DE MARKT BV",
                "GKCCBEBB",
            ),
            Movement(
                "0412A1B2C3D4E5F6G7H8J",
                Decimal("50.00"),
                "090000000252",
                "",
                "BE62510007547061",
                "BISTRO HET HOEKJE",
                "BBRUBEBB",
            ),
            Movement(
                "0412A1B2C3D4E5F6G7H8K",
                Decimal("75.00"),
                "",
                "terras juni markt 1 factuur",
                "BE43068999999501",
                "IJSSALON VENEZIA",
                "GKCCBEBB",
            ),
            Movement(
                "0412A1B2C3D4E5F6G7H8L",
                Decimal("200.00"),
                "090000000353",
                "",
                "BE68539007547034",
                "BAKKERIJ VAN DAMME",
                "GKCCBEBB",
            ),
            Movement("0412A1B2C3D4E5F6G7H8M", Decimal("-12.50"), "", "KOSTEN REKENING NOVEMBER"),
        ],
    )
    assert expected.encode("latin-1") == fixture_bytes("statement.cod")
