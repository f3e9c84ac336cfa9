// The instance's event bus: components tell each other (and the host, through HelpCenter.on) what happened.

export function createEmitter() {
  const listeners = new Map();
  return {
    on(name, fn) {
      if (!listeners.has(name)) listeners.set(name, new Set());
      listeners.get(name).add(fn);
      return () => listeners.get(name)?.delete(fn);
    },
    emit(name, detail) {
      for (const fn of [...(listeners.get(name) || [])]) {
        try {
          fn(detail);
        } catch (error) {
          // A host's listener that throws must not stop the widget or the other listeners; its error
          // still reaches the console, as an uncaught error of its own.
          setTimeout(() => { throw error; }, 0);
        }
      }
    },
    clear() {
      listeners.clear();
    },
  };
}
