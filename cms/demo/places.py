"""The streets and addresses of Gemeente Voorbeeld, from a small file in the address
register's own format (``files/adressen-voorbeeld.csv``, see dossiers.places.importer).

``load_demo`` imports it for the demo municipality's NIS code, so the road-works form's
address question offers the demo streets. Importing again changes nothing.
"""

from __future__ import annotations

from pathlib import Path

from dossiers.places.importer import import_addresses

#: The demo file and the demo municipality's (made-up) NIS code.
DEMO_ADDRESSES = Path(__file__).resolve().parent / "files" / "adressen-voorbeeld.csv"
DEMO_NIS_CODE = "99999"


def ensure_demo_addresses() -> None:
    with DEMO_ADDRESSES.open("rb") as fileobj:
        import_addresses(
            fileobj,
            municipality=DEMO_NIS_CODE,
            file_name=DEMO_ADDRESSES.name,
            imported_by="load_demo",
        )
