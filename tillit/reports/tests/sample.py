"""A hand-written, realistic composed report for the renderer tests: Grästorps kommun.

`sample_content("annual")` is the Årsredovisning 2025, approved by kommunstyrelsen;
`sample_content("interim")` the Delårsrapport 2026 through August, still a draft with
texts missing. `sparse_content()` is the least a report can be: no economy, no vision,
no principles, a plan without focus areas and goals without measures. The renderers read
nothing else, so these exercise every part of them without the database.
"""

from __future__ import annotations

import copy
import time
from decimal import Decimal

from ..content import (
    FORMAT,
    ActivityContent,
    AssessmentContent,
    DialogueContent,
    FulfilmentCount,
    GoalContent,
    MeasureContent,
    OperationRow,
    ReportContent,
    SectionContent,
)

FULFILMENT_LABELS = {
    "met": "Uppfyllt",
    "partly": "Delvis uppfyllt",
    "not_met": "Ej uppfyllt",
    "not_assessed": "Ej bedömt",
}
MEASURE_LABELS = {
    "met": "Målvärdet nått",
    "near": "Nära målvärdet",
    "not_met": "Målvärdet ej nått",
    "no_data": "Inget värde ännu",
    "no_target": "Inget målvärde",
}
ACTIVITY_LABELS = {"planned": "Planerad", "ongoing": "Pågår", "done": "Klar"}
SDGS = {
    3: ("God hälsa och välbefinnande", "#4C9F38"),
    4: ("God utbildning för alla", "#C5192D"),
    5: ("Jämställdhet", "#FF3A21"),
    7: ("Hållbar energi för alla", "#FCC30B"),
    8: ("Anständiga arbetsvillkor och ekonomisk tillväxt", "#A21942"),
    9: ("Hållbar industri, innovationer och infrastruktur", "#FD6925"),
    10: ("Minskad ojämlikhet", "#DD1367"),
    11: ("Hållbara städer och samhällen", "#FD9D24"),
    13: ("Bekämpa klimatförändringarna", "#3F7E44"),
    17: ("Genomförande och globalt partnerskap", "#19486A"),
}


def _assessment(status: str, analysis: str, next_steps: str, by: str, at: str) -> AssessmentContent:
    return {
        "status": status,
        "status_label": FULFILMENT_LABELS[status],
        "analysis": analysis,
        "next_steps": next_steps,
        "approved_by": by,
        "approved_at": at,
    }


def _measure(
    id: int,
    title: str,
    unit: str,
    decimals: int,
    series: dict[int, str | None],
    *,
    target: str | None,
    status: str,
    area: str = "",
    direction: str = "higher",
    responsible_unit: str = "",
    baseline: tuple[str, int] | None = None,
    grades: tuple[str, str] = ("", ""),
    latest_label: str | None = None,
) -> MeasureContent:
    valued = [(year, value) for year, value in series.items() if value is not None]
    latest_year, latest_value = valued[-1] if valued else (None, None)
    return {
        "id": id,
        "title": title,
        "area": area,
        "unit": unit,
        "decimals": decimals,
        "direction": direction,
        "responsible_unit": responsible_unit,
        "baseline_value": baseline[0] if baseline else None,
        "baseline_year": baseline[1] if baseline else None,
        "target": target,
        "target_grade": grades[0],
        "latest_value": latest_value,
        "latest_grade": grades[1],
        "latest_label": latest_label or (str(latest_year) if latest_year else ""),
        "status": status,
        "status_label": MEASURE_LABELS[status],
        "series": [{"year": year, "value": value} for year, value in series.items()],
    }


def _activity(
    title: str, unit: str, status: str, progress: int | None, start: str, end: str, result: str
) -> ActivityContent:
    return {
        "title": title,
        "unit": unit,
        "status": status,
        "status_label": ACTIVITY_LABELS[status],
        "progress": progress,
        "start": start,
        "end": end,
        "result": result,
    }


def _dialogue(date: str, body: str, title: str, understanding: str, steps: str) -> DialogueContent:
    return {
        "date": date,
        "body": body,
        "title": title,
        "shared_understanding": understanding,
        "next_steps": steps,
    }


