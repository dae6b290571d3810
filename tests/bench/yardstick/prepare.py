"""Create the yardstick's plain page and its Site (``python -m tests.bench.yardstick.prepare``)."""

import os

import django


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.bench.yardstick.settings")
    django.setup()
    from wagtail.models import Page, Site

    root = Page.get_first_root_node()
    page = Page.objects.filter(slug="yardstick", depth=2).first()
    if page is None:
        page = root.add_child(instance=Page(title="Wonen en verhuizen", slug="yardstick"))
    Site.objects.update_or_create(
        hostname="yardstick.test", port=80, defaults={"root_page": page, "site_name": "Yardstick"}
    )


if __name__ == "__main__":
    main()
