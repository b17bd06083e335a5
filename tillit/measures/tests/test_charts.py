"""Charts: accessible, deterministic SVG, Swedish numbers, the data table and the trend."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import date
from decimal import Decimal

import pytest

from tillit.measures import charts
from tillit.measures.charts import (
    Chart,
    Point,
    Series,
    Span,
    data_table,
    format_number,
    project_trend,
    render_svg,
    will_reach,
    year_fraction,
)

SVG = "{http://www.w3.org/2000/svg}"
NBSP = "\u00a0"


def yearly(values: dict[int, object]) -> list[Point]:
    return [Point(str(year), year, value) for year, value in values.items()]


def population_chart(**extra) -> Chart:
    actual = Series(
        "Utfall",
        yearly({2019: Decimal(5650), 2020: Decimal(5671), 2021: None, 2022: Decimal(5690),
                2023: Decimal(5701), 2024: Decimal(5712)}),
    )  # fmt: skip
    target = Series("Mål", yearly({2025: 5750, 2026: 5800, 2027: 5850}), style="target")
    projection = project_trend(actual.points, 2027)
    return Chart("Befolkning", "invånare", [actual, target, projection], **extra)


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def series_group(root: ET.Element, style: str) -> ET.Element:
    for group in root.iter(f"{SVG}g"):
        if f"tillit-chart__series--{style}" in group.get("class", "").split():
            return group
    raise AssertionError(f"no {style} series drawn")


def lines_of(group: ET.Element) -> list[ET.Element]:
    return [path for path in group.findall(f"{SVG}path") if path.get("fill") == "none"]


def all_text(root: ET.Element) -> str:
    return " ".join("".join(element.itertext()) for element in root.iter(f"{SVG}text"))


# -- format_number -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        (1234567.5, None, f"1{NBSP}234{NBSP}567,5"),
        (-3, None, "\u22123"),
        (None, None, "\u2013"),
        (Decimal("5712.00"), None, f"5{NBSP}712"),
        (Decimal("5712.00"), 1, f"5{NBSP}712,0"),
        (0.125, 2, "0,13"),  # half away from zero, not to even
        (2.5, 0, "3"),
        (-0.4, 0, "0"),  # no "−0"
        (-1234.5, 1, f"\u22121{NBSP}234,5"),
        (999, None, "999"),
        (1e20, None, f"100{NBSP}000{NBSP}000{NBSP}000{NBSP}000{NBSP}000{NBSP}000"),
        (0.1 + 0.2, None, "0,3"),
        (float("nan"), None, "\u2013"),
    ],
)
def test_format_number_writes_swedish_numbers(value, decimals, expected):
    assert format_number(value, decimals) == expected


# -- the SVG -------------------------------------------------------------------------------


def test_the_svg_is_xml_and_an_image_named_by_its_title_and_desc():
    root = parse(render_svg(population_chart(), id_prefix="measure-12"))

    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    title, desc = root[0], root[1]
    assert title.tag == f"{SVG}title" and desc.tag == f"{SVG}desc"
    assert root.get("aria-labelledby").split() == [title.get("id"), desc.get("id")]
    assert title.get("id") == "measure-12-title"
    assert title.text == "Befolkning"


def test_the_desc_summarises_the_chart_in_swedish():
    root = parse(render_svg(population_chart(), id_prefix="c"))

    desc = root.find(f"{SVG}desc").text
    assert f"Utfall 2019\u20132024, senaste värde 5{NBSP}712{NBSP}invånare (2024)." in desc
    assert f"Mål 2025\u20132027, slutvärde 5{NBSP}850{NBSP}invånare (2027)." in desc


def test_axis_labels_use_swedish_number_formatting():
    text = all_text(parse(render_svg(population_chart(), id_prefix="c")))

    assert f"5{NBSP}700" in text
    assert "2024" in text  # years have no thousands separator
    assert f"2{NBSP}024" not in text


def test_decimals_on_the_axis_use_a_decimal_comma_and_negatives_a_real_minus():
    chart = Chart("Resultat", "mnkr", [Series("Utfall", yearly({2022: -1.5, 2023: 0.5}))])
    root = parse(render_svg(chart, id_prefix="c"))

    text = all_text(root)
    assert "\u22121,5" in text and "0,5" in text
    assert "-" not in text
    assert root.find(f".//{SVG}line[@class='tillit-chart__zero']") is not None


def test_series_differ_by_dash_pattern_and_marker_shape_not_only_colour():
    root = parse(render_svg(population_chart(), id_prefix="c"))

    actual, target, projection = (series_group(root, s) for s in charts.STYLES)
    dashes = {
        "actual": {path.get("stroke-dasharray") for path in lines_of(actual)},
        "target": {path.get("stroke-dasharray") for path in lines_of(target)},
        "projection": {path.get("stroke-dasharray") for path in lines_of(projection)},
    }
    assert dashes == {"actual": {None}, "target": {"8 4"}, "projection": {"2 5"}}
    assert actual.findall(f"{SVG}circle") and not target.findall(f"{SVG}circle")
    assert target.findall(f"{SVG}rect") and not actual.findall(f"{SVG}rect")
    assert len(projection.findall(f"{SVG}path")) > len(lines_of(projection))  # triangles


def test_every_series_colour_has_3_to_1_contrast_against_white():
    def luminance(colour: str) -> float:
        channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    colours = [*charts.STYLE_COLOURS.values(), *charts.EXTRA_COLOURS, charts.AXIS]
    colours += [charts.SPAN_EDGE]
    for colour in colours:
        assert 1.05 / (luminance(colour) + 0.05) >= 3, colour
    assert 1.05 / (luminance(charts.INK) + 0.05) >= 4.5


def test_the_legend_names_every_series_in_text():
    root = parse(render_svg(population_chart(), id_prefix="c"))

    legend = next(g for g in root.iter(f"{SVG}g") if g.get("class") == "tillit-chart__legend")
    assert [text.text for text in legend.findall(f"{SVG}text")] == ["Utfall", "Mål", "Trend"]


def test_rendering_twice_gives_the_same_bytes():
    first = render_svg(population_chart(spans=[Span("Bostadsprogram", 2025, 2027)]), id_prefix="c")
    second = render_svg(population_chart(spans=[Span("Bostadsprogram", 2025, 2027)]), id_prefix="c")

    assert first == second


def test_an_empty_chart_says_there_are_no_values_yet():
    for chart in [
        Chart("Befolkning", "invånare", []),
        Chart("Befolkning", "invånare", [Series("Utfall", yearly({2023: None, 2024: None}))]),
    ]:
        root = parse(render_svg(chart, id_prefix="c"))

        assert "Inga värden ännu" in all_text(root)
        assert root.find(f"{SVG}desc").text == "Inga värden ännu."


def test_a_missing_value_breaks_the_line_into_separate_segments():
    chart = Chart("Befolkning", "", [Series("Utfall", yearly({2020: 1, 2021: 2, 2022: None,
                                                              2023: 4, 2024: 5}))])  # fmt: skip
    root = parse(render_svg(chart, id_prefix="c"))

    actual = series_group(root, "actual")
    segments = lines_of(actual)
    assert len(segments) == 2
    assert all(path.get("d").count("M") == 1 for path in segments)
    assert len(actual.findall(f"{SVG}circle")) == 4


def test_a_single_point_is_a_marker_without_a_line():
    chart = Chart("Andel", "%", [Series("Andel", yearly({2024: Decimal("45.5")}))])
    root = parse(render_svg(chart, id_prefix="c"))

    actual = series_group(root, "actual")
    assert lines_of(actual) == []
    assert len(actual.findall(f"{SVG}circle")) == 1
    assert f"45,5{NBSP}%" in root.find(f"{SVG}desc").text


def test_huge_values_get_1_2_5_ticks():
    chart = Chart("Stort", "kr", [Series("Utfall", yearly({2023: 1.2e12, 2024: 1.3e12}))])
    text = all_text(parse(render_svg(chart, id_prefix="c")))

    assert f"1{NBSP}200{NBSP}000{NBSP}000{NBSP}000" in text
    assert f"1{NBSP}220{NBSP}000{NBSP}000{NBSP}000" in text  # a step of 2 × 10^10
    assert "e+" not in text and "E" not in text


def test_text_is_escaped():
    chart = population_chart(spans=[Span("<b>Aktivitet</b> & co", 2025, 2026)])
    chart = Chart(
        "<script>alert(1)</script>",
        'st "x"',
        [Series("<i>Utfall</i>", chart.series[0].points)],
        spans=chart.spans,
    )
    svg = render_svg(chart, id_prefix="c")

    assert "<script>" not in svg and "<i>" not in svg and "<b>" not in svg
    root = parse(svg)
    assert root.find(f"{SVG}title").text == "<script>alert(1)</script>"
    assert root.find(f"{SVG}script") is None
    assert "<b>Aktivitet</b> & co" in all_text(root)


def test_an_id_prefix_that_is_not_a_plain_id_is_refused():
    with pytest.raises(ValueError):
        render_svg(population_chart(), id_prefix='x" onload="alert(1)')


def test_spans_are_drawn_as_labelled_bands_and_described():
    chart = population_chart(spans=[Span("Bostadsprogram", 2025, 2027)])
    root = parse(render_svg(chart, id_prefix="c"))

    band = next(g for g in root.iter(f"{SVG}g") if g.get("class") == "tillit-chart__span")
    assert band.find(f"{SVG}rect") is not None
    assert band.find(f"{SVG}text").text == "Bostadsprogram"
    assert "Bostadsprogram (2025\u20132027)" in root.find(f"{SVG}desc").text


def test_a_span_with_a_description_is_described_in_words_and_titled_on_its_band():
    span = Span("2", 2025.16, 2025.45, description="2: Läsombud i varje klass, 1 mars–13 juni 2025")
    root = parse(render_svg(population_chart(spans=[span]), id_prefix="c"))

    band = next(g for g in root.iter(f"{SVG}g") if g.get("class") == "tillit-chart__span")
    assert band.find(f"{SVG}title").text == "2: Läsombud i varje klass, 1 mars–13 juni 2025"
    assert band.find(f"{SVG}text").text == "2"  # the short label is what is drawn
    desc = root.find(f"{SVG}desc").text
    assert "Markerat i diagrammet: 2: Läsombud i varje klass, 1 mars–13 juni 2025." in desc
    assert "2025,16" not in desc


def test_a_span_without_a_description_has_no_title_on_its_band():
    root = parse(render_svg(population_chart(spans=[Span("1", 2025.5, 2026)]), id_prefix="c"))

    band = next(g for g in root.iter(f"{SVG}g") if g.get("class") == "tillit-chart__span")
    assert band.find(f"{SVG}title") is None
    assert "1 (2025,5\u20132026)" in root.find(f"{SVG}desc").text


def test_a_chart_without_spans_draws_no_band_and_marks_nothing():
    root = parse(render_svg(population_chart(), id_prefix="c"))

    assert not [g for g in root.iter(f"{SVG}g") if g.get("class") == "tillit-chart__span"]
    assert "Markerat" not in root.find(f"{SVG}desc").text


def test_a_span_beyond_the_values_widens_the_x_axis_to_whole_years():
    chart = Chart("Andel", "%", [Series("Utfall", yearly({2023: 40, 2024: 45}))])
    wide = Chart(chart.title, chart.unit, chart.series, spans=[Span("1", 2024.5, 2026.3)])
    ticks = [t.text for t in x_axis(parse(render_svg(wide, id_prefix="c"))).iter(f"{SVG}text")]

    assert ticks[0] == "2023" and ticks[-1] == "2027"


def x_axis(root: ET.Element) -> ET.Element:
    return next(
        g
        for g in root.iter(f"{SVG}g")
        if g.get("class") == "tillit-chart__axis tillit-chart__axis--x"
    )


@pytest.mark.parametrize(
    "day, end_of_day, expected",
    [
        (date(2025, 1, 1), False, 2025.0),
        (date(2025, 3, 1), False, 2025 + 59 / 365),  # 2025,16
        (date(2025, 12, 31), True, 2026.0),
        (date(2024, 12, 31), False, 2024 + 365 / 366),  # a leap year has 366 days
        (date(2025, 6, 13), True, 2025 + 164 / 365),
    ],
)
def test_a_date_is_a_fraction_of_its_year_on_the_x_axis(day, end_of_day, expected):
    assert year_fraction(day, end_of_day=end_of_day) == pytest.approx(expected)
    assert round(year_fraction(date(2025, 3, 1)), 2) == 2025.16


# -- the data table ------------------------------------------------------------------------


def test_the_data_table_has_a_row_per_period_and_a_column_per_series():
    table = data_table(population_chart())

    assert table.caption == "Befolkning"
    assert table.headers == (
        "Period",
        "Utfall (invånare)",
        "Mål (invånare)",
        "Trend (invånare)",
    )
    assert [row.label for row in table.rows] == [str(year) for year in range(2019, 2028)]
    by_label = {row.label: row.cells for row in table.rows}
    assert by_label["2021"] == ("\u2013", "\u2013", "\u2013")
    assert by_label["2024"] == (f"5{NBSP}712", "\u2013", f"5{NBSP}712")
    assert by_label["2027"][1] == f"5{NBSP}850"


# -- trend and target ----------------------------------------------------------------------


def test_the_trend_of_a_perfect_line_is_projected_exactly():
    points = yearly({2021: Decimal("10.5"), 2022: Decimal("12.5"), 2023: Decimal("14.5")})

    projection = project_trend(points, 2026)

    assert projection.style == "projection"
    assert [(p.label, p.x, p.value) for p in projection.points] == [
        ("2023", 2023, 14.5),
        ("2024", 2024, 16.5),
        ("2025", 2025, 18.5),
        ("2026", 2026, 20.5),
    ]


def test_the_trend_skips_missing_values_and_can_use_only_the_last_ones():
    points = yearly({2019: 100, 2020: 0, 2021: 1, 2022: None, 2023: 3})

    projection = project_trend(points, 2025, last_n=3)

    assert projection.points[0].x == 2023
    assert projection.points[-1].value == 5


def test_there_is_no_trend_from_fewer_than_three_values():
    assert project_trend(yearly({2023: 1, 2024: 2}), 2027) is None
    assert project_trend(yearly({2022: 1, 2023: None, 2024: 2}), 2027) is None
    assert project_trend(yearly({2022: 1, 2023: 2, 2024: 3}), 2024) is None


def test_will_reach_compares_the_projection_end_in_the_measures_direction():
    rising = project_trend(yearly({2022: 10, 2023: 20, 2024: 30}), 2027)  # ends at 60

    assert will_reach(rising, 60, "higher") is True
    assert will_reach(rising, Decimal("60.1"), "higher") is False
    assert will_reach(rising, 70, "lower") is True
    assert will_reach(rising, 50, "lower") is False
    assert will_reach(None, 50, "higher") is None
    assert will_reach(rising, None, "higher") is None
    with pytest.raises(ValueError):
        will_reach(rising, 50, "sideways")
