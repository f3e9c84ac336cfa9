"""The host product browses articles, the category tree, and the help for one of its screens."""

from __future__ import annotations


def test_article_list_and_filters(client):
    body = client.get("/api/v1/articles").json()
    assert body["total"] == 5
    assert {a["id"] for a in body["articles"]} == {"create-a-work-order", "assign-a-work-order", "schedule-ppm", "boosted-checklist", "internal-notes"}
    ppm = client.get("/api/v1/articles", params={"category": "ppm", "tag": "ppm"}).json()
    assert {a["id"] for a in ppm["articles"]} == {"schedule-ppm", "boosted-checklist"}
    assert client.get("/api/v1/articles", params={"category": "nowhere"}).status_code == 400
    assert client.get("/api/v1/articles", params={"limit": "1000"}).status_code == 400


def test_article_detail_has_rendered_html_with_site_links(client):
    body = client.get("/api/v1/articles/create-a-work-order").json()
    assert body["title"] == "Create a work order"
    assert '<h2 id="error-e1042">' in body["html"]
    assert body["url"] == "/work-orders/creating/create-a-work-order/"
    assert body["category"] == ["Work orders", "Creating"]
    assert client.get("/api/v1/articles/does-not-exist").status_code == 404
    assert client.get("/api/v1/articles/future-feature").status_code == 404


def test_category_tree_counts(client):
    tree = client.get("/api/v1/categories").json()
    top = {c["id"]: c for c in tree["categories"]}
    assert list(top) == ["work-orders", "ppm"]
    assert top["work-orders"]["count"] == 2
    assert top["work-orders"]["children"][0]["id"] == "work-orders/creating"
    assert top["ppm"]["count"] == 3


def test_contextual_help_for_a_screen(client):
    exact = client.get("/api/v1/contextual", params={"url": "https://app.example.com/work-orders/new?tab=2"}).json()
    assert [a["id"] for a in exact["articles"]] == ["create-a-work-order", "assign-a-work-order"]
    wildcard = client.get("/api/v1/contextual", params={"url": "/work-orders/123/edit"}).json()
    assert [a["id"] for a in wildcard["articles"]] == ["assign-a-work-order"]
    by_help = client.get("/api/v1/contextual", params={"help_id": "wo-assign"}).json()
    assert [a["id"] for a in by_help["articles"]] == ["assign-a-work-order"]
    assert client.get("/api/v1/contextual", params={"url": "/reports"}).json()["articles"] == []
    assert client.get("/api/v1/contextual").status_code == 400
    assert client.get("/api/v1/contextual", params={"url": "no-slash"}).status_code == 400
    assert client.get("/api/v1/contextual", params={"url": "http://[::1/x"}).status_code == 400


def test_tooltip_text(client):
    body = client.get("/api/v1/help/wo-new-form").json()
    assert body == {"help_id": "wo-new-form", "title": "Create a work order", "text": "About create a work order.",
                    "article": {"id": "create-a-work-order", "title": "Create a work order", "url": "/work-orders/creating/create-a-work-order/"}}
    assert client.get("/api/v1/help/nope").status_code == 404


def test_a_page_prefetches_all_its_tooltips_in_one_call(client):
    body = client.get("/api/v1/help", params={"ids": "wo-assign, wo-new-form,nope,wo-assign"}).json()
    assert [h["help_id"] for h in body["help"]] == ["wo-assign", "wo-new-form"], "in the order asked, repeats dropped"
    assert body["help"][1] == client.get("/api/v1/help/wo-new-form").json()
    assert body["missing"] == ["nope"]


def test_a_batch_of_help_ids_is_checked(client):
    for ids, says in [("", "required"), (",, ,", "required"), (",".join(f"h{i}" for i in range(101)), "at most 100"),
                      ("x" * 201, "200 characters")]:
        refused = client.get("/api/v1/help", params={"ids": ids})
        assert refused.status_code == 400 and says in refused.json()["detail"], (ids[:20], refused.text)
        assert refused.json()["param"] == "ids"


def test_the_article_shown_on_a_help_site_page_is_that_page_s_context(client):
    page = client.get("/api/v1/contextual", params={"url": "/ppm/schedule-ppm/"}).json()
    assert [a["id"] for a in page["articles"]] == ["schedule-ppm"]
