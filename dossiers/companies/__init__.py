"""Company data from the public register (KBO/CBE open data): importing the monthly
extract (importer.py), looking a company up for a form (lookup.py), comparing a dossier's
answers with the register (services.py), the administrators' screen (admin_views.py)."""
