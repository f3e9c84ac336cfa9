// Server-sent events read from a fetch body: lines may break anywhere between chunks (even inside a
// CR LF pair or a multi-byte character); each event's JSON data goes to onEvent(name, data).

function createParser(onEvent) {
  let buffer = "";
  let skipNewline = false;
  let name = "";
  let data = [];

  function line(text) {
    if (text === "") {
      if (data.length) {
        let parsed = null;
        try {
          parsed = JSON.parse(data.join("\n"));
        } catch {
          parsed = null;
        }
        if (parsed !== null) onEvent(name || "message", parsed);
      }
      name = "";
      data = [];
      return;
    }
    if (text[0] === ":") return;
    const colon = text.indexOf(":");
    const field = colon === -1 ? text : text.slice(0, colon);
    const value = colon === -1 ? "" : text.slice(colon + 1).replace(/^ /, "");
    if (field === "event") name = value;
    else if (field === "data") data.push(value);
  }

  return {
    push(text) {
      // A chunk ending in CR may be half of a CR LF pair: the LF opening the next chunk is then dropped.
      let chunk = skipNewline && text[0] === "\n" ? text.slice(1) : text;
      skipNewline = chunk.endsWith("\r");
      chunk = chunk.replace(/\r\n?/g, "\n");
      buffer += chunk;
      const lines = buffer.split("\n");
      buffer = lines.pop();
      lines.forEach(line);
    },
    end() {
      if (buffer) line(buffer);
      line("");
    },
  };
}

// Reads until the stream ends; once `signal` aborts, stops reading (even a body that does not watch the
// request's signal) and rejects with an AbortError.
export async function readServerSentEvents(body, onEvent, signal) {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  const parser = createParser(onEvent);
  const onAbort = () => reader.cancel().catch(() => {});
  signal.addEventListener("abort", onAbort);
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (signal.aborted) throw new DOMException("The answer was stopped", "AbortError");
      if (done) break;
      parser.push(decoder.decode(value, { stream: true }));
    }
    parser.push(decoder.decode());
    parser.end();
  } finally {
    signal.removeEventListener("abort", onAbort);
    reader.releaseLock();
  }
}
