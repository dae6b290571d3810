"""Statistics per form, for the editors of that form.

- :mod:`.counts`: the counts per form, day and step, kept as drafts are saved and sent,
  that outlive the drafts (``StepCount``, ``CompletionTime``);
- :mod:`.figures`: the numbers of one form in a period, in a constant number of
  aggregate queries (the counts here; dossiers, decisions and ratings come from the submit
  handler, :meth:`forms_builder.submission.SubmitHandler.form_figures`, so this package
  imports nothing of ``dossiers``);
- :mod:`.charts`: bar charts drawn on the server as accessible SVG;
- :mod:`.views`: the statistics page of a form and the list under Reports.

Nothing personal is counted: a draft records only the number of the furthest step it
completed (``Draft.furthest_step``), and the counts only numbers per day and step.
"""