def _goal(
    id: int,
    number: int,
    title: str,
    sdgs: list[int],
    assessment: AssessmentContent | None,
    suggestion: str,
    *,
    description: str = "",
    units: list | None = None,
    measures: list[MeasureContent] | None = None,
    activities: list[ActivityContent] | None = None,
    dialogues: list[DialogueContent] | None = None,
) -> GoalContent:
    return {
        "id": id,
        "label": f"Mål {number}: {title}",
        "number": number,
        "title": title,
        "description": description,
        "sdgs": sdgs,
        "assessment": assessment,
        "suggestion": suggestion,
        "suggestion_label": FULFILMENT_LABELS[suggestion],
        "units": units or [],
        "measures": measures or [],
        "activities": activities or [],
        "dialogues": dialogues or [],
    }


def _operation(
    name: str,
    frame: str,
    outcome: str,
    *,
    months: int,
    forecast: str | None = None,
    comment: str = "",
) -> OperationRow:
    budget = (Decimal(frame) * months / 12).quantize(Decimal("0.01"))
    return {
        "name": name,
        "frame": frame,
        "budget": str(budget),
        "outcome": outcome,
        "deviation": str(budget - Decimal(outcome)),
        "forecast": forecast,
        "forecast_deviation": None if forecast is None else str(Decimal(frame) - Decimal(forecast)),
        "comment": comment,
    }


def _operations_total(rows: list[OperationRow], name: str) -> OperationRow:
    def total(key: str) -> str | None:
        values = [row[key] for row in rows]
        if any(value is None for value in values):
            return None
        return str(sum(Decimal(value) for value in values))

    return {
        "name": name,
        "frame": total("frame"),
        "budget": total("budget"),
        "outcome": total("outcome"),
        "deviation": total("deviation"),
        "forecast": total("forecast"),
        "forecast_deviation": total("forecast_deviation"),
        "comment": "",
    }


def _count(goals: list[GoalContent]) -> FulfilmentCount:
    counts = {"met": 0, "partly": 0, "not_met": 0, "not_assessed": 0}
    for goal in goals:
        status = goal["assessment"]["status"] if goal["assessment"] else "not_assessed"
        counts[status] += 1
    return {**counts, "total": len(goals)}  # type: ignore[typeddict-item]


def _section(
    key: str,
    title: str,
    guidance: str,
    *,
    text: str = "",
    data: str = "",
    required: bool = False,
    lkbr: bool = True,
    owner: str = "",
    updated_at: str = "",
) -> SectionContent:
    return {
        "key": key,
        "title": title,
        "guidance": guidance,
        "lkbr": lkbr,
        "text_required": required,
        "data": data,
        "text": text,
        "owner": owner,
        "updated_at": updated_at,
    }


