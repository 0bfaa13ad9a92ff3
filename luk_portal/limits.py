"""How much a person may type or send: the longest texts and the most rows a form takes.

A limit is shown beside its field ("At most 10 000 characters.") and checked by the form and again by the
model's validators, so neither a browser without `maxlength` nor a service called from code stores more.
"""

from __future__ import annotations

from typing import Any

from django.core.validators import MaxLengthValidator
from django.db import models

# Characters, by kind of text.
SUMMARY = 2_000  # the application's short summary, shown in lists, exports and the open data
SECTION = 10_000  # a section of an application or a report: background, goals, activities, results, ...
PLAN_SECTION = 20_000  # a county plan's activities and budget
REASONS = 5_000  # reasons and conditions of recommendations, decisions, payments and change requests
COMMENT = 5_000  # comments and messages: a return for changes, a decision comment, a timeline entry
FIXED_DATES = 2_000  # the report schedule's dates, one a line

# Rows of one list (budget lines, partners, milestones, indicators) in one post.
ROWS = 100


def limited_text(verbose_name: Any = None, *, limit: int, **kwargs: Any) -> models.TextField:
    """A TextField that takes at most `limit` characters: its forms get `maxlength`, full_clean checks it."""
    return models.TextField(verbose_name, max_length=limit, validators=[MaxLengthValidator(limit)], **kwargs)
