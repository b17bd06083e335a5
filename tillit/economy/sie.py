"""Read and write SIE 4 files, the Swedish standard for exporting accounting data.

``parse`` turns the bytes of a file (SIE types 1–4, 4E and 4I) into a ``SieFile``, or
raises ``SieError`` with a Swedish sentence naming the line, record and field. It stops at
the first error and raises nothing else, whatever the bytes. The encoding comes from the
bytes, not from ``#FORMAT``: UTF-8 when they are strict UTF-8 (after a BOM), otherwise CP437
(the spec's "PC8"). ``write`` turns a ``SieFile`` back into a file that ``parse`` reads to
the same content. Pure Python, no Django.
"""

from __future__ import annotations

import codecs
import datetime as dt
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Context, Decimal, localcontext


class SieError(ValueError):
    """A file that is not valid SIE. ``str()`` is the Swedish sentence, prefixed "Rad N: "."""

    def __init__(self, message: str, line: int | None = None) -> None:
        self.message = message
        self.line = line
        super().__init__(message if line is None else f"Rad {line}: {message}")

    def __reduce__(self):
        return (type(self), (self.message, self.line))


ObjectRef = tuple[int, str]  # (dimension number, object code)


@dataclass(frozen=True)
class FiscalYear:
    index: int  # 0 is the current year, -1 the previous one
    start: dt.date
    end: dt.date


@dataclass
class Account:
    number: str
    name: str = ""
    kind: str = ""  # "T" tillgång, "S" skuld, "K" kostnad, "I" intäkt, or ""
    sru: str = ""
    unit: str = ""  # #ENHET: the unit of the account's quantities


@dataclass(frozen=True)
class Dimension:
    number: int
    name: str
    parent: int | None = None  # the superior dimension of an #UNDERDIM


@dataclass(frozen=True)
class SieObject:
    dimension: int
    code: str
    name: str


@dataclass(frozen=True)
class Balance:
    """An #IB, #UB or #RES, or with objects an #OIB or #OUB (kind "IB" or "UB")."""

    kind: str  # "IB", "UB", "RES"
    year_index: int
    account: str
    amount: Decimal
    objects: tuple[ObjectRef, ...] = ()
    quantity: Decimal | None = None
    line: int = 0


@dataclass(frozen=True)
class PeriodAmount:
    """A #PSALDO or #PBUDGET: an account's amount for one month."""

    year_index: int
    year: int
    month: int
    account: str
    objects: tuple[ObjectRef, ...]
    amount: Decimal
    quantity: Decimal | None = None
    line: int = 0


@dataclass(frozen=True)
class Transaction:
    account: str
    objects: tuple[ObjectRef, ...]
    amount: Decimal
    date: dt.date | None = None
    text: str = ""
    quantity: Decimal | None = None
    line: int = 0


@dataclass
class Voucher:
    series: str
    number: str
    date: dt.date
    text: str = ""
    transactions: list[Transaction] = field(default_factory=list)
    line: int = 0
    registered: dt.date | None = None  # regdatum: when it was entered, if the file says


@dataclass
class SieFile:
    """A SIE file's content. Accounts and objects that records use without a #KONTO or
    #OBJEKT are present with an empty name; ``info`` holds the optional identification
    fields (keys in ``_HEADER`` below, plus "gen_sign" and "omfattn")."""

    flag: int = 0
    declared_format: str = ""
    encoding: str = "utf-8"
    sie_type: int = 4
    program: str = ""
    generated: dt.date | None = None
    company: str = ""
    org_number: str = ""
    currency: str = "SEK"
    fiscal_years: dict[int, FiscalYear] = field(default_factory=dict)
    accounts: dict[str, Account] = field(default_factory=dict)
    dimensions: dict[int, Dimension] = field(default_factory=dict)
    objects: dict[ObjectRef, SieObject] = field(default_factory=dict)
    balances: list[Balance] = field(default_factory=list)
    period_balances: list[PeriodAmount] = field(default_factory=list)  # #PSALDO
    period_budgets: list[PeriodAmount] = field(default_factory=list)  # #PBUDGET
    vouchers: list[Voucher] = field(default_factory=list)
    skipped: list[tuple[int, str]] = field(default_factory=list)  # unknown records
    info: dict[str, str] = field(default_factory=dict)

    @property
    def kind(self) -> str:
        """Return "4E" (with balances), "4I" (vouchers only) or, below type 4, the type."""
        if self.sie_type != 4:
            return str(self.sie_type)
        if self.balances or self.period_balances or self.period_budgets:
            return "4E"
        return "4I"

    def year_of(self, index: int) -> FiscalYear | None:
        return self.fiscal_years.get(index)


