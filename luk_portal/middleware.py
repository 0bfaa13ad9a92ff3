"""Cross-cutting request handling: default language, idle and absolute session age."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import patch_vary_headers

Handler = Callable[[HttpRequest], HttpResponse]

SESSION_LOGIN_AT = "luk_login_at"
SESSION_SEEN_AT = "luk_seen_at"


class DefaultLanguageMiddleware:
    """Activate the language the person chose (the language cookie), else nynorsk.

    Unlike Django's LocaleMiddleware, the browser's Accept-Language is not consulted: the portal is a
    Norwegian public-sector service whose default is nynorsk; the switcher on every page changes it.
    """

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response
        self.codes = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request: HttpRequest) -> HttpResponse:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        language = chosen if chosen in self.codes else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language  # type: ignore[attr-defined]
        response = self.get_response(request)
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", language)
        translation.deactivate()
        return response


class SessionAbsoluteAgeMiddleware:
    """End a session SESSION_ABSOLUTE_AGE seconds after login, however active it has been; and keep an active
    session alive: its idle expiry (SESSION_COOKIE_AGE) moves on when the person makes a request, written at
    most once per SESSION_REFRESH_SECONDS rather than on every request (a write per page view costs more than
    most pages)."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = time.time()
            logged_in_at = request.session.get(SESSION_LOGIN_AT)
            if logged_in_at is None:
                request.session[SESSION_LOGIN_AT] = now
            elif now - logged_in_at > settings.SESSION_ABSOLUTE_AGE:
                logout(request)
                return self.get_response(request)
            if now - request.session.get(SESSION_SEEN_AT, 0) >= settings.SESSION_REFRESH_SECONDS:
                request.session[SESSION_SEEN_AT] = now  # modified: saved with a new expiry
        return self.get_response(request)


class PrivateCacheMiddleware:
    """Send every answer to a signed-in person (pages, htmx fragments, downloads, exports), and every answer within
    a sign-in under way, with `Cache-Control: private, no-store`: no browser or shared cache keeps case data.

    Public pages to a person with no session keep whatever caching their view chose.
    """

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if request.user.is_authenticated or (session is not None and session.session_key is not None):
            response.headers["Cache-Control"] = "private, no-store"
            response.headers.pop("Expires", None)
        return response
