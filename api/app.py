"""The Starlette application: the API under /api/v1/ and the built site at /, on one port."""

from __future__ import annotations

import contextlib
import json
import logging
from collections.abc import AsyncIterator

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, StreamingResponse
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from site_builder.embeddings import Embedder
from site_builder.pipeline import SITE_DIR

from . import catalog, params
from .config import ServeConfig
from .chat import Assistant, ChatRequest, ChatSettings
from .conversations import Conversations
from .errors import ApiError, BadRequest, api_error_handler, problem
from .llm import LLM, LLMSettings
from .store import Store
from .holder import Holder
from .openapi import spec
from .search import MODES, SearchRequest
from .tokens import ANONYMOUS, Caller, caller_from_header

log = logging.getLogger("help_center")


def create_app(config: ServeConfig) -> Starlette:
    embedder = Embedder(config.model, config.tokenizer)
    holder = Holder(config.build, embedder, config.query_cache, config.reload_seconds)
    holder.current.searcher.rank("warm up the model and the postings", ANONYMOUS)
    store = Store(config.data)
    llm = LLM(LLMSettings(config.anthropic_api_key, config.llm_model, config.anthropic_base_url, config.llm_connect_timeout,
                          config.llm_timeout)) if config.anthropic_api_key else None
    gates = {"min_confidence": config.min_confidence, "model_min_confidence": config.model_min_confidence}
    settings = ChatSettings(**{name: value for name, value in gates.items() if value is not None})
    assistant = Assistant(holder, store, Conversations(config.conversation_turns, config.conversation_ttl), llm, settings)

    def caller(request: Request) -> Caller:
        return caller_from_header(request.headers.get("authorization"), config.secret)

    async def health(request: Request) -> JSONResponse:
        index = holder.current.index
        manifest = index.manifest
        return JSONResponse({
            "status": "ok",
            "build_id": index.build_id,
            "built_at": manifest.get("built_at"),
            "articles": len(index.articles),
            "chunks": len(index.chunks),
            "categories": len(index.categories),
            "model": manifest.get("embedding", {}).get("model"),
            "last_reload_error": holder.failed,
        })

    async def openapi(request: Request) -> JSONResponse:
        return JSONResponse(spec())

    async def search(request: Request) -> JSONResponse:
        source = await params.json_body(request) if request.method == "POST" else request.query_params
        search_request = SearchRequest(
            q=params.text(source.get("q"), "q", required=True),
            limit=params.integer(source.get("limit"), "limit", 10, 1, 50),
            offset=params.integer(source.get("offset"), "offset", 0, 0, 1000),
            category=params.text(source.get("category"), "category", max_chars=200),
            tag=params.text(source.get("tag"), "tag", max_chars=100),
            mode=params.choice(source.get("mode"), "mode", MODES, "hybrid"),
        )
        who = caller(request)
        # Embedding and scoring release the GIL: in the thread pool, concurrent searches overlap.
        return JSONResponse(await run_in_threadpool(holder.current.searcher.search, search_request, who))

    async def suggest(request: Request) -> JSONResponse:
        q = params.text(request.query_params.get("q"), "q", required=True, max_chars=100)
        limit = params.integer(request.query_params.get("limit"), "limit", 8, 1, 20)
        return JSONResponse({"query": q, "suggestions": holder.current.suggester.suggest(q, caller(request), limit)})

    async def articles(request: Request) -> JSONResponse:
        query = request.query_params
        return JSONResponse(catalog.list_articles(
            holder.current.index, caller(request),
            params.text(query.get("category"), "category", max_chars=200), params.text(query.get("tag"), "tag", max_chars=100),
            params.integer(query.get("limit"), "limit", 50, 1, 200), params.integer(query.get("offset"), "offset", 0, 0, 100_000)))

    async def article(request: Request) -> JSONResponse:
        article_id = params.text(request.path_params["article_id"], "id", required=True, max_chars=200)
        return JSONResponse(catalog.get_article(holder.current.index, caller(request), article_id))

    async def categories(request: Request) -> JSONResponse:
        return JSONResponse(catalog.category_tree(holder.current.index, caller(request)))

    async def contextual(request: Request) -> JSONResponse:
        query = request.query_params
        return JSONResponse(catalog.contextual(
            holder.current.index, caller(request),
            params.url_path(query.get("url"), "url"), params.text(query.get("help_id"), "help_id", max_chars=200),
            params.integer(query.get("limit"), "limit", 5, 1, 20)))

    async def help_text(request: Request) -> JSONResponse:
        help_id = params.text(request.path_params["help_id"], "help_id", required=True, max_chars=200)
        return JSONResponse(catalog.help_text(holder.current.index, caller(request), help_id))

    async def chat(request: Request) -> StreamingResponse:
        body = await params.json_body(request)
        chat_request = ChatRequest(
            question=params.text(body.get("question"), "question", required=True, max_chars=2000),
            conversation_id=params.identifier(body.get("conversation_id"), "conversation_id"),
            current_url=params.url_path(body.get("current_url"), "current_url"),
        )
        events = assistant.answer(chat_request, caller(request))
        return StreamingResponse(server_sent(events), media_type="text/event-stream",
                                 headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})

    async def chat_feedback(request: Request) -> JSONResponse:
        answer_id = params.identifier(request.path_params["answer_id"], "answer_id")
        body = await params.json_body(request)
        helpful = body.get("helpful")
        if not isinstance(helpful, bool):
            raise BadRequest("'helpful' must be true or false", param="helpful")
        comment = params.text(body.get("comment"), "comment", max_chars=2000)
        await run_in_threadpool(store.record_feedback, answer_id, helpful, comment)
        return JSONResponse({"answer_id": answer_id, "recorded": True}, status_code=201)

    @contextlib.asynccontextmanager
    async def lifespan(app):
        holder.start()
        try:
            yield
        finally:
            holder.stop()
            if llm is not None:
                await llm.close()
            store.close()

    api = [
        Route("/v1/health", health),
        Route("/v1/openapi.json", openapi),
        Route("/v1/search", search, methods=["GET", "POST"]),
        Route("/v1/suggest", suggest),
        Route("/v1/articles", articles),
        Route("/v1/articles/{article_id:path}", article),
        Route("/v1/categories", categories),
        Route("/v1/contextual", contextual),
        Route("/v1/help/{help_id:path}", help_text),
        Route("/v1/chat", chat, methods=["POST"]),
        Route("/v1/chat/{answer_id}/feedback", chat_feedback, methods=["POST"]),
    ]
    routes = [
        Mount("/api", routes=api),
        Mount("/", app=StaticFiles(directory=config.build / SITE_DIR, html=True, check_dir=False), name="site"),
    ]
    app = Starlette(routes=routes, lifespan=lifespan, exception_handlers={
        ApiError: api_error_handler,
        HTTPException: _http_error,
        Exception: _internal_error,
    })
    app.state.holder = holder
    app.state.config = config
    app.state.store = store
    return app


async def server_sent(events) -> AsyncIterator[str]:
    """Each event as an `event:` line and one JSON `data:` line."""
    async for name, data in events:
        yield f"event: {name}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n"


async def _http_error(request: Request, exc: HTTPException) -> JSONResponse:
    detail = f"no API endpoint {request.url.path}; see /api/v1/openapi.json" if exc.status_code == 404 else exc.detail
    return problem(exc.status_code, exc.detail, detail, headers=exc.headers)


async def _internal_error(request: Request, exc: Exception) -> JSONResponse:
    log.exception("unexpected error on %s %s", request.method, request.url.path)
    return problem(500, "Internal server error", "something went wrong; it has been logged")
