"""`python -m api rollup [--days N]` and `python -m api export --out DIR [--format parquet|csv]`.

Each opens the store itself. DuckDB lets one process hold its file: when the running server holds
it, the command asks the server to do the work instead (POST /api/v1/analytics/rollup or export),
signing itself a one-minute admin token with HELP_CENTER_SECRET, and says which way it went.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
from datetime import datetime, timezone
from pathlib import Path

from site_builder.settings import SettingError, read_settings

from .config import SERVE_SETTINGS
from .database import DUCKDB_FILE, StoreError, StoreLocked, open_database
from .export import FORMATS, export
from .rollup import DEFAULT_DAYS, RollupSummary, rollup
from .tokens import sign

NEEDED = ("data", "db", "retention_days", "host", "port", "secret", "token_audience")


class CommandError(Exception):
    pass


def settings(env=None) -> dict:
    """The settings these commands read (not the model's: they load none)."""
    try:
        return read_settings([s for s in SERVE_SETTINGS if s.attr in NEEDED], os.environ if env is None else env)
    except SettingError as exc:
        raise CommandError(str(exc)) from None


def rollup_command(argv: list[str]) -> int:
    p = argparse.ArgumentParser(prog="python -m api rollup", description=(
        "Recompute the daily figures of the days before today into daily_rollups, then delete raw events, searches and "
        "search clicks older than HELP_CENTER_RETENTION_DAYS (each day rolled up first). Safe to run again, and from cron."))
    p.add_argument("--days", type=_positive, default=DEFAULT_DAYS, help=f"days before today to recompute (default {DEFAULT_DAYS})")
    args = p.parse_args(argv)
    return _run(lambda: _rollup(settings(), args.days))


def export_command(argv: list[str]) -> int:
    p = argparse.ArgumentParser(prog="python -m api export", description=(
        "Write every table of the store to DIR/<table>.parquet (or .csv): a consistent copy to read or back up."))
    p.add_argument("--out", type=Path, required=True, metavar="DIR", help="folder to write the files into (created if missing)")
    p.add_argument("--format", choices=FORMATS, default="parquet", help="file format (default parquet)")
    args = p.parse_args(argv)
    return _run(lambda: _export(settings(), args.out.expanduser().resolve(), args.format))


def _run(command) -> int:
    try:
        command()
    except CommandError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


def _positive(text: str) -> int:
    if not (text.isascii() and text.isdecimal()) or int(text) < 1:
        raise argparse.ArgumentTypeError(f"must be a whole number of 1 or more, not '{text}'")
    return int(text)


def _rollup(values: dict, days: int) -> None:
    today = datetime.now(timezone.utc).date()
    database = _open(values, read_only=False)
    if database is None:
        answer = _ask_server(values, "/api/v1/analytics/rollup", {"days": days})
        print(f"{_held(values)}, the running server: asked it ({_server_url(values)}) to roll up; it did:")
        print(RollupSummary.from_dict(answer).describe())
        return
    try:
        summary = rollup(database, today, days, values["retention_days"])
    finally:
        database.close()
    print(f"rolled up in the store itself ({_where(values)}):")
    print(summary.describe())


def _export(values: dict, out: Path, fmt: str) -> None:
    database = _open(values, read_only=True)
    if database is None:
        answer = _ask_server(values, "/api/v1/analytics/export", {"format": fmt})
        _copy_from_server(Path(answer["path"]), out, [t["file"] for t in answer["tables"]])
        print(f"{_held(values)}, the running server: asked it ({_server_url(values)}) to export; it wrote {answer['path']}, "
              f"copied to {out}:")
        _print_files(out, [(t["file"], t["rows"]) for t in answer["tables"]])
        return
    try:
        written = export(database, out, fmt)
    finally:
        database.close()
    print(f"exported the store itself ({_where(values)}) to {out}:")
    _print_files(out, [(t.path.name, t.rows) for t in written])


def _open(values: dict, read_only: bool):
    """The store, or None when the running server holds its DuckDB file."""
    try:
        return open_database(values["data"], values["db"], read_only=read_only)
    except StoreLocked:
        return None
    except StoreError as exc:
        raise CommandError(str(exc)) from None


def _ask_server(values: dict, path: str, body: dict) -> dict:
    if not values["secret"]:
        raise CommandError(f"{_held(values)} (the server, when it runs), and asking the server needs a token: set "
                           "HELP_CENTER_SECRET to the server's secret, or stop the server and run this again")
    from site_builder.api_client import ApiClientError, call  # the command's client: the server never loads it

    token = sign(values["secret"], user="python -m api", tenant="", roles=["admin"], ttl=60, audience=values["token_audience"])
    try:
        return call(_server_url(values), "POST", path, token, body)
    except ApiClientError as exc:
        raise CommandError(f"{_held(values)}, and asking the server failed: {exc}") from None


def _server_url(values: dict) -> str:
    """Where this machine reaches the server: a wildcard listen address means loopback."""
    host = {"0.0.0.0": "127.0.0.1", "": "127.0.0.1", "::": "::1"}.get(values["host"], values["host"])
    return f"http://{f'[{host}]' if ':' in host else host}:{values['port']}"


def _where(values: dict) -> str:
    return "PostgreSQL, HELP_CENTER_DB" if values["db"] else str(values["data"] / DUCKDB_FILE)


def _held(values: dict) -> str:
    return f"the store {values['data'] / DUCKDB_FILE} is held by another process"


def _copy_from_server(folder: Path, out: Path, files: list[str]) -> None:
    out.mkdir(parents=True, exist_ok=True)
    try:
        for name in files:
            shutil.copyfile(folder / name, out / name)
    except OSError as exc:
        raise CommandError(f"the export is in {folder}, but copying it to {out} failed: {exc}") from None


def _print_files(out: Path, files: list[tuple[str, int]]) -> None:
    for file, rows in files:
        print(f"  {out / file}  {rows} rows")

