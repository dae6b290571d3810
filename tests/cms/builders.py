"""Small builders for the public site's tests."""

from cms.models import FinderPage, ServicePage, TopicPage


def make_topic(parent, title="Vergunningen", **kwargs) -> TopicPage:
    kwargs.setdefault("slug", title.lower().replace(" ", "-"))
    return parent.add_child(instance=TopicPage(title=title, **kwargs))


def make_service(parent, title="Terrasvergunning aanvragen", **kwargs) -> ServicePage:
    kwargs.setdefault("slug", title.lower().replace(" ", "-"))
    kwargs.setdefault("intro", f"Samenvatting van {title}.")
    return parent.add_child(instance=ServicePage(title=title, **kwargs))


def question(name, text, *answers, hint="") -> dict:
    """Raw StreamField data of one finder question; ``answers`` from :func:`answer`."""
    return {
        "type": "question",
        "value": {"name": name, "question": text, "hint": hint, "answers": list(answers)},
    }


def answer(label, next_question="", services=(), advice="") -> dict:
    return {
        "label": label,
        "next_question": next_question,
        "services": [service.pk for service in services],
        "advice": advice,
    }


def make_finder(parent, *questions, **kwargs) -> FinderPage:
    kwargs.setdefault("slug", "welke-vergunning")
    kwargs.setdefault("title", "Welke vergunning heb ik nodig?")
    return parent.add_child(instance=FinderPage(questions=list(questions), **kwargs))
