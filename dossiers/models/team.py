"""Teams of officers: who handles which forms."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import models
from django.utils.translation import gettext_lazy as _


class TeamQuerySet(models.QuerySet):
    def serving(self, site):
        """The teams that handle dossiers of ``site`` (a Site or its id)."""
        return self.filter(sites=getattr(site, "pk", site))


class Team(models.Model):
    """A group of officers that handles the dossiers of one or more forms.

    Who is in the team is managed with Wagtail's users and groups: the members of
    :attr:`group` are its officers, the members of :attr:`lead_group` its team leads
    (a lead is an officer of the team too). See :mod:`dossiers.permissions`.
    """

    name = models.CharField(_("name"), max_length=100, unique=True)
    group = models.OneToOneField(
        Group,
        verbose_name=_("user group"),
        on_delete=models.PROTECT,
        related_name="team",
        help_text=_(
            "The officers of the team are the members of this group. The group needs "
            "access to the Wagtail admin."
        ),
    )
    lead_group = models.OneToOneField(
        Group,
        verbose_name=_("user group of the team leads"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="led_team",
        help_text=_(
            "Team leads may also give dossiers to another officer of the team and reopen "
            "closed dossiers. The group needs access to the Wagtail admin."
        ),
    )
    #: The municipalities (Wagtail Sites) whose dossiers the team handles; a team with
    #: several is a regional desk. Its officers see the dossiers of exactly these sites
    #: (dossiers.permissions); a team without sites sees no dossiers.
    sites = models.ManyToManyField(
        "wagtailcore.Site",
        verbose_name=_("municipalities"),
        blank=True,
        related_name="teams",
        help_text=_(
            "The municipalities whose dossiers this team handles. A team with several "
            "municipalities is a regional desk. Without a municipality the team sees no "
            "dossiers."
        ),
    )
    email = models.EmailField(
        _("team e-mail address"),
        blank=True,
        help_text=_("Receives notifications about dossiers that nobody has taken yet."),
    )

    objects = TeamQuerySet.as_manager()

    class Meta:
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def serves(self, site) -> bool:
        """Whether the team handles dossiers of ``site`` (a Site or its id)."""
        site_id = getattr(site, "pk", site)
        if site_id is None:
            return False
        return self.sites.filter(pk=site_id).exists()

    def members(self):
        """The active users of the team (officers and leads), by name."""
        groups = [pk for pk in (self.group_id, self.lead_group_id) if pk]
        return (
            get_user_model()
            .objects.filter(is_active=True, groups__in=groups)
            .distinct()
            .order_by("first_name", "last_name", "username")
        )
