"""Uploaded documents: only the kinds the programme accepts, recognised by their content, within the size limit."""

from __future__ import annotations

from pathlib import PurePath

import filetype
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

MAX_UPLOAD_BYTES = 20 * 1024 * 1024

# Extension -> the content type the file's own bytes must show.
ACCEPTED = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "odt": "application/vnd.oasis.opendocument.text",
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
}
ACCEPT_ATTRIBUTE = ",".join(f".{extension}" for extension in ACCEPTED)


def check_upload(upload: UploadedFile) -> str:
    """The file's content type, or a ValidationError (field "file") a user can act on."""
    extension = PurePath(upload.name or "").suffix.lower().lstrip(".")
    if extension not in ACCEPTED:
        raise ValidationError(
            {"file": [_("Files of this kind cannot be attached. Use PDF, DOCX, XLSX, ODT, PNG or JPEG.")]}
        )
    if upload.size > MAX_UPLOAD_BYTES:
        raise ValidationError(
            {
                "file": [
                    _("The file is %(size)s MB; the limit is 20 MB.")
                    % {"size": f"{upload.size / 1024 / 1024:.1f}".replace(".", ",")}
                ]
            }
        )
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    kind = filetype.guess(head)
    if kind is None or kind.mime != ACCEPTED[extension]:
        raise ValidationError(
            {
                "file": [
                    _("The file's content is not a %(kind)s file, although its name says so.")
                    % {"kind": extension.upper()}
                ]
            }
        )
    return kind.mime


__all__ = ["ACCEPTED", "ACCEPT_ATTRIBUTE", "MAX_UPLOAD_BYTES", "check_upload"]
