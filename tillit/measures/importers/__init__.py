"""Importing measure values from files (.xlsx, .csv).

`values` reads a file into rows and finds what is wrong with each one (no
database); `service` checks the rows against the organisation's measures and
the importing person's permissions, and writes them, all or nothing. The
columns are described in docs/imports.md.
"""

from .service import ImportResult, import_file, import_values
from .values import COLUMNS, ParsedFile, Problem, ValueRow, read_file

__all__ = [
    "COLUMNS",
    "ImportResult",
    "ParsedFile",
    "Problem",
    "ValueRow",
    "import_file",
    "import_values",
    "read_file",
]
