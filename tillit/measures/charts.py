"""Line charts for measures as accessible SVG, drawn on the server.

One code path serves the page, the PDF and the DOCX (as PNG): `render_svg` returns
a standalone SVG string that can also be inlined in HTML, and `data_table` gives the
rows of the table that stands beside every chart for screen readers.

Plain Python: no models, no settings, no randomness. The same chart gives the same
bytes, so the output can be cached, compared in tests and frozen in a report.

Accessibility (WCAG 2.1 AA):
- the SVG is `role="img"`, named by its `<title>` and `<desc>` through `aria-labelledby`;
  the desc summarises the chart in Swedish;
- series differ by stroke pattern and marker shape, not colour alone (1.4.1): actual
  values are a solid line with filled circles, targets a dashed line with hollow
  squares, a projection a dotted line with hollow triangles;
- every colour that carries meaning has at least 3:1 contrast against white (1.4.11),
  text at least 4.5:1.
"""

from __future__ import annotations

import datetime
import html
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal, localcontext
from fractions import Fraction
from typing import Literal

from django.utils.translation import gettext_lazy

__all__ = [
    "Band",
    "Chart",
    "ChartTable",
    "Point",
    "Series",
    "Span",
    "TableRow",
    "data_table",
    "format_number",
    "project_trend",
    "render_svg",
    "will_reach",
    "year_fraction",
]

Number = Decimal | float | int
Style = Literal["actual", "target", "projection"]
Direction = Literal["higher", "lower"]
STYLES: tuple[str, ...] = ("actual", "target", "projection")

MINUS = "\u2212"
NBSP = "\u00a0"
EN_DASH = "\u2013"
MISSING = EN_DASH

# The chart's own words, translated when a chart is drawn (English msgids, Swedish in
# locale/sv like the rest of the interface).
TEXT_NO_VALUES = gettext_lazy("No values yet")
TEXT_LATEST = gettext_lazy("latest value")
TEXT_END_VALUE = gettext_lazy("final value")
TEXT_MARKED = gettext_lazy("Marked in the chart")
TEXT_PERIOD = gettext_lazy("Period")

# Colours: each has at least 3:1 contrast against white (the series at least 5:1).
INK = "#1a1a1a"  # text, 17:1
AXIS = "#595959"  # axes, ticks, zero line, 7:1
GRID = "#dedede"  # decorative grid lines; the labelled ticks carry the values
SPAN_FILL = "#e6edf5"  # decorative band fill; the band's edges and label carry the span
SPAN_EDGE = "#6b7a8c"  # 4.4:1
STYLE_COLOURS = {"actual": "#1f5fa8", "target": "#a8431b", "projection": "#595959"}
EXTRA_COLOURS = ("#6b3fa0", "#2e7d32", "#8a5a00", "#c2185b")
DASHES = {"actual": "", "target": "8 4", "projection": "2 5"}
STYLE_MARKERS = {"actual": "circle", "target": "square", "projection": "triangle"}
MARKERS = ("circle", "square", "triangle", "diamond")
FONT_FAMILY = "DejaVu Sans, Verdana, Arial, sans-serif"
FONT_SIZE = 12

_ID_RE = re.compile(r"[A-Za-z][A-Za-z0-9_-]*")
_XML_INVALID = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


# -- data --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Point:
    """One value at one place on the x axis: a year (2024) or a year plus a fraction."""

    label: str
    x: float
    value: Number | None


@dataclass(frozen=True)
class Series:
    name: str
    points: list[Point]
    style: Style = "actual"

    def __post_init__(self) -> None:
        if self.style not in STYLES:
            raise ValueError(f"Unknown series style {self.style!r}; use one of {STYLES}.")


@dataclass(frozen=True)
class Span:
    """A stretch of the x axis drawn as a light band with a label, e.g. an activity.

    `label` is drawn above the band: keep it short (a number), since labels that would
    overlap go to lanes of their own. `description`, when given, names the stretch in
    words (e.g. the activity and its dates): the chart's description reads it instead of
    the label and its x values, and the band shows it as a tooltip.
    """

    label: str
    start_x: float
    end_x: float
    description: str = ""


Band = Span


def year_fraction(day: datetime.date, *, end_of_day: bool = False) -> float:
    """A date as a place on the x axis of years: 2025-03-01 → 2025.16.

    `end_of_day` gives the moment the day ends, so that a span over one day has a width
    and a span ending on 31 December reaches the next year's tick.
    """
    first = datetime.date(day.year, 1, 1)
    days = (datetime.date(day.year + 1, 1, 1) - first).days
    return day.year + ((day - first).days + (1 if end_of_day else 0)) / days


