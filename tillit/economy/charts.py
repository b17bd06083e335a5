"""The follow-up's chart: a verksamhet's accumulated outcome against its accumulated budget,
month by month, as accessible SVG drawn on the server.

It shares its look and its arithmetic of axes with the measures' charts
(tillit/measures/charts.py): the budget is the "target" series (dashed, hollow squares),
the outcome the "actual" one (solid, filled circles), so the two differ by more than colour,
and the month table on the page is the chart's data table. Amounts are in tkr.
"""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _

from tillit.measures.charts import (
    AXIS,
    DASHES,
    FONT_FAMILY,
    FONT_SIZE,
    GRID,
    INK,
    STYLE_COLOURS,
    _clean,
    _marker,
    _n,
    _text_width,
    _y_axis,
    format_number,
)

from .fields import MONTH_NAMES, to_tkr
from .selectors import MonthRow


def _series_path(points: list[tuple[float, float]]) -> str:
    return " ".join(f"{'M' if i == 0 else 'L'}{_n(x)},{_n(y)}" for i, (x, y) in enumerate(points))


def accumulated_chart(
    rows: list[MonthRow], *, title: str, id_prefix: str, width: int = 720, height: int = 320
) -> str:
    """The SVG: role="img", named by its title and described in Swedish by its desc."""
    budget = [
        (r.month, to_tkr(r.budget_accumulated)) for r in rows if r.budget_accumulated is not None
    ]
    outcome = [
        (r.month, to_tkr(r.outcome_accumulated)) for r in rows if r.outcome_accumulated is not None
    ]
    budget_name, outcome_name = _("Accumulated budget"), _("Accumulated outcome")
    sentences = []
    if outcome:
        month, value = outcome[-1]
        sentences.append(
            _("%(series)s through %(month)s: %(amount)s tkr.")
            % {
                "series": outcome_name,
                "month": MONTH_NAMES[month - 1],
                "amount": format_number(value, 0),
            }
        )
        same = next((v for m, v in budget if m == month), None)
        if same is not None:
            sentences.append(
                _("%(series)s through %(month)s: %(amount)s tkr.")
                % {
                    "series": budget_name,
                    "month": MONTH_NAMES[month - 1],
                    "amount": format_number(same, 0),
                }
            )
    if budget:
        sentences.append(
            _("Budget for the year: %(amount)s tkr.") % {"amount": format_number(budget[-1][1], 0)}
        )
    if not sentences:
        sentences.append(_("No budget or outcome yet."))
    description = " ".join(sentences)

    title_id, desc_id = f"{id_prefix}-title", f"{id_prefix}-desc"
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="tillit-chart" role="img"'
        f' aria-labelledby="{title_id} {desc_id}" width="{width}" height="{height}"'
        f' viewBox="0 0 {width} {height}" font-family="{FONT_FAMILY}" font-size="{FONT_SIZE}">',
        f'<title id="{title_id}">{_clean(title)}</title>',
        f'<desc id="{desc_id}">{_clean(description)}</desc>',
        f'<rect x="0" y="0" width="{width}" height="{height}" fill="#ffffff"/>',
    ]
    values = [v for _, v in budget] + [v for _, v in outcome]
    if not values:
        out.append(
            f'<text x="{_n(width / 2)}" y="{_n(height / 2)}" text-anchor="middle" fill="{INK}">'
            f"{_clean(_('No budget or outcome yet.'))}</text></svg>"
        )
        return "\n".join(out)

    low, high, ticks = _y_axis([Decimal(v) for v in values], 0, None)
    labels = [format_number(t, 0) for t in ticks]
    left = 8 + max(_text_width(label) for label in labels) + 10
    right, top, bottom = width - 16, 28, height - 62

    def sx(month: int) -> float:
        return left + (month - 0.5) / 12 * (right - left)

    def sy(value) -> float:
        return bottom - (float(value) - low) / (high - low) * (bottom - top)

    out.append(f'<text x="8" y="14" fill="{INK}">tkr</text>')
    for tick, label in zip(ticks, labels, strict=True):
        y = sy(tick)
        out.append(
            f'<line x1="{_n(left)}" y1="{_n(y)}" x2="{_n(right)}" y2="{_n(y)}" stroke="{GRID}"/>'
            f'<text x="{_n(left - 8)}" y="{_n(y + 4)}" text-anchor="end" fill="{INK}">'
            f"{_clean(label)}</text>"
        )
    out.append(
        f'<line x1="{_n(left)}" y1="{_n(top)}" x2="{_n(left)}" y2="{_n(bottom)}" stroke="{AXIS}"/>'
        f'<line x1="{_n(left)}" y1="{_n(bottom)}" x2="{_n(right)}" y2="{_n(bottom)}"'
        f' stroke="{AXIS}"/>'
    )
    for month in range(1, 13):
        out.append(
            f'<text x="{_n(sx(month))}" y="{_n(bottom + 18)}" text-anchor="middle" fill="{INK}">'
            f"{_clean(MONTH_NAMES[month - 1][:3])}</text>"
        )
    for style, points in (("target", budget), ("actual", outcome)):
        colour = STYLE_COLOURS[style]
        dash = f' stroke-dasharray="{DASHES[style]}"' if DASHES[style] else ""
        coordinates = [(sx(m), sy(v)) for m, v in points]
        out.append(f'<g class="tillit-chart__series tillit-chart__series--{style}">')
        if len(coordinates) >= 2:
            out.append(
                f'<path d="{_series_path(coordinates)}" fill="none" stroke="{colour}"'
                f' stroke-width="2"{dash} stroke-linejoin="round"/>'
            )
        shape = "square" if style == "target" else "circle"
        out += [_marker(shape, x, y, colour, style == "actual") for x, y in coordinates]
        out.append("</g>")
    # The legend: a sample of each line with its marker, and its name.
    x, y = 8.0, height - 14
    for name, style in ((budget_name, "target"), (outcome_name, "actual")):
        colour = STYLE_COLOURS[style]
        dash = f' stroke-dasharray="{DASHES[style]}"' if DASHES[style] else ""
        shape = "square" if style == "target" else "circle"
        out.append(
            f'<path d="M{_n(x)},{_n(y)} L{_n(x + 28)},{_n(y)}" stroke="{colour}"'
            f' stroke-width="2"{dash} fill="none"/>'
        )
        out.append(_marker(shape, x + 14, y, colour, style == "actual"))
        out.append(f'<text x="{_n(x + 34)}" y="{_n(y + 4)}" fill="{INK}">{_clean(name)}</text>')
        x += 34 + _text_width(name) + 24
    out.append("</svg>")
    return "\n".join(out)
