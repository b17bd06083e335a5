"""SQLite's part of search: a `casefold` SQL function on every SQLite connection.

SQLite's LIKE and lower() fold only ASCII letters, so "Åtgärd" LIKE "%åtgärd%" is false.
`casefold(x)` is Python's `str.casefold`, which folds every letter (å ä ö, é, ß …); the
fallback search compares `casefold(column)` with the case-folded words.
"""

from __future__ import annotations

from django.db.models import Func, TextField


def _casefold(value):
    return value.casefold() if isinstance(value, str) else value


def register_functions(sender, connection, **kwargs) -> None:
    if connection.vendor == "sqlite":
        connection.connection.create_function("casefold", 1, _casefold, deterministic=True)


class Casefold(Func):
    """casefold(expression): only on SQLite, where `register_functions` defined it."""

    function = "casefold"
    output_field = TextField()
