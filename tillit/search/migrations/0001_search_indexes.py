"""GIN indexes for full-text search, on PostgreSQL only.

Expression indexes on the tables of other apps (the plan's elements, the measures, the
activities), built from the very expressions the search filters on (tillit/search/
vectors.py). On SQLite, which has no such indexes, the migration does nothing: the
fallback search there reads the rows (docs/search.md).
"""

from django.contrib.postgres.indexes import GinIndex
from django.db import migrations

# Frozen copies of vectors.INDEXED and INDEX_NAMES as of this migration.
INDEXES = (
    ("planning", "PlanNode", ("title",), ("description", "strategy"), "search_plannode_fts"),
    ("measures", "Measure", ("title",), ("description",), "search_measure_fts"),
    ("activities", "Activity", ("title",), ("description", "result"), "search_activity_fts"),
)


def _indexes(apps):
    from django.contrib.postgres.search import SearchVector

    for app_label, model_name, title, body, name in INDEXES:
        vector = SearchVector(*title, weight="A", config="swedish") + SearchVector(
            *body, weight="B", config="swedish"
        )
        yield apps.get_model(app_label, model_name), GinIndex(vector, name=name)


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for model, index in _indexes(apps):
        schema_editor.add_index(model, index)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for model, index in _indexes(apps):
        schema_editor.remove_index(model, index)


class Migration(migrations.Migration):
    dependencies = [
        ("planning", "0003_operational_plan"),
        ("measures", "0002_import_job"),
        ("activities", "0001_initial"),
    ]

    operations = [migrations.RunPython(create, drop, elidable=False)]
