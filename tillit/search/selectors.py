"""Search: the hits of a query in a scope (scopes.py), counted per kind and paged.

On PostgreSQL: full-text search in the `swedish` configuration (stemming, stop words),
`websearch_to_tsquery` for the query ("quoted phrases", or, -not), `ts_rank` with the
title weighted A and the other texts B (by the title alone for a kind with more than
FULL_RANK_LIMIT hits), and `ts_headline` for the highlighted title and snippet. The
plan's elements, measures and activities have GIN expression indexes (vectors.py,
migrations/0001); reports are few and are read as they are.

Elsewhere (SQLite): every word of the query must occur in the item's texts, anywhere,
whatever its case (`casefold`, sqlite.py); items whose title holds more of the words
come first; the snippet is the text around the first match.

Whatever the data, a search makes the same number of queries: one count per kind, one
for the page of hits (a UNION of the kinds, ordered by rank), and one per kind on the
page to load its rows (and on SQLite one for the page's report sections).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import reduce
from operator import add

from django.contrib.postgres.aggregates import StringAgg
from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
    SearchVector,
)
from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import (
    Case,
    CharField,
    Exists,
    F,
    FloatField,
    IntegerField,
    Model,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    TextField,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, Concat
from django.db.models.lookups import Contains
from django.utils.safestring import SafeString

from tillit.planning.choices import DocumentStatus
from tillit.reports.choices import ReportKind, ReportState
from tillit.reports.models import ReportSection

from . import text
from .choices import ResultKind
from .scopes import STAFF, Scope
from .sqlite import Casefold
from .vectors import CONFIG, indexed_vector, weighted_vector

PER_PAGE = 25
# Above this many hits of a kind, PostgreSQL ranks them by their titles alone: ts_rank
# of the whole text recomputes each hit's vector (about 0.05 ms a row; docs/search.md).
FULL_RANK_LIMIT = 2000
PAGE_PARAMETER = "sida"
KIND_PARAMETER = "typ"


@dataclass(frozen=True)
class Result:
    kind: ResultKind
    obj: Model
    url: str
    title: SafeString
    snippet: SafeString
    label: str  # what it is: the element's level, "Measure", …
    context: str  # where it belongs: the document, the goal, the unit, the state
    draft: bool = False  # of a steering document not adopted (staff only)


@dataclass
class SearchResults:
    query: str
    kind: ResultKind | None
    counts: dict[ResultKind, int]
    page: Page
    results: list[Result] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def shown_total(self) -> int:
        """The hits of the chosen kind, or of all kinds."""
        return self.counts[self.kind] if self.kind else self.total


# --- What each kind searches -------------------------------------------------------


def _report_title():
    """ "Årsredovisning 2025": the report's kind in the language of the request, its year."""
    kinds = [When(kind=kind.value, then=Value(str(kind.label))) for kind in ReportKind]
    label = Case(*kinds, default=Value(""), output_field=CharField())
    return Concat(label, Value(" "), Cast("year", CharField()), output_field=CharField())


def _report_sections_text():
    """All the report's section texts, as one text (PostgreSQL)."""
    texts = (
        ReportSection.objects.filter(report=OuterRef("pk"))
        .order_by()
        .values("report")
        .annotate(all_text=StringAgg("text", delimiter="\n\n", order_by="pk"))
        .values("all_text")
    )
    return Coalesce(Subquery(texts, output_field=TextField()), Value(""), output_field=TextField())


# kind → (title expression, text fields other than the title)
_TEXTS: dict[ResultKind, tuple[str, tuple[str, ...]]] = {
    ResultKind.GOAL: ("title", ("description", "strategy")),
    ResultKind.MEASURE: ("title", ("description",)),
    ResultKind.ACTIVITY: ("title", ("description", "result")),
}
_INDEXED = {
    ResultKind.GOAL: "planning.PlanNode",
    ResultKind.MEASURE: "measures.Measure",
    ResultKind.ACTIVITY: "activities.Activity",
}
_RELATED = {
    ResultKind.GOAL: ("level", "document"),
    ResultKind.MEASURE: ("node__document",),
    ResultKind.ACTIVITY: ("owner_unit",),
    ResultKind.REPORT: (),
}


def _title(kind: ResultKind):
    return _report_title() if kind == ResultKind.REPORT else F("title")