# Identification records: label -> its fields in order as (where it goes, Swedish name).
# A plain name is a required field and a SieFile attribute; "info.key" is optional and kept
# in SieFile.info when not empty. #GEN's signature is info["gen_sign"] and #OMFATTN's date
# info["omfattn"] (YYYYMMDD).
_HEADER: dict[str, tuple[tuple[str, str], ...]] = {
    "#FORMAT": (("declared_format", "formatet"),),
    "#PROGRAM": (("program", "programnamnet"), ("info.program_version", "programversionen")),
    "#PROSA": (("info.prosa", "texten"),),
    "#FTYP": (("info.ftyp", "företagstypen"),),
    "#FNR": (("info.fnr", "företagsidentiteten"),),
    "#FNAMN": (("company", "företagsnamnet"),),
    "#ORGNR": (
        ("org_number", "organisationsnumret"),
        ("info.orgnr_forvnr", "förvärvsnumret"),
        ("info.orgnr_verknr", "verksamhetsnumret"),
    ),
    "#BKOD": (("info.bkod", "branschkoden"),),
    "#ADRESS": (
        ("info.adress_kontakt", "kontaktpersonen"),
        ("info.adress_utdelningsadr", "utdelningsadressen"),
        ("info.adress_postadr", "postadressen"),
        ("info.adress_tel", "telefonnumret"),
    ),
    "#VALUTA": (("currency", "valutakoden"),),
    "#TAXAR": (("info.taxar", "taxeringsåret"),),
    "#KPTYP": (("info.kptyp", "kontoplanstypen"),),
}
_TEXT_RECORDS = {"#PROGRAM", "#PROSA", "#FNAMN", "#ADRESS"}  # always quoted when written
_ACCOUNT_FIELDS = {
    "#KONTO": ("name", "kontonamnet"),
    "#ENHET": ("unit", "enheten"),
    "#SRU": ("sru", "SRU-koden"),
}

# Exact decimal arithmetic whatever context the caller has set.
_DECIMALS = Context(prec=60)
_CENT = Decimal("0.01")

_BOM = codecs.BOM_UTF8
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_LABEL = re.compile(r'#[^ \t{}"]*')
# One field: a quoted string, a brace, a bare word, or a quote that is never closed.
_TOKEN = re.compile(r'("[^"\\]*(?:\\.[^"\\]*)*")|([{}])|([^ \t{}"][^ \t{}]*)|(")', re.DOTALL)
_ESCAPE = re.compile(r"\\(.)", re.DOTALL)
_NUMBER = re.compile(r"-?([0-9]+)(?:\.([0-9]+))?")
_INTEGER = re.compile(r"-?[0-9]{1,9}")
_DIMENSION = re.compile(r"[0-9]{1,9}")
_DATE = re.compile(r"[0-9]{8}")
_PERIOD = re.compile(r"[0-9]{6}")
_MAX_DIGITS = 15  # before the decimal point: far beyond any municipality's amounts
_KINDS = {"T": "T", "S": "S", "K": "K", "I": "I", "t": "T", "s": "S", "k": "K", "i": "I"}


def _short(value: str) -> str:
    return value if len(value) <= 40 else value[:40] + "…"


def _show(value: str) -> str:
    """A field as quoted in an error message."""
    return f"”{_short(value)}”"


# --- Reading -----------------------------------------------------------------


def detect_encoding(data: bytes) -> str:
    """Return "utf-8" when the bytes (without a BOM) are strict UTF-8, otherwise "cp437"."""
    return _decode(bytes(data))[1]


def _decode(data: bytes) -> tuple[str, str]:
    if data.startswith(_BOM):
        data = data[len(_BOM) :]
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        return data.decode("cp437"), "cp437"