def _goals(annual: bool) -> tuple[list[GoalContent], list[GoalContent], list[GoalContent]]:
    """The goals of the three focus areas in the sample: (bo och leva, verka, välfärd)."""
    year = 2025 if annual else 2026
    approved_at = "2026-02-12" if annual else "2026-09-04"
    population = {2021: "5623", 2022: "5650", 2023: "5642", 2024: "5688", 2025: "5712"}
    change = {2021: "21", 2022: "27", 2023: "-8", 2024: "46", 2025: "24"}
    if not annual:
        population[2026] = "5731"
        change[2026] = "19"
    invanare = _goal(
        101,
        1,
        "Vi skapar förutsättningar för kontinuerlig ökning av kommuninnevånare",
        [11, 17],
        _assessment(
            "partly",
            "Befolkningen ökade med 24 personer under året, men målet om 5 750 invånare nåddes "
            "inte. Bostadsbyggandet i Södra Grästorp har kommit igång senare än planerat.\n\n"
            "Inflyttningen från Trollhättan och Vänersborg är fortsatt stark, särskilt bland "
            "barnfamiljer.",
            "Detaljplanen för Södra Grästorp antas under våren. Vi fortsätter dialogen med "
            "byggaktörer om hyresrätter nära stationen.",
            "Maria Öberg",
            approved_at,
        ),
        "partly",
        description="Grästorp ska växa med fler invånare som trivs och vill bo kvar.",
        units=[
            {
                **_assessment(
                    "partly",
                    "Två av tre planerade detaljplaner är påbörjade.",
                    "Prioritera planen för Södra Grästorp.",
                    "Åsa Lindqvist",
                    approved_at,
                ),
                "unit": "Samhällsbyggnad",
                "operation": "",
            }
        ],
        measures=[
            _measure(
                11,
                "Antal invånare 31 december",
                "antal",
                0,
                population,
                target="5750",
                status="near",
                baseline=("5650", 2022),
                responsible_unit="Kommunledning",
            ),
            _measure(
                12,
                "Befolkningsförändring under året",
                "antal",
                0,
                change,
                target="30",
                status="not_met",
                area="Inflyttning och boende",
                baseline=("27", 2022),
                responsible_unit="Kommunledning",
            ),
        ],
        activities=[
            _activity(
                "Detaljplan för Södra Grästorp",
                "Samhällsbyggnad",
                "ongoing",
                60,
                "2025-02-01",
                "2026-06-30",
                "Samråd genomfört i oktober; granskning planeras till våren.",
            ),
            _activity(
                "Inflyttarservice – välkomstpaket till nya invånare",
                "Kommunledning",
                "done",
                100,
                "2025-01-15",
                "2025-12-31",
                "142 hushåll har fått välkomstpaket och erbjudits en träff med kommunen.",
            ),
        ],
        dialogues=[
            _dialogue(
                f"{year}-05-14",
                "Samhällsbyggnadsutskottet",
                "Dialog om befolkningsutveckling och bostäder",
                "Utskottet och förvaltningen är överens om att bostadsbyggandet är den "
                "viktigaste faktorn för att nå målet.",
                "Förvaltningen återkommer med en tidplan för detaljplanerna i september.",
            )
        ],
    )
    miljoer = _goal(
        102,
        2,
        "Vi utvecklar välkomnande miljöer för gemenskap och sammanhang",
        [11],
        _assessment(
            "met",
            "Torget och stationsområdet har rustats upp och medborgarnas omdöme om "
            "fritidsmöjligheterna har förbättrats för tredje året i rad.",
            "Fortsätt utveckla mötesplatser i Tengene och Flakeberg.",
            "Maria Öberg",
            approved_at,
        ),
        "met",
        measures=[
            _measure(
                21,
                "Nöjd-Region-Index, fritidsmöjligheter",
                "index",
                0,
                {2022: "58", 2023: "60", 2024: "61", 2025: "63"},
                target="60",
                status="met",
                baseline=("58", 2022),
                responsible_unit="Kultur och fritid",
            ),
            _measure(
                22,
                "Antal besökare i Grästorps bibliotek per invånare",
                "antal/inv.",
                1,
                {2024: None, 2025: None},
                target="4.5",
                status="no_data",
                responsible_unit="Kultur och fritid",
            ),
        ],
        activities=[
            _activity(
                "Upprustning av torget",
                "Samhällsbyggnad",
                "done",
                100,
                "2024-09-01",
                "2025-06-15",
                "Invigt vid nationaldagsfirandet med ny belysning och sittplatser.",
            )
        ],
    )
    hallbarhet = _goal(
        103,
        3,
        "Vi bedriver ett systematiskt hållbarhetsarbete som minskar Grästorps miljöpåverkan",
        [7, 13],
        None,  # no approved assessment for the period
        "partly",
    )
    naringsliv = _goal(
        104,
        1,
        "Vi skapar förutsättningar för ett grönskande näringsliv och besöksnäring",
        [8, 9],
        _assessment(
            "not_met",
            "Företagsklimatet har försämrats enligt Svenskt Näringslivs enkät, främst "
            "i omdömet om kommunens service och handläggningstider.",
            "En näringslivsdialog per kvartal och ett gemensamt mål för handläggningstider.",
            "Maria Öberg",
            approved_at,
        ),
        "not_met",
        measures=[
            _measure(
                41,
                "Svenskt Näringslivs ranking av företagsklimatet",
                "placering",
                0,
                {2021: "142", 2022: "128", 2023: "119", 2024: "133", 2025: "151"},
                target="100",
                status="not_met",
                direction="lower",
                baseline=("128", 2022),
                responsible_unit="Kommunledning",
            )
        ],
    )
    utbildning = _goal(
        201,
        1,
        "Vi utbildar barn och elever till världsmedborgare som kan göra skillnad för sig "
        "själv och andra",
        [4, 5, 10],
        _assessment(
            "met",
            "Andelen behöriga elever har ökat fem år i rad och ligger nu över rikets snitt.",
            "Behåll arbetet med tidiga insatser i lågstadiet.",
            "Lars Ågren",
            approved_at,
        ),
        "met",
        units=[
            {
                **_assessment(
                    "met",
                    "Alla elever i åk 9 har haft studieplan med mentor.",
                    "",
                    "Eva Åström",
                    approved_at,
                ),
                "unit": "Tengene skola",
                "operation": "Barn och utbildning",
            },
            {
                **_assessment(
                    "partly",
                    "Lärmiljön utomhus behöver utvecklas.",
                    "Ny förskolegård 2026.",
                    "Eva Åström",
                    approved_at,
                ),
                "unit": "Förskolan Ängen",
                "operation": "Barn och utbildning",
            },
        ],
        measures=[
            _measure(
                51,
                "Elever i åk 9 som är behöriga till yrkesprogram",
                "%",
                1,
                {2021: "84.9", 2022: "86.4", 2023: "88.0", 2024: "89.5", 2025: "91.2"},
                target="90.0",
                status="met",
                baseline=("86.4", 2022),
                area="Grundskola",
                responsible_unit="Barn och utbildning",
            ),
            _measure(
                52,
                "Elever i åk 5 som känner sig trygga i skolan",
                "%",
                1,
                {2022: "91.5", 2023: None, 2024: "93.0", 2025: "92.25"},
                target="95.0",
                status="near",
                area="Grundskola",
                responsible_unit="Barn och utbildning",
            ),
            _measure(
                53,
                "Förskolans lärmiljö, kvalitetsbedömning",
                "",
                0,
                {},
                target=None,
                status="no_target",
                grades=("met", "partly"),
                latest_label=str(year),
                area="Förskola",
                responsible_unit="Barn och utbildning",
            ),
        ],
        activities=[
            _activity(
                "Läsfrämjande insatser i åk 1–3",
                "Tengene skola",
                "ongoing",
                None,
                "2025-08-18",
                "",
                "",
            )
        ],
        dialogues=[
            _dialogue(
                f"{year}-04-22",
                "Välfärdsutskottet",
                "Dialog om skolresultat",
                "Resultaten är goda; fokus framåt är trygghet och studiero.",
                "",
            )
        ],
    )
    omsorg = _goal(
        202,
        2,
        "Vi ger förutsättningar för ett gott och meningsfullt liv i alla åldrar",
        [3, 10],
        _assessment(
            "partly",
            "Brukarnas omdöme om hemtjänsten är högt, men väntetiden till särskilt boende "
            "har ökat.",
            "Utred behovet av fler platser i särskilt boende till budget 2027.",
            "Lars Ågren",
            approved_at,
        ),
        "partly",
        measures=[
            _measure(
                61,
                "Brukarbedömning hemtjänst äldreomsorg – helhetsomdöme",
                "%",
                0,
                {2023: "92", 2024: "90", 2025: "93"},
                target="90",
                status="met",
                responsible_unit="Vård och omsorg",
            )
        ],
    )
    return [invanare, miljoer, hallbarhet], [naringsliv], [utbildning, omsorg]