def _body(kind: ResultKind):
    """The item's other texts as one expression (PostgreSQL's headline)."""
    if kind == ResultKind.REPORT:
        return _report_sections_text()
    fields = _TEXTS[kind][1]
    if len(fields) == 1:
        return F(fields[0])
    parts = []
    for name in fields:
        parts += [F(name), Value("\n")]
    return Concat(*parts[:-1], output_field=TextField())


def _body_text(kind: ResultKind, obj: Model) -> str:
    """The same texts, read from a loaded row (SQLite's snippet)."""
    if kind == ResultKind.REPORT:
        return "\n\n".join(section.text for section in obj.sections.all())
    return "\n".join(getattr(obj, name) for name in _TEXTS[kind][1])


# --- The two engines ----------------------------------------------------------------


class _Postgres:
    def __init__(self, query: str) -> None:
        self.query = SearchQuery(query, search_type="websearch", config=CONFIG)

    def _vector(self, kind: ResultKind):
        if kind == ResultKind.REPORT:
            return weighted_vector(_report_title(), _report_sections_text())
        return indexed_vector(_INDEXED[kind])

    def matches(self, kind: ResultKind, queryset: QuerySet) -> QuerySet:
        return queryset.alias(search_vector=self._vector(kind)).filter(search_vector=self.query)

    def empty(self) -> bool:
        return False

    def rank(self, kind: ResultKind, *, full: bool):
        """ts_rank of the whole vector; of the title alone when `full` is false (the
        vector is recomputed from each hit's texts, which costs when there are many)."""
        if full:
            return SearchRank(self._vector(kind), self.query)
        title = SearchVector(_title(kind), weight="A", config=CONFIG)
        return SearchRank(title, self.query)

    def load(self, kind: ResultKind, queryset: QuerySet) -> QuerySet:
        options = {"config": CONFIG, "start_sel": text.START, "stop_sel": text.STOP}
        return queryset.annotate(
            title_headline=SearchHeadline(_title(kind), self.query, highlight_all=True, **options),
            body_headline=SearchHeadline(
                _body(kind),
                self.query,
                max_words=30,
                min_words=12,
                max_fragments=2,
                fragment_delimiter=f" {text.ELLIPSIS} ",
                **options,
            ),
        )

    def decorate(self, kind: ResultKind, obj: Model) -> tuple[SafeString, SafeString]:
        return text.from_headline(obj.title_headline), text.from_headline(obj.body_headline)


class _Fallback:
    """Every word somewhere in the texts, case-folded (SQLite)."""

    def __init__(self, query: str) -> None:
        self.words = text.words(query)

    def _aliased(self, kind: ResultKind, queryset: QuerySet) -> tuple[QuerySet, list[str]]:
        if kind == ResultKind.REPORT:
            exprs = [_report_title()]
        else:
            title, body = _TEXTS[kind]
            exprs = [F(title), *(F(name) for name in body)]
        names = [f"search_text_{i}" for i in range(len(exprs))]
        aliases = {name: Casefold(expr) for name, expr in zip(names, exprs, strict=True)}
        return queryset.alias(**aliases), names

    def matches(self, kind: ResultKind, queryset: QuerySet) -> QuerySet:
        queryset, names = self._aliased(kind, queryset)
        for word in self.words:
            condition = reduce(
                lambda a, b: a | b, (Q(**{f"{name}__contains": word}) for name in names)
            )
            if kind == ResultKind.REPORT:
                sections = ReportSection.objects.filter(report=OuterRef("pk")).alias(
                    folded=Casefold("text")
                )
                condition |= Q(Exists(sections.filter(folded__contains=word)))
            queryset = queryset.filter(condition)
        return queryset

    def empty(self) -> bool:
        return not self.words

    def rank(self, kind: ResultKind, *, full: bool):
        """The number of the query's words in the title."""
        title = Casefold(_title(kind))
        return reduce(
            add,
            (
                Case(
                    When(Contains(title, word), then=Value(1)),
                    default=Value(0),
                    output_field=IntegerField(),
                )
                for word in self.words
            ),
        )

    def load(self, kind: ResultKind, queryset: QuerySet) -> QuerySet:
        if kind == ResultKind.REPORT:
            return queryset.prefetch_related("sections")
        return queryset

    def decorate(self, kind: ResultKind, obj: Model) -> tuple[SafeString, SafeString]:
        title = obj.title
        return text.highlight(title, self.words), text.snippet(_body_text(kind, obj), self.words)