@dataclass(frozen=True)
class Chart:
    title: str
    unit: str
    series: list[Series]
    spans: Sequence[Span] = ()
    y_min: Number | None = None
    y_max: Number | None = None
    decimals: int | None = None  # None: as many as the values themselves have, at most 3


@dataclass(frozen=True)
class TableRow:
    label: str
    x: float
    values: tuple[Number | None, ...]
    cells: tuple[str, ...]  # the values formatted in Swedish, "–" where there is none


@dataclass(frozen=True)
class ChartTable:
    caption: str
    headers: tuple[str, ...]  # "Period", then one per series with the unit in brackets
    rows: tuple[TableRow, ...] = field(default_factory=tuple)


# -- numbers -------------------------------------------------------------------------------


def _finite(value: Number | None) -> Decimal | None:
    """The value as an exact Decimal, or None when missing or not a finite number."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, float):
        if not math.isfinite(value):
            return None
        return Decimal(repr(value))
    number = value if isinstance(value, Decimal) else Decimal(value)
    return number if number.is_finite() else None


def _group(digits: str) -> str:
    head = len(digits) % 3 or 3
    groups = [digits[:head]] + [digits[i : i + 3] for i in range(head, len(digits), 3)]
    return NBSP.join(groups)


def format_number(value: Number | None, decimals: int | None = None) -> str:
    """Swedish: "1 234 567,5" with U+00A0 between thousands, "−3" with U+2212, None → "–".

    `decimals=None` shows the value's own decimals (trailing zeros dropped, at most 6);
    otherwise it rounds half away from zero to that many.
    """
    if decimals is not None and decimals < 0:
        raise ValueError("decimals must be zero or more")
    number = _finite(value)
    if number is None:
        return MISSING
    with localcontext() as context:
        context.prec = 400  # enough for any float written out in full
        if decimals is None:
            number = number.normalize()
            if number.as_tuple().exponent < -6:
                number = number.quantize(Decimal("1e-6"), rounding=ROUND_HALF_UP).normalize()
        else:
            number = number.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
        negative = number < 0  # a rounded "-0" is not negative
        whole, _, fraction = f"{abs(number):f}".partition(".")
    text = _group(whole) + ("," + fraction if fraction else "")
    return MINUS + text if negative else text


def _places(number: Decimal) -> int:
    exponent = number.normalize().as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


def _display_decimals(chart: Chart) -> int:
    """One number of decimals for the whole chart, so that its values line up."""
    if chart.decimals is not None:
        return chart.decimals
    given = [
        number
        for series in chart.series
        if series.style != "projection"
        for point in series.points
        if (number := _finite(point.value)) is not None
    ]
    return min(3, max((_places(n) for n in given), default=0))


def _with_unit(text: str, unit: str) -> str:
    return f"{text}{NBSP}{unit}" if unit else text


def _x_label(x: float) -> str:
    """A place on the x axis as text: whole years without a thousands separator."""
    if float(x).is_integer():
        text = str(int(x))
    else:
        text = f"{x:.2f}".rstrip("0").replace(".", ",")
    return text.replace("-", MINUS)


# -- the data table ------------------------------------------------------------------------


def _sorted_points(series: Series) -> list[Point]:
    return sorted(series.points, key=lambda point: point.x)


def data_table(chart: Chart) -> ChartTable:
    """The rows for the table beside the chart: one per x, one column per series."""
    decimals = _display_decimals(chart)
    labels: dict[float, str] = {}
    values: dict[float, list[Number | None]] = {}
    for column, series in enumerate(chart.series):
        for point in series.points:
            labels.setdefault(point.x, point.label)
            row = values.setdefault(point.x, [None] * len(chart.series))
            if row[column] is None:
                row[column] = point.value
    headers = (str(TEXT_PERIOD),) + tuple(
        f"{series.name} ({chart.unit})" if chart.unit else series.name for series in chart.series
    )
    rows = tuple(
        TableRow(
            label=labels[x],
            x=x,
            values=tuple(values[x]),
            cells=tuple(format_number(value, decimals) for value in values[x]),
        )
        for x in sorted(values)
    )
    return ChartTable(caption=chart.title, headers=headers, rows=rows)


# -- trend ---------------------------------------------------------------------------------


def _valued(points: Iterable[Point]) -> list[tuple[Point, Decimal]]:
    pairs = [(point, number) for point in points if (number := _finite(point.value)) is not None]
    return sorted(pairs, key=lambda pair: pair[0].x)


def project_trend(
    points: Sequence[Point],
    until_x: float,
    *,
    last_n: int | None = None,
    name: str = "Trend",
    until_label: str | None = None,
) -> Series | None:
    """The least-squares trend of the last `last_n` values (all by default), carried on.

    The projection starts at the last actual value and follows the trend's slope to
    `until_x`, with a point at every whole x in between (the years of a mandate period).
    The arithmetic is exact (fractions), so a perfect line is projected exactly.
    None with fewer than 3 values, or when `until_x` is not after the last value.
    """
    if last_n is not None and last_n < 3:
        raise ValueError("A trend needs at least 3 values: last_n must be 3 or more.")
    valued = _valued(points)
    if last_n is not None:
        valued = valued[-last_n:]
    if len(valued) < 3:
        return None
    xs = [Fraction(point.x) for point, _ in valued]
    ys = [Fraction(number) for _, number in valued]
    mean_x = sum(xs) / len(xs)
    mean_y = sum(ys) / len(ys)
    spread = sum((x - mean_x) ** 2 for x in xs)
    if spread == 0:
        return None
    slope = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True)) / spread

    last_point, last_value = valued[-1]
    if until_x <= last_point.x:
        return None
    start = Fraction(last_point.x)
    between = range(math.floor(last_point.x) + 1, math.ceil(until_x))
    places = [float(x) for x in between] if len(between) <= 100 else []
    projected = [Point(last_point.label, last_point.x, float(last_value))]
    for x in [*places, float(until_x)]:
        value = float(Fraction(last_value) + slope * (Fraction(x) - start))
        label = until_label if until_label is not None and x == until_x else _x_label(x)
        projected.append(Point(label, x, value))
    return Series(name=name, points=projected, style="projection")


def will_reach(
    projection: Series | None, target_value: Number | None, direction: Direction
) -> bool | None:
    """Does the projection's last value reach the target? None when either is missing."""
    if direction not in ("higher", "lower"):
        raise ValueError(f"Unknown direction {direction!r}; use 'higher' or 'lower'.")
    target = _finite(target_value)
    if projection is None or target is None:
        return None
    valued = _valued(projection.points)
    if not valued:
        return None
    end = valued[-1][1]
    return end >= target if direction == "higher" else end <= target


