"""Everything a request needs, wired once from the settings: the app, the benches and the tests share it."""

from __future__ import annotations

from dataclasses import dataclass

from site_builder.embeddings import Embedder

from .chat import Assistant, ChatSettings
from .config import ServeConfig
from .database import open_database
from .holder import Holder, settle_memory
from .llm import LLM, LLMSettings
from .quality import Quality
from .question_budget import QuestionBudget
from .rate_limit import RateLimiter
from .rollup import BackgroundRollup
from .search import Fusion
from .store import Store
from .tokens import ANONYMOUS, TokenRules, Tokens


@dataclass
class HelpCenter:
    config: ServeConfig
    holder: Holder  # the build being served, switched when a new one lands
    store: Store  # what users send
    assistant: Assistant
    llm: LLM | None  # None: extractive answers, no outside service
    quality: Quality  # helpful votes as a ranking term, shared by every build's searcher
    rollups: BackgroundRollup  # while the server holds a DuckDB store no cron job can open it: it rolls up itself
    tokens: Tokens  # how a reader token is checked
    limits: RateLimiter
    budget: QuestionBudget  # model answers a day, per reader and per tenant

    def start(self) -> None:
        self.holder.start()
        self.rollups.start()

    async def close(self) -> None:
        self.holder.stop()
        self.rollups.stop()  # before the store closes, so a rollup due now finishes or never starts
        if self.llm is not None:
            await self.llm.close()
        self.store.close()


def open_help_center(config: ServeConfig, embedder: Embedder | None = None) -> HelpCenter:
    """Load the build and open the store; `embedder` lets several help centers share one loaded model."""
    embedder = embedder or Embedder(config.model, config.tokenizer)
    store = Store(open_database(config.data, config.db))
    quality = Quality(Fusion().max_quality_boost)
    quality.load(store.vote_totals)
    holder = Holder(config.build, embedder, config.query_cache, config.reload_seconds, quality)
    holder.current.searcher.rank("warm up the model and the postings", ANONYMOUS)
    settle_memory()
    llm = LLM(LLMSettings(config.anthropic_api_key, config.llm_model, config.anthropic_base_url, config.llm_connect_timeout,
                          config.llm_timeout)) if config.anthropic_api_key else None
    assistant = Assistant(holder, store, llm, chat_settings(config))
    rollups = BackgroundRollup(store, config.rollup_seconds, config.retention_days, clock=store.clock)
    return HelpCenter(config, holder, store, assistant, llm, quality, rollups, Tokens(token_rules(config)),
                      RateLimiter(config.rate_limit), QuestionBudget(config.daily_questions, config.tenant_daily_questions))


def token_rules(config: ServeConfig) -> TokenRules:
    secrets = tuple(s for s in (config.secret, config.previous_secret) if s)
    return TokenRules(secrets, config.token_audience, config.token_leeway, config.public_key, config.jwks_url)


def chat_settings(config: ServeConfig) -> ChatSettings:
    """The decline gates the operator set; the calibrated defaults of ChatSettings for the others."""
    gates = {"min_confidence": config.min_confidence, "model_min_confidence": config.model_min_confidence}
    return ChatSettings(**{name: value for name, value in gates.items() if value is not None},
                        turns=config.conversation_turns, conversation_ttl=config.conversation_ttl)
