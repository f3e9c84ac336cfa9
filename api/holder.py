"""The build being served, switched to a new one when `build.py` swaps it into place.

A request takes the current services once and keeps them to the end, so a switch never
fails a request in flight; a new build that cannot be loaded is logged and ignored.
"""

from __future__ import annotations

import gc
import json
import logging
import threading
from dataclasses import dataclass
from pathlib import Path

from site_builder.embeddings import Embedder
from site_builder.output import MANIFEST_FILE, SITE_DIR, previous_build

from .index import BuildError, Index, load_index
from .quality import Quality
from .search import Searcher
from .semantic import QueryEmbedder
from .suggest import Suggester

log = logging.getLogger("help_center")


@dataclass
class Services:
    index: Index
    searcher: Searcher
    suggester: Suggester


def settle_memory() -> None:
    """Move what a loaded build holds (hundreds of thousands of long-lived objects) out of the garbage collector's
    sight: full collections walked them all, pausing every request 155-190 ms every 10-15 s under load. Unfrozen first,
    so a build served before (and any cycle it left) can still be collected."""
    gc.unfreeze()
    gc.collect()
    gc.freeze()


class Holder:
    def __init__(self, build: Path, embedder: Embedder, cache_size: int, interval: float, quality: Quality | None = None):
        self.build = build
        self.quality = quality  # shared by the searchers of every build
        self.embed = QueryEmbedder(embedder, cache_size)
        self.model_id = embedder.model_id
        self.interval = interval
        self.current = self._load()
        self.site = build / SITE_DIR  # the static site of the build the API serves: both switch together
        self._seen = self._signature()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.failed: str | None = None

    def _load(self) -> Services:
        index = load_index(self.build, self.model_id)
        return Services(index, Searcher(index, self.embed, quality=self.quality), Suggester(index))

    def _signature(self, folder: Path | None = None):
        manifest = (folder or self.build) / MANIFEST_FILE
        try:
            stat = manifest.stat()
            return (stat.st_ino, stat.st_mtime_ns, json.loads(manifest.read_text())["build_id"])
        except (OSError, ValueError, KeyError):
            return None

    def _served_site(self) -> Path:
        """The served build's site once a newer build took its place: build.py keeps it as `<build>.previous`."""
        for folder in (self.build, previous_build(self.build)):
            signature = self._signature(folder)
            if signature and signature[2] == self.current.index.build_id:
                return folder / SITE_DIR
        return self.site

    def check(self) -> bool:
        """Load the build if it changed; returns whether the served build switched."""
        signature = self._signature()
        if signature is None or signature == self._seen:
            return False
        self._seen = signature
        self.site = self._served_site()  # until the new build has loaded, its pages are not served either
        try:
            fresh = self._load()
        except BuildError as exc:
            self.failed = str(exc)
            log.error("new build not served, still serving %s: %s", self.current.index.build_id, exc)
            return False
        self.current, self.failed, self.site = fresh, None, self.build / SITE_DIR
        log.info("now serving build %s", fresh.index.build_id)
        settle_memory()
        return True

    def start(self) -> None:
        self._thread = threading.Thread(target=self._watch, name="build-watcher", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread:
            self._thread.join(timeout=5)

    def _watch(self) -> None:
        while not self._stop.wait(self.interval):
            try:
                self.check()
            except Exception:  # the watcher must outlive any surprise; the old build stays served
                log.exception("checking for a new build failed")
