// Type declarations of the help widget's public API (window.HelpCenter), for host products written in
// TypeScript. The widget is loaded with a script tag, so these are global declarations: reference this file
// (/// <reference path="help-widget.d.ts" />) or list it in tsconfig.json's "files". See docs/widgets.md.

declare namespace HelpCenterWidget {
  /** The three views of the help panel. */
  type View = "search" | "article" | "chat";

  interface OpenOptions {
    view?: View;
    /** search: the words to search for. */
    query?: string;
    /** article: the article's id, and optionally the id of a section (a heading's anchor). */
    articleId?: string;
    anchor?: string;
    /** chat: a question to ask at once. */
    question?: string;
    /** chat: the page (a path of the help site or of your product) the questions are about, and its title. */
    context?: string;
    contextTitle?: string;
  }

  interface AskOptions {
    /** The page the question is about: a help article's URL, or a screen of your product (a path). */
    context?: string;
    /** Its title, shown above the conversation ("Questions are asked about …"). */
    title?: string;
  }

  interface TourOptions {
    /** The step to begin at, the first being 0. */
    step?: number;
  }

  /** Returns the reader's current token, or null for an anonymous reader. Called once, then again after a 401. */
  type TokenProvider = () => Promise<string | null> | string | null;

  /** What each event passes to a listener of HelpCenter.on(event, listener). */
  interface Events {
    /** The help panel opened, on this view. */
    open: { view: View };
    close: Record<string, never>;
    /** A search answered (not sent for every keystroke: after the reader pauses). */
    search: { query: string; total: number; searchId: string };
    /** An article was opened in the panel. */
    article: { id: string; title: string };
    /** "Was this helpful?" was answered (comment: a comment was sent with it). */
    vote: { articleId: string; helpful: boolean; comment: boolean };
    /** A question was sent to the assistant. */
    question: { question: string };
    /** The assistant's answer finished; answered is false when it declined. */
    answer: { answerId: string; answered: boolean; conversationId: string | null };
    /** Thumbs up or down on an answer. */
    feedback: { answerId: string; helpful: boolean };
    /** The reader chose "Contact support" (url: the script tag's data-support-url, opened for them; null without one: route the reader yourself). */
    "contact-support": { answerId?: string; question?: string; url: string | null };
    /** HelpCenter.setContext changed the screen the help is about. */
    context: { context: string };
    "tour:start": { id: string };
    "tour:step": { id: string; step: number; total: number };
    "tour:end": { id: string; completed: boolean; step: number };
  }

  interface Api {
    /** Opens the help panel on a view (default: where the reader last was, else search). */
    open(view?: View | OpenOptions): void;
    close(): void;
    /** Opens the panel and searches for `query`. */
    search(query: string): void;
    /** Opens the assistant and asks `question`. */
    ask(question: string, options?: AskOptions): void;
    /** Opens an article in the panel (restricted ones too, with a token that may read them). */
    openArticle(id: string, options?: { anchor?: string }): void;
    /** Starts a guided tour; resolves to false when there is no such tour for this page. */
    startTour(id: string, options?: TourOptions): Promise<boolean>;
    /** Listens to an event; returns a function that stops listening. */
    on<K extends keyof Events>(event: K, listener: (detail: Events[K]) => void): () => void;
    /** Sets (or, with null, removes) the function that gives the reader's token. */
    setTokenProvider(provider: TokenProvider | null): void;
    /** The screen of your product the reader is on now (a path such as /work-orders/new), for a single-page app. */
    setContext(url: string): void;
    /** Removes every part of the widget from the page. */
    destroy(): void;
  }

  /** Set before the script loads, to give the token provider from the start. */
  interface Preset {
    tokenProvider?: TokenProvider;
  }
}

interface Window {
  HelpCenter?: HelpCenterWidget.Api | HelpCenterWidget.Preset;
}

interface DocumentEventMap {
  /** Dispatched on document once the widget is ready; event.detail is the API. */
  "helpcenter:ready": CustomEvent<HelpCenterWidget.Api>;
}
