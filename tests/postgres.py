"""A throwaway PostgreSQL server for tests: its own data folder, a free loopback port, trust auth.

    server = PostgresServer.start_new()
    url = server.create_database("orders")   # postgresql://postgres@127.0.0.1:PORT/orders
    server.stop(); server.start()            # same data folder, same port
    server.close()                           # stop and delete everything

PostgreSQL refuses to run as root, and CI runs as root: then initdb and pg_ctl run as the `postgres`
system user (Debian's package creates it) and the temporary folder is handed to that user.
"""

from __future__ import annotations

import glob
import os
import pwd
import re
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import psycopg
from psycopg import sql

INSTALL_HINT = "install Debian's `postgresql` package (.ci/run does: apt-get install postgresql)"
START_SECONDS = 30.0
# Small shared memory keeps many parallel CI jobs within the container's /dev/shm; fsync stays on
# because tests check that committed rows survive a restart.
SETTINGS = {
    "listen_addresses": "'127.0.0.1'",
    "max_connections": "50",
    "shared_buffers": "16MB",
    "fsync": "on",
    "log_min_messages": "warning",
}


class PostgresUnavailable(RuntimeError):
    """PostgreSQL's server programs are not installed, or cannot be run from here."""


def find_bin_dir() -> Path:
    """The folder holding pg_ctl, initdb and postgres of one version: PATH first, then the highest Debian one."""
    candidates = []
    on_path = shutil.which("pg_ctl")
    if on_path:
        # Resolve links so a PATH entry pointing into /usr/lib/postgresql/N/bin keeps its siblings together.
        candidates.append(Path(os.path.realpath(on_path)).parent)
    candidates += sorted((Path(p) for p in glob.glob("/usr/lib/postgresql/*/bin")), key=_version_key, reverse=True)
    for folder in candidates:
        if all(os.access(folder / name, os.X_OK) for name in ("pg_ctl", "initdb", "postgres")):
            return folder
    raise PostgresUnavailable(f"PostgreSQL server programs (pg_ctl, initdb, postgres) not found on PATH "
                              f"or under /usr/lib/postgresql/*/bin: {INSTALL_HINT}")


def _version_key(bin_dir: Path) -> tuple[int, ...]:
    return tuple(int(part) for part in re.findall(r"\d+", bin_dir.parent.name)) or (0,)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class PostgresServer:
    """One PostgreSQL server in a temporary folder; `start_new()` is the usual way in."""

    def __init__(self, bin_dir: Path, root: Path, port: int):
        self.bin_dir = bin_dir
        self.root = root  # holds the data folder, the unix socket and the server log
        self.data_dir = root / "data"
        self.log_path = root / "server.log"
        self.socket_dir = root
        self.host = "127.0.0.1"
        self.port = port
        self.running = False

    @classmethod
    def start_new(cls, base_dir: str | None = None) -> "PostgresServer":
        """initdb a fresh cluster in a new temporary folder and start it; the folder goes away on close()."""
        bin_dir = find_bin_dir()
        run_as = _server_user()
        root = Path(tempfile.mkdtemp(prefix="pg-test-", dir=base_dir))
        server = cls(bin_dir, root, free_port())
        try:
            if run_as:
                os.chown(root, run_as.pw_uid, run_as.pw_gid)
            server._initdb()
            server.start()
        except BaseException:
            server.close()
            raise
        return server

    def url(self, dbname: str = "postgres") -> str:
        return f"postgresql://postgres@{self.host}:{self.port}/{dbname}"

    def start(self, timeout: float = START_SECONDS) -> None:
        """Start on the same data folder and port (also after stop()); returns once it accepts connections."""
        result = self._run("pg_ctl", "start", "-w", "-t", str(int(timeout)), "-D", str(self.data_dir),
                           "-l", str(self.log_path), "-o", f"-p {self.port}", check=False)
        if result.returncode != 0:
            raise RuntimeError(f"PostgreSQL did not start (pg_ctl exit {result.returncode}): "
                               f"{result.stdout}{result.stderr}\n{self.log_tail()}")
        self.running = True
        self._wait_until_ready(time.monotonic() + timeout)

    def stop(self, mode: str = "fast") -> None:
        """pg_ctl stop; mode "immediate" skips the shutdown checkpoint, so the next start replays the WAL."""
        self._run("pg_ctl", "stop", "-m", mode, "-w", "-t", str(int(START_SECONDS)), "-D", str(self.data_dir))
        self.running = False

    def close(self) -> None:
        """Stop the server if it runs and delete its folder."""
        try:
            if self.running:
                self.stop()
        finally:
            shutil.rmtree(self.root, ignore_errors=True)

    def create_database(self, name: str) -> str:
        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        return self.url(name)

    def drop_database(self, name: str) -> None:
        # FORCE ends sessions a test left open, which would otherwise make DROP fail.
        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))

    def log_tail(self, lines: int = 40) -> str:
        try:
            text = self.log_path.read_text(encoding="utf-8", errors="replace")
        except OSError as error:
            return f"(no server log at {self.log_path}: {error})"
        return f"--- last lines of {self.log_path} ---\n" + "\n".join(text.splitlines()[-lines:])

    def _initdb(self) -> None:
        self._run("initdb", "-D", str(self.data_dir), "-U", "postgres", "--auth=trust", "--no-sync",
                  "--encoding=UTF8", "--locale=C")
        settings = {**SETTINGS, "unix_socket_directories": f"'{self.socket_dir}'"}
        # Appending keeps the file's owner (the postgres user when we run as root).
        with open(self.data_dir / "postgresql.conf", "a", encoding="utf-8") as conf:
            conf.write("\n# tests/postgres.py\n" + "".join(f"{k} = {v}\n" for k, v in settings.items()))

    def _wait_until_ready(self, deadline: float) -> None:
        # pg_ctl -w already waited; this confirms a client really gets in over TCP before tests do.
        while True:
            try:
                with psycopg.connect(self.url(), connect_timeout=2) as conn:
                    conn.execute("SELECT 1")
                return
            except psycopg.OperationalError as error:
                if time.monotonic() > deadline:
                    raise RuntimeError(f"PostgreSQL on port {self.port} accepts no connection: {error}\n"
                                       f"{self.log_tail()}") from error
                time.sleep(0.05)

    def _run(self, program: str, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        command = [str(self.bin_dir / program), *args]
        if _server_user():
            command = ["runuser", "-u", "postgres", "--", *command]
        # cwd: the postgres user may not be allowed into the caller's folder.
        result = subprocess.run(command, cwd=self.root, capture_output=True, text=True, timeout=START_SECONDS * 2)
        if check and result.returncode != 0:
            raise RuntimeError(f"{' '.join(command)} failed (exit {result.returncode}):\n"
                               f"{result.stdout}{result.stderr}\n{self.log_tail()}")
        return result


def _server_user() -> pwd.struct_passwd | None:
    """The user to run the server as: None for ourselves, the `postgres` user when we are root."""
    if os.geteuid() != 0:
        return None
    try:
        return pwd.getpwnam("postgres")
    except KeyError:
        raise PostgresUnavailable(f"running as root, and PostgreSQL refuses root, but there is no `postgres` "
                                  f"user to run it as: {INSTALL_HINT}") from None
