"""The site's Content-Security-Policy, made from the pages the build wrote.

The theme (mkdocs-material, or a team's own) puts a few small scripts inline in every page: the
palette switch, the scope of its local storage (one per folder depth). Rather than allow any inline
script, the policy allows exactly those, by their SHA-256; a script injected into a page matches
none of them and does not run. What the pages load from other sites (a team's Google Fonts, a CDN's
script, an embedded video) is allowed by origin, and only that. The server sends the policy with
every page of this build.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .output import CSP_FILE

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)([^>]*)>(.*?)</script>", re.S | re.I)
INLINE_STYLE = re.compile(r"<style[^>]*>(.*?)</style>", re.S | re.I)  # Material's font settings, when a theme sets a font
STYLE_ATTRIBUTE = re.compile(r"<[a-z][^>]*\sstyle=", re.I)
API_ORIGIN = re.compile(r"<script[^>]*\sdata-api=[\"']?(https?://[^/\"'\s>]+)", re.I)  # the widgets' API elsewhere
DATA_TYPES = ("application/json", "application/ld+json", "text/template")  # not run: need no allowance
MOST_HASHES = 200  # more distinct inline scripts than this: a plugin writes one per page; allow inline scripts instead
# What a page loads from elsewhere (a team's theme: Google Fonts, a CDN's MathJax, a video, a badge), by directive.
EXTERNAL = {
    "script-src": re.compile(r"<script[^>]*\ssrc=[\"']?(https://[^/\"'\s>]+)", re.I),
    "style-src": re.compile(r"<link(?=[^>]*\brel=[\"']?stylesheet)[^>]*\shref=[\"']?(https://[^/\"'\s>]+)", re.I),
    "img-src": re.compile(r"<img[^>]*\ssrc=[\"']?(https://[^/\"'\s>]+)", re.I),
    "frame-src": re.compile(r"<iframe[^>]*\ssrc=[\"']?(https://[^/\"'\s>]+)", re.I),
}
FONTS_OF = {"https://fonts.googleapis.com": "https://fonts.gstatic.com"}  # a stylesheet whose fonts come from elsewhere


@dataclass
class Sources:
    """What the pages of a site run and load: their inline scripts' hashes and other origins, by directive."""

    hashes: set[str] = field(default_factory=set)
    style_hashes: set[str] = field(default_factory=set)
    style_attributes: bool = False  # a page writes style="...": no hash can allow those
    origins: dict[str, set[str]] = field(default_factory=lambda: {d: set() for d in [*EXTERNAL, "font-src"]})

    def read(self, html: str) -> None:
        for match in INLINE_SCRIPT.finditer(html):
            if any(kind in match.group(1).lower() for kind in DATA_TYPES) or not match.group(2).strip():
                continue
            self.hashes.add(_hash(match.group(2)))
        self.style_hashes.update(_hash(style) for style in INLINE_STYLE.findall(html))
        self.style_attributes = self.style_attributes or bool(STYLE_ATTRIBUTE.search(html))
        self.origins.setdefault("connect-src", set()).update(API_ORIGIN.findall(html))
        for directive, pattern in EXTERNAL.items():
            self.origins[directive].update(pattern.findall(html))
        self.origins["font-src"].update(FONTS_OF[o] for o in self.origins["style-src"] if o in FONTS_OF)


def _hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"


def site_sources(pages: Iterable[Path]) -> Sources:
    found = Sources()
    for page in pages:
        found.read(page.read_text(encoding="utf-8", errors="replace"))
    return found


def site_policy(sources: Sources) -> str:
    def allowed(directive: str, *extra: str) -> str:
        return " ".join([directive, "'self'", *extra, *sorted(sources.origins.get(directive, ()))])

    scripts = ["'unsafe-inline'"] if len(sources.hashes) > MOST_HASHES else sorted(sources.hashes)
    many = sources.style_attributes or len(sources.style_hashes) > MOST_HASHES
    styles = ["'unsafe-inline'"] if many else sorted(sources.style_hashes)
    frames = sorted(sources.origins["frame-src"])
    return "; ".join([
        "default-src 'self'",
        allowed("script-src", *scripts),
        allowed("style-src", *styles),
        allowed("img-src", "data:"),
        allowed("font-src", "data:"),
        allowed("connect-src"),
        "worker-src 'self' blob:",
        *([f"frame-src {' '.join(frames)}"] if frames else []),
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'self'",
    ])


def write_policy(build: Path, site: Path) -> None:
    """`csp.json` beside the site: {"site": the policy for its pages}."""
    policy = site_policy(site_sources(site.rglob("*.html")))
    (build / CSP_FILE).write_text(json.dumps({"site": policy}, indent=2) + "\n", encoding="utf-8")
