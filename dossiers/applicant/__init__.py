"""The applicant's side of a dossier: the status page, its actions and file downloads."""
