"""Findable: what search engines and chat previews read about the public site.

- :mod:`.metadata`: a page's description (the editor's search description, else the
  page's own summary), its canonical address, its Open Graph tags and, for a service,
  schema.org ``GovernmentService`` data. ``base.html`` renders them through the
  ``findable`` template tags.
- :mod:`.views`: ``/sitemap.xml`` (Wagtail's sitemap, per Site, public live pages only,
  without form steps) and ``/robots.txt`` (keeps crawlers out of the admin, the
  applicants' own pages and the forms, and points to the sitemap).

What may be found is decided here and nowhere else: :data:`.metadata.STEP_PAGE_TYPES`
and :data:`.views.PRIVATE_PATHS`.
"""
