"""The help site's own pages, on every site: the API's search results and the reader of restricted articles,
both filled in by the help widget (widgets/src/widget/site-search-page.js, site-read.js), never in the nav;
and the search form that sends a reader to the results page."""

from __future__ import annotations

import html

import yaml

# Their Markdown files in the site's docs folder.
SEARCH_PAGE = "search/index.md"
READ_PAGE = "read/index.md"


def search_form(action: str, field_id: str, placeholder: str) -> str:
    """A search form that sends `q` to the results page (`action`, relative to the page)."""
    return (
        f'<form class="hc-search-form" role="search" action="{action}" method="get">\n'
        f'<label for="{field_id}">Search the help center</label>\n'
        f'<input id="{field_id}" name="q" type="search" placeholder="{html.escape(placeholder)}" autocomplete="off">\n'
        '<button type="submit">Search</button>\n</form>'
    )


def search_page() -> str:
    """/search/?q=...: a shareable results page. The widget fills it from the API, or, when the API does not
    answer, sends the reader on to mkdocs-material's own search (/?q=...)."""
    return "\n\n".join([
        front_matter("Search results", "Search the help center", hide_toc=True, searchable=False),
        "# Search results",
        search_form("./", "hc-search-q", "Describe what you need"),
        '<div class="hc-search-results"></div>',
        "<noscript><p>Searching needs JavaScript. Browse the categories from the "
        '<a href="../">help center home</a> instead.</p></noscript>',
    ]) + "\n"


def read_page() -> str:
    """/read/?id=...: an article for some readers only (roles or tenants), which has no page of its own. The
    widget asks the API for it with the reader's token, and says so politely when they may not read it."""
    return "\n\n".join([
        front_matter("Article", "An article for signed-in readers", searchable=False),
        '<div class="hc-read">\n<h1>Article for signed-in readers</h1>\n'
        '<p class="hc-read-status">Loading the article…</p>\n</div>',
        "<noscript><p>This article is shown to signed-in readers only, and needs JavaScript. "
        '<a href="../">Go to the help center home</a>.</p></noscript>',
    ]) + "\n"


def front_matter(title: str, description: str, hide_toc: bool = False, searchable: bool = True, badge: str | None = None,
                 meta: dict | None = None) -> str:
    """A generated page's front matter; `badge` is Material's page status (new, deprecated), shown in the nav;
    `meta`: further fields of the page (Material's hide, icon, subtitle, ...)."""
    lines = ["---", f"title: {yaml_text(title)}"]
    if description:
        lines.append(f"description: {yaml_text(description)}")
    if badge:
        lines.append(f"status: {yaml_text(badge)}")
    if hide_toc:
        lines += ["hide:", "  - toc"]
    if not searchable:  # mkdocs-material's own search index leaves the page out, and so do search engines
        lines += ["search:", "  exclude: true", "robots: noindex"]
    if meta:
        lines.append(yaml.safe_dump(meta, allow_unicode=True, sort_keys=False).rstrip("\n"))
    return "\n".join(lines + ["---"])


def yaml_text(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


