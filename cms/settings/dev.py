"""The embedded default used by `make run`: SQLite, no broker, e-mails as files."""

import os

from .base import *  # noqa: F403
from .base import VAR_DIR, env_bool

DEBUG = env_bool("DEBUG", True)
SECRET_KEY = SECRET_KEY or "dev-only-insecure-key-do-not-use-in-production"  # noqa: F405

for folder in ("mail", "media", "private"):
    (VAR_DIR / folder).mkdir(parents=True, exist_ok=True)

# The demo pays online through the built-in test provider unless told otherwise.
LOKET_PAYMENT_PROVIDER = os.environ.get("LOKET_PAYMENT_PROVIDER", "test").strip().lower()

# The demo's second municipality answers at anderzijds.localhost (cms/demo/anderzijds.py).
if "ALLOWED_HOSTS" not in os.environ:
    ALLOWED_HOSTS = [*ALLOWED_HOSTS, ".localhost"]  # noqa: F405
