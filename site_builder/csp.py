"""The site's Content-Security-Policy, made from the pages the build wrote.

The theme (mkdocs-material, or a team's own) puts a few small scripts inline in every page: the
palette switch, the scope of its local storage (one per folder depth). Rather than allow any inline
script, the policy allows exactly those, by their SHA-256; a script injected into a page matches
none of them and does not run. The server sends the policy with every page of this build.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from collections.abc import Iterable
from pathlib import Path

from .output import CSP_FILE

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)([^>]*)>(.*?)</script>", re.S | re.I)
DATA_TYPES = ("application/json", "application/ld+json", "text/template")  # not run: need no allowance
MOST_HASHES = 200  # more distinct inline scripts than this: a plugin writes one per page; allow inline scripts instead


def script_hashes(pages: Iterable[Path]) -> set[str]:
    found: set[str] = set()
    for page in pages:
        for match in INLINE_SCRIPT.finditer(page.read_text(encoding="utf-8", errors="replace")):
            if any(kind in match.group(1).lower() for kind in DATA_TYPES) or not match.group(2).strip():
                continue
            digest = base64.b64encode(hashlib.sha256(match.group(2).encode("utf-8")).digest()).decode("ascii")
            found.add(f"'sha256-{digest}'")
    return found


def site_policy(hashes: set[str]) -> str:
    scripts = "'unsafe-inline'" if len(hashes) > MOST_HASHES else " ".join(sorted(hashes))
    return "; ".join([
        "default-src 'self'",
        f"script-src 'self' {scripts}".rstrip(),
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "worker-src 'self' blob:",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'self'",
    ])


def write_policy(build: Path, site: Path) -> None:
    """`csp.json` beside the site: {"site": the policy for its pages}."""
    policy = site_policy(script_hashes(site.rglob("*.html")))
    (build / CSP_FILE).write_text(json.dumps({"site": policy}, indent=2) + "\n", encoding="utf-8")
