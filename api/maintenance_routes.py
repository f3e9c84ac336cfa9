"""Housekeeping through the running server, for admins: roll up, and export the store.

While `python -m api` serves from DuckDB, no other process may open the store's file at all, so
`python -m api rollup` and `python -m api export` ask the server instead (api/maintenance_cli.py).
An export goes to a new folder under HELP_CENTER_DATA/exports/ that the server names: a request
never chooses where the server writes.
"""

from __future__ import annotations

import tempfile
from datetime import timezone
from pathlib import Path

from starlette.concurrency import run_in_threadpool

from .endpoint import Endpoint
from .export import FORMATS, export
from .help_center import HelpCenter
from .params import Param
from .rollup import DEFAULT_DAYS, rollup
from .tokens import Caller

EXPORTS = "exports"


async def run_rollup(center: HelpCenter, caller: Caller, days: int) -> dict:
    today = center.store.clock().astimezone(timezone.utc).date()
    summary = await run_in_threadpool(rollup, center.store, today, days, center.config.retention_days)
    return summary.as_dict()


async def run_export(center: HelpCenter, caller: Caller, format: str) -> dict:
    folder = new_export_folder(center.config.data, center.store.clock().astimezone(timezone.utc).strftime("%Y%m%dT%H%M%SZ"))
    written = await run_in_threadpool(export, center.store, folder, format)
    return {"path": str(folder), "format": format,
            "tables": [{"table": t.table, "file": t.path.name, "rows": t.rows} for t in written]}


def new_export_folder(data: Path, stamp: str) -> Path:
    """A fresh folder named after the time (two exports in one second get two folders), readable by its owner only."""
    parent = data / EXPORTS
    parent.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix=f"{stamp}-", dir=parent))


ENDPOINTS = (
    Endpoint("POST", "/v1/analytics/rollup", run_rollup,
             "Recompute the last days' daily figures and delete raw traffic past retention (operator: admin, no tenant)", (
                 Param("days", "Days before today to recompute (today is rolled up tomorrow)", "integer", low=1, high=100_000, default=DEFAULT_DAYS),
             ), body=True, returns="RollupDone", errors=(400, 403, 413, 503), access="operator"),
    Endpoint("POST", "/v1/analytics/export", run_export,
             "Write every table of the store to a new folder under HELP_CENTER_DATA/exports/ (operator: admin, no tenant)", (
                 Param("format", "File format", "choice", options=FORMATS, default="parquet"),
             ), body=True, status=201, returns="ExportDone", errors=(400, 403, 413, 503), access="operator"),
)
