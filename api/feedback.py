"""What readers and the support desk send: article votes, analytics events, search clicks, tickets.

Each handler checks what the request names against the build the caller sees (an article they
may not read is unknown to them), then waits for the store to commit the write.
"""

from __future__ import annotations

from .endpoint import Endpoint
from .errors import BadRequest, NotFound
from .event_types import MAX_EVENTS, openapi_schema, parse_events
from .help_center import HelpCenter
from .params import Param
from .store import Ticket
from .tokens import Caller

SESSION = Param("session_id", "The browser session (any id the widget keeps per tab); votes of anonymous readers are "
                              "counted once per session", "identifier")


def _visible_article(center: HelpCenter, caller: Caller, article_id: str):
    article = center.holder.current.index.article(article_id, caller)
    if article is None:
        raise NotFound(f"no article '{article_id}'")  # the same answer for one the caller may not read
    return article


async def vote(center: HelpCenter, caller: Caller, article_id: str, helpful: bool, comment: str | None,
               session_id: str | None) -> dict:
    _visible_article(center, caller, article_id)
    if caller.anonymous and session_id is None:
        raise BadRequest("'session_id' is required without a token: one vote per reader needs to know the reader",
                         param="session_id")
    votes = await center.store.vote(article_id, caller, session_id, helpful, comment)
    center.quality.record(caller.tenant or "", article_id, votes)
    return {"article_id": article_id, "helpful": helpful, "votes": votes}


async def events(center: HelpCenter, caller: Caller, events: list) -> dict:
    stored = await center.store.record_events(events, caller)
    return {"recorded": stored}


async def search_click(center: HelpCenter, caller: Caller, search_id: str, article_id: str, rank: int,
                       session_id: str | None) -> dict:
    _visible_article(center, caller, article_id)
    await center.store.record_click(search_id, caller, session_id, article_id, rank)
    return {"search_id": search_id, "recorded": True}


async def ticket(center: HelpCenter, caller: Caller, event: str, ticket_id: str, subject: str | None, body: str | None,
                 occurred_at, user_id: str | None, session_id: str | None) -> dict:
    record = Ticket(ticket_id, event, subject or "", body or "", occurred_at, user_id, session_id)
    new = await center.store.record_ticket(record, center.config.webhook_tenant or "")
    return {"ticket_id": ticket_id, "event": event, "duplicate": not new}


ARTICLE_ID = Param("article_id", "Article id", required=True, in_path=True, max_chars=200)
EVENTS = Param("events", f"The events, at most {MAX_EVENTS}; each type has its own fields", "custom", required=True,
               reader=lambda value, name: parse_events({name: value}), json_schema=openapi_schema()["properties"]["events"])

ENDPOINTS = (
    Endpoint("POST", "/v1/articles/{article_id:path}/votes", vote, "Whether an article helped: one vote per reader, changeable", (
        ARTICLE_ID,
        Param("helpful", "Whether the article helped", "boolean", required=True),
        Param("comment", "What was wrong or missing (stored as plain text)", max_chars=2000),
        SESSION,
    ), body=True, status=201, returns="VoteRecorded", errors=(400, 404, 413, 429), limit="send"),
    Endpoint("POST", "/v1/events", events, "Analytics events from the site and the widgets, all stored or none", (EVENTS,),
             body=True, status=201, returns="EventsRecorded", errors=(400, 413, 429), limit="send"),
    Endpoint("POST", "/v1/search/{search_id}/click", search_click, "A result opened from a search, and its rank", (
        Param("search_id", "From the search response", "identifier", required=True, in_path=True),
        Param("article_id", "The article opened", required=True, max_chars=200),
        Param("rank", "Its position in the results, 1 for the first", "integer", required=True, low=1, high=1000),
        SESSION,
    ), body=True, status=201, returns="ClickRecorded", errors=(400, 404, 413, 429), limit="send"),
    Endpoint("POST", "/v1/tickets", ticket, "A support ticket created or resolved (a webhook signed by the support desk)", (
        Param("event", "What happened to the ticket", "choice", required=True, options=("created", "resolved")),
        Param("ticket_id", "The desk's ticket id", required=True, max_chars=200),
        Param("subject", "The ticket's subject", max_chars=1000),
        Param("body", "The ticket's first message", max_chars=20_000),
        Param("occurred_at", "When it was created or resolved (ISO 8601)", "timestamp", required=True),
        Param("user_id", "The reader's user id, as in the `user` claim of their help center tokens: "
                                     "how a ticket is matched to the help they saw before it", max_chars=200),
        Param("session_id", "The help session the ticket came from, when the contact form passed it on", "identifier"),
    ), body=True, signed=True, returns="TicketRecorded", errors=(400, 413)),
)
