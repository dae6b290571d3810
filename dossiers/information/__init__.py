"""Asking the applicant for more information: the request, the answer page with its
corrections and documents, reminders, and the e-mails (``services``, ``forms``,
``views``, ``emails``)."""
