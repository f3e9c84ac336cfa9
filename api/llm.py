"""Anthropic's Messages API, streamed, with timeouts: the one outside service the help center uses."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass

import anthropic


class LLMError(Exception):
    """The model could not answer: a refused request, a broken or stalled stream, a timeout."""


@dataclass(frozen=True)
class LLMSettings:
    api_key: str
    model: str
    base_url: str | None = None
    connect_timeout: float = 5.0
    total_timeout: float = 60.0
    max_retries: int = 2
    max_tokens: int = 1024

    def __repr__(self) -> str:
        return f"LLMSettings(model={self.model}, base_url={self.base_url})"  # never the key


class LLM:
    def __init__(self, settings: LLMSettings):
        self.settings = settings
        # The SDK retries a request that fails before streaming starts; a stream that
        # breaks midway is not retried (the reader has already seen part of the answer).
        self.client = anthropic.AsyncAnthropic(
            api_key=settings.api_key, base_url=settings.base_url, max_retries=settings.max_retries,
            timeout=anthropic.Timeout(settings.total_timeout, connect=settings.connect_timeout))

    async def stream(self, system: str, messages: list[dict]) -> AsyncIterator[str]:
        """Pieces of the answer as they arrive; raises LLMError on any failure or past the total timeout."""
        deadline = time.monotonic() + self.settings.total_timeout
        try:
            async with self._opened(system, messages, deadline) as stream:
                pieces = stream.text_stream.__aiter__()
                while True:
                    remaining = deadline - time.monotonic()
                    if remaining <= 0:
                        raise LLMError(f"the model took longer than {self.settings.total_timeout:g} s")
                    try:
                        yield await asyncio.wait_for(pieces.__anext__(), remaining)
                    except StopAsyncIteration:
                        # A connection cut between events ends the iteration quietly: only a
                        # message that reached its stop reason is complete.
                        if stream.current_message_snapshot.stop_reason is None:
                            raise LLMError("the model's answer broke off before it was complete") from None
                        return
                    except asyncio.TimeoutError:
                        raise LLMError(f"the model took longer than {self.settings.total_timeout:g} s") from None
        except LLMError:
            raise
        except anthropic.APIStatusError as exc:
            raise LLMError(f"the model service answered {exc.status_code}") from None
        except anthropic.APIConnectionError as exc:
            raise LLMError(f"the model service could not be reached or the stream broke ({type(exc).__name__})") from None
        except Exception as exc:  # a stream cut midway surfaces as the HTTP library's own error
            raise LLMError(f"the model's answer broke off ({type(exc).__name__})") from None

    @contextlib.asynccontextmanager
    async def _opened(self, system: str, messages: list[dict], deadline: float):
        """The stream, opened within the deadline: the SDK's retries obey a 429's Retry-After, however long it says."""
        manager = self.client.messages.stream(model=self.settings.model, max_tokens=self.settings.max_tokens,
                                              system=system, messages=messages)
        try:
            stream = await asyncio.wait_for(manager.__aenter__(), max(deadline - time.monotonic(), 0.001))
        except asyncio.TimeoutError:
            raise LLMError(f"the model took longer than {self.settings.total_timeout:g} s") from None
        try:
            yield stream
        finally:
            await manager.__aexit__(None, None, None)

    async def close(self) -> None:
        await self.client.close()
