"""The static help site, served from the build the API serves.

build.py swaps a new build into place before the server has loaded it; when the server refuses
it (a corrupt index), its pages must not be served either, so the site follows the holder.
"""

from __future__ import annotations

import json
from pathlib import Path

from starlette.staticfiles import StaticFiles
from starlette.types import Receive, Scope, Send

from site_builder.output import CSP_FILE

from .holder import Holder


class SiteFiles:
    def __init__(self, holder: Holder):
        self.holder = holder
        self._files: tuple[tuple, StaticFiles, str | None] | None = None

    def _current(self) -> tuple[tuple, StaticFiles, str | None]:
        folder = self.holder.site
        # The path stays the same when a new build is swapped in: the build's id tells them apart.
        key = (folder, self.holder.current.index.build_id)
        if self._files is None or self._files[0] != key:
            self._files = (key, StaticFiles(directory=folder, html=True, check_dir=False), _read_policy(folder.parent))
        return self._files

    def policy(self) -> str | None:
        """The Content-Security-Policy of the served site's pages (None for a build made before builds wrote one)."""
        return self._current()[2]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await self._current()[1](scope, receive, send)


def _read_policy(build: Path) -> str | None:
    try:
        return json.loads((build / CSP_FILE).read_text(encoding="utf-8"))["site"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
