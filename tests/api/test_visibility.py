"""A restricted article never leaves the server for a caller who may not read it."""

from __future__ import annotations

import shutil

import numpy as np
import pytest

from api.chat import Passage, coverage
from api.index import load_index
from api.search import Searcher
from api.semantic import QueryEmbedder, VectorSearch
from api.tokens import ANONYMOUS, Caller
from site_builder.pipeline import build
from tests.api.conftest import CANARY, make_content, token
from tests.conftest import article, config_for, help_center, write

PROBES = [
    ("GET", "/api/v1/search", {"q": f"{CANARY} single sign-on"}),
    ("GET", "/api/v1/search", {"q": "SAML metadata boilers", "mode": "semantic"}),
    ("GET", "/api/v1/search", {"q": "boilers", "limit": 50}),
    ("GET", "/api/v1/search", {"q": "zebracanari metadata"}),
    ("GET", "/api/v1/suggest", {"q": "configure"}),
    ("GET", "/api/v1/suggest", {"q": CANARY[:6]}),
    ("GET", "/api/v1/articles", {"limit": 200}),
    ("GET", "/api/v1/articles/canary", {}),
    ("GET", "/api/v1/categories", {}),
    ("GET", "/api/v1/contextual", {"url": "/canary/settings"}),
    ("GET", "/api/v1/contextual", {"help_id": "canary-help"}),
    ("GET", "/api/v1/help/canary-help", {}),
    ("GET", "/ppm/", {}),
    ("GET", "/secret-stuff/canary/", {}),
    ("GET", "/search/search_index.json", {}),
]


def leaks(response) -> bool:
    text = response.text.lower()
    if response.headers.get("content-type", "").startswith("application/json") and "query" in response.json():
        body = response.json()
        body.pop("query")  # the caller's own words, echoed back
        text = str(body).lower()
    return CANARY in text or "canary-tag" in text or "secret-stuff" in text or "secret stuff" in text


@pytest.mark.parametrize("method, path, params", PROBES)
@pytest.mark.parametrize("who", ["anonymous", "technician"])
def test_canary_is_invisible_to_callers_without_the_role(client, method, path, params, who):
    headers = token(["technician"]) if who == "technician" else {}
    response = client.request(method, path, params=params, headers=headers)
    assert response.status_code in (200, 404)
    assert not leaks(response), f"{path} leaked the canary to {who}"


@pytest.mark.parametrize("headers", [
    {"Authorization": "Bearer " + token(["admin"], secret="a-forged-secret")["Authorization"].split()[1]},
    token(["admin"], ttl=-120),  # beyond the 30 s of clock drift forgiven
    {"Authorization": "Bearer not.a.token"},
    {"Authorization": "Basic dXNlcjpwYXNz"},
])
def test_forged_expired_and_malformed_tokens_are_refused(client, headers):
    for method, path, params in PROBES[:11]:
        response = client.request(method, path, params=params, headers=headers)
        assert response.status_code == 401, path
        assert not leaks(response)
        assert response.headers["www-authenticate"] == "Bearer"


def test_admins_see_the_canary_everywhere(client):
    admin = token(["admin"])
    assert client.get("/api/v1/search", params={"q": f"{CANARY} single sign-on"}, headers=admin).json()["results"][0]["id"] == "canary"
    assert client.get("/api/v1/articles/canary", headers=admin).status_code == 200
    assert client.get("/api/v1/help/canary-help", headers=admin).json()["article"]["id"] == "canary"
    tree = client.get("/api/v1/categories", headers=admin).json()
    assert "secret-stuff" in {c["id"] for c in tree["categories"]}
    assert client.get("/api/v1/suggest", params={"q": "configure"}, headers=admin).json()["suggestions"][0]["id"] == "canary"


def test_spelling_corrections_do_not_reveal_words_only_restricted_articles_use(client):
    # "boilerx" occurs only in the canary; "boilerq" nowhere. Both are one edit from "boiler".
    only_restricted = client.get("/api/v1/search", params={"q": "boilerx", "mode": "keyword"}).json()["corrections"]
    nowhere = client.get("/api/v1/search", params={"q": "boilerq", "mode": "keyword"}).json()["corrections"]
    assert only_restricted == {"boilerx": "boiler"} and nowhere == {"boilerq": "boiler"}


def test_a_token_with_hostile_json_is_a_401_not_a_500(client):
    import base64

    def b64(data: bytes) -> str:
        return base64.urlsafe_b64encode(data).rstrip(b"=").decode()

    forged = f"{b64(b'{}')}.{b64(b'[' * 3000)}.{b64(b'x' * 32)}"
    assert client.get("/api/v1/articles", headers={"Authorization": f"Bearer {forged}"}).status_code == 401


@pytest.fixture(scope="module")
def with_and_without_restricted(tmp_path_factory, embedder):
    """The same public articles built twice: once beside the restricted canary, once without it."""
    indexes = []
    for keep in (True, False):
        base = tmp_path_factory.mktemp("stats")
        content = make_content(base / "content")
        if not keep:
            shutil.rmtree(content / "secret-stuff")
        build(config_for(content, base / "build", cache=base / "cache"), log=lambda _: None)
        indexes.append(load_index(base / "build"))
    return indexes, QueryEmbedder(embedder, 0)


