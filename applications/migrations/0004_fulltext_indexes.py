"""GIN indexes for the lists' Norwegian full-text search (selectors.search_cases), on PostgreSQL only.

Each index is on the very expression the search filters by (SearchVector(..., config="norwegian")), so
PostgreSQL can use it. Other databases (SQLite, the embedded default) search with icontains and get no index.
The indexes are not part of the models' state: nothing else needs to know of them.
"""

from __future__ import annotations

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector
from django.db import migrations

CONFIG = "norwegian"
INDEXES = {
    # The application list searches title and summary; the payment and report lists search the project's title.
    "application": GinIndex(SearchVector("title", "summary", config=CONFIG), name="application_fulltext"),
    "project": GinIndex(SearchVector("title", config=CONFIG), name="project_fulltext"),
}


def add_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for model_name, index in INDEXES.items():
        schema_editor.add_index(apps.get_model("applications", model_name), index)


def remove_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for model_name, index in INDEXES.items():
        schema_editor.remove_index(apps.get_model("applications", model_name), index)


class Migration(migrations.Migration):
    dependencies = [
        ("applications", "0003_internal_timeline_entries"),
    ]

    operations = [
        migrations.RunPython(add_indexes, remove_indexes, elidable=False),
    ]
