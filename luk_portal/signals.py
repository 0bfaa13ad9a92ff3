import time

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from .middleware import SESSION_LOGIN_AT, SESSION_SEEN_AT


@receiver(user_logged_in)
def remember_login_time(sender, request, user, **kwargs) -> None:  # type: ignore[no-untyped-def]
    if request is not None and hasattr(request, "session"):
        # Login writes the session: its idle expiry starts now, and need not be written again at once.
        request.session[SESSION_LOGIN_AT] = request.session[SESSION_SEEN_AT] = time.time()