def _economy(annual: bool) -> dict:
    months = 12 if annual else 8
    if annual:
        operations = [
            _operation("Kommunledning", "38500000", "37912440", months=12),
            _operation("Samhällsbyggnad", "52300000", "53105220.75", months=12),
            _operation("Barn och utbildning", "178900000", "176230100", months=12),
            _operation("Vård och omsorg", "162400000", "167882310", months=12),
            _operation("Kultur och fritid", "14800000", "14655900", months=12),
        ]
    else:
        operations = [
            _operation(
                "Kommunledning",
                "39800000",
                "25640118",
                months=8,
                forecast="39100000",
                comment="Vakanta tjänster under våren.",
            ),
            _operation(
                "Samhällsbyggnad",
                "54100000",
                "37012455.50",
                months=8,
                forecast="55300000",
                comment="Ökade kostnader för vinterväghållning i början av året.",
            ),
            _operation(
                "Barn och utbildning", "184200000", "121884020", months=8, forecast="183900000"
            ),
            _operation(
                "Vård och omsorg",
                "168000000",
                "115920774",
                months=8,
                forecast="172500000",
                comment="Fler placeringar inom individ- och familjeomsorgen än budgeterat.",
            ),
            _operation("Kultur och fritid", "15300000", "9870332", months=8, forecast="15250000"),
        ]
    if annual:
        income_statement = [
            ("Verksamhetens intäkter", "95234118.00", "line"),
            ("Verksamhetens kostnader", "-504876540.50", "line"),
            ("Avskrivningar", "-17102330.00", "line"),
            ("Verksamhetens nettokostnader", "-426744752.50", "subtotal"),
            ("Skatteintäkter", "304512000", "line"),
            ("Generella statsbidrag och utjämning", "132118400", "line"),
            ("Verksamhetens resultat", "9885647.50", "subtotal"),
            ("Finansiella intäkter", "3120500", "line"),
            ("Finansiella kostnader", "-4493802.50", "line"),
            ("Resultat efter finansiella poster", "8512345.00", "subtotal"),
            ("Årets resultat", "8512345.00", "total"),
        ]
        result, budgeted, forecast = "8512345.00", "8900000", None
    else:
        income_statement = [
            ("Verksamhetens intäkter", "64120300", "line"),
            ("Verksamhetens kostnader", "-347550120", "line"),
            ("Avskrivningar", "-11840000", "line"),
            ("Verksamhetens nettokostnader", "-295269820", "subtotal"),
            ("Skatteintäkter", "206400000", "line"),
            ("Generella statsbidrag och utjämning", "91200000", "line"),
            ("Verksamhetens resultat", "2330180", "subtotal"),
            ("Finansiella intäkter", "1840000", "line"),
            ("Finansiella kostnader", "-3102000", "line"),
            ("Resultat efter finansiella poster", "1068180", "subtotal"),
            ("Periodens resultat", "1068180", "total"),
        ]
        result, budgeted, forecast = "1068180", "6100000", "-2400000"
    balance_sheet = [
        ("Anläggningstillgångar", "612400000", "line"),
        ("Omsättningstillgångar", "98700000", "line"),
        ("Summa tillgångar", "711100000", "total"),
        ("Eget kapital", "286300000", "line"),
        ("därav årets resultat", result, "line"),
        ("Avsättningar", "24800000", "line"),
        ("Långfristiga skulder", "312000000", "line"),
        ("Kortfristiga skulder", "88000000", "line"),
        ("Summa eget kapital, avsättningar och skulder", "711100000", "total"),
    ]
    year = 2025 if annual else 2026
    years = list(range(year - 4, year + 1))

    def balance_year(year: int, is_forecast: bool, result: str, gains: str) -> dict:
        after = str(Decimal(result) - Decimal(gains))
        return {
            "year": year,
            "is_forecast": is_forecast,
            "lines": [
                {"label": "Årets resultat", "amount": result, "total": True},
                {
                    "label": "Avgår: samtliga realisationsvinster",
                    "amount": f"-{gains}",
                    "total": False,
                },
                {
                    "label": "Årets resultat efter balanskravsjusteringar",
                    "amount": after,
                    "total": True,
                },
                {
                    "label": "Reservering till resultatutjämningsreserv",
                    "amount": "0",
                    "total": False,
                },
                {"label": "Användning av resultatutjämningsreserv", "amount": None, "total": False},
                {"label": "Balanskravsresultat", "amount": after, "total": True},
            ],
            "balance_result": after,
        }

    if annual:
        balance = [
            balance_year(2025, False, "8512345.00", "412000"),
            balance_year(2024, False, "-3204118", "0"),
        ]
        deficits = [
            {
                "year": 2024,
                "amount": "3204118",
                "remaining": "0",
                "deadline": 2027,
                "status": "Återställt 2025",
            }
        ]
    else:
        balance = [
            balance_year(2026, True, "-2400000", "0"),
            balance_year(2025, False, "8512345.00", "412000"),
        ]
        deficits = [
            {
                "year": 2026,
                "amount": "2400000",
                "remaining": "2400000",
                "deadline": 2029,
                "status": "Ska återställas senast 2029",
            }
        ]
    return {
        "has_outcome": True,
        "latest_month": months,
        "result": result,
        "budgeted_result": budgeted,
        "forecast_result": forecast,
        "income_statement": [
            {"label": label, "amount": amount, "kind": kind}
            for label, amount, kind in income_statement
        ],
        "balance_sheet": [
            {"label": label, "amount": amount, "kind": kind}
            for label, amount, kind in balance_sheet
        ],
        "indicators": [
            {"label": "Resultat i procent av skatter och bidrag", "value": "1.95", "unit": "%"},
            {"label": "Soliditet", "value": "40.26", "unit": "%"},
            {"label": "Soliditet inklusive pensionsförpliktelser", "value": "18.9", "unit": "%"},
            {"label": "Skattesats", "value": "22.16", "unit": "kr"},
            {"label": "Självfinansieringsgrad av investeringar", "value": None, "unit": "%"},
        ],
        "operations": operations,
        "operations_total": _operations_total(operations, "Summa verksamheter"),
        "financial_goals": [
            {
                "title": "Årets resultat ska uppgå till minst 2 procent av skatteintäkter och "
                "generella statsbidrag",
                "target": "≥ 2,0 %",
                "value": "1.95",
                "unit": "%",
                "fulfilment": "partly",
                "fulfilment_label": "Delvis uppfyllt",
                "assessed_month": 12 if annual else 8,
                "comment": "Resultatet blev 0,05 procentenheter lägre än målet.",
            },
            {
                "title": "Soliditeten inklusive pensionsförpliktelser ska förbättras",
                "target": "> 18,2 %",
                "value": "18.9",
                "unit": "%",
                "fulfilment": "met",
                "fulfilment_label": "Uppfyllt",
                "assessed_month": None,
                "comment": "",
            },
            {
                "title": "Investeringarna ska i huvudsak självfinansieras",
                "target": "≥ 60,0 %",
                "value": None,
                "unit": "%",
                "fulfilment": "not_assessed",
                "fulfilment_label": "Ej bedömt",
                "assessed_month": None,
                "comment": "",
            },
        ],
        "balance_requirement": balance,
        "deficits": deficits,
        "five_year": {
            "years": years,
            "rows": [
                {"label": label, "unit": unit, "values": [by_year.get(y) for y in years]}
                for label, unit, by_year in (
                    (
                        "Antal invånare 31 december",
                        "",
                        {2021: "5623", 2022: "5650", 2023: "5642", 2024: "5688", 2025: "5712"},
                    ),
                    (
                        "Årets resultat",
                        "mnkr",
                        {2021: "14.0", 2022: "12.5", 2023: "9.3", 2024: "-3.2", 2025: "8.5"},
                    ),
                    (
                        "Resultat i procent av skatter och bidrag",
                        "%",
                        {2021: "4.1", 2022: "3.6", 2023: "2.6", 2024: "-0.8", 2025: "1.95"},
                    ),
                    ("Soliditet", "%", {2022: "38.1", 2023: "39.0", 2024: "38.7", 2025: "40.26"}),
                    ("Skattesats", "kr", {y: "22.16" for y in years}),
                )
            ],
        },
    }


