"""Why an action on a dossier was refused. The message is for the person who tried."""


class ActionRefused(Exception):
    """The action is not allowed now (wrong status, role or input)."""


class ConcurrentChange(ActionRefused):
    """Someone else changed the dossier after the actor loaded it; nothing was changed."""
