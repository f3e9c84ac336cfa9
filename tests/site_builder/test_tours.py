"""Guided tours: an author writes content/tours/*.yml; the build checks them (every problem at once, as
`path:line: message`) and compiles them into the site's widgets/tours.json, leaving the YAML out of the site."""

from __future__ import annotations

import json

import pytest

from site_builder.pipeline import build
from site_builder.problems import ContentError
from tests.conftest import article, config_for, write

GOOD_TOUR = """
    # A comment, as authors write them.
    id: new-work-order
    title: Create a work order
    pages: [/work-orders/*]
    show_once: true
    steps:
      - help_id: wo-new-form
      - selector: "#priority"
        title: Set the priority
        text: >-
          P1 is for emergencies.
        placement: top
      - selector: "#calendar"
        page: /work-orders/calendar/
        title: The calendar
        text: Every job on its day.
    """


def build_problems(content, tmp_path) -> list[str]:
    with pytest.raises(ContentError) as failed:
        build(config_for(content, tmp_path / "build"), log=lambda _: None)
    return [str(p) for p in failed.value.problems]


def test_a_tour_is_compiled_into_the_site_and_its_yaml_stays_out(small_content, tmp_path):
    write(small_content, "tours/new-work-order.yml", GOOD_TOUR)
    out = tmp_path / "build"
    build(config_for(small_content, out), log=lambda _: None)
    compiled = json.loads((out / "site" / "widgets" / "tours.json").read_text(encoding="utf-8"))
    assert compiled == {"tours": [{
        "id": "new-work-order", "title": "Create a work order", "pages": ["/work-orders/*"], "show_once": True,
        "steps": [
            # A help_id step points at [data-help-id=...] and, without words of its own, borrows its article's.
            {"selector": '[data-help-id="wo-new-form"]', "title": "Create a work order", "text": "About create a work order.",
             "placement": None, "page": None},
            {"selector": "#priority", "title": "Set the priority", "text": "P1 is for emergencies.", "placement": "top",
             "page": None},
            {"selector": "#calendar", "title": "The calendar", "text": "Every job on its day.", "placement": None,
             "page": "/work-orders/calendar/"},
        ],
    }]}
    assert not (out / "site" / "tours").exists()


def test_a_site_without_tours_still_gets_an_empty_list(small_content, tmp_path):
    out = tmp_path / "build"
    build(config_for(small_content, out), log=lambda _: None)
    assert json.loads((out / "site" / "widgets" / "tours.json").read_text(encoding="utf-8")) == {"tours": []}


def test_every_problem_of_every_tour_is_reported_at_its_line_before_the_build_stops(small_content, tmp_path):
    write(small_content, "tours/broken.yml", """
        id: broken
        title: Broken tour
        pages: [/work-orders/*]
        colour: blue
        steps:
          - help_id: wo-new-from
          - selector: "#priority"
            text: No title here.
          - selector: "#assignee"
            title: Assignee
            text: Pick someone.
            placement: middle
          - selector: "#calendar"
            title: Calendar
            text: Elsewhere.
            page: /ppm/calendar/
          - title: Nowhere
            text: No selector.
        """)
    write(small_content, "tours/no-steps.yml", """
        id: no-steps
        pages: [/ppm/*]
        steps: []
        """)
    assert build_problems(small_content, tmp_path) == [
        "content/tours/broken.yml:4: unknown field 'colour' in a tour (allowed: id, title, pages, steps, show_once)",
        "content/tours/broken.yml:6: step 1: unknown help id 'wo-new-from' (did you mean 'wo-new-form'?): "
        "no published article lists it in help_ids",
        "content/tours/broken.yml:7: step 2: missing field 'title'",
        "content/tours/broken.yml:12: step 3: placement 'middle' must be one of top, bottom, left, right",
        "content/tours/broken.yml:16: step 4: page '/ppm/calendar/' is outside the tour's pages (/work-orders/*)",
        "content/tours/broken.yml:17: step 5: missing field 'selector' (or 'help_id')",
        "content/tours/no-steps.yml:1: missing field 'title' (a tour needs id, title, pages, steps)",
        "content/tours/no-steps.yml:3: steps must list at least one step (- selector: ..., title: ..., text: ...)",
    ]