def sample_content(kind: str = "annual") -> ReportContent:
    """A full composed report of Grästorps kommun: "annual" (2025) or "interim" (2026)."""
    annual = kind == "annual"
    year = 2025 if annual else 2026
    bo, verka, valfard = _goals(annual)
    goals = bo + verka + valfard
    perspectives = [
        {
            "label": "Perspektiv 1",
            "title": "Samhällsutveckling",
            "description": "Perspektivet samhällsutveckling beskriver hur kommunen vill "
            "utvecklas för att vara attraktiv och välkomnande för dem som bor och vistas i "
            "Grästorp.",
            "focus_areas": [
                {"label": "Fokusområde 1", "title": "Bo och leva", "description": "", "goals": bo},
                {
                    "label": "Fokusområde 2",
                    "title": "Verka och vistas",
                    "description": "",
                    "goals": verka,
                },
            ],
        },
        {
            "label": "Perspektiv 2",
            "title": "Välfärdsutveckling",
            "description": "Perspektivet välfärdsutveckling beskriver hur utbildning, vård och "
            "omsorg vill utvecklas för att ge ung som gammal förutsättningar till ett bra liv.",
            "focus_areas": [
                {
                    "label": "Fokusområde 1",
                    "title": "Värdeskapande och välkomnande",
                    "description": "",
                    "goals": valfard,
                }
            ],
        },
    ]
    sdg_summary = []
    for number, (name, colour) in sorted(SDGS.items()):
        linked = [goal for goal in goals if number in goal["sdgs"]]
        if linked:
            sdg_summary.append(
                {
                    "number": number,
                    "name": name,
                    "colour": colour,
                    "goals": [goal["label"] for goal in linked],
                    "counts": _count(linked),
                }
            )
    if annual:
        sections = [
            _section(
                "foreword",
                "Förord",
                "Några ord från kommunstyrelsens ordförande om året.",
                text="2025 blev året då Grästorp åter växte. Vi har rustat torget, fått fler "
                "elever behöriga till gymnasiet och vänt ett underskott till ett överskott.\n\n"
                "Tack till alla medarbetare – medledare – som gjort det möjligt.",
                lkbr=False,
                owner="Åsa Öhman",
                updated_at="2026-02-20T10:12:00+01:00",
            ),
            _section(
                "overview",
                "Översikt över verksamhetens utveckling",
                "Hur verksamheten och ekonomin har utvecklats de senaste fem åren.",
                data="five_year",
            ),
            _section(
                "events",
                "Händelser av väsentlig betydelse",
                "Vad som hänt under perioden eller efter den som har betydelse för resultatet.",
                text="Kommunen tecknade i juni avtal om försäljning av tomtmark i Södra "
                "Grästorp, vilket gav en realisationsvinst på 0,4 mnkr.\n\nIndivid- och "
                "familjeomsorgens kostnader ökade kraftigt under hösten.",
                required=True,
                owner="Karin Ek",
                updated_at="2026-02-18T15:40:00+01:00",
            ),
            _section(
                "governance",
                "Styrning och uppföljning av den kommunala verksamheten",
                "Hur styrmodellen användes.",
                data="governance",
                text="Målen har följts upp i dialoger i utskotten enligt årshjulet.",
                owner="Karin Ek",
                updated_at="2026-02-18T15:41:00+01:00",
            ),
            _section(
                "economic_management",
                "Utvärdering av god ekonomisk hushållning",
                "Den samlade utvärderingen av målen för god ekonomisk hushållning.",
                data="goals",
                text="Kommunen har en god ekonomisk hushållning 2025: en majoritet av målen är "
                "helt eller delvis uppfyllda och balanskravet uppfylls.",
                required=True,
                owner="Karin Ek",
                updated_at="2026-02-19T09:00:00+01:00",
            ),
            _section(
                "financial_position",
                "Ekonomisk ställning",
                "Resultatet, balansräkningen och nyckeltalen.",
                data="economy",
            ),
            _section(
                "balance_requirement",
                "Balanskravsresultat",
                "Balanskravsresultatet och hur ett underskott ska återställas.",
                data="balance_requirement",
            ),
            _section(
                "staff",
                "Väsentliga personalförhållanden",
                "Antal anställda, sjukfrånvaro, rekrytering och arbetsmiljö.",
                text="Sjukfrånvaron sjönk från 7,9 % till 7,1 %.",
                required=True,
                owner="Jörgen Åkesson",
                updated_at="2026-02-10T08:30:00+01:00",
            ),
            _section(
                "expected_development",
                "Förväntad utveckling",
                "Vad de kommande åren väntas innebära.",
                text="Skatteunderlaget väntas växa långsammare 2026–2027.",
                required=True,
                owner="Karin Ek",
                updated_at="2026-02-19T09:05:00+01:00",
            ),
        ]
        missing = []
    else:
        sections = [
            _section(
                "foreword",
                "Förord",
                "Några ord från kommunstyrelsens ordförande om perioden.",
                lkbr=False,
            ),
            _section(
                "events",
                "Händelser av väsentlig betydelse",
                "Vad som hänt under perioden eller efter den som har betydelse för resultatet.",
                text="Vård och omsorg prognostiserar ett underskott på 4,5 mnkr.",
                required=True,
                owner="Karin Ek",
                updated_at="2026-09-10T11:00:00+02:00",
            ),
            _section(
                "economic_management",
                "Utvärdering av god ekonomisk hushållning",
                "Den samlade utvärderingen av målen för god ekonomisk hushållning.",
                data="goals",
                required=True,
                owner="Karin Ek",
            ),
            _section(
                "financial_position",
                "Ekonomisk ställning",
                "Resultatet, balansräkningen och nyckeltalen.",
                data="economy",
            ),
            _section(
                "balance_requirement",
                "Balanskravsresultat",
                "Balanskravsresultatet och hur ett underskott ska återställas.",
                data="balance_requirement",
            ),
            _section(
                "expected_development",
                "Förväntad utveckling",
                "Vad de kommande åren väntas innebära.",
                required=True,
            ),
        ]
        missing = [
            {
                "key": "economic_management",
                "section": "Utvärdering av god ekonomisk hushållning",
                "message": "Texten är inte skriven ännu.",
            },
            {
                "key": "expected_development",
                "section": "Förväntad utveckling",
                "message": "Texten är inte skriven ännu.",
            },
            {
                "key": "goals",
                "section": "Mål 3: Vi bedriver ett systematiskt hållbarhetsarbete som minskar "
                "Grästorps miljöpåverkan",
                "message": "Målet saknar en godkänd bedömning för perioden.",
            },
        ]
    return {
        "format": FORMAT,
        "kind": kind,
        "kind_label": "Årsredovisning" if annual else "Delårsrapport",
        "title": f"Årsredovisning {year}" if annual else f"Delårsrapport {year}",
        "year": year,
        "through_month": 12 if annual else 8,
        "period_label": f"januari–december {year}" if annual else f"januari–augusti {year}",
        "organisation": {"name": "Grästorps kommun", "municipality_code": "1444"},
        "state": "approved" if annual else "draft",
        "state_label": "Godkänd av kommunstyrelsen" if annual else "Utkast",
        "approval": "KS 2026-03-25 § 45" if annual else "",
        "composed_at": "2026-03-25T13:42:07+00:00" if annual else "2026-09-18T08:05:00+00:00",
        "followup_period": {
            "name": f"Helår {year}" if annual else f"Delår {year}",
            "start": f"{year}-01-01",
            "end": f"{year}-12-31" if annual else f"{year}-08-31",
            "closed": annual,
        },
        "plan": {
            "document": "Inriktningsdokument 2024–2027",
            "decision": "KF 2023-11-27 § 93",
            "vision": {
                "title": "Vi välkomnar framtiden, vi välkomnar förändring och vi välkomnar dig.",
                "text": "Vi ska alltid vara en öppen och välkomnande kommun, mot varje enskild "
                "individ, varje företag och varje organisation som vi möter.\n\nTillsammans ska "
                "vi skapa en meningsfull framtid.",
            },
            "mission": {
                "title": "Vår mission",
                "text": "Vi skapar en stark känsla av tillhörighet, genom att verka med glädje, "
                "engagemang och hjärta.",
            },
            "principles": [
                {
                    "name": name,
                    "title": f"Vi tänker {name.lower()} i allt vi gör",
                    "description": description,
                }
                for name, description in (
                    ("Värdskap", "Värdskap är konsten att få människor att känna sig välkomna."),
                    ("Helhet", "I Grästorp är helheten viktigare än delarna."),
                    ("Digitalisering", "Digitalisering skapar effektivitet och delaktighet."),
                    ("Medledarskap", "Människor växer genom sina styrkor."),
                    ("Innovation", "Innovation är att göra nytt som gör nytta."),
                )
            ],
            "perspectives": perspectives,
        },
        "sections": sections,
        "goal_summary": _count(goals),
        "sdg_summary": sdg_summary,
        "principle_summary": [
            {
                "name": "Värdskap",
                "activities": 4,
                "finished": 2,
                "examples": ["Inflyttarservice – välkomstpaket till nya invånare"],
            },
            {
                "name": "Helhet",
                "activities": 2,
                "finished": 1,
                "examples": ["Upprustning av torget", "Detaljplan för Södra Grästorp"],
            },
            {"name": "Digitalisering", "activities": 0, "finished": 0, "examples": []},
        ],
        "economy": _economy(annual),
        "missing": missing,
    }  # type: ignore[return-value]


