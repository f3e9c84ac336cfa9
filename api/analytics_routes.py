"""The dashboard's endpoints: its figures, one of its tables as CSV, and one content gap; for a tenant's admins.

The figures are of the token's tenant only, whatever the request says. Reading them scans the
store and may embed texts, so the work runs in the thread pool, off the event loop.
"""

from __future__ import annotations

from datetime import date, timedelta, timezone

from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from . import analytics
from .endpoint import Endpoint
from .errors import BadRequest, NotFound
from .help_center import HelpCenter
from .params import Param
from .tokens import Caller

DEFAULT_DAYS = 30  # `to` and the 29 days before it, as the dashboard's "Last 30 days"
MAX_DAYS = 366
GAP_DAYS = 90


def _today(center: HelpCenter) -> date:
    return center.store.clock().astimezone(timezone.utc).date()


def _range(first: date | None, last: date | None, today: date) -> tuple[date, date]:
    last = last or today
    first = first or last - timedelta(days=DEFAULT_DAYS - 1)
    if first > last:
        raise BadRequest("'from' must not be after 'to'", param="from")
    if (last - first).days + 1 > MAX_DAYS:
        raise BadRequest(f"'from' must be at most {MAX_DAYS} days before 'to' (both included)", param="from")
    return first, last


def _figures(center: HelpCenter, caller: Caller, first: date, last: date) -> dict:
    index, embed, now = center.holder.current.index, center.holder.embed.many, center.store.clock()
    return center.store.read(lambda s: analytics.dashboard(s, caller, first, last, index, embed, now))


async def dashboard(center: HelpCenter, caller: Caller, **days) -> dict:
    first, last = _range(days["from"], days["to"], _today(center))
    return await run_in_threadpool(_figures, center, caller, first, last)


async def dashboard_csv(center: HelpCenter, caller: Caller, table: str | None, **days) -> Response:
    if table is None:
        raise BadRequest(f"'table' is required: one of {', '.join(analytics.TABLES)}", param="table")
    first, last = _range(days["from"], days["to"], _today(center))
    figures = await run_in_threadpool(_figures, center, caller, first, last)
    return Response(analytics.csv_table(figures, table), media_type="text/csv", headers={
        "Content-Disposition": f'attachment; filename="help-center-{table}-{first}-{last}.csv"'})


def _gaps(center: HelpCenter, caller: Caller, first: date, last: date) -> list[dict]:
    index, embed = center.holder.current.index, center.holder.embed.many
    return center.store.read(lambda s: analytics.content_gaps(s, caller, first, last, index, embed))


async def gap(center: HelpCenter, caller: Caller, gap_id: str) -> dict:
    today = _today(center)
    for found in await run_in_threadpool(_gaps, center, caller, today - timedelta(days=GAP_DAYS - 1), today):
        if found["gap_id"] == gap_id:
            return {key: found[key] for key in ("gap_id", "label", "count", "examples", "sources")}
    raise NotFound(f"no content gap '{gap_id}' in the last {GAP_DAYS} days")


DAYS = (
    Param("from", f"The first day (UTC, included); default: the last {DEFAULT_DAYS} days up to `to`", "date"),
    Param("to", f"The last day (UTC, included); default: today. At most {MAX_DAYS} days from `from`", "date"),
)

ENDPOINTS = (
    Endpoint("GET", "/v1/analytics/dashboard", dashboard,
             "The dashboard's figures for the token's tenant over a range of days (admin tokens)", DAYS,
             returns="Dashboard", errors=(400, 403), access="admin"),
    Endpoint("GET", "/v1/analytics/dashboard.csv", dashboard_csv, "One table of the dashboard as CSV (admin tokens)", (
        Param("table", "Which table", "choice", required=True, options=tuple(analytics.TABLES)), *DAYS,
    ), returns="DashboardCsv", media_type="text/csv", errors=(400, 403), access="admin"),
    Endpoint("GET", "/v1/analytics/gaps/{gap_id}", gap,
             f"One content gap of the last {GAP_DAYS} days, as `site_builder new --from-gap` reads it (admin tokens)", (
                 Param("gap_id", "From the dashboard's content_gaps", "identifier", required=True, in_path=True),
             ), returns="ContentGap", errors=(400, 403, 404), access="admin"),
)
