"""Making an Office file (DOCX, XLSX: a zip of XML parts) the same bytes every time.

python-docx and openpyxl stamp each zip entry with the clock time of writing, and
openpyxl writes the moment of saving into the document's core properties. A frozen
report must re-render byte for byte the same, so `deterministic_zip` rewrites the file
with every entry dated to one moment (the content's `composed_at`) and the core
properties' created and modified set to it, keeping the entries and their order.
"""

from __future__ import annotations

import datetime
import io
import re
import zipfile

CORE_PROPERTIES = "docProps/core.xml"
EPOCH = datetime.datetime(1980, 1, 1, tzinfo=datetime.UTC)  # the earliest date a zip holds
_CORE_DATE = re.compile(
    rb"(<dcterms:(created|modified)\b[^>]*>)[^<]*(</dcterms:\2>)",
)


def utc(moment: datetime.datetime) -> datetime.datetime:
    """The moment in UTC, whole seconds (a naive moment counts as UTC), not before 1980."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=datetime.UTC)
    moment = moment.astimezone(datetime.UTC).replace(microsecond=0)
    return max(moment, EPOCH)


def _core_properties(xml: bytes, moment: datetime.datetime) -> bytes:
    stamp = utc(moment).strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    return _CORE_DATE.sub(lambda match: match.group(1) + stamp + match.group(3), xml)


def deterministic_zip(data: bytes, moment: datetime.datetime) -> bytes:
    """The zip rewritten with every entry dated `moment` and its core properties' dates too."""
    date_time = utc(moment).timetuple()[:6]
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as target,
    ):
        for entry in source.infolist():
            payload = source.read(entry.filename)
            if entry.filename == CORE_PROPERTIES:
                payload = _core_properties(payload, moment)
            info = zipfile.ZipInfo(entry.filename, date_time=date_time)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 0  # the same whichever system writes it
            info.external_attr = 0o600 << 16  # rw for the owner, as a regular file
            target.writestr(info, payload, compresslevel=6)
    return out.getvalue()
