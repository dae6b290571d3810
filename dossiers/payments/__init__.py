"""Asking for payment (issue #17): payment requests with a Belgian structured
communication and an EPC QR code, shown on the status page, in an e-mail and in a PDF.

- references.py  the structured communication (OGM/VCS): making and checking one
- epc.py         the EPC QR code: its payload, checked before it is drawn
- services.py    the use cases: request, change the amount, cancel, mark paid
- emails.py      the e-mail that says what to pay (a notification kind of the outbox)
- document.py    the PDF payment request
- views.py       the PDF behind the status-page link

Online payment providers and bank-statement reconciliation plug in at
:func:`services.mark_paid` (with their own ``source``) and
:func:`services.find_open_request` (a statement line's structured communication).
"""
