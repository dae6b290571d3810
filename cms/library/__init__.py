"""The shared library of services and forms (issue #20).

A library site (e.g. run by the province) publishes service pages and application
forms as *templates*, each version with a change note and its content frozen as a
document (:mod:`.kinds`). A municipality *adopts* a template: it gets its own copy under
its own site, which remembers the template and version it came from
(:class:`~.models.AdoptedPage`). When the library publishes a newer version, the
municipality's editors see what changed (:mod:`.changes`) and accept it, merge it or
keep their own page (:mod:`.services`). Nothing reaches a live page before an editor
publishes the draft an update saved.
"""
