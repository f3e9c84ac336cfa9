"""The site's policy allows what its pages run and load, and nothing else: a team's Google Fonts and CDN scripts keep
working, an injected script does not run."""

from __future__ import annotations

import base64
import hashlib

from site_builder.csp import MOST_HASHES, Sources, site_policy

PAGE = """<html><head>
<link rel="stylesheet" href="https://fonts.googleapis.com/css?family=Roboto">
<link rel="preconnect" href="https://fonts.gstatic.com">
<link rel="stylesheet" href="../assets/stylesheets/main.css">
<script>var palette = 1;</script>
<script id="__config" type="application/json">{"base": "."}</script>
<script src="https://cdn.jsdelivr.net/npm/mathjax@3/es5/tex-mml-chtml.js"></script>
<script src="../assets/javascripts/bundle.js"></script>
</head><body><img src="https://img.shields.io/badge/x-y-green"><iframe src="https://www.youtube-nocookie.com/embed/x"></iframe></body></html>"""


def directives(policy: str) -> dict[str, list[str]]:
    return {part.split()[0]: part.split()[1:] for part in policy.split("; ")}


def test_a_team_sites_fonts_cdn_scripts_badges_and_videos_are_allowed_by_origin():
    sources = Sources()
    sources.read(PAGE)
    policy = directives(site_policy(sources))
    digest = base64.b64encode(hashlib.sha256(b"var palette = 1;").digest()).decode()
    assert policy["script-src"] == ["'self'", f"'sha256-{digest}'", "https://cdn.jsdelivr.net"]
    assert policy["style-src"] == ["'self'", "https://fonts.googleapis.com"]
    assert policy["font-src"] == ["'self'", "data:", "https://fonts.gstatic.com"]
    assert policy["img-src"] == ["'self'", "data:", "https://img.shields.io"]
    assert policy["frame-src"] == ["https://www.youtube-nocookie.com"]
    assert policy["object-src"] == ["'none'"] and policy["frame-ancestors"] == ["'self'"]


def test_a_site_of_our_own_look_loads_nothing_from_elsewhere():
    sources = Sources()
    sources.read('<script>a()</script><script src="assets/x.js"></script><link rel="stylesheet" href="/assets/y.css">')
    policy = directives(site_policy(sources))
    assert policy["style-src"] == ["'self'"] and len(policy["script-src"]) == 2 and "frame-src" not in policy


def test_a_plugin_writing_a_different_inline_script_on_every_page_gets_unsafe_inline_rather_than_a_huge_header():
    sources = Sources()
    for n in range(MOST_HASHES + 1):
        sources.read(f"<script>page({n})</script>")
    assert directives(site_policy(sources))["script-src"] == ["'self'", "'unsafe-inline'"]


def test_a_theme_font_style_and_a_widgets_api_elsewhere_are_allowed():
    sources = Sources()
    sources.read('<style>:root{--md-text-font:"Roboto"}</style><script src="/w.js" data-api="https://help.example.com"></script>')
    policy = directives(site_policy(sources))
    digest = base64.b64encode(hashlib.sha256(b':root{--md-text-font:"Roboto"}').digest()).decode()
    assert policy["style-src"] == ["'self'", f"'sha256-{digest}'"]
    assert policy["connect-src"] == ["'self'", "https://help.example.com"]
    sources.read('<div style="color: red">')
    assert directives(site_policy(sources))["style-src"] == ["'self'", "'unsafe-inline'"]