def split_fields(text: str, line: int | None = None) -> list[str | list[str]]:
    """The fields of a record: strings, and lists of strings for each ``{…}``."""
    fields: list[str | list[str]] = []
    group: list[str] | None = None
    for quoted, brace, bare, _stray in _TOKEN.findall(text):
        if quoted:
            value = quoted[1:-1]
            if "\\" in value:
                value = _ESCAPE.sub(r"\1", value)
        elif bare:
            value = bare
        elif brace == "{":
            if group is not None:
                raise SieError("”{” inuti en objektlista.", line)
            group = []
            continue
        elif brace == "}":
            if group is None:
                raise SieError("”}” utan matchande ”{”.", line)
            fields.append(group)
            group = None
            continue
        else:
            raise SieError("oavslutad citattext.", line)
        (fields if group is None else group).append(value)
    if group is not None:
        raise SieError("oavslutad objektlista (”}” saknas).", line)
    return fields


class _Record:
    """The fields of one record with conversions that raise SieError naming the field."""

    __slots__ = ("fields", "label", "line", "sie")

    def __init__(self, label: str, fields: list[str | list[str]], line: int, sie: SieFile):
        self.label, self.fields, self.line, self.sie = label, fields, line, sie

    def error(self, message: str) -> SieError:
        return SieError(f"{self.label}: {message}", self.line)

    def text(self, index: int, what: str) -> str:
        if index >= len(self.fields):
            raise self.error(f"{what} saknas.")
        value = self.fields[index]
        if isinstance(value, list):
            raise self.error(f"{what} får inte vara en objektlista.")
        return value

    def optional(self, index: int, what: str) -> str:
        return self.text(index, what) if index < len(self.fields) else ""

    def integer(self, index: int, what: str) -> int:
        value = self.text(index, what)
        if not _INTEGER.fullmatch(value):
            raise self.error(f"{what} {_show(value)} är inget heltal.")
        return int(value)

    def dimension(self, index: int, what: str = "dimensionsnumret") -> int:
        value = self.text(index, what)
        if not _DIMENSION.fullmatch(value):
            raise self.error(f"{what} {_show(value)} är inget positivt heltal.")
        return int(value)

    def date(self, index: int, what: str) -> dt.date:
        value = self.text(index, what)
        if _DATE.fullmatch(value):
            try:
                return dt.date(int(value[:4]), int(value[4:6]), int(value[6:]))
            except ValueError:
                pass
        raise self.error(f"{what} {_show(value)} är inget datum (ÅÅÅÅMMDD).")

    def optional_date(self, index: int, what: str) -> dt.date | None:
        return self.date(index, what) if self.optional(index, what) else None

    def period(self, index: int) -> tuple[int, int]:
        value = self.text(index, "perioden")
        if not _PERIOD.fullmatch(value) or value.startswith("0000"):
            raise self.error(f"perioden {_show(value)} är ingen period (ÅÅÅÅMM).")
        year, month = int(value[:4]), int(value[4:])
        if not 1 <= month <= 12:
            raise self.error(f"perioden {_show(value)} har månad {month}, som inte är 1–12.")
        return year, month

    def amount(self, index: int) -> Decimal:
        value = self.text(index, "beloppet")
        match = _NUMBER.fullmatch(value)
        if match is None:
            raise self.error(
                f"beloppet {_show(value)} är inte ett tal (skriv med punkt, t.ex. 12.50)."
            )
        if len(match[1]) > _MAX_DIGITS:
            raise self.error(f"beloppet {_show(value)} är orimligt stort.")
        if match[2] is not None and len(match[2]) > 2:
            raise self.error(f"beloppet {_show(value)} har fler än två decimaler.")
        return Decimal(value).quantize(_CENT)

    def quantity(self, index: int) -> Decimal | None:
        value = self.optional(index, "kvantiteten")
        if not value:
            return None
        match = _NUMBER.fullmatch(value)
        if match is None or len(match[1]) > _MAX_DIGITS or len(match[2] or "") > 10:
            raise self.error(
                f"kvantiteten {_show(value)} är inte ett tal (skriv med punkt, t.ex. 1.5)."
            )
        return Decimal(value)

    def account(self, index: int) -> Account:
        """The account, created with an empty name when no #KONTO has named it."""
        number = self.text(index, "kontonumret")
        account = self.sie.accounts.get(number)
        if account is None:
            if not (number.isascii() and number.isdigit()):
                raise self.error(f"kontonumret {_show(number)} får bara innehålla siffror.")
            account = self.sie.accounts[number] = Account(number)
        return account

    def objects(self, index: int) -> tuple[ObjectRef, ...]:
        """An object list; objects without an #OBJEKT are added with an empty name."""
        if index >= len(self.fields):
            raise self.error("objektlistan saknas (skriv {} när det inte finns några objekt).")
        value = self.fields[index]
        if value == []:
            return ()
        if not isinstance(value, list):
            raise self.error(
                f"{_show(value)} är ingen objektlista (skriv {{}} när det inte finns några objekt)."
            )
        if len(value) % 2:
            raise self.error("objektlistan ska bestå av par av dimensionsnummer och objektkod.")
        refs = []
        for dimension, code in zip(value[::2], value[1::2], strict=True):
            if not _DIMENSION.fullmatch(dimension):
                raise self.error(
                    f"dimensionsnumret {_show(dimension)} i objektlistan är inget positivt heltal."
                )
            ref = (int(dimension), code)
            if ref not in self.sie.objects:
                self.sie.objects[ref] = SieObject(ref[0], code, "")
            refs.append(ref)
        return tuple(refs)


