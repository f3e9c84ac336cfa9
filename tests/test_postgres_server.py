"""The `postgres` fixtures give a real, durable PostgreSQL server that accepts every test's connections."""

from __future__ import annotations

import psycopg
import pytest
from psycopg_pool import ConnectionPool

from tests.postgres import PostgresServer


def test_a_table_round_trips(postgres_url):
    with psycopg.connect(postgres_url) as conn:
        conn.execute("CREATE TABLE notes (id serial PRIMARY KEY, body text NOT NULL)")
        conn.execute("INSERT INTO notes (body) VALUES (%s), (%s)", ["héllo", "wörld ✓"])
    with psycopg.connect(postgres_url) as conn:
        assert conn.execute("SELECT body FROM notes ORDER BY id").fetchall() == [("héllo",), ("wörld ✓",)]
        assert conn.execute("SHOW server_encoding").fetchone() == ("UTF8",)


@pytest.fixture
def other_url(postgres):
    name = "other_database_of_the_test"
    yield postgres.create_database(name)
    postgres.drop_database(name)


def test_each_url_is_its_own_database(postgres_url, other_url):
    assert postgres_url != other_url
    with psycopg.connect(postgres_url) as conn:
        conn.execute("CREATE TABLE only_here (x int)")
    with psycopg.connect(other_url) as conn:
        assert conn.execute("SELECT to_regclass('only_here')").fetchone() == (None,)
        assert conn.execute("SELECT current_database()").fetchone() == ("other_database_of_the_test",)


def test_the_url_points_at_loopback_as_postgres(postgres, postgres_url):
    assert postgres_url.startswith(f"postgresql://postgres@127.0.0.1:{postgres.port}/")
    with psycopg.connect(postgres_url) as conn:
        assert conn.execute("SHOW listen_addresses").fetchone() == ("127.0.0.1",)
        assert conn.execute("SHOW fsync").fetchone() == ("on",)
        assert conn.execute("SELECT current_user").fetchone() == ("postgres",)


def test_the_server_rejects_nothing(postgres, postgres_url):
    """No password over TCP or the unix socket, and many connections at once (a pool's worth)."""
    dbname = postgres_url.rsplit("/", 1)[1]
    with psycopg.connect(host=str(postgres.socket_dir), port=postgres.port, user="postgres", dbname=dbname) as conn:
        assert conn.execute("SELECT inet_server_addr()").fetchone() == (None,)  # None: a unix socket
    with ConnectionPool(postgres_url, min_size=20, max_size=20, open=True, timeout=10) as pool:
        pool.wait(timeout=10)
        held = [pool.getconn() for _ in range(20)]
        try:
            assert len({conn.execute("SELECT pg_backend_pid()").fetchone()[0] for conn in held}) == 20
        finally:
            for conn in held:
                pool.putconn(conn)


@pytest.mark.parametrize("mode", ["fast", "immediate"])
def test_a_committed_row_survives_a_restart(mode):
    """Its own server, so stopping it cannot disturb other tests; "immediate" makes the restart replay the WAL."""
    server = PostgresServer.start_new()
    try:
        url = server.create_database("durable")
        with psycopg.connect(url) as conn:
            conn.execute("CREATE TABLE ledger (entry text)")
            conn.execute("INSERT INTO ledger VALUES ('committed')")
        server.stop(mode)
        with pytest.raises(psycopg.OperationalError):
            psycopg.connect(url, connect_timeout=2).close()
        server.start()
        with psycopg.connect(url) as conn:
            assert conn.execute("SELECT entry FROM ledger").fetchall() == [("committed",)]
    finally:
        server.close()