def sparse_content() -> ReportContent:
    """The least a report can hold: no economy, vision, principles, focus areas or measures."""
    content = sample_content("interim")
    content["plan"]["vision"] = None
    content["plan"]["mission"] = None
    content["plan"]["principles"] = []
    content["plan"]["decision"] = ""
    goals = [
        copy.deepcopy(goal)
        for area in content["plan"]["perspectives"][0]["focus_areas"]
        for goal in area["goals"]
    ]
    for goal in goals:
        goal["measures"], goal["activities"], goal["dialogues"], goal["units"] = [], [], [], []
        goal["sdgs"] = []
    content["plan"]["perspectives"] = [
        {
            "label": "",
            "title": "Samhällsutveckling",
            "description": "",
            "focus_areas": [{"label": "", "title": "", "description": "", "goals": goals}],
        },
        {"label": "", "title": "Välfärdsutveckling", "description": "", "focus_areas": []},
    ]
    content["economy"] = None
    content["followup_period"] = None
    content["sdg_summary"] = []
    content["principle_summary"] = []
    content["goal_summary"] = _count(goals)
    return content


_RENDERED: dict[tuple[str, str], tuple[bytes, float]] = {}


def content_of_kind(kind: str) -> ReportContent:
    """ "annual", "interim" or "sparse"."""
    return sparse_content() if kind == "sparse" else sample_content(kind)


def rendered(kind: str, fmt: str) -> tuple[bytes, float]:
    """The sample of the kind rendered to the format once per test run, and when
    (time.monotonic()): the PDF takes a second or more, so its tests share one."""
    from ..render import render

    key = (kind, fmt)
    if key not in _RENDERED:
        _RENDERED[key] = (render(content_of_kind(kind), fmt), time.monotonic())
    return _RENDERED[key]
