"""Language selection for a Dutch-first site."""

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class ChosenLanguageMiddleware(LocaleMiddleware):
    """Dutch unless the visitor chose another language.

    Django's LocaleMiddleware also follows the browser's Accept-Language header, which
    would show a municipality's desk in English to anyone whose browser is set to
    English. Here only an explicit choice counts: the language cookie that Django's
    ``set_language`` view sets. Wagtail's admin still uses each user's own preference.
    """

    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        supported = {code for code, _name in settings.LANGUAGES}
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
