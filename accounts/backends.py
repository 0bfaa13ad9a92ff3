"""An authentication backend that only refuses: the per-user limit across addresses (accounts.throttle).

It stands first in AUTHENTICATION_BACKENDS. It also notes on the request whether the attempt was refused
before any password was checked, so that the event log does not count such attempts as guesses.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied

from .throttle import user_locked_until


class UserLimitBackend:
    def authenticate(self, request: Any, username: str | None = None, password: str | None = None, **kwargs: Any):
        if request is None or not username:
            return None
        if user_locked_until(username=username) is not None:
            request.luk_refused = "throttled"
            # AxesMiddleware answers with the lockout page (429) when this is set.
            request.axes_locked_out = True
            raise PermissionDenied
        from axes.handlers.proxy import AxesProxyHandler

        if AxesProxyHandler.is_locked(request, {"username": username}):
            request.luk_refused = "locked"
        return None

    # No get_user(): the backend signs nobody in, so force_login and sessions never pick it.