# -- drawing -------------------------------------------------------------------------------


def _clean(text: str) -> str:
    """Text safe in XML and HTML: escaped, and without characters XML forbids."""
    return html.escape(_XML_INVALID.sub("", str(text)), quote=True)


def _n(value: float) -> str:
    """A coordinate: at most two decimals, no "-0"."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _text_width(text: str, size: int = FONT_SIZE) -> float:
    return len(text) * size * 0.62


def _describe(chart: Chart, decimals: int) -> str:
    sentences = []
    for series in chart.series:
        valued = _valued(series.points)
        if not valued:
            continue
        first, last = valued[0][0], valued[-1][0]
        amount = _with_unit(format_number(valued[-1][1], decimals), chart.unit)
        if first is last:
            period, when = first.label, ""
        else:
            period, when = f"{first.label}{EN_DASH}{last.label}", f" ({last.label})"
        word = TEXT_LATEST if series.style == "actual" else TEXT_END_VALUE
        sentences.append(f"{series.name} {period}, {word} {amount}{when}.")
    if not sentences:
        return f"{TEXT_NO_VALUES}."
    if chart.spans:
        marked = "; ".join(
            span.description or f"{span.label} ({_span_period(span)})" for span in chart.spans
        )
        sentences.append(f"{TEXT_MARKED}: {marked}.")
    return " ".join(sentences)


def _span_period(span: Span) -> str:
    start, end = sorted((span.start_x, span.end_x))
    if start == end:
        return _x_label(start)
    return f"{_x_label(start)}{EN_DASH}{_x_label(end)}"


def _nice_step(extent: float, count: int) -> Decimal:
    """1, 2 or 5 × 10^n, the smallest such step giving at most about `count` intervals."""
    raw = extent / count
    exponent = math.floor(math.log10(raw))
    fraction = raw / 10**exponent
    for multiple in (1, 2, 5, 10):
        if fraction <= multiple * (1 + 1e-9):
            return Decimal(multiple).scaleb(exponent)
    return Decimal(10).scaleb(exponent)  # pragma: no cover - the loop always returns


def _y_axis(
    values: list[Decimal], y_min: Number | None, y_max: Number | None
) -> tuple[float, float, list[Decimal]]:
    """The y range (low, high) and its ticks, 1-2-5 × 10^n apart."""
    fixed_low, fixed_high = _finite(y_min), _finite(y_max)
    low = min(values) if fixed_low is None else min(fixed_low, min(values))
    high = max(values) if fixed_high is None else max(fixed_high, max(values))
    if low == high:
        pad = abs(low) / 10 if low else Decimal(1)
        low, high = (low if fixed_low is not None else low - pad), high + pad
    step = _nice_step(float(high - low), 5)
    with localcontext() as context:
        context.prec = 400
        if fixed_low is None or low < fixed_low:
            low = (low / step).to_integral_value(ROUND_FLOOR) * step
        if fixed_high is None or high > fixed_high:
            high = (high / step).to_integral_value(ROUND_CEILING) * step
        tick = (low / step).to_integral_value(ROUND_CEILING) * step
        ticks = []
        while tick <= high:
            ticks.append(tick)
            tick += step
    return float(low), float(high), ticks


def _x_axis(xs: list[float], plot_width: float) -> tuple[float, float, list[float]]:
    """The x range, widened to whole numbers, and ticks a whole 1-2-5 × 10^n apart."""
    low, high = math.floor(min(xs)), math.ceil(max(xs))
    if low == high:
        low, high = low - 1, high + 1
    most = max(2, int(plot_width // 56))
    step = max(1, int(_nice_step(high - low, most - 1)))
    first = math.ceil(low / step) * step
    return float(low), float(high), [float(x) for x in range(first, high + 1, step)]


def _marker(shape: str, x: float, y: float, colour: str, filled: bool) -> str:
    fill = colour if filled else "#ffffff"
    paint = f'fill="{fill}" stroke="{colour}" stroke-width="2"'
    if shape == "circle":
        return f'<circle cx="{_n(x)}" cy="{_n(y)}" r="4" {paint}/>'
    if shape == "square":
        return f'<rect x="{_n(x - 4)}" y="{_n(y - 4)}" width="8" height="8" {paint}/>'
    if shape == "triangle":
        d = f"M{_n(x)},{_n(y - 5)} L{_n(x + 5)},{_n(y + 4)} L{_n(x - 5)},{_n(y + 4)} Z"
        return f'<path d="{d}" {paint}/>'
    d = f"M{_n(x)},{_n(y - 5)} L{_n(x + 5)},{_n(y)} L{_n(x)},{_n(y + 5)} L{_n(x - 5)},{_n(y)} Z"
    return f'<path d="{d}" {paint}/>'


@dataclass(frozen=True)
class _Look:
    colour: str
    dash: str
    marker: str
    filled: bool


def _looks(series: Sequence[Series]) -> list[_Look]:
    """Each series its dash by style and, as far as there are shapes, its own marker."""
    used_markers: list[str] = []
    used_colours: list[str] = []
    looks = []
    for one in series:
        marker = STYLE_MARKERS[one.style]
        if marker in used_markers:
            free = [shape for shape in MARKERS if shape not in used_markers]
            marker = free[0] if free else MARKERS[len(used_markers) % len(MARKERS)]
        colour = STYLE_COLOURS[one.style]
        if colour in used_colours:
            free = [c for c in EXTRA_COLOURS if c not in used_colours]
            colour = free[0] if free else EXTRA_COLOURS[len(used_colours) % len(EXTRA_COLOURS)]
        used_markers.append(marker)
        used_colours.append(colour)
        filled = one.style == "actual" and marker in ("circle", "diamond")
        looks.append(_Look(colour, DASHES[one.style], marker, filled))
    return looks


def _line(look: _Look, d: str) -> str:
    dash = f' stroke-dasharray="{look.dash}"' if look.dash else ""
    return (
        f'<path d="{d}" fill="none" stroke="{look.colour}" stroke-width="2"'
        f'{dash} stroke-linejoin="round"/>'
    )


def render_svg(chart: Chart, *, width: int = 640, height: int = 320, id_prefix: str) -> str:
    """The chart as a standalone SVG string, also safe to inline in HTML.

    `id_prefix` makes the ids of the title and desc unique on the page (letters, digits,
    "-" and "_", starting with a letter), e.g. "measure-12-chart".
    """
    if not _ID_RE.fullmatch(id_prefix):
        raise ValueError("id_prefix must start with a letter and hold only A-Z, 0-9, - and _.")
    title_id, desc_id = f"{id_prefix}-title", f"{id_prefix}-desc"
    decimals = _display_decimals(chart)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="tillit-chart" role="img"'
        f' aria-labelledby="{title_id} {desc_id}" width="{width}" height="{height}"'
        f' viewBox="0 0 {width} {height}" font-family="{FONT_FAMILY}"'
        f' font-size="{FONT_SIZE}">',
        f'<title id="{title_id}">{_clean(chart.title)}</title>',
        f'<desc id="{desc_id}">{_clean(_describe(chart, decimals))}</desc>',
        f'<rect class="tillit-chart__background" x="0" y="0" width="{width}"'
        f' height="{height}" fill="#ffffff"/>',
    ]
    valued = [(series, _valued(series.points)) for series in chart.series]
    values = [number for _, pairs in valued for _, number in pairs]
    if not values:
        out += _empty(width, height)
    else:
        out += _body(chart, valued, values, decimals, width, height)
    out.append("</svg>")
    return "\n".join(out)


def _empty(width: int, height: int) -> list[str]:
    return [
        f'<rect class="tillit-chart__frame" x="8.5" y="8.5" width="{width - 17}"'
        f' height="{height - 17}" fill="none" stroke="{AXIS}"/>',
        f'<text class="tillit-chart__empty" x="{_n(width / 2)}" y="{_n(height / 2 + 5)}"'
        f' text-anchor="middle" font-size="14"'
        f' fill="{INK}">{_clean(TEXT_NO_VALUES)}</text>',
    ]


def _body(
    chart: Chart,
    valued: list[tuple[Series, list[tuple[Point, Decimal]]]],
    values: list[Decimal],
    decimals: int,
    width: int,
    height: int,
) -> list[str]:
    out: list[str] = []
    y_low, y_high, y_ticks = _y_axis(values, chart.y_min, chart.y_max)
    tick_places = max((_places(tick) for tick in y_ticks), default=0)
    y_labels = [format_number(tick, tick_places) for tick in y_ticks]

    # Horizontal layout: tick labels, then the plot.
    left = 8 + max(_text_width(label) for label in y_labels) + 10
    right = width - 16
    inset = 12  # keeps the first and last markers off the axes
    xs = [point.x for series in chart.series for point in series.points]
    xs += [x for span in chart.spans for x in (span.start_x, span.end_x)]
    x_low, x_high, x_ticks = _x_axis(xs, right - left)

    def sx(x: float) -> float:
        return left + inset + (x - x_low) / (x_high - x_low) * (right - left - 2 * inset)

    # The legend, in rows under the x axis: series that have values.
    looks = _looks(chart.series)
    entries = [(series, look) for (series, pairs), look in zip(valued, looks, strict=True) if pairs]
    legend_rows: list[list[tuple[Series, _Look, float]]] = [[]]
    cursor = 8.0
    for series, look in entries:
        entry_width = 34 + _text_width(series.name) + 18
        if legend_rows[-1] and cursor + entry_width > width - 8:
            legend_rows.append([])
            cursor = 8.0
        legend_rows[-1].append((series, look, cursor))
        cursor += entry_width

    # Span labels in lanes above the plot, so that neither they nor the data overlap.
    lane_ends: list[float] = []
    span_places = []
    for span in chart.spans:
        start, end = sorted((sx(span.start_x), sx(span.end_x)))
        text_x = min(start + 3, width - 8 - _text_width(span.label))
        text_x = max(text_x, 8)
        text_end = max(end, text_x + _text_width(span.label))
        lane = next((i for i, e in enumerate(lane_ends) if e + 8 < min(start, text_x)), None)
        if lane is None:
            lane_ends.append(text_end)
            lane = len(lane_ends) - 1
        else:
            lane_ends[lane] = text_end
        span_places.append((span, start, max(end, start + 4), text_x, lane))

    # Vertical layout: unit, span lanes, plot, x labels, legend.
    top = 28 + 15 * len(lane_ends)
    bottom = height - 8 - 18 * len(legend_rows) - 26
    bottom = max(bottom, top + 20)

    def sy(value: float) -> float:
        return bottom - (value - y_low) / (y_high - y_low) * (bottom - top)

    if chart.unit:
        out.append(
            f'<text class="tillit-chart__unit" x="8" y="14" fill="{INK}">'
            f"{_clean(chart.unit)}</text>"
        )

    # Spans: light bands with dark edges, labelled above the plot.
    for span, start, end, text_x, lane in span_places:
        out.append(
            '<g class="tillit-chart__span">'
            + (f"<title>{_clean(span.description)}</title>" if span.description else "")
            + f'<rect x="{_n(start)}" y="{_n(top)}"'
            f' width="{_n(end - start)}" height="{_n(bottom - top)}" fill="{SPAN_FILL}"'
            f' stroke="{SPAN_EDGE}" stroke-width="1"/>'
            f'<text x="{_n(text_x)}" y="{_n(top - 6 - 15 * lane)}" fill="{INK}">'
            f"{_clean(span.label)}</text></g>"
        )

    # Grid, axes and ticks.
    out.append('<g class="tillit-chart__axis tillit-chart__axis--y">')
    for tick, label in zip(y_ticks, y_labels, strict=True):
        y = sy(float(tick))
        out.append(
            f'<line x1="{_n(left)}" y1="{_n(y)}" x2="{_n(right)}" y2="{_n(y)}"'
            f' stroke="{GRID}" stroke-width="1"/>'
            f'<line x1="{_n(left - 5)}" y1="{_n(y)}" x2="{_n(left)}" y2="{_n(y)}"'
            f' stroke="{AXIS}" stroke-width="1"/>'
            f'<text x="{_n(left - 8)}" y="{_n(y + 4)}" text-anchor="end" fill="{INK}">'
            f"{_clean(label)}</text>"
        )
    out.append(
        f'<line x1="{_n(left)}" y1="{_n(top)}" x2="{_n(left)}" y2="{_n(bottom)}"'
        f' stroke="{AXIS}" stroke-width="1"/>'
    )
    out.append("</g>")
    if y_low < 0 < y_high:
        out.append(
            f'<line class="tillit-chart__zero" x1="{_n(left)}" y1="{_n(sy(0))}"'
            f' x2="{_n(right)}" y2="{_n(sy(0))}" stroke="{AXIS}" stroke-width="1.5"/>'
        )
    out.append('<g class="tillit-chart__axis tillit-chart__axis--x">')
    out.append(
        f'<line x1="{_n(left)}" y1="{_n(bottom)}" x2="{_n(right)}" y2="{_n(bottom)}"'
        f' stroke="{AXIS}" stroke-width="1"/>'
    )
    for tick in x_ticks:
        x = sx(tick)
        out.append(
            f'<line x1="{_n(x)}" y1="{_n(bottom)}" x2="{_n(x)}" y2="{_n(bottom + 5)}"'
            f' stroke="{AXIS}" stroke-width="1"/>'
            f'<text x="{_n(x)}" y="{_n(bottom + 19)}" text-anchor="middle" fill="{INK}">'
            f"{_clean(_x_label(tick))}</text>"
        )
    out.append("</g>")

    # Series: projections first, actual values last, so actual markers lie on top.
    order = {"projection": 0, "target": 1, "actual": 2}
    drawn = sorted(zip(chart.series, looks, strict=True), key=lambda pair: order[pair[0].style])
    for series, look in drawn:
        segments: list[list[tuple[float, float]]] = [[]]
        for point in _sorted_points(series):
            number = _finite(point.value)
            if number is None:
                if segments[-1]:
                    segments.append([])
                continue
            segments[-1].append((sx(point.x), sy(float(number))))
        out.append(
            f'<g class="tillit-chart__series tillit-chart__series--{series.style}"'
            f' data-series="{_clean(series.name)}">'
        )
        for segment in segments:
            if len(segment) >= 2:
                d = " ".join(
                    f"{'M' if i == 0 else 'L'}{_n(x)},{_n(y)}" for i, (x, y) in enumerate(segment)
                )
                out.append(_line(look, d))
        for segment in segments:
            for x, y in segment:
                out.append(_marker(look.marker, x, y, look.colour, look.filled))
        out.append("</g>")

    # Legend: a sample of each line with its marker, and the series' name.
    out.append('<g class="tillit-chart__legend">')
    for row_number, row in enumerate(legend_rows):
        y = height - 8 - 18 * (len(legend_rows) - 1 - row_number) - 5
        for series, look, x in row:
            out.append(_line(look, f"M{_n(x)},{_n(y)} L{_n(x + 28)},{_n(y)}"))
            out.append(_marker(look.marker, x + 14, y, look.colour, look.filled))
            out.append(
                f'<text x="{_n(x + 34)}" y="{_n(y + 4)}" fill="{INK}">{_clean(series.name)}</text>'
            )
    out.append("</g>")
    return out
