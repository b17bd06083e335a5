"""GET with retries and JSON decoding, shared by the Kolada and SCB clients.

Retried: HTTP 429 and 5xx, timeouts and connection errors. The wait before
retry n (0-based) is `backoff * 2**n` seconds, or the server's `Retry-After`
(seconds or an HTTP date) when it sends one; either is capped at `MAX_WAIT`.
`max_retries` counts the retries after the first attempt, so a request is
tried at most `max_retries + 1` times. Any other 4xx fails at once.
"""

from __future__ import annotations

import email.utils
import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import httpx

from .errors import SourceError

USER_AGENT = "Tillit (steering and follow-up for Swedish municipalities; httpx)"  # ASCII only
MAX_WAIT = 60.0  # seconds; a longer Retry-After is shortened to this

_REFUSALS = {
    400: "avvisade frågan",
    401: "nekade åtkomst",
    403: "nekade åtkomst",
    404: "hittade inte det som efterfrågades",
    410: "har tagit bort det som efterfrågades",
    414: "avvisade frågan för att adressen var för lång",
}


def where(context: str) -> str:
    """` (sida 2)` for a message, or nothing."""
    return f" ({context})" if context else ""


def _status(status: int, context: str) -> str:
    """`HTTP 500, sida 2` for a message."""
    return f"HTTP {status}, {context}" if context else f"HTTP {status}"


def _seconds(value: float) -> str:
    """A number of seconds the Swedish way: 0,2 / 10."""
    return f"{value:g}".replace(".", ",")


def retry_after_seconds(header: str | None, *, now: datetime | None = None) -> float | None:
    """The wait a `Retry-After` header asks for, or None when absent or unreadable."""
    if not header:
        return None
    header = header.strip()
    try:
        return max(0.0, float(header))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(header)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


def _reject_constant(name: str) -> Any:
    raise ValueError(f"JSON constant {name} is not allowed")


def decode_json(content: bytes, *, source: str, context: str = "") -> Any:
    """Parse a JSON body; numbers with decimals become Decimal, never float."""
    try:
        return json.loads(content, parse_float=Decimal, parse_constant=_reject_constant)
    except (ValueError, RecursionError):
        raise SourceError(f"{source} svarade med något som inte är JSON{where(context)}.") from None


@dataclass
class Fetcher:
    """Fetches JSON from one source; `source` is its name in messages ("Kolada")."""

    source: str
    timeout: float = 10
    max_retries: int = 4
    backoff: float = 0.5
    sleep: Callable[[float], None] = time.sleep
    max_wait: float = MAX_WAIT

    def client(self) -> httpx.Client:
        return httpx.Client(
            timeout=self.timeout,
            headers={"User-Agent": USER_AGENT, "Accept": "application/json"},
            follow_redirects=True,
        )

    def get_json(
        self,
        http: httpx.Client,
        url: str,
        *,
        params: dict[str, str | int] | None = None,
        context: str = "",
    ) -> Any:
        response = self.get(http, url, params=params, context=context)
        return self.decode(response, context=context)

    def decode(self, response: httpx.Response, *, context: str = "") -> Any:
        return decode_json(response.content, source=self.source, context=context)

    def get(
        self,
        http: httpx.Client,
        url: str,
        *,
        params: dict[str, str | int] | None = None,
        context: str = "",
    ) -> httpx.Response:
        attempts = max(0, self.max_retries) + 1
        gave_up = f"Tillit gav upp efter {attempts} försök."
        for attempt in range(attempts):
            wait = min(self.backoff * 2**attempt, self.max_wait)
            try:
                response = http.get(url, params=params)
            except (httpx.UnsupportedProtocol, httpx.InvalidURL):
                raise SourceError(f"Adressen till {self.source} är felaktig: {url}") from None
            except httpx.TimeoutException:
                failure = SourceError(
                    f"{self.source} svarade inte inom {_seconds(self.timeout)} sekunder"
                    f"{where(context)}. {gave_up}"
                )
            except httpx.TransportError:
                failure = SourceError(
                    f"Kunde inte ansluta till {self.source}{where(context)}. {gave_up}"
                )
            except httpx.TooManyRedirects:
                raise SourceError(
                    f"{self.source} skickade vidare frågan för många gånger{where(context)}."
                ) from None
            except httpx.HTTPError:
                raise SourceError(
                    f"Kunde inte läsa svaret från {self.source}{where(context)}."
                ) from None
            else:
                status = response.status_code
                if status == 429 or status >= 500:
                    reason = (
                        "begränsar antalet anrop" if status == 429 else "svarade med ett serverfel"
                    )
                    failure = SourceError(
                        f"{self.source} {reason} ({_status(status, context)}). {gave_up}",
                        status=status,
                    )
                    asked = retry_after_seconds(response.headers.get("Retry-After"))
                    if asked is not None:
                        wait = min(asked, self.max_wait)
                elif status >= 400:
                    refusal = _REFUSALS.get(status, "svarade med ett fel")
                    raise SourceError(
                        f"{self.source} {refusal} ({_status(status, context)}).", status=status
                    )
                elif status >= 300:
                    raise SourceError(
                        f"{self.source} svarade med en oväntad hänvisning "
                        f"({_status(status, context)}).",
                        status=status,
                    )
                else:
                    return response
            if attempt + 1 < attempts:
                self.sleep(wait)
        raise failure
