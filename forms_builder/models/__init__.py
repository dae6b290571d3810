"""Application forms as Wagtail pages, their frozen schema snapshots, and drafts.

One module per model, all re-exported here. Modules that the page's routes import (the
wizard, drafts, views, tasks, the schema) import from the submodules
(``from .models.draft import Draft``), not from this package: the package imports the
page, so importing it from those would be an import cycle.
"""

from ..library import ReusableStep  # noqa: F401 - the reusable-step snippet model
from .closing_days import ClosingDays
from .draft import Draft, new_resume_key
from .form_page import ApplicationFormPage, TermStart
from .map_settings import MapSettings
from .snapshot import FormSnapshot
from .step_counts import CompletionTime, StepCount
from .upload_types import UploadFileType

__all__ = [
    "ApplicationFormPage",
    "ClosingDays",
    "CompletionTime",
    "Draft",
    "FormSnapshot",
    "MapSettings",
    "ReusableStep",
    "StepCount",
    "TermStart",
    "UploadFileType",
    "new_resume_key",
]