def _set_info(sie: SieFile, key: str, value: str) -> None:
    if value:
        sie.info[key] = value
    else:
        sie.info.pop(key, None)


def _header(r: _Record) -> None:
    for index, (target, what) in enumerate(_HEADER[r.label]):
        if target.startswith("info."):
            _set_info(r.sie, target[5:], r.optional(index, what))
        else:
            setattr(r.sie, target, r.text(index, what))


def _flagga(r: _Record) -> None:
    value = r.text(0, "flaggan")
    if value not in ("0", "1"):
        raise r.error(f"flaggan {_show(value)} ska vara 0 eller 1.")
    r.sie.flag = int(value)


def _sietyp(r: _Record) -> None:
    value = r.text(0, "SIE-typen")
    if value not in ("1", "2", "3", "4"):
        raise r.error(f"SIE-typen {_show(value)} stöds inte (bara 1–4).")
    r.sie.sie_type = int(value)
    if r.sie.vouchers and r.sie.sie_type != 4:
        raise r.error("filen har verifikationer, som bara får finnas i SIE-typ 4.")


def _gen(r: _Record) -> None:
    r.sie.generated = r.date(0, "datumet")
    _set_info(r.sie, "gen_sign", r.optional(1, "signaturen"))


def _omfattn(r: _Record) -> None:
    r.sie.info["omfattn"] = _date(r.date(0, "datumet"))


def _rar(r: _Record) -> None:
    index = r.integer(0, "årsnumret")
    start, end = r.date(1, "startdatumet"), r.date(2, "slutdatumet")
    if start > end:
        raise r.error(f"startdatumet {_show(r.fields[1])} ligger efter slutdatumet.")
    r.sie.fiscal_years[index] = FiscalYear(index, start, end)


def _account_field(r: _Record) -> None:
    attribute, what = _ACCOUNT_FIELDS[r.label]
    setattr(r.account(0), attribute, r.text(1, what))


def _ktyp(r: _Record) -> None:
    account, value = r.account(0), r.text(1, "kontotypen")
    if value not in _KINDS:
        raise r.error(f"kontotypen {_show(value)} ska vara T, S, K eller I.")
    account.kind = _KINDS[value]


def _dim(r: _Record) -> None:
    number, name = r.dimension(0), r.text(1, "dimensionsnamnet")
    parent = r.dimension(2, "överdimensionen") if r.label == "#UNDERDIM" else None
    r.sie.dimensions[number] = Dimension(number, name, parent)


def _objekt(r: _Record) -> None:
    number, code = r.dimension(0), r.text(1, "objektkoden")
    r.sie.objects[(number, code)] = SieObject(number, code, r.text(2, "objektnamnet"))


def _balance(kind: str, with_objects: bool) -> Callable[[_Record], None]:
    def handle(r: _Record) -> None:
        year_index, account = r.integer(0, "årsnumret"), r.account(1).number
        objects = r.objects(2) if with_objects else ()
        at = 3 if with_objects else 2
        amount, quantity = r.amount(at), r.quantity(at + 1)
        balance = Balance(kind, year_index, account, amount, objects, quantity, r.line)
        r.sie.balances.append(balance)

    return handle


