"""What the grant cycle's services share: locking a case's row, the checks every service begins with, the timeline
entries that are not steps, and the form fields a draft may change."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractUser
from django.core.files.uploadedfile import UploadedFile
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _

from luk_portal.errors import LukError, NotAllowed
from luk_portal.formats import format_kroner

from ..files import check_upload
from ..models import Application, CaseEvent, ProgressReport, Project

MAX_PROJECT_YEARS = 10
RStatus = ProgressReport.Status


def event(
    *,
    actor: AbstractUser,
    action: str,
    comment: str = "",
    from_status: str = "",
    to_status: str = "",
    internal: bool = False,
    **case: models.Model,
) -> CaseEvent:
    """A timeline entry that is not a step (steps.take writes those): `case` is application=, county_plan= or
    project=."""
    return CaseEvent.objects.create(
        **case,
        actor=actor,
        at=timezone.now(),
        action=action,
        comment=comment,
        from_status=from_status,
        to_status=to_status,
        internal=internal,
    )


def require(condition: bool, message: str) -> None:
    if not condition:
        raise NotAllowed(message)


def locked_application(application: Application) -> Application:
    return (
        Application.objects.select_for_update(of=("self",))
        .select_related("funding_round", "funding_round__county", "funding_round__programme", "lead_municipality")
        .get(pk=application.pk)
    )


def locked_project(project: Project) -> Project:
    return (
        Project.objects.select_for_update(of=("self",))
        .select_related("county", "lead_municipality", "application__funding_round__programme")
        .get(pk=project.pk)
    )


def locked_report(report: ProgressReport) -> ProgressReport:
    return ProgressReport.objects.select_for_update(of=("self",)).select_related("project").get(pk=report.pk)


def require_active(project: Project) -> None:
    if project.status != Project.Status.ACTIVE:
        raise LukError(
            _("The project is %(status)s; nothing more can be done on it.")
            % {"status": project.get_status_display().lower()}
        )


def fields_set(obj: models.Model, fields: dict[str, Any], *, allowed: tuple[str, ...], service: str) -> None:
    """Set a draft's fields from a form (None: the field's default); a field outside `allowed` is a bug."""
    unknown = set(fields) - set(allowed)
    if unknown:
        raise TypeError(f"{service} does not change {sorted(unknown)}")
    for name, value in fields.items():
        setattr(obj, name, value if value is not None else obj._meta.get_field(name).get_default())


def upload_keep(model: type[models.Model], *, upload: UploadedFile, by: AbstractUser, **owner: Any) -> Any:
    """Keep an uploaded file as an attachment of `owner`; its type is checked by its content, its size too."""
    content_type = check_upload(upload)
    attachment = model(**owner, name=upload.name[:255], content_type=content_type, size=upload.size, uploaded_by=by)
    attachment.file.save(upload.name, upload, save=False)
    attachment.save()
    return attachment


def final_report_approved(project: Project) -> bool:
    return project.reports.filter(final=True, status=RStatus.APPROVED).exists()


def more_than_applied(requested: int) -> str:
    """The message when an amount is more than was applied for."""
    return _("The amount cannot be more than applied for (%(requested)s).") % {"requested": format_kroner(requested)}
