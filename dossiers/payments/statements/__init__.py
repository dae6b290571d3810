"""Bank statements (issue #17): finance staff upload the bank's statement files, and
every movement is booked.

- parsed.py    what a statement file says, whatever its format (ParsedStatement, lines)
- coda.py      the Belgian CODA format (Febelfin, version 2.6)
- camt.py      ISO 20022 camt.053 (versions 001.02 to 001.13), read with defusedxml
- services.py  reading a file once, booking each line once (by structured
               communication), matching a line by hand

A credit line with a structured communication of a payment request pays it (fully,
partly or too much: the rest becomes a refund); a debit line whose end-to-end id is a
dossier's reference pays out its grant (:mod:`dossiers.payments.payouts`).
"""
