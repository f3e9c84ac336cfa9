"""The static help site, served from the build the API serves.

build.py swaps a new build into place before the server has loaded it; when the server refuses
it (a corrupt index), its pages must not be served either, so the site follows the holder.
"""

from __future__ import annotations

from pathlib import Path

from starlette.staticfiles import StaticFiles
from starlette.types import Receive, Scope, Send

from .holder import Holder


class SiteFiles:
    def __init__(self, holder: Holder):
        self.holder = holder
        self._files: tuple[Path, StaticFiles] | None = None

    def _current(self) -> StaticFiles:
        folder = self.holder.site
        if self._files is None or self._files[0] != folder:
            self._files = (folder, StaticFiles(directory=folder, html=True, check_dir=False))
        return self._files[1]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await self._current()(scope, receive, send)
