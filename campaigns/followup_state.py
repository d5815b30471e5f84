"""The follow-up's state per roster student, in SQL (PostgreSQL): the common table
expressions that ``followup.counters`` and ``followup.filter_rows`` share, so that the
counters, the filtered list, its count and its page are one definition and, on a
page, one statement that reads the roster, its participations and their shares shown
once (issue 15: 20,000 participants, every filtered page under 300 ms).

- ``roster``: the students given (programme and search filters applied);
- ``part``: their participations in the campaign;
- ``shown``: per participation, the share that counts, else the latest;
- ``below``: the shown shares under the target level on one of the expected
  competences, read from the array of levels PostgreSQL computes per share when it
  is written (migration 0014), not by parsing its ``results``;
- ``listed`` (``listed_cte``): the roster narrowed by status, stage and badge.
"""

import json
from dataclasses import dataclass

from django.db.models import QuerySet

from pixoffice.accounts.models import Student

from .models import Campaign, Participation, Share
from .queries import NOT_JOINED, SHARED, SHARED_LATE, STARTED

BELOW = "below"
# Paginator.get_page sends a page number under 1 to the last page: so does the SQL
LAST_PAGE = 2**31 - 1


@dataclass(frozen=True)
class Listing:
    """The status, stage and badge filters of the list, and the page asked for
    (``page`` as given in the URL; ``None``: the whole list)."""

    status: str = ""
    stage: int | None = None
    badge: tuple[str, bool] | None = None
    page: object = None
    per_page: int = 50

    @property
    def narrowed(self) -> bool:
        return bool(self.status) or self.stage is not None or self.badge is not None

    def page_number(self) -> int:
        """The number asked for, as ``Paginator.get_page`` reads it (not a number: 1;
        under 1: the last page); the SQL brings it down to the last page."""
        try:
            number = int(self.page) if self.page not in (None, "") else 1
        except (TypeError, ValueError):
            return 1
        return min(number, LAST_PAGE) if number >= 1 else LAST_PAGE


# the competences of the generated column ``campaigns_share.levels`` in its order
# (migration 0014): position n holds the share's first value for LEVEL_CODES[n - 1]
LEVEL_CODES = [
    "1.1", "1.2", "1.3", "2.1", "2.2", "2.3", "2.4", "3.1",
    "3.2", "3.3", "3.4", "4.1", "4.2", "4.3", "5.1", "5.2",
]  # fmt: skip


def _level_expressions(codes: list[str]) -> list[tuple[str, list]]:
    """Per code, ``(sql, params)`` of the shown share's value on it: ``levels[n]`` (the
    array PostgreSQL keeps per share), or for a code outside it (none in the framework
    today) its ``results`` read as JSON."""
    expressions = []
    for code in codes:
        if code in LEVEL_CODES:
            expressions.append((f"shown.levels[{LEVEL_CODES.index(code) + 1}]", []))
        else:
            expressions.append(
                (
                    "(CASE WHEN json_typeof(shown.results -> %s -> 0) = 'number'"
                    " THEN (shown.results -> %s ->> 0)::float END)",
                    [code, code],
                )
            )
    return expressions


def levels_subquery(codes: list[str]):
    """``(sql, params)``: (share, competence, value) of each shown share with a value
    on one of ``codes``: the array unpivoted (``LATERAL VALUES``), nothing parsed."""
    if not codes:
        return "SELECT NULL::bigint AS id, NULL::text AS key, NULL::float AS v WHERE FALSE", []
    rows, params = [], []
    for code, (expression, more) in zip(codes, _level_expressions(codes), strict=True):
        rows.append(f"(%s::text, {expression})")
        params += [code, *more]
    return (
        "SELECT shown.id, l.key, l.v FROM shown CROSS JOIN LATERAL"  # noqa: S608 (placeholders only)
        f" (VALUES {', '.join(rows)}) AS l(key, v) WHERE l.v IS NOT NULL",
        params,
    )


