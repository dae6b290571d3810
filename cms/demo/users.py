"""The demo's accounts (demo only: printed by `make run` and listed in README.md)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class DemoUser:
    username: str
    password: str
    role: str


#: Demo-only accounts; printed by `make run` and listed in README.md.
DEMO_USERS = [
    DemoUser("admin", "loket-admin", "beheerder (alles)"),
    DemoUser("redacteur", "loket-redacteur", "redacteur (pagina's en formulieren)"),
    DemoUser("behandelaar", "loket-behandelaar", "behandelaar, in elk team van de demo"),
    DemoUser("teamleider", "loket-teamleider", "teamleider, team Lokale economie"),
    DemoUser("financien", "loket-financien", "financiën (betalingen, uittreksels, uitbetalingen)"),
]

#: The second municipality's accounts (cms/demo/anderzijds.py; demo only), printed too.
MUNICIPALITY_USERS = [
    DemoUser("redacteur-anderzijds", "loket-anderzijds", "redacteur, Gemeente Anderzijds"),
    DemoUser("behandelaar-anderzijds", "loket-anderzijds", "behandelaar, Gemeente Anderzijds"),
    DemoUser("regio", "loket-regio", "behandelaar, regionaal loket (Voorbeeld en Anderzijds)"),
]
