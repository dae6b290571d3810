"""Messages between the applicant and the officers of a dossier, with files
(``services``, ``forms``, ``emails``)."""