def state_ctes(campaign: Campaign, students: QuerySet[Student], codes: list[str]):
    """``(sql, params)``: the CTEs ``roster``, ``part``, ``shown``, ``below`` (without
    ``WITH``); ``levels_subquery`` gives each shown share's levels."""
    roster, params = (
        students.order_by().values("pk", "last_name", "first_name").query.sql_with_params()
    )
    expressions = _level_expressions(codes)
    level_params = [param for _sql, more in expressions for param in more]
    # under the target on one of the codes: LEAST skips NULLs (no value on a code)
    below = "FALSE"
    if expressions:
        below = f"least({', '.join(sql for sql, _more in expressions)}) < %s"
    sql = (
        f"roster (id, last_name, first_name) AS MATERIALIZED ({roster}),"  # noqa: S608 (placeholders only)
        " part AS MATERIALIZED (SELECT p.id, p.student_id"
        f" FROM {Participation._meta.db_table} AS p JOIN roster ON roster.id = p.student_id"
        " WHERE p.campaign_id = %s),"
        " shown AS MATERIALIZED (SELECT DISTINCT ON (s.participation_id) s.id,"
        " s.participation_id, s.is_late, s.certifiable, s.results, s.levels, s.mastery_rate,"
        f" s.stage, s.stage_count, s.badges FROM {Share._meta.db_table} AS s"
        " JOIN part ON part.id = s.participation_id"
        " ORDER BY s.participation_id, s.counts DESC, s.shared_at DESC),"
        f" below AS MATERIALIZED (SELECT id FROM shown WHERE {below})"
    )
    params = [*params, campaign.pk, *level_params]
    if expressions:
        params.append(campaign.target_level)
    return sql, params


def listed_cte(listing: Listing):
    """``(sql, params)``: the CTE ``listed`` (id, last_name, first_name): the roster
    students kept by the status, stage and badge filters (after ``state_ctes``)."""
    conditions, params = [], []
    status = listing.status
    if status == NOT_JOINED:
        conditions.append("p.id IS NULL")
    elif status == STARTED:
        conditions.append("p.id IS NOT NULL AND sh.id IS NULL")
    elif status in (SHARED, SHARED_LATE):
        conditions.append("sh.is_late" if status == SHARED_LATE else "NOT sh.is_late")
    elif status == BELOW:
        conditions.append("sh.id IN (SELECT id FROM below)")
    if listing.stage is not None:
        conditions.append("sh.stage = %s")
        params.append(listing.stage)
    if listing.badge is not None:
        name, acquired = listing.badge
        conditions.append("sh.badges @> %s::jsonb")
        params.append(json.dumps({name: acquired}))
    where = " AND ".join(conditions) or "TRUE"
    sql = (
        "listed AS MATERIALIZED (SELECT r.id, r.last_name, r.first_name FROM roster AS r"  # noqa: S608 (placeholders only)
        " LEFT JOIN part AS p ON p.student_id = r.id"
        f" LEFT JOIN shown AS sh ON sh.participation_id = p.id WHERE {where})"
    )
    return sql, params


def page_columns(listing: Listing, source: str):
    """``(columns, params)``: the count of ``source`` (``listed`` or ``roster``), the
    page number brought down to its last page, and the page's student ids in order."""
    per = int(listing.per_page)
    # ``source`` is one of two CTE names, ``per`` an int: no user input in the SQL
    number = f"least(%s, greatest(1, ((SELECT count(*) FROM {source}) + {per - 1}) / {per}))"  # noqa: S608
    return [
        f"(SELECT count(*) FROM {source})",  # noqa: S608
        f"{number}",
        f"(SELECT array_agg(id ORDER BY last_name, first_name, id) FROM (SELECT * FROM {source}"  # noqa: S608 (no user input)
        f" ORDER BY last_name, first_name, id LIMIT {per} OFFSET ({number} - 1) * {per}) AS pg)",
    ], [listing.page_number()] * 2
