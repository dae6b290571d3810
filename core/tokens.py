"""Secret link tokens: what the database keeps of them.

A secret link (sign-in, address confirmation, advice) carries a random token; the
database keeps only its SHA-256, so a copy of the database opens no link. The tokens
have 192 bits or more of randomness, so a plain hash (no salt, no slow hash) suffices,
and looking a row up by its hash keeps the comparison in the database.
"""

import hashlib


def hash_token(token: str) -> str:
    """The hex SHA-256 of ``token``: what the database keeps."""
    return hashlib.sha256(token.encode()).hexdigest()
