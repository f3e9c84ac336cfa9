"""Shared fixtures: small real content folders, and the real embedding model loaded once."""

from __future__ import annotations

import os
import re
import textwrap
import uuid
from pathlib import Path

import pytest

from site_builder.config import build_config
from site_builder.embeddings import Embedder, default_model_path, default_tokenizer_path
from site_builder.pipeline import build
from tests.postgres import PostgresServer, PostgresUnavailable

PROJECT = Path(__file__).resolve().parent.parent
# The tests send hundreds of requests a second from one address, as no reader does: every server they start (in
# process or not) runs without rate limits, which tests/api/test_rate_limit.py checks on their own.
os.environ.setdefault("HELP_CENTER_RATE_LIMIT", "0")


def write(root: Path, rel: str, text: str) -> Path:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


def help_center(root: Path, name: str = "Test help center") -> Path:
    """Declare `root` a help center (help-center.yml): its articles follow this project's schema and workflow.
    Without it a folder is plain docs, where `status: draft` is a page badge and the page is published."""
    write(root, "help-center.yml", f"name: {name}\nschema: 1\n")
    return root


def article(title: str, body: str = "Some text.", **fields) -> str:
    """An article file with front matter; `fields` override the defaults (None removes one)."""
    meta = {"title": title, "status": "published", "summary": f"About {title.lower()}.", "last_reviewed": "2026-10-01",
            "review_every_days": 180, **fields}
    lines = ["---"] + [f"{k}: {v}" for k, v in meta.items() if v is not None] + ["---", ""]
    return "\n".join(lines) + textwrap.dedent(body).strip() + "\n"


def config_for(content: Path, out: Path, *args: str, cache: Path | None = None):
    env = {"HELP_CENTER_CACHE": str(cache or out.parent / "cache")}
    return build_config(["--content", str(content), "--out", str(out), *args], env)


@pytest.fixture(scope="session")
def embedder() -> Embedder:
    return Embedder(default_model_path(), default_tokenizer_path())


@pytest.fixture(scope="session")
def postgres():
    """A real PostgreSQL server (tests/postgres.py), started once per session and stopped at its end."""
    try:
        server = PostgresServer.start_new()
    except PostgresUnavailable as error:
        # A missing server must fail loudly, never pass unnoticed as a skip; `from None`: say it once.
        raise pytest.fail.Exception(str(error), pytrace=False) from None
    try:
        yield server
    finally:
        server.close()


@pytest.fixture
def postgres_url(postgres, request):
    """The URL of a fresh database on the session's server, named after the test; dropped afterwards."""
    name = f"{re.sub(r'[^a-z0-9]+', '_', request.node.name.lower())[:40]}_{uuid.uuid4().hex[:8]}"
    yield postgres.create_database(name)
    postgres.drop_database(name)


@pytest.fixture(scope="session")
def demo_build(tmp_path_factory) -> tuple[Path, dict]:
    """The demo help center (content/), built once: (build folder, manifest)."""
    out = tmp_path_factory.mktemp("demo") / "build"
    return out, build(config_for(PROJECT / "content", out), log=lambda _: None)


@pytest.fixture
def small_content(tmp_path: Path) -> Path:
    """A two-category help center, enough to exercise every build step."""
    root = tmp_path / "content"
    help_center(root)
    write(root, "work-orders/_category.yml", "title: Work orders\ndescription: Create and track jobs.\norder: 1\nicon: material/clipboard-text\n")
    write(root, "work-orders/creating/_category.yml", "title: Creating\norder: 1\n")
    write(root, "work-orders/creating/create-a-work-order.md", article(
        "Create a work order",
        """
        Use a work order to ask for a repair.

        ## Fill in the form

        Open **Work orders > New** and fill in the **Location** and **Priority** fields.
        See [assigning](../assign-a-work-order.md#pick-a-technician).

        ## Error E1042

        The message E1042 means a sync conflict between two devices.
        """,
        tags="[work-orders, basics]", help_ids="[wo-new-form]", contexts='["/work-orders/new"]',
        related="[assign-a-work-order]", owner="ops-docs"))
    write(root, "work-orders/assign-a-work-order.md", article(
        "Assign a work order",
        """
        Assign the job to a technician so it shows on their phone.

        ## Pick a technician

        Choose a name in the **Assignee** list and select **Save**.
        """, contexts='["/work-orders/*"]'))
    write(root, "ppm/_category.yml", "title: Preventive maintenance\norder: 2\n")
    write(root, "ppm/schedule-ppm.md", article(
        "Schedule preventive maintenance",
        """
        Plan recurring inspections of boilers, chillers and fire extinguishers.

        ## Recurrence

        Pick weekly, monthly or yearly visits in the **Repeat** field.
        """, tags="[ppm]"))
    write(root, "ppm/sso-setup.md", article("Set up single sign-on", "Only admins configure SAML here.", roles="[admin]"))
    write(root, "ppm/future-feature.md", article("Seasonal schedules", "Not yet released.", status="draft"))
    write(root, "ppm/old-scanner.md", article("Old scanner", "Retired hardware.", status="archived"))
    write(root, "synonyms.yml", "synonyms:\n  - [ppm, preventive maintenance, planned maintenance]\n")
    return root