@pytest.mark.parametrize("query", ["boilers", "SAML metadata boilers", "single sign-on settings", f"{CANARY} gateway", "boilerx"])
def test_restricted_articles_change_nothing_in_what_others_get(with_and_without_restricted, query):
    (beside, alone), embed = with_and_without_restricted
    ranked = [[(h.article.id, round(h.score, 6)) for h in Searcher(index, embed).rank(query, ANONYMOUS, "keyword").hits]
              for index in (beside, alone)]
    assert ranked[0] == ranked[1]
    passages = [Passage(1, h.article, h.chunk) for h in Searcher(alone, embed).rank("boilers", ANONYMOUS).hits[:3]]
    assert coverage(beside.analyzer, beside.statistics(ANONYMOUS), query, passages) == \
        pytest.approx(coverage(alone.analyzer, alone.statistics(ANONYMOUS), query, passages))


def test_large_indexes_learn_their_clusters_from_public_chunks_only():
    # Above the exact-scan limit, vectors are clustered; restricted vectors (here the last 600)
    # must not move the clusters, or the chunks an anonymous query scans would depend on them.
    rng = np.random.default_rng(7)
    vectors = rng.normal(size=(3000, 32)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    public = np.arange(3000) < 2400
    beside = VectorSearch(vectors, public, exact_limit=1000, probes=4)
    alone = VectorSearch(vectors[:2400], public[:2400], exact_limit=1000, probes=4)
    assert beside.ivf and alone.ivf
    for query in vectors[:50] + rng.normal(scale=0.3, size=(50, 32)).astype(np.float32):
        found = beside.nearest(query, public, 10)
        assert found[0].tolist() == alone.nearest(query, public[:2400], 10)[0].tolist()


def test_a_help_center_of_restricted_articles_only_still_ranks_for_its_readers(tmp_path, embedder):
    content = help_center(tmp_path / "content")
    write(content, "internal/_category.yml", "title: Internal\n")
    write(content, "internal/boilers.md", article("Boiler servicing", "Service the boiler every year.", roles="[admin]"))
    write(content, "internal/chillers.md", article("Chiller servicing", "Clean the chiller coils.", roles="[admin]"))
    build(config_for(content, tmp_path / "build"), log=lambda _: None)
    index = load_index(tmp_path / "build")
    admin = Searcher(index, QueryEmbedder(embedder, 0)).rank("boiler", Caller("u", "acme", frozenset({"admin"})), "keyword")
    assert [h.article.id for h in admin.hits] == ["boilers"]
    assert Searcher(index, QueryEmbedder(embedder, 0)).rank("boiler", ANONYMOUS, "keyword").hits == []


def test_readers_of_restricted_articles_are_ranked_by_what_they_may_read(tmp_path, embedder):
    # Three admin articles say "gasket", one says "flange": to an admin, flange is the rarer, more telling word.
    content = help_center(tmp_path / "content")
    write(content, "public/_category.yml", "title: Public\n")
    write(content, "public/welcome.md", article("Welcome", "Start here."))
    write(content, "internal/_category.yml", "title: Internal\n")
    write(content, "internal/gaskets.md", article("Seals", "Gasket gasket gasket checks.", roles="[admin]"))
    write(content, "internal/flanges.md", article("Pipes", "Flange checks.", roles="[admin]"))
    for n in range(2):
        write(content, f"internal/more-{n}.md", article(f"More {n}", "Gasket notes.", roles="[admin]"))
    build(config_for(content, tmp_path / "build"), log=lambda _: None)
    index = load_index(tmp_path / "build")
    admin = Caller("u", "acme", frozenset({"admin"}))
    hits = Searcher(index, QueryEmbedder(embedder, 0)).rank("gasket flange", admin, "keyword").hits
    assert hits[0].article.id == "flanges"
    assert index.statistics(ANONYMOUS) is index.postings.public
    assert index.statistics(admin).df("gasket") == 3 and index.postings.public.df("gasket") == 0


def test_a_restricted_article_s_link_opens_the_site_s_reader_page_not_a_missing_static_page(client):
    """The static site leaves restricted articles out; their address is /read/, which asks the API with the token."""
    admin = token(["admin"])
    found = client.get("/api/v1/search", params={"q": f"{CANARY} single sign-on"}, headers=admin).json()["results"][0]
    assert found["url"].startswith("/read/?id=canary")
    assert client.get("/api/v1/articles/canary", headers=admin).json()["url"] == "/read/?id=canary"
    assert client.get("/api/v1/help", params={"ids": "canary-help"}, headers=admin).json()["help"][0]["article"]["url"] == "/read/?id=canary"
    assert client.get("/api/v1/help", params={"ids": "canary-help"}).json() == {"help": [], "missing": ["canary-help"]}
    public = client.get("/api/v1/articles/create-a-work-order").json()
    assert public["url"] == "/work-orders/creating/create-a-work-order/"


def test_on_the_reader_page_the_restricted_article_it_shows_is_the_context(client):
    admin = token(["admin"])
    page = client.get("/api/v1/contextual", params={"url": "https://help.example.com/read/?id=canary#settings"}, headers=admin)
    assert [a["id"] for a in page.json()["articles"]] == ["canary"]
    assert client.get("/api/v1/contextual", params={"url": "/read/?id=canary"}).json()["articles"] == []
