"""An author moves, archives or deletes an article; readers following an old link still land somewhere useful."""

from __future__ import annotations

import subprocess
from pathlib import Path

from site_builder.content import load
from site_builder.redirects import find_redirects, write_redirects
from tests.conftest import article, help_center, write


def git(root: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True,
                   env={"GIT_AUTHOR_NAME": "a", "GIT_AUTHOR_EMAIL": "a@x", "GIT_COMMITTER_NAME": "a",
                        "GIT_COMMITTER_EMAIL": "a@x", "HOME": str(root), "PATH": "/usr/bin:/bin"})


def history(tmp_path: Path) -> Path:
    """A help center in git: an article moved twice, one archived, one deleted, one moved out of a folder now gone."""
    root = help_center(tmp_path / "content")
    write(root, "billing/_category.yml", "title: Billing\n")
    write(root, "billing/pay-an-invoice.md", article("Pay an invoice", "Pay it by card."))
    write(root, "billing/old-prices.md", article("Old prices", "Prices in 2024."))
    write(root, "billing/refunds.md", article("Refunds", "Ask for a refund."))
    write(root, "setup/install.md", article("Install", "Run the installer."))
    git(root, "init", "-q", "-b", "main")
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "first")
    (root / "payments").mkdir()
    git(root, "mv", "billing/pay-an-invoice.md", "billing/pay-invoices.md")
    git(root, "commit", "-q", "-m", "rename")
    git(root, "mv", "billing/pay-invoices.md", "payments/pay-invoices.md")
    git(root, "mv", "setup/install.md", "billing/install.md")
    git(root, "rm", "-q", "billing/refunds.md")
    write(root, "billing/old-prices.md", article("Old prices", "Prices in 2024.", status="archived"))
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "move, archive, delete")
    return root


def test_old_addresses_lead_to_the_article_or_its_category(tmp_path):
    root = history(tmp_path)
    content = load(root)
    found = find_redirects(root, content.all_articles, content.articles, content.categories)
    assert found == {
        "/billing/pay-an-invoice/": "/payments/pay-invoices/",  # moved twice: straight to where it is now
        "/billing/pay-invoices/": "/payments/pay-invoices/",
        "/setup/install/": "/billing/install/",
        "/billing/refunds/": "/billing/",  # deleted: its category
        "/billing/old-prices/": "/billing/",  # archived: its category
    }


def test_an_address_a_page_still_has_is_never_redirected(tmp_path):
    root = history(tmp_path)
    write(root, "billing/refunds.md", article("Refunds", "Refunds are back."))
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "refunds again")
    content = load(root)
    assert "/billing/refunds/" not in find_redirects(root, content.all_articles, content.articles, content.categories)


def test_a_redirect_page_sends_the_reader_on_without_script(tmp_path):
    site = tmp_path / "site"
    write(site, "billing/index.html", "<h1>Billing</h1>")
    write_redirects(site, {"/billing/pay-an-invoice/": "/payments/pay-invoices/", "/billing/": "/", "/a/b/": "/"})
    page = (site / "billing/pay-an-invoice/index.html").read_text()
    assert '<meta http-equiv="refresh" content="0; url=../../payments/pay-invoices/">' in page
    assert '<link rel="canonical" href="../../payments/pay-invoices/">' in page and "<script" not in page
    assert (site / "billing/index.html").read_text() == "<h1>Billing</h1>"  # a real page is never replaced
    assert 'url=../../"' in (site / "a/b/index.html").read_text()


def test_outside_git_there_are_no_moves_but_archived_articles_still_lead_somewhere(tmp_path):
    root = help_center(tmp_path / "content")
    write(root, "billing/old-prices.md", article("Old prices", "Prices in 2024.", status="archived"))
    write(root, "billing/pay.md", article("Pay", "Pay it."))
    content = load(root)
    assert find_redirects(root, content.all_articles, content.articles, content.categories) == {"/billing/old-prices/": "/billing/"}


def test_the_built_site_carries_the_redirect_pages(tmp_path):
    from site_builder.pipeline import build
    from tests.conftest import config_for

    root = history(tmp_path)
    build(config_for(root, tmp_path / "build"), log=lambda _: None)
    site = tmp_path / "build" / "site"
    assert "url=../../payments/pay-invoices/" in (site / "billing/pay-an-invoice/index.html").read_text()
    assert "Pay it by card." in (site / "payments/pay-invoices/index.html").read_text()