def _engine(query: str):
    return _Postgres(query) if connection.vendor == "postgresql" else _Fallback(query)


# --- Searching ----------------------------------------------------------------------


class _Hits:
    """The ordered hits as the paginator wants them: a known count, and slices that run
    one query of the page's (kind, id) pairs."""

    def __init__(self, queryset: QuerySet | None, count: int) -> None:
        self.queryset = queryset
        self._count = count

    def count(self) -> int:
        return self._count

    def __getitem__(self, bounds: slice) -> list[tuple[str, int]]:
        if self.queryset is None:
            return []
        return [(kind, pk) for kind, pk, _rank, _sort in self.queryset[bounds]]


def _describe(kind: ResultKind, obj: Model, audience: str) -> tuple[str, str, bool]:
    """(label, context, draft) of a result."""
    if kind == ResultKind.GOAL:
        draft = obj.document.status == DocumentStatus.DRAFT
        return obj.level.name, obj.document.title, draft and audience == STAFF
    if kind == ResultKind.MEASURE:
        draft = obj.node.document.status == DocumentStatus.DRAFT
        return str(kind.singular), obj.node.title, draft and audience == STAFF
    if kind == ResultKind.ACTIVITY:
        return str(kind.singular), obj.owner_unit.name, False
    return str(kind.singular), str(ReportState(obj.state).label), False  # the state says it


def _matching(engine, kind: ResultKind, scope: QuerySet) -> QuerySet:
    """The rows of the scope that match, as a plain queryset of the model: the words
    filter the scope's own query (so that PostgreSQL reads the index first, before any
    join or DISTINCT of the scope), and the rows are then taken by id."""
    if engine.empty():
        return scope.none()
    matched = engine.matches(kind, scope).order_by().values("pk")
    return scope.model.objects.filter(pk__in=matched)


def search(
    *, scope: Scope, query: str, kind: ResultKind | None = None, page_number=1
) -> SearchResults:
    """The hits of `query` among what `scope` may see; of one kind, or of all."""
    engine = _engine(query)
    matching = {k: _matching(engine, k, scope.queryset(k)) for k in ResultKind}
    counts = {k: matching[k].count() for k in ResultKind}
    chosen = [kind] if kind else [k for k in ResultKind if counts[k]]
    parts = [
        matching[k]
        .order_by()
        .annotate(
            hit_kind=Value(k.value, output_field=CharField()),
            hit_id=F("pk"),
            hit_rank=Cast(engine.rank(k, full=counts[k] <= FULL_RANK_LIMIT), FloatField()),
            hit_sort=Cast(_title(k), CharField()),
        )
        .values_list("hit_kind", "hit_id", "hit_rank", "hit_sort")
        for k in chosen
        if counts[k]
    ]
    ordered = None
    if parts:
        combined = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
        ordered = combined.order_by("-hit_rank", "hit_sort", "hit_kind", "hit_id")
    total = counts[kind] if kind else sum(counts.values())
    page = Paginator(_Hits(ordered, total), PER_PAGE).get_page(page_number)

    ids: dict[ResultKind, list[int]] = {}
    for hit_kind, pk in page.object_list:
        ids.setdefault(ResultKind(hit_kind), []).append(pk)
    loaded: dict[tuple[ResultKind, int], Model] = {}
    for k, pks in ids.items():
        rows = engine.load(k, scope.queryset(k).model.objects.filter(pk__in=pks))
        if _RELATED[k]:
            rows = rows.select_related(*_RELATED[k])
        for obj in rows:
            loaded[(k, obj.pk)] = obj
    results = []
    for hit_kind, pk in page.object_list:
        k = ResultKind(hit_kind)
        obj = loaded.get((k, pk))
        if obj is None:  # removed between the two queries
            continue
        title, snippet = engine.decorate(k, obj)
        label, context, draft = _describe(k, obj, scope.audience)
        results.append(
            Result(
                kind=k,
                obj=obj,
                url=scope.link(k, obj),
                title=title,
                snippet=snippet,
                label=label,
                context=context,
                draft=draft,
            )
        )
    return SearchResults(query=query, kind=kind, counts=counts, page=page, results=results)
