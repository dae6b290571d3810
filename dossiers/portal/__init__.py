"""Mijn loket: the applicant's account.

Applicants sign in without a password (:mod:`.tokens`, an e-mail link; other ways in
plug into :mod:`.identity`), see every dossier and unfinished draft of their e-mail
address (:mod:`.views`, :mod:`.services`) and get their company details prefilled in
new forms (:mod:`.prefill`).
"""
