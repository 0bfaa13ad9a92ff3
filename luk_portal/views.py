"""The portal's health check and error pages (the public front page is programmes.views.home)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.views.decorators.http import require_GET


@login_not_required
def not_offered(request: HttpRequest, **kwargs: str) -> HttpResponse:
    """A page a library brings that the portal does not offer."""
    raise Http404


@login_not_required
@require_GET
def health(request: HttpRequest) -> JsonResponse:
    """For the load balancer: the database and the cache answer."""
    checks = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
    except Exception:  # noqa: BLE001 - any failure is "down" to a health check
        checks["database"] = "down"
    try:
        cache.set("luk-health", "ok", 5)
        checks["cache"] = "ok" if cache.get("luk-health") == "ok" else "down"
    except Exception:  # noqa: BLE001
        checks["cache"] = "down"
    healthy = all(value == "ok" for value in checks.values())
    return JsonResponse(checks, status=200 if healthy else 503)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "403.html", status=403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    # No request context: whatever failed (the database, say) must not fail the error page too.
    return HttpResponseServerError(loader.get_template("500.html").render({"plain": True}))
