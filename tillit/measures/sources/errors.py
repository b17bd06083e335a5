"""The one error the public-data clients raise."""

from __future__ import annotations


class SourceError(Exception):
    """A public source (Kolada, SCB) could not give what was asked.

    `message` is Swedish and written for the person who started the import: it
    names the source, what went wrong and, where it helps, which page or part of
    the answer. `status` is the HTTP status when there was one.
    """

    def __init__(self, message: str, *, status: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.status = status

    def __str__(self) -> str:
        return self.message
