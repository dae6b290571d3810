"""``python -m tests.bench.kbo_extract [--enterprises N] [--keep PATH]``: time the KBO
import on a synthetic extract of realistic shape.

Writes a full extract with N enterprises (default 200,000) to a ZIP, streamed, with the
register's files and columns, then imports it twice into the configured database
(``DATABASE_URL``; the import needs an empty or disposable register) and an update of 1 %
of it, and prints the timings as one JSON line. The shape per enterprise follows the real
national extract (about 1.9 million enterprises), measured on the files it writes: 1.0
establishments, 1.7 names, 2.0 addresses, 0.3 contacts and 14 activities (NACE 2008 and
2025, for the enterprise and its establishments). 90 % of the enterprises have their
seat in the postcodes served (the case of an installation for all of Flanders), 10 %
elsewhere, and 2 % of the seats are struck off. See docs/OPERATIONS.md, "Timings".
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import random
import tempfile
import time
import zipfile

POSTCODES = [str(code) for code in range(9000, 9100, 10)]
ELSEWHERE = "1000"


def enterprise_number(index: int) -> str:
    digits = f"{20_000_000 + index:08d}"
    digits = f"{digits}{97 - int(digits) % 97:02d}"
    return f"{digits[:4]}.{digits[4:7]}.{digits[7:]}"


def establishment_number(index: int, nth: int) -> str:
    digits = f"2{index * 2 + nth:09d}"
    return f"{digits[0]}.{digits[1:4]}.{digits[4:7]}.{digits[7:]}"


def _address(entity, kind, postcode, street, house, struck=""):
    return [
        *(entity, kind, "België", "Belgique", postcode, "Gent", "Gand", street, street),
        *(house, "", "", struck),
    ]


def synthetic_rows(enterprises: int, seed: int = 7):
    """The rows of each file, per enterprise: yields (file name, row)."""
    rnd = random.Random(seed)
    nace = ["56101", "56301", "47111", "96021", "10711", "62010", "41201", "69201", "86210"]
    for index in range(enterprises):
        number = enterprise_number(index)
        here = rnd.random() < 0.9
        postcode = rnd.choice(POSTCODES) if here else ELSEWHERE
        struck = "01-06-2026" if rnd.random() < 0.02 else ""
        yield "enterprise", [number, "AC", "000", "2", "610", "", "01-01-2015"]
        yield "denomination", [number, "2", "001", f"Onderneming {index} BV"]
        if rnd.random() < 0.6:
            yield "denomination", [number, "1", "001", f"Entreprise {index} SRL"]
        yield "address", _address(number, "REGO", postcode, "Veldstraat", str(index % 300))
        if struck:
            yield "address", _address(number, "REGO", postcode, "Oudstraat", "1", struck)
        if rnd.random() < 0.3:
            yield "contact", [number, "ENT", "EMAIL", f"info{index}@example.org"]
        for code in rnd.sample(nace, 4):
            for version in ("2008", "2025"):
                yield "activity", [number, "001", version, code, "MAIN"]
        for nth in range(rnd.choice([0, 1, 1, 1, 1, 1, 2])):
            unit = establishment_number(index, nth)
            yield "establishment", [unit, "01-01-2016", number]
            yield "address", _address(unit, "BAET", rnd.choice(POSTCODES), "Markt", str(nth))
            if rnd.random() < 0.1:
                yield "denomination", [unit, "2", "003", f"Zaak {index}-{nth}"]
            for code in rnd.sample(nace, 3):
                for version in ("2008", "2025"):
                    yield "activity", [unit, "001", version, code, "MAIN"]


def write_extract(path: str, enterprises: int) -> dict[str, int]:
    """Write a full extract to ``path``, streamed; returns the rows per file."""
    from cms.demo.companies import HEADERS, meta_rows

    counts: dict[str, int] = {}
    writers = {}
    # zipfile writes one member at a time: each file goes to a scratch file first.
    scratch = tempfile.mkdtemp(prefix="kbo-")
    handles = {}
    for name in ("enterprise", "establishment", "denomination", "address", "contact", "activity"):
        handles[name] = open(os.path.join(scratch, f"{name}.csv"), "w", newline="")
        writers[name] = csv.writer(handles[name], quoting=csv.QUOTE_ALL, lineterminator="\n")
        writers[name].writerow(HEADERS[name])
    for name, row in synthetic_rows(enterprises):
        writers[name].writerow(row)
        counts[name] = counts.get(name, 0) + 1
    for handle in handles.values():
        handle.close()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        text = io.StringIO()
        csv.writer(text, quoting=csv.QUOTE_ALL, lineterminator="\n").writerows(
            [HEADERS["meta"], *meta_rows(200, "full", "01-11-2026")]
        )
        archive.writestr("meta.csv", text.getvalue())
        archive.writestr(
            "code.csv",
            '"Category","Code","Language","Description"\n'
            '"JuridicalForm","610","NL","Besloten vennootschap"\n',
        )
        for name in handles:
            archive.write(os.path.join(scratch, f"{name}.csv"), f"{name}.csv")
            os.remove(os.path.join(scratch, f"{name}.csv"))
    os.rmdir(scratch)
    return counts


def update_extract(enterprises: int) -> bytes:
    """An update that deletes 1 % of the enterprises' names and re-inserts them renamed."""
    from cms.demo.companies import meta_rows, zip_extract

    numbers = [enterprise_number(index) for index in range(0, enterprises, 100)]
    return zip_extract(
        {
            "meta": meta_rows(201, "update", "01-12-2026"),
            "enterprise_delete": [],
            "enterprise_insert": [[n, "AC", "000", "2", "610", "", "01-01-2015"] for n in numbers],
            "establishment_delete": [],
            "establishment_insert": [],
            "denomination_delete": [[n] for n in numbers],
            "denomination_insert": [[n, "2", "001", f"Nieuwe naam {n}"] for n in numbers],
            "address_delete": [],
            "address_insert": [],
            "contact_delete": [],
            "contact_insert": [],
            "activity_delete": [],
            "activity_insert": [],
        }
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--enterprises", type=int, default=200_000)
    parser.add_argument("--keep", help="write the ZIP here and keep it")
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.dev")
    import django

    django.setup()
    from django.db import connection

    from dossiers.companies.importer import import_extract

    path = args.keep or os.path.join(tempfile.gettempdir(), "kbo-synthetic.zip")
    started = time.monotonic()
    counts = write_extract(path, args.enterprises)
    generated = time.monotonic() - started
    timings = []
    cpu_before = time.process_time()
    for _run in range(2):
        started = time.monotonic()
        with open(path, "rb") as fileobj:
            result = import_extract(fileobj, postcodes=POSTCODES, imported_by="bench")
        timings.append(round(time.monotonic() - started, 1))
    client_cpu = (time.process_time() - cpu_before) / 2
    started = time.monotonic()
    import_extract(io.BytesIO(update_extract(args.enterprises)), postcodes=POSTCODES)
    update = round(time.monotonic() - started, 1)
    rows = sum(counts.values())
    print(
        json.dumps(
            {
                "database": connection.vendor,
                "enterprises": args.enterprises,
                "rows_in_extract": rows,
                "rows_per_file": counts,
                "zip_mb": round(os.path.getsize(path) / 1e6, 1),
                "generate_s": round(generated, 1),
                "full_import_s": timings,
                "rows_per_s": round(rows / min(timings)),
                "client_cpu_s_per_import": round(client_cpu, 1),
                "load_average": os.getloadavg()[0],
                "kept": result.counts,
                "update_1pct_s": update,
            }
        )
    )
    if not args.keep:
        os.remove(path)


if __name__ == "__main__":
    main()
