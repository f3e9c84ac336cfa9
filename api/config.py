"""Server settings, read once at start-up from the command line and HELP_CENTER_* variables."""

from __future__ import annotations

import argparse
import math
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from site_builder.config import PROJECT_ROOT
from site_builder.embeddings import default_model_path, default_tokenizer_path

# Each setting: environment variable and what it is for (documented in docs/operators.md).
SERVE_SETTINGS = {
    "HELP_CENTER_BUILD": "build folder to serve (default: build/ of the project)",
    "HELP_CENTER_HOST": "address to listen on (default: 127.0.0.1)",
    "HELP_CENTER_PORT": "port to listen on (default: 8000)",
    "HELP_CENTER_SECRET": "shared secret that signs reader tokens (HMAC-SHA256); unset means only anonymous readers",
    "HELP_CENTER_DATA": "folder for what users send: conversations, votes, analytics (default: var/)",
    "HELP_CENTER_MODEL": "ONNX embedding model file, the same one the build used",
    "HELP_CENTER_TOKENIZER": "its tokenizer.json, or a zip holding one",
    "HELP_CENTER_QUERY_CACHE": "how many query embeddings to keep in memory (default: 2048; 0 turns the cache off)",
    "HELP_CENTER_RELOAD_SECONDS": "how often to look for a new build (default: 1)",
    "ANTHROPIC_API_KEY": "key for Anthropic's Messages API; unset or empty: the assistant answers extractively",
    "ANTHROPIC_BASE_URL": "another address for the Messages API (a proxy, or a test server)",
    "HELP_CENTER_LLM_MODEL": "the model the assistant uses (default: claude-sonnet-4-5)",
    "HELP_CENTER_LLM_TIMEOUT": "seconds the whole model answer may take (default: 60)",
    "HELP_CENTER_LLM_CONNECT_TIMEOUT": "seconds to connect to the model service (default: 5)",
    "HELP_CENTER_CONVERSATION_TURNS": "turns of a conversation kept for follow-up questions (default: 6)",
    "HELP_CENTER_CONVERSATION_TTL": "seconds after which an idle conversation is forgotten (default: 1800)",
    "HELP_CENTER_MIN_CONFIDENCE": "confidence below which an extractive answer is declined (default: calibrated, 0.70)",
    "HELP_CENTER_MODEL_MIN_CONFIDENCE": "confidence below which a question is declined without asking the model (default: 0.50)",
}


@dataclass(frozen=True)
class ServeConfig:
    build: Path
    model: Path
    tokenizer: Path
    data: Path
    host: str = "127.0.0.1"
    port: int = 8000
    secret: str | None = None
    query_cache: int = 2048
    reload_seconds: float = 1.0
    anthropic_api_key: str | None = None
    anthropic_base_url: str | None = None
    llm_model: str = "claude-sonnet-4-5"
    llm_timeout: float = 60.0
    llm_connect_timeout: float = 5.0
    conversation_turns: int = 6
    conversation_ttl: float = 1800.0
    min_confidence: float | None = None  # None: the calibrated defaults of api.chat.ChatSettings
    model_min_confidence: float | None = None

    def __repr__(self) -> str:
        # Secrets never reach logs or tracebacks.
        return (f"ServeConfig(build={self.build}, host={self.host}, port={self.port}, secret={'set' if self.secret else 'unset'}, "
                f"llm={'on' if self.anthropic_api_key else 'off'})")


def serve_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m api", description="Serve the help center: the API under /api/v1/ and the site at /.")
    p.add_argument("--build", type=Path, help="build folder (default: build/)")
    p.add_argument("--host", help="address to listen on (default: 127.0.0.1)")
    p.add_argument("--port", type=int, help="port (default: 8000)")
    return p


def serve_config(argv: Sequence[str] | None = None, env: Mapping[str, str] | None = None, **overrides) -> ServeConfig:
    env = os.environ if env is None else env
    args = serve_parser().parse_args(argv or [])

    def number(name: str, default, kind=int):
        raw = env.get(name)
        if raw in (None, ""):
            return default
        try:
            value = kind(raw)
        except ValueError:
            raise SystemExit(f"{name} must be a number, not '{raw}'") from None
        if not math.isfinite(value) or value < 0:
            raise SystemExit(f"{name} must be a finite number, not negative")
        return value

    def path(name: str, default: Path) -> Path:
        return (Path(env[name]) if env.get(name) else default).expanduser().resolve()

    config = ServeConfig(
        build=(args.build.expanduser().resolve() if args.build else path("HELP_CENTER_BUILD", PROJECT_ROOT / "build")),
        model=path("HELP_CENTER_MODEL", default_model_path()),
        tokenizer=path("HELP_CENTER_TOKENIZER", default_tokenizer_path()),
        data=path("HELP_CENTER_DATA", PROJECT_ROOT / "var"),
        host=args.host or env.get("HELP_CENTER_HOST") or "127.0.0.1",
        port=args.port if args.port is not None else number("HELP_CENTER_PORT", 8000),
        secret=env.get("HELP_CENTER_SECRET") or None,
        query_cache=number("HELP_CENTER_QUERY_CACHE", 2048),
        reload_seconds=number("HELP_CENTER_RELOAD_SECONDS", 1.0, float),
        anthropic_api_key=env.get("ANTHROPIC_API_KEY", "").strip() or None,
        anthropic_base_url=env.get("ANTHROPIC_BASE_URL") or None,
        llm_model=env.get("HELP_CENTER_LLM_MODEL") or "claude-sonnet-4-5",
        llm_timeout=number("HELP_CENTER_LLM_TIMEOUT", 60.0, float),
        llm_connect_timeout=number("HELP_CENTER_LLM_CONNECT_TIMEOUT", 5.0, float),
        conversation_turns=number("HELP_CENTER_CONVERSATION_TURNS", 6),
        conversation_ttl=number("HELP_CENTER_CONVERSATION_TTL", 1800.0, float),
        min_confidence=number("HELP_CENTER_MIN_CONFIDENCE", None, float),
        model_min_confidence=number("HELP_CENTER_MODEL_MIN_CONFIDENCE", None, float),
    )
    return ServeConfig(**{**config.__dict__, **overrides})
