"""The PostgreSQL full-text vectors of what is searched, and their GIN indexes.

Each searchable table has one vector: its title with weight A, its other texts with
weight B, in the `swedish` text search configuration. The query filters on exactly the
expression the index was built on (migrations/0001 builds it from `INDEXED` below), so
PostgreSQL answers `vector @@ query` from the index instead of reading every row.
Change a vector here and you must add a migration that rebuilds its index; the test
`test_postgres_uses_the_gin_indexes` fails until you do.
"""

from __future__ import annotations

from django.contrib.postgres.search import SearchVector

CONFIG = "swedish"

# model label → (title fields, other text fields), as indexed.
INDEXED: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "planning.PlanNode": (("title",), ("description", "strategy")),
    "measures.Measure": (("title",), ("description",)),
    "activities.Activity": (("title",), ("description", "result")),
}

INDEX_NAMES = {
    "planning.PlanNode": "search_plannode_fts",
    "measures.Measure": "search_measure_fts",
    "activities.Activity": "search_activity_fts",
}


def weighted_vector(title, body) -> SearchVector:
    """setweight(to_tsvector(title), 'A') || setweight(to_tsvector(body), 'B').

    `title` and `body` are each a field name, an expression, or a tuple of them."""
    title = title if isinstance(title, tuple) else (title,)
    body = body if isinstance(body, tuple) else (body,)
    return SearchVector(*title, weight="A", config=CONFIG) + SearchVector(
        *body, weight="B", config=CONFIG
    )


def indexed_vector(label: str) -> SearchVector:
    title, body = INDEXED[label]
    return weighted_vector(title, body)
