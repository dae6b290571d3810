"""The outbox: notifications are rows written with their event, sent by a Celery task.

Each kind of notification is one registered :class:`NotificationKind`: which events it
answers, who receives it, in which language, and what it says. Rendering happens when
the row is written (in the recipient's language), so what is sent is exactly what was
decided in the transaction; sending happens after commit, by :func:`deliver`.

What an e-mail says comes from the most specific editable text
(:class:`~dossiers.models.NotificationTemplate`, a snippet): the one for this kind,
this form and this language, else the one for this kind, every form and this language,
else the built-in file templates ``dossiers/emails/<template>_subject.txt`` and
``_body.txt``. Editable texts are plain text with placeholders in braces, such as
``{referentienummer}``; they are filled in by :func:`fill_in`, never by the Django
template engine, so an editor's text cannot reach anything but the placeholders' values.

Modules: :mod:`.kinds` (placeholders, the kinds and their registry), :mod:`.texts`
(editable texts), :mod:`.delivery` (writing and sending the rows), :mod:`.tasks`,
:mod:`.letters` (the decision letter) and :mod:`.receipt`.

Adding a kind in another module::

    @register
    class InformationRequested(NotificationKind):
        kind_id = "information_requested"
        label = _("Information requested (to the applicant)")
        template = "information_requested"  # the built-in text
        extra_placeholders = (
            Placeholder("vraag", _("the question of the municipality"), _("Which colour ...?")),
        )

        def matches(self, event):
            return event.type == EventType.STATUS_CHANGED and event.to_status == ...

        def placeholders(self, event):
            return {**super().placeholders(event), "vraag": event.data.get("question", "")}
"""
