"""Corrections to Wagtail's own Dutch catalogue, as the Dutch admin shows it.

Wagtail's Dutch translations glue words to their placeholders in a few places
("1-4van 4pagina's", "aangemaakt inLoket", "%(editor)sheeft"). Django looks in
``LOCALE_PATHS`` before an app's own catalogue, so the msgids below, translated
in ``locale/nl``, win over Wagtail's. They are listed here (never called) so that
``makemessages`` keeps them in the project's catalogue; the test
``tests/cms/test_wagtail_dutch.py`` checks each is translated and that Wagtail has
no new slip of this kind that the project does not correct.
"""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

WAGTAIL_CORRECTIONS = (
    _("%(start_index)s-%(end_index)s of %(items_count)s %(model_name)s"),
    _(
        "%(start_index)s-%(end_index)s of %(items_count)s %(model_name)s in "
        "'<span class=\"w-title-ellipsis\">%(title)s</span>'."
    ),
    _('%(editor)s has updated comments on "%(title)s".'),
    _('%(editor)s has updated comments on "%(title)s"'),
    _("%(action)s by <b>%(who)s</b> at <b>%(at)s</b>"),
    _("%(status_display)s %(task_name)s %(started_at)s"),
    _("%(related_model_name)s %(field_label)s"),
    _("Delete %(snippet_type_name)s"),
    _("Are you sure you want to delete %(count)s %(snippet_type_name)s?"),
    ngettext_lazy(
        "It will also delete %(translation_count)s translations and their combined "
        "%(translation_descendant_count)s translated child page.",
        "It will also delete %(translation_count)s translations and their combined "
        "%(translation_descendant_count)s translated child pages.",
        "translation_descendant_count",
    ),
    ngettext_lazy(
        '%(total)s Image <span class="w-sr-only">created in %(site_name)s</span>',
        '%(total)s Images <span class="w-sr-only">created in %(site_name)s</span>',
        "total",
    ),
    ngettext_lazy(
        "%(count)d %(model_name)s deleted.",
        "%(count)d %(model_name)s deleted.",
        "count",
    ),
    ngettext_lazy(
        "%(num_parent_objects)d user has been marked as inactive",
        "%(num_parent_objects)d users have been marked as inactive",
        "num_parent_objects",
    ),
)