def _period(target: str) -> Callable[[_Record], None]:
    def handle(r: _Record) -> None:
        year_index, (year, month) = r.integer(0, "årsnumret"), r.period(1)
        account, objects = r.account(2).number, r.objects(3)
        amount = PeriodAmount(
            year_index, year, month, account, objects, r.amount(4), r.quantity(5), r.line
        )
        getattr(r.sie, target).append(amount)

    return handle


_RECORDS: dict[str, Callable[[_Record], None]] = {
    **dict.fromkeys(_HEADER, _header),
    **dict.fromkeys(_ACCOUNT_FIELDS, _account_field),
    "#FLAGGA": _flagga,
    "#SIETYP": _sietyp,
    "#GEN": _gen,
    "#OMFATTN": _omfattn,
    "#RAR": _rar,
    "#KTYP": _ktyp,
    "#DIM": _dim,
    "#UNDERDIM": _dim,
    "#OBJEKT": _objekt,
    "#IB": _balance("IB", False),
    "#UB": _balance("UB", False),
    "#OIB": _balance("IB", True),
    "#OUB": _balance("UB", True),
    "#RES": _balance("RES", False),
    "#PSALDO": _period("period_balances"),
    "#PBUDGET": _period("period_budgets"),
}
_VOUCHER_LABELS = {"#VER", "#TRANS", "#RTRANS", "#BTRANS"}


def _voucher_name(voucher: Voucher) -> str:
    name = " ".join(part for part in (voucher.series, voucher.number) if part)
    return _short(name) if name else "(utan serie och nummer)"


def _unbalanced(voucher: Voucher, total: Decimal) -> SieError:
    return SieError(
        f"Verifikation {_voucher_name(voucher)} balanserar inte: summan är {total:.2f}.",
        voucher.line or None,
    )


class _Parser:
    """Line by line: the first-record rule and the voucher blocks around the records."""

    def __init__(self, sie: SieFile) -> None:
        self.sie = sie
        self.started = False
        self.last_line = 0
        self.voucher: Voucher | None = None
        self.block_open = False
        # An #RTRANS is followed by an identical #TRANS for older programs; that one is dropped.
        self.mirror: Transaction | None = None

    def feed(self, text: str, line: int) -> None:
        bad = _CONTROL.search(text)
        if bad is not None:
            raise SieError(f"otillåtet styrtecken (U+{ord(bad.group()):04X}) i raden.", line)
        text = text.strip(" \t")
        if not text:
            return
        self.last_line = line
        label_match = _LABEL.match(text)
        label = label_match.group() if label_match else ""
        upper = label.upper() if label.isascii() else label  # "#ſietyp" is no #SIETYP
        if not self.started:
            if upper != "#FLAGGA":
                raise SieError("Filen saknar #FLAGGA på första raden.")
            self.started = True
        voucher = self.voucher
        if voucher is not None and not self.block_open and text != "{":
            raise SieError(f"#VER på rad {voucher.line} ska följas av en rad med ”{{”.", line)
        if text == "{":
            self.open_block(line)
        elif text == "}":
            self.close_block(line)
        elif not label:
            raise SieError(f"raden börjar inte med en post (#ETIKETT): {_show(text)}.", line)
        elif upper in ("#TRANS", "#RTRANS", "#BTRANS"):
            self.transaction(upper, text[len(label) :], line)
        elif upper not in _RECORDS and upper not in _VOUCHER_LABELS:
            self.sie.skipped.append((line, label))
        elif voucher is not None:
            raise self.unclosed(line)
        elif upper == "#VER":
            self.start_voucher(text[len(label) :], line)
        else:
            _RECORDS[upper](_Record(upper, split_fields(text[len(label) :], line), line, self.sie))

    def finish(self) -> SieFile:
        if not self.started:
            raise SieError("Filen är tom.")
        if self.voucher is not None:
            raise self.unclosed(self.last_line)
        return self.sie

    def unclosed(self, line: int) -> SieError:
        start = self.voucher.line if self.voucher else 0
        return SieError(f"Verifikationen som börjar på rad {start} avslutas aldrig med }}.", line)

    def start_voucher(self, rest: str, line: int) -> None:
        opened = rest.endswith("{")  # some programs open the block on the #VER line
        r = _Record("#VER", split_fields(rest[:-1] if opened else rest, line), line, self.sie)
        if self.sie.sie_type != 4:
            raise SieError(
                f"#VER är inte tillåten i en fil av SIE-typ {self.sie.sie_type} "
                "(verifikationer finns bara i typ 4).",
                line,
            )
        series, number = r.text(0, "serien"), r.text(1, "verifikationsnumret")
        date = r.date(2, "verifikationsdatumet")
        text = r.optional(3, "verifikationstexten")
        registered = r.optional_date(4, "registreringsdatumet")
        self.voucher = Voucher(series, number, date, text, [], line, registered)
        self.block_open = opened
        self.mirror = None

    def open_block(self, line: int) -> None:
        if self.voucher is None:
            raise SieError("”{” utan föregående #VER.", line)
        if self.block_open:
            raise SieError(
                f"”{{” inuti verifikationen som börjar på rad {self.voucher.line}.", line
            )
        self.block_open = True

    def close_block(self, line: int) -> None:
        voucher = self.voucher
        if voucher is None:
            raise SieError("”}” utan matchande ”{”.", line)
        total = sum((t.amount for t in voucher.transactions), Decimal(0))
        if total != 0:
            raise _unbalanced(voucher, total)
        self.sie.vouchers.append(voucher)
        self.voucher, self.block_open, self.mirror = None, False, None

    def transaction(self, label: str, rest: str, line: int) -> None:
        voucher = self.voucher
        if voucher is None:
            raise SieError(f"{label} utanför en verifikation.", line)
        r = _Record(label, split_fields(rest, line), line, self.sie)
        account, objects, amount = r.account(0).number, r.objects(1), r.amount(2)
        date = r.optional_date(3, "transaktionsdatumet")
        text, quantity = r.optional(4, "transaktionstexten"), r.quantity(5)
        transaction = Transaction(account, objects, amount, date, text, quantity, line)
        mirror, self.mirror = self.mirror, None
        if label == "#BTRANS":  # a removed transaction: read, but not part of the voucher
            return
        if label == "#RTRANS":  # an added transaction
            self.mirror = transaction
        elif mirror is not None and replace(mirror, line=0) == replace(transaction, line=0):
            return
        voucher.transactions.append(transaction)


