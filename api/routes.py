"""The API's endpoints: each a plain function of (help center, caller, checked parameters), declared in ENDPOINTS.

A handler calls one plain function of the search, catalog or chat modules and shapes its
answer; reading the token and checking the parameters happened before it runs (api/endpoint.py).
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator

from starlette.concurrency import run_in_threadpool
from starlette.responses import StreamingResponse

from . import analytics_routes, catalog, feedback, maintenance_routes
from .chat import ChatRequest
from .database import StoreError
from .endpoint import Endpoint
from .help_center import HelpCenter
from .openapi import spec
from .params import HELP_IDS_PATTERN, MAX_HELP_IDS, Param, help_ids
from .search import MODES, SearchRequest
from .tokens import Caller


async def health(center: HelpCenter, caller: Caller) -> dict:
    index = center.holder.current.index
    manifest = index.manifest
    return {
        "status": "degraded" if center.holder.failed else "ok",  # degraded: a newer build was refused
        "build_id": index.build_id,
        "built_at": manifest.get("built_at"),
        "articles": len(index.articles),
        "chunks": len(index.chunks),
        "categories": len(index.categories),
        "model": manifest.get("embedding", {}).get("model"),
        "last_reload_error": center.holder.failed,
    }


async def openapi(center: HelpCenter, caller: Caller) -> dict:
    return spec(ENDPOINTS)


async def search(center: HelpCenter, caller: Caller, session_id: str | None, **values) -> dict:
    started = time.perf_counter()
    # Embedding and scoring release the GIL: in the thread pool, concurrent searches overlap.
    found = await run_in_threadpool(center.holder.current.searcher.search, SearchRequest(**values), caller)
    center.store.log_search(found["search_id"], caller, session_id, found["query"], found["mode"], found["total"],
                            (time.perf_counter() - started) * 1000, [r["id"] for r in found["results"]])
    if center.quality.due():  # other processes' votes; read in the background, never on this request's time
        asyncio.get_running_loop().run_in_executor(None, center.quality.load, center.store.vote_totals)
    return found


async def suggest(center: HelpCenter, caller: Caller, q: str, limit: int) -> dict:
    return {"query": q, "suggestions": center.holder.current.suggester.suggest(q, caller, limit)}


async def articles(center: HelpCenter, caller: Caller, category: str | None, tag: str | None, limit: int, offset: int) -> dict:
    return catalog.list_articles(center.holder.current.index, caller, category, tag, limit, offset)


async def article(center: HelpCenter, caller: Caller, article_id: str) -> dict:
    found = catalog.get_article(center.holder.current.index, caller, article_id)
    try:
        votes = await run_in_threadpool(center.store.vote_counts, article_id, caller)
    except StoreError:  # the store is down: the article is in the build and is still served, without its counts
        votes = None
    return {**found, "votes": votes}


async def categories(center: HelpCenter, caller: Caller) -> dict:
    return catalog.category_tree(center.holder.current.index, caller)


async def contextual(center: HelpCenter, caller: Caller, url: str | None, help_id: str | None, limit: int) -> dict:
    return catalog.contextual(center.holder.current.index, caller, url, help_id, limit)


async def help_text(center: HelpCenter, caller: Caller, help_id: str) -> dict:
    return catalog.help_text(center.holder.current.index, caller, help_id)


async def help_batch(center: HelpCenter, caller: Caller, ids: list[str]) -> dict:
    found = catalog.help_texts(center.holder.current.index, caller, ids)
    known = {h["help_id"] for h in found}
    return {"help": found, "missing": [h for h in ids if h not in known]}


async def chat(center: HelpCenter, caller: Caller, client: str, **values) -> StreamingResponse:
    use_model = center.llm is not None and center.budget.take(caller, client)
    events = center.assistant.answer(ChatRequest(**values), caller, use_model=use_model)
    return StreamingResponse(server_sent(events), media_type="text/event-stream",
                             headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})


async def chat_feedback(center: HelpCenter, caller: Caller, answer_id: str, helpful: bool, comment: str | None) -> dict:
    await center.store.record_feedback(answer_id, caller, helpful, comment)
    return {"answer_id": answer_id, "recorded": True}


async def server_sent(events) -> AsyncIterator[str]:
    """Each event as an `event:` line and one JSON `data:` line."""
    async for name, data in events:
        yield f"event: {name}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n"


SEARCH_PARAMS = (
    Param("q", "What the reader typed", required=True),
    Param("limit", "Results per page", "integer", low=1, high=50, default=10),
    Param("offset", "Results to skip", "integer", low=0, high=1000, default=0),
    Param("category", "Only this category (an id from /categories, e.g. work-orders/creating) and its subcategories",
          max_chars=200),
    Param("tag", "Only articles with this tag", max_chars=100),
    Param("mode", "How to rank: both retrievers fused, or one of them", "choice", options=MODES, default="hybrid"),
    Param("session_id", "The browser session, so analytics can follow a search to a click, a vote or a ticket",
          "identifier"),
)

READ_ENDPOINTS = (
    Endpoint("GET", "/v1/health", health, "The build being served and its counts", returns="Health"),
    Endpoint("GET", "/v1/openapi.json", openapi, "This description", returns="OpenAPI"),
    Endpoint("GET", "/v1/search", search, "Hybrid keyword and semantic search, one result per article", SEARCH_PARAMS,
             returns="SearchResults", errors=(400, 429), limit="search"),
    Endpoint("POST", "/v1/search", search, "The same search with a JSON body", SEARCH_PARAMS, body=True,
             returns="SearchResults", errors=(400, 413, 429), limit="search"),
    Endpoint("GET", "/v1/suggest", suggest, "Search-as-you-type completions of titles and words (keyword only)", (
        Param("q", "The text typed so far", required=True, max_chars=100),
        Param("limit", "How many to return", "integer", low=1, high=20, default=8),
    ), returns="Suggestions", errors=(400, 429), limit="search"),
    Endpoint("GET", "/v1/articles", articles, "Articles the caller may read, by category then title", (
        Param("category", "Only this category and its subcategories", max_chars=200),
        Param("tag", "Only articles with this tag", max_chars=100),
        Param("limit", "Articles per page", "integer", low=1, high=200, default=50),
        Param("offset", "Articles to skip", "integer", low=0, high=100_000, default=0),
    ), returns="ArticleList", errors=(400,)),
    Endpoint("GET", "/v1/articles/{article_id:path}", article, "One article with its rendered HTML", (
        Param("article_id", "Article id", required=True, in_path=True, max_chars=200),
    ), returns="Article", errors=(400, 404)),
    Endpoint("GET", "/v1/categories", categories, "The category tree with article counts", returns="Categories"),
    Endpoint("GET", "/v1/contextual", contextual, "Articles for a screen of the host product", (
        Param("url", "The screen's path or URL, e.g. /work-orders/new", "url"),
        Param("help_id", "A help id", max_chars=200),
        Param("limit", "How many to return", "integer", low=1, high=20, default=5),
    ), returns="Contextual", errors=(400,)),
    Endpoint("GET", "/v1/help/{help_id:path}", help_text, "The short text a tooltip or inline card shows", (
        Param("help_id", "Help id", required=True, in_path=True, max_chars=200),
    ), returns="HelpText", errors=(400, 404)),
    Endpoint("GET", "/v1/help", help_batch, "Many tooltip and card texts in one call (a page's help ids, prefetched)", (
        Param("ids", f"Help ids, comma-separated, at most {MAX_HELP_IDS}", "custom", required=True, reader=help_ids,
              json_schema={"type": "string", "pattern": HELP_IDS_PATTERN}),
    ), returns="HelpTexts", errors=(400,)),
    Endpoint("POST", "/v1/chat", chat, "Ask the help assistant; answers as server-sent events (sources, delta, done, error)", (
        Param("question", "The reader's question", required=True, max_chars=2000),
        Param("conversation_id", "From an earlier done event, to ask a follow-up question", "identifier"),
        Param("current_url", "The page the reader is on; articles written for it rank first", "url"),
        Param("session_id", "The browser session, so analytics can tell whether a ticket followed this answer",
              "identifier"),
    ), body=True, returns="ChatEvents", media_type="text/event-stream", errors=(400, 413, 429), limit="chat", needs_client=True),
    Endpoint("POST", "/v1/chat/{answer_id}/feedback", chat_feedback, "Whether an answer helped (only its asker may say)", (
        Param("answer_id", "From the done event", "identifier", required=True, in_path=True),
        Param("helpful", "Whether the answer helped", "boolean", required=True),
        Param("comment", "What was wrong or missing", max_chars=2000),
    ), body=True, status=201, returns="FeedbackRecorded", errors=(400, 404, 413, 429), limit="send"),
)
ENDPOINTS = READ_ENDPOINTS + feedback.ENDPOINTS + analytics_routes.ENDPOINTS + maintenance_routes.ENDPOINTS
