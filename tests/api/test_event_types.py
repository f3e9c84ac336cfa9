"""A browser sends a batch of analytics events: every declared type is taken with its fields, and a
batch with anything wrong in it is refused as a whole, with a 400 that names the value at fault."""

from __future__ import annotations

import re

import pytest

from api.errors import BadRequest
from api.event_types import EVENT_TYPES, MAX_EVENTS, Event, openapi_schema, parse_events

SESSION = "s-3f9a_c2"

# One event of each type with every field it may carry, and what is kept of it.
FULL = [
    ({"type": "article_view", "article_id": "work-orders/create-a-work-order", "url": "https://app.example.com/wo/new?x=1"},
     "work-orders/create-a-work-order", {"url": "/wo/new"}),
    ({"type": "search_click", "search_id": "q_81f2", "article_id": "create-a-work-order", "rank": 3},
     "create-a-work-order", {"search_id": "q_81f2", "rank": 3}),
    ({"type": "share", "article_id": "ppm/schedule-ppm", "channel": "email"}, "ppm/schedule-ppm", {"channel": "email"}),
    ({"type": "bookmark", "article_id": "release-notes.2026"}, "release-notes.2026", {}),
    ({"type": "tour_started", "tour_id": "onboarding"}, "onboarding", {}),
    ({"type": "tour_step", "tour_id": "onboarding", "step": 0}, "onboarding", {"step": 0}),
    ({"type": "tour_completed", "tour_id": "onboarding"}, "onboarding", {}),
    ({"type": "tour_dismissed", "tour_id": "onboarding", "step": 4}, "onboarding", {"step": 4}),
    ({"type": "card_viewed", "card_id": "new-ppm-calendar"}, "new-ppm-calendar", {}),
    ({"type": "card_dismissed", "card_id": "new-ppm-calendar"}, "new-ppm-calendar", {}),
    ({"type": "tooltip_viewed", "help_id": "wo-new-form", "url": "/work-orders/new"}, "wo-new-form", {"url": "/work-orders/new"}),
    ({"type": "contact_support", "article_id": "assign-a-work-order", "answer_id": "a_77", "search_id": "q_1", "channel": "chat"},
     "assign-a-work-order", {"answer_id": "a_77", "search_id": "q_1", "channel": "chat"}),
]


def batch(*events: dict) -> dict:
    return {"events": [{"session_id": SESSION, **event} for event in events]}


def refusal(body: dict) -> BadRequest:
    with pytest.raises(BadRequest) as caught:
        parse_events(body)
    assert caught.value.status == 400
    return caught.value


def test_every_type_is_declared_once_and_tried_here():
    assert sorted(EVENT_TYPES) == sorted(event["type"] for event, _, _ in FULL)
    assert len(EVENT_TYPES) == 12


@pytest.mark.parametrize(("sent", "subject", "data"), FULL, ids=[event["type"] for event, _, _ in FULL])
def test_each_type_is_taken_with_its_fields(sent, subject, data):
    assert parse_events(batch(sent)) == [Event(sent["type"], SESSION, subject, data)]


def test_optional_fields_may_be_left_out_or_empty():
    events = parse_events(batch({"type": "contact_support"}, {"type": "share", "article_id": "a", "channel": "", "url": None},
                                {"type": "tour_dismissed", "tour_id": "onboarding"}))
    assert events == [Event("contact_support", SESSION, None, {}), Event("share", SESSION, "a", {}),
                      Event("tour_dismissed", SESSION, "onboarding", {})]


def test_a_full_batch_is_taken_in_order():
    events = parse_events(batch(*({"type": "tour_step", "tour_id": "t", "step": i} for i in range(MAX_EVENTS))))
    assert [e.data["step"] for e in events] == list(range(MAX_EVENTS))


@pytest.mark.parametrize(("event", "param", "message"), [
    ({"type": "search_click", "search_id": "q", "article_id": "a", "rank": 0}, "events[0].rank",
     "'events[0].rank' must be a whole number from 1 to 1000"),
    ({"type": "search_click", "search_id": "q", "article_id": "a", "rank": 1001}, "events[0].rank", "from 1 to 1000"),
    ({"type": "search_click", "search_id": "q", "article_id": "a", "rank": 2.5}, "events[0].rank", "whole number"),
    ({"type": "search_click", "search_id": "q", "article_id": "a", "rank": True}, "events[0].rank", "whole number"),
    ({"type": "search_click", "search_id": "q", "article_id": "a"}, "events[0].rank", "is required"),
    ({"type": "search_click", "article_id": "a", "rank": 1}, "events[0].search_id", "is required"),
    ({"type": "article_view"}, "events[0].article_id", "is required"),
    ({"type": "article_view", "article_id": "../etc/passwd x"}, "events[0].article_id", "must be an article id"),
    ({"type": "article_view", "article_id": "a" * 201}, "events[0].article_id", "1 to 200"),
    ({"type": "article_view", "article_id": 42}, "events[0].article_id", "must be an article id"),
    ({"type": "share", "article_id": "a", "channel": "fax"}, "events[0].channel", "must be one of link, email, other"),
    ({"type": "tour_step", "tour_id": "t", "step": 201}, "events[0].step", "from 0 to 200"),
    ({"type": "tour_step", "tour_id": "t/2", "step": 1}, "events[0].tour_id", "letters, digits"),
    ({"type": "tooltip_viewed", "help_id": "x" * 65}, "events[0].help_id", "1 to 64"),
    ({"type": "card_viewed", "card_id": "c", "url": "not a path"}, "events[0].url", "must be a path"),
    ({"type": "contact_support", "channel": "pigeon"}, "events[0].channel", "must be one of chat, email"),
    ({"type": "page_view"}, "events[0].type", "must be one of article_view, search_click"),
    ({"type": ["article_view"]}, "events[0].type", "must be one of"),
    ({"article_id": "a"}, "events[0].type", "is required"),
    ({"type": "bookmark", "article_id": "a", "rating": 5}, "events[0].rating", "is not a field of bookmark events"),
    ({"type": "bookmark", "article_id": "a", "subject": "a"}, "events[0].subject", "is not a field of bookmark events"),
])
def test_each_bad_value_is_refused_by_name(event, param, message):
    problem = refusal(batch(event))
    assert problem.extra == {"param": param}
    assert message in problem.detail


