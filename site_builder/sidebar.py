"""Each page's sidebar, bounded so the site step grows linearly with the number of articles.

mkdocs-material renders the navigation into every page, and with `navigation.sections` every
top-level category lists all of its articles: at 10,000 articles each page would carry thousands
of links and the site step would grow with pages x pages. Here a page's sidebar lists every
category and subcategory, but articles only in the categories on the page's own path, at most
`limit` of them each (around the page itself when it is one of them), followed by a link to the
category's page, which lists them all. Each category's page still lists all of its articles.
"""

from __future__ import annotations

from mkdocs.plugins import BasePlugin
from mkdocs.structure.nav import Link, Navigation, Section
from mkdocs.structure.pages import Page

ARTICLES_PER_CATEGORY = 25


class Sidebar(BasePlugin):
    def __init__(self, limit: int = ARTICLES_PER_CATEGORY):
        super().__init__()
        self.limit = limit
        self.collapsed: dict[int, Section] = {}  # categories off a page's path look the same on every page

    def on_page_context(self, context, page, config, nav):
        return self._bounded(context)

    def on_template_context(self, context, template_name, config):
        # Theme pages such as 404.html belong to no category: every category is collapsed.
        return self._bounded(context)

    def _bounded(self, context):
        nav = context.get("nav")
        if nav is not None:
            context["nav"] = Navigation(self._items(nav.items), nav.pages)
        return context

    def _items(self, items: list) -> list:
        """The entries of a category on the page's path (or of the top level)."""
        out = [self._entry(item) for item in items]
        articles = [i for i, item in enumerate(out) if isinstance(item, Page) and not item.is_index]
        if len(articles) <= self.limit:
            return out
        current = next((n for n, i in enumerate(articles) if out[i].active), 0)
        start = max(0, min(current - self.limit // 2, len(articles) - self.limit))
        hidden = set(articles) - set(articles[start:start + self.limit])
        kept = [item for i, item in enumerate(out) if i not in hidden]
        index = next((item for item in out if isinstance(item, Page) and item.is_index), None)
        if index is not None:
            kept.append(Link(f"All {len(articles)} articles", index.url))
        return kept

    def _entry(self, item):
        if not isinstance(item, Section):
            return item
        if not item.active:
            return self._collapse(item)
        # A copy, so that the shared navigation is never changed while pages are rendered.
        copy = Section(item.title, self._items(item.children))
        copy.active = True
        return copy

    def _collapse(self, section: Section) -> Section:
        """A category off the page's path: its own page and its subcategories, no articles."""
        if id(section) not in self.collapsed:
            children = [self._collapse(c) if isinstance(c, Section) else c for c in section.children
                        if isinstance(c, Section) or (isinstance(c, Page) and c.is_index)]
            self.collapsed[id(section)] = Section(section.title, children)
        return self.collapsed[id(section)]
