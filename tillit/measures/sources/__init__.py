"""Clients for public sources of data (Kolada, SCB): plain dataclasses, no Django models.

The importers in `tillit.measures` turn what these return into measure values.
"""

from .errors import SourceError
from .kolada import KoladaClient, KoladaKpi, KoladaValue
from .scb import ScbClient, ScbValue

__all__ = [
    "KoladaClient",
    "KoladaKpi",
    "KoladaValue",
    "ScbClient",
    "ScbValue",
    "SourceError",
]