def parse(data: bytes) -> SieFile:
    """Read a SIE file (types 1–4, 4E and 4I); raise SieError at the first error."""
    text, encoding = _decode(bytes(data))
    parser = _Parser(SieFile(encoding=encoding))
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    with localcontext(_DECIMALS):
        for number, line in enumerate(lines, start=1):
            parser.feed(line, number)
        return parser.finish()


# --- Writing -----------------------------------------------------------------

_NEEDS_QUOTES = re.compile(r'[ \t"{}\\]')
_UNWRITABLE = re.compile(r"[\x00-\x08\x0a-\x1f\x7f-\x9f]")  # line breaks and control characters


def _quote(value: str) -> str:
    value = _UNWRITABLE.sub(" ", value).replace("\\", "\\\\").replace('"', '\\"')
    return f'"{value}"'


def _code(value: str) -> str:
    """A code or number: bare when it can be, quoted otherwise."""
    if value and not _NEEDS_QUOTES.search(value) and not _UNWRITABLE.search(value):
        return value
    return _quote(value)


def _date(value: dt.date) -> str:
    return f"{value.year:04d}{value.month:02d}{value.day:02d}"


def _amount(value: Decimal) -> str:
    rounded = Decimal(value).quantize(_CENT, ROUND_HALF_UP)
    return f"{rounded.copy_abs() if rounded == 0 else rounded:f}"  # never "-0.00"


def _objects(refs: tuple[ObjectRef, ...]) -> str:
    return "{" + " ".join(f"{number} {_quote(code)}" for number, code in refs) + "}"


def _tail(amount: Decimal, quantity: Decimal | None) -> str:
    return _amount(amount) if quantity is None else f"{_amount(amount)} {Decimal(quantity):f}"


def _transaction(t: Transaction) -> str:
    fields = [_code(t.account), _objects(t.objects), _amount(t.amount)]
    optional = [_date(t.date) if t.date else '""', _quote(t.text)]
    if t.quantity is not None:
        optional.append(f"{Decimal(t.quantity):f}")
    while optional and optional[-1] == '""':
        optional.pop()
    return " ".join(["#TRANS", *fields, *optional])