def test_the_session_is_required_and_checked():
    assert refusal({"events": [{"type": "bookmark", "article_id": "a"}]}).extra == {"param": "events[0].session_id"}
    assert refusal({"events": [{"type": "bookmark", "article_id": "a", "session_id": "has space"}]}).extra == {
        "param": "events[0].session_id"}


def test_one_bad_event_refuses_the_whole_batch_and_names_its_position():
    good = {"type": "article_view", "article_id": "a"}
    problem = refusal(batch(good, good, good, {"type": "search_click", "search_id": "q", "article_id": "a", "rank": -1}, good))
    assert problem.extra == {"param": "events[3].rank"}
    assert problem.detail == "'events[3].rank' must be a whole number from 1 to 1000"


@pytest.mark.parametrize("body", [
    {},
    {"events": None},
    {"events": []},
    {"events": {"type": "article_view"}},
    {"events": "article_view"},
    batch(*[{"type": "article_view", "article_id": "a"}] * (MAX_EVENTS + 1)),
])
def test_events_must_be_a_list_of_one_to_a_hundred(body):
    assert refusal(body).extra == {"param": "events"}


def test_an_event_must_be_an_object():
    assert refusal({"events": ["article_view"]}).extra == {"param": "events[0]"}


def test_the_body_holds_nothing_but_events():
    body = {**batch({"type": "article_view", "article_id": "a"}), "sent_at": "2026-12-03"}
    assert refusal(body).extra == {"param": "sent_at"}


# The OpenAPI document describes the same contract: a tiny checker of the JSON Schema keywords it uses.
def schema_errors(value, schema: dict) -> list[str]:
    if "oneOf" in schema:
        matching = [s for s in schema["oneOf"] if not schema_errors(value, s)]
        return [] if len(matching) == 1 else [f"{len(matching)} alternatives match"]
    kinds = {"object": dict, "array": list, "string": str, "integer": int}
    if not isinstance(value, kinds[schema["type"]]) or (schema["type"] == "integer" and isinstance(value, bool)):
        return [f"not {schema['type']}"]
    checks = {
        "const": lambda: value == schema["const"],
        "enum": lambda: value in schema["enum"],
        "maxLength": lambda: len(value) <= schema["maxLength"],
        "pattern": lambda: re.search(schema["pattern"], value),
        "minimum": lambda: value >= schema["minimum"],
        "maximum": lambda: value <= schema["maximum"],
        "minItems": lambda: len(value) >= schema["minItems"],
        "maxItems": lambda: len(value) <= schema["maxItems"],
        "required": lambda: all(k in value for k in schema["required"]),
        "additionalProperties": lambda: all(k in schema["properties"] for k in value),
    }
    errors = [keyword for keyword, holds in checks.items() if keyword in schema and not holds()]
    if isinstance(value, list):
        errors += [e for item in value for e in schema_errors(item, schema["items"])]
    if isinstance(value, dict):
        errors += [e for k, v in value.items() if k in schema["properties"] for e in schema_errors(v, schema["properties"][k])]
    return errors


def test_the_schema_has_one_closed_alternative_per_type():
    alternatives = openapi_schema()["properties"]["events"]["items"]["oneOf"]
    assert [a["properties"]["type"]["const"] for a in alternatives] == list(EVENT_TYPES)
    assert all(a["additionalProperties"] is False and {"type", "session_id"} <= set(a["required"]) for a in alternatives)
    search_click = alternatives[list(EVENT_TYPES).index("search_click")]
    assert set(search_click["required"]) == {"type", "session_id", "search_id", "article_id", "rank"}
    assert search_click["properties"]["rank"] | {"description": ""} == {"type": "integer", "minimum": 1, "maximum": 1000,
                                                                        "description": ""}
    share = alternatives[list(EVENT_TYPES).index("share")]
    assert share["properties"]["channel"]["enum"] == ["link", "email", "other"]


def test_what_the_schema_accepts_is_what_the_server_accepts():
    every_type = batch(*(event for event, _, _ in FULL))
    assert schema_errors(every_type, openapi_schema()) == []
    refused = [batch({"type": "search_click", "search_id": "q", "article_id": "a", "rank": 0}),
               batch({"type": "bookmark", "article_id": "a", "rating": 5}),
               batch({"type": "tour_step", "tour_id": "t"}),
               batch({"type": "page_view"}),
               batch({"type": "share", "article_id": "a b"}),
               {"events": []},
               batch(*[{"type": "article_view", "article_id": "a"}] * (MAX_EVENTS + 1))]
    for body in refused:
        assert schema_errors(body, openapi_schema()) != [], body
        refusal(body)