def test_a_duplicate_tour_id_names_both_places(small_content, tmp_path):
    write(small_content, "tours/a.yml", GOOD_TOUR)
    write(small_content, "tours/b.yml", "    # Copied from a.yml, id and all." + GOOD_TOUR)
    assert build_problems(small_content, tmp_path) == [
        "content/tours/b.yml:3: duplicate tour id 'new-work-order': also the id of the tour in content/tours/a.yml:2"]


def test_a_help_id_of_a_draft_is_unknown_and_one_of_a_restricted_article_needs_its_own_words(small_content, tmp_path):
    write(small_content, "ppm/future-feature.md", article("Seasonal schedules", "Not yet released.", status="draft",
                                                          help_ids="[ppm-seasonal]"))
    write(small_content, "ppm/sso-setup.md", article("Set up single sign-on", "Admins only.", roles="[admin]",
                                                     help_ids="[sso-form]"))
    write(small_content, "tours/mixed.yml", """
        id: mixed
        title: Mixed
        pages: [/ppm/*]
        steps:
          - help_id: ppm-seasonal
          - help_id: sso-form
          - help_id: sso-form
            title: Single sign-on
            text: Your administrator sets this up.
        """)
    assert build_problems(small_content, tmp_path) == [
        "content/tours/mixed.yml:5: step 1: unknown help id 'ppm-seasonal': no published article lists it in help_ids",
        "content/tours/mixed.yml:6: step 2: help id 'sso-form' belongs to a restricted article, whose words cannot go "
        "in the public tours.json; give the step its own title and text",
    ]


@pytest.mark.parametrize("text, problem", [
    ("id: x\ntitle: [unclosed\n", "content/tours/bad.yml:3: not valid YAML: expected ',' or ']', but got '<stream end>'"),
    ("- id: x\n- id: y\n", "content/tours/bad.yml:1: a tour file holds one tour: a mapping with id, title, pages and steps"),
    ("id: Bad Id\ntitle: T\npages: [/x/]\nsteps: [{selector: a, title: A, text: B}]\n",
     "content/tours/bad.yml:1: tour id 'Bad Id' must be 1 to 64 letters, digits, '-' or '_'"),
    ("id: x\ntitle: T\npages: work-orders\nsteps: [{selector: a, title: A, text: B}]\n",
     "content/tours/bad.yml:3: pages must list URL paths starting with '/', where '*' matches anything, e.g. [/demo/*]"),
    ("id: x\ntitle: T\npages: [/x/]\nshow_once: sometimes\nsteps: [{selector: a, title: A, text: B}]\n",
     "content/tours/bad.yml:4: 'show_once' must be true or false"),
    ("id: x\ntitle: T\ntitle: U\npages: [/x/]\nsteps: [{selector: a, title: A, text: B}]\n",
     "content/tours/bad.yml:3: field 'title' is given twice in a tour"),
    ("id: x\ntitle: T\npages: [/x/]\nsteps: [{selector: a, help_id: wo-new-form, title: A, text: B}]\n",
     "content/tours/bad.yml:4: step 1: give selector or help_id, not both"),
])
def test_a_malformed_tour_file_is_one_clear_problem(small_content, tmp_path, text, problem):
    (small_content / "tours").mkdir()
    (small_content / "tours" / "bad.yml").write_text(text, encoding="utf-8")
    assert build_problems(small_content, tmp_path) == [problem]


def test_the_demo_tours_are_in_the_demo_build(demo_build):
    out, _ = demo_build
    tours = json.loads((out / "site" / "widgets" / "tours.json").read_text(encoding="utf-8"))["tours"]
    steps = {t["id"]: len(t["steps"]) for t in tours}
    assert steps == {"checkpoint-scanning": 5, "ppm-scheduling": 6, "work-order-creation": 5}
    ppm = next(t for t in tours if t["id"] == "ppm-scheduling")
    assert [s["page"] for s in ppm["steps"]] == ["/demo/"] + ["/demo/ppm/"] * 5