def _header_line(sie: SieFile, label: str, always: bool = False) -> Iterator[str]:
    values = [
        sie.info.get(target[5:], "") if target.startswith("info.") else getattr(sie, target)
        for target, _what in _HEADER[label]
    ]
    if always or any(values):
        if label not in _TEXT_RECORDS:
            while len(values) > 1 and not values[-1]:
                values.pop()
        form = _quote if label in _TEXT_RECORDS else _code
        yield " ".join([label, *map(form, values)])


def _lines(sie: SieFile) -> Iterator[str]:
    yield f"#FLAGGA {int(sie.flag)}"
    yield "#FORMAT PC8"
    yield f"#SIETYP {int(sie.sie_type)}"
    yield from _header_line(sie, "#PROGRAM", always=True)
    if sie.generated is not None:
        sign = sie.info.get("gen_sign", "")
        yield f"#GEN {_date(sie.generated)}" + (f" {_code(sign)}" if sign else "")
    for label in ("#PROSA", "#FTYP", "#FNR", "#FNAMN", "#ORGNR", "#BKOD", "#ADRESS", "#VALUTA"):
        yield from _header_line(sie, label, always=label in ("#FNAMN", "#VALUTA"))
    for year in sie.fiscal_years.values():
        yield f"#RAR {year.index} {_date(year.start)} {_date(year.end)}"
    yield from _header_line(sie, "#TAXAR")
    if "omfattn" in sie.info:
        yield f"#OMFATTN {_code(sie.info['omfattn'])}"
    yield from _header_line(sie, "#KPTYP")
    for d in sie.dimensions.values():
        if d.parent is None:
            yield f"#DIM {d.number} {_quote(d.name)}"
        else:
            yield f"#UNDERDIM {d.number} {_quote(d.name)} {d.parent}"
    for o in sie.objects.values():
        yield f"#OBJEKT {o.dimension} {_quote(o.code)} {_quote(o.name)}"
    for a in sie.accounts.values():
        yield f"#KONTO {_code(a.number)} {_quote(a.name)}"
    for label, attribute, form in (("#KTYP", "kind", _code), ("#ENHET", "unit", _quote)):
        for a in sie.accounts.values():
            if value := getattr(a, attribute):
                yield f"{label} {_code(a.number)} {form(value)}"
    yield from (f"#SRU {_code(a.number)} {_code(a.sru)}" for a in sie.accounts.values() if a.sru)
    for b in sie.balances:
        if b.kind not in ("IB", "UB", "RES") or (b.kind == "RES" and b.objects):
            raise SieError(f"Saldot {b.kind} för konto {b.account} kan inte skrivas i SIE.")
        label = f"#O{b.kind}" if b.objects else f"#{b.kind}"
        objects = f" {_objects(b.objects)}" if b.objects else ""
        yield f"{label} {b.year_index} {_code(b.account)}{objects} {_tail(b.amount, b.quantity)}"
    for label, amounts in (("#PSALDO", sie.period_balances), ("#PBUDGET", sie.period_budgets)):
        for p in amounts:
            yield (
                f"{label} {p.year_index} {p.year:04d}{p.month:02d} {_code(p.account)} "
                f"{_objects(p.objects)} {_tail(p.amount, p.quantity)}"
            )
    if sie.vouchers and sie.sie_type != 4:
        raise SieError(f"Verifikationer kan inte skrivas i en fil av SIE-typ {sie.sie_type}.")
    for v in sie.vouchers:
        total = sum((Decimal(_amount(t.amount)) for t in v.transactions), Decimal(0))
        if total != 0:
            raise _unbalanced(v, total)
        head = f"#VER {_code(v.series)} {_code(v.number)} {_date(v.date)} {_quote(v.text)}"
        yield head + (f" {_date(v.registered)}" if v.registered else "")
        yield "{"
        yield from (_transaction(t) for t in v.transactions)
        yield "}"


def write(sie: SieFile, *, encoding: str = "cp437") -> bytes:
    """Encode a SieFile as SIE with CRLF line ends, in "cp437" (PC8) or "utf-8".

    Characters the encoding lacks become "?". #GEN is written when ``generated`` is set.
    Raises SieError for a voucher that does not balance at two decimals.
    """
    name = codecs.lookup(encoding).name
    if name not in ("cp437", "utf-8"):
        raise ValueError(f"SIE files are written in cp437 or utf-8, not {encoding!r}.")
    with localcontext(_DECIMALS):
        text = "\r\n".join(_lines(sie)) + "\r\n"
    return text.encode(name, errors="replace")
