"""The dashboard's figures: what the readers of one tenant did over a range of days, read from the store.

Definitions (docs/operators.md, "Reading the dashboard", tells operators the same):

- Days are UTC, and a range [from, to] includes both days. Every figure is of one tenant: the
  token's, or '' for readers without one (their answers are stored with tenant NULL).
- session: a distinct session_id seen in events, searches or the assistant's answers.
- reader: a distinct user id; for a reader without one, 'session:' and the session id.
- help activity: an article_view event, a search, or a question to the assistant. A help session is
  a session with help activity; signed-in activity sent without a session id makes one per user and day.
- ticket: a ticket's 'created' event (a 'resolved' one is not a new contact). It is *after help* when
  the same reader (the ticket's user_id is the activity's user, or its session_id the activity's
  session) had help activity in the WINDOW (30 minutes) before it.
- deflection rate: help sessions that no ticket of their reader followed within the WINDOW of their
  help activity, over help sessions.
- contact rate of an article: readers who viewed it and opened a ticket within the WINDOW after the
  view, over readers who viewed it, with the subjects of those tickets (the latest 5). Listed with at
  least MIN_READERS readers (so one reader cannot top it) and one contact. Of the assistant's answers:
  the same over the readers who asked the same question (same words, case aside), under its latest answer.
- zero-result search: one that found nothing. Click-through rate: searches with at least one click,
  over searches; mean rank: the average position of those clicks (1 is the first result).
- votes: those cast or changed in the range. Lowest rated: articles with a vote, lowest helpful share
  first, the share shrunk toward even as search ranking does (api/gaps.quality_boost), so one "no"
  vote does not outrank thirty.
- content gaps: zero-result queries, declined questions, and ticket subjects that no article matches
  well (best chunk cosine below LOW_MATCH), grouped by meaning (api/gaps.cluster_gaps), most harmful first.
- stale articles: api/gaps.staleness of each article the tenant's admins may read, from the days past
  its review date, its votes, the zero-result searches whose nearest article it is, and the tickets
  that followed its views.
- daily: a day's figures come from daily_rollups when the rollup command wrote that day, else from
  raw rows. The totals and tables come from raw rows, kept HELP_CENTER_RETENTION_DAYS days.

A rate with nothing to divide by is null. Everything is counted in SQL, grouped before it is
counted distinct, and tickets are matched to help by equality joins on the reader: Python only
shapes the rows that come back (per day, per article, per top query) and clusters the gap texts.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone

import numpy as np

from .database import Session
from .gaps import GapItem, cluster_gaps, quality_boost, staleness
from .index import Index
from .store import tenant_of
from .tokens import Caller

WINDOW_MINUTES = 30
WINDOW = timedelta(minutes=WINDOW_MINUTES)
LIMIT = 20  # rows of each table
MIN_READERS = 3
LOW_MATCH = 0.45  # a ticket subject whose best chunk is less similar points at missing content
GAP_TEXTS = 50  # of each: the most frequent zero-result queries and declined questions, the latest tickets (embedded)
SUBJECTS = 5
GAP_COMMAND = "python -m site_builder new --from-gap {}"
DAILY_METRICS = ("sessions", "readers", "article_views", "searches", "zero_result_searches", "help_sessions",
                 "deflected_sessions", "tickets")
Embed = Callable[[list[str]], np.ndarray]  # texts -> their normalised query embeddings, one row each
EPOCH = date(1970, 1, 1)  # SQL counts days from it


@dataclass(frozen=True)
class Scope:
    """The rows a query reads: one tenant's (None: every tenant's) from `start` up to, not including, `end`."""

    tenant: str | None
    start: datetime
    end: datetime

    @classmethod
    def days(cls, tenant: str | None, first: date, last: date) -> Scope:
        return cls(tenant, _midnight(first), _midnight(last + timedelta(days=1)))

    def widened(self) -> Scope:
        """The same, reaching one WINDOW past the end: what may follow the last help activity."""
        return Scope(self.tenant, self.start, self.end + WINDOW)

    def earlier(self) -> Scope:
        """The same, from one WINDOW before the start: the help a ticket just after the start may follow."""
        return Scope(self.tenant, self.start - WINDOW, self.end)

    def where(self, time_column: str, tenant_column: str = "tenant") -> tuple[str, list]:
        """The filter of a table's rows in scope: the columns are the code's own, the values parameters."""
        sql, params = f"{time_column} >= ? AND {time_column} < ?", [self.start, self.end]
        if self.tenant is not None:
            sql, params = f"{sql} AND {tenant_column} = ?", [*params, self.tenant]
        return sql, params


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time(), tzinfo=timezone.utc)


def _day_number(column: str) -> str:
    """The UTC day of a timestamp as days since 1970: arithmetic on the epoch, several times faster than
    converting to a date through a time zone, and the same in both databases whatever the session's zone."""
    return f"CAST(floor(extract(epoch FROM {column}) / 86400) AS INTEGER)"


# An article may be named with its category (work-orders/create-a-work-order): its id is the last part.
ARTICLE = "regexp_replace(viewed, '^.*/', '')"
READER = "coalesce(user_id, 'session:' || session_id)"


def _help_session(day: str) -> str:
    """The help session of a row: its session, or for signed-in activity without one, the user's day."""
    return f"coalesce('s:' || session_id, 'u:' || user_id || '@' || CAST({day} AS TEXT))"


def _usage(scope: Scope) -> tuple[str, list]:
    """One row per tenant, day, session and user: their article views, searches, zero-result searches and questions.
    Each table is grouped before the union, so the distinct counts after it run over thousands of rows, not millions."""
    events, p1 = scope.where("created_at")
    searches, p2 = scope.where("created_at")
    answers, p3 = scope.where("created_at", "coalesce(tenant, '')")
    keys = f"{_day_number('created_at')} AS day, session_id, user_id"
    return f"""
        SELECT tenant, day, session_id, user_id, sum(views) AS views, sum(searches) AS searches,
               sum(zero_results) AS zero_results, sum(asked) AS asked
        FROM (SELECT tenant, {keys}, count(*) FILTER (WHERE type = 'article_view') AS views, 0 AS searches,
                     0 AS zero_results, 0 AS asked FROM events WHERE {events} GROUP BY 1, 2, 3, 4
              UNION ALL SELECT tenant, {keys}, 0, count(*), count(*) FILTER (WHERE results = 0), 0
                        FROM searches WHERE {searches} GROUP BY 1, 2, 3, 4
              UNION ALL SELECT coalesce(tenant, ''), {keys}, 0, 0, 0, count(*) FROM answers WHERE {answers} GROUP BY 1, 2, 3, 4
        ) AS u GROUP BY tenant, day, session_id, user_id""", p1 + p2 + p3


def _help(scope: Scope) -> tuple[str, list]:
    """Every help activity: tenant, user_id, session_id, its time ts, and for an article view the article, viewed."""
    events, p1 = scope.where("created_at")
    searches, p2 = scope.where("created_at")
    answers, p3 = scope.where("created_at", "coalesce(tenant, '')")
    return f"""
        SELECT tenant, user_id, session_id, created_at AS ts, subject AS viewed FROM events
        WHERE type = 'article_view' AND {events}
        UNION ALL SELECT tenant, user_id, session_id, created_at, CAST(NULL AS TEXT) FROM searches WHERE {searches}
        UNION ALL SELECT coalesce(tenant, ''), user_id, session_id, created_at, CAST(NULL AS TEXT) FROM answers
        WHERE {answers}""", p1 + p2 + p3


def _created(scope: Scope) -> tuple[str, list]:
    """Tickets opened in scope or within a WINDOW after it, with their time as ts."""
    where, params = scope.widened().where("occurred_at")
    return (f"SELECT tenant, ticket_id, user_id, session_id, subject, occurred_at AS ts FROM tickets "
            f"WHERE event = 'created' AND {where}"), params


def _followed(rows: str, columns: str) -> tuple[str, list]:
    """The distinct `columns` of each row of the table `rows` (tenant, user_id, session_id, ts, ...) with each ticket
    of the same reader opened within a WINDOW after it: ticket_id, ticket_subject, ticket_ts. Two equality joins,
    which both databases run as hash joins (an OR would not); distinct, as a reader's ten views before one ticket
    say no more than one, and a ticket matching by user and by session is found twice."""
    one = ("SELECT r.*, c.ticket_id, c.subject AS ticket_subject, c.ts AS ticket_ts FROM {rows} r JOIN created c "
           "ON c.tenant = r.tenant AND c.{key} = r.{key} WHERE c.ts >= r.ts AND c.ts <= r.ts + ?")
    pairs = " UNION ALL ".join(one.format(rows=rows, key=key) for key in ("user_id", "session_id"))
    return f"SELECT DISTINCT {columns}, ticket_id, ticket_subject, ticket_ts FROM ({pairs}) AS pairs", [WINDOW, WINDOW]


Figures = dict[tuple[str, date | None], dict[str, int]]
Contacts = dict[tuple[str, str], tuple[int, int, tuple[str, ...]]]


def _metrics(session: Session, scope: Scope) -> tuple[Figures, Contacts]:
    """{(tenant, day): {metric: value}} per day, and with day None over the whole scope; and {(tenant, article):
    (readers who opened a ticket after viewing it, those tickets, their latest subjects)}."""
    figures: Figures = {}
    contacts: Contacts = {}
    usage, params = _usage(scope)
    names = ("sessions", "readers", "article_views", "searches", "zero_result_searches", "help_sessions")
    rows = session.execute(f"""
        SELECT tenant, day, count(DISTINCT session_id), count(DISTINCT {READER}),
               sum(views), sum(searches), sum(zero_results),
               count(DISTINCT CASE WHEN views + searches + asked > 0 THEN {_help_session('day')} END)
        FROM ({usage}) AS usage GROUP BY GROUPING SETS ((tenant, day), (tenant))""", params)
    for tenant, day, *values in rows:
        _figures_of(figures, tenant, day).update(zip(names, map(int, values)))
    for tenant, day, metric, article_id, value, tickets, subjects in _tickets(session, scope):
        if article_id is None:
            _figures_of(figures, tenant, day)[metric] = int(value)
        else:
            contacts[(tenant, article_id)] = (int(value), int(tickets), _latest(subjects))
    for values in figures.values():
        values["deflected_sessions"] = values.get("help_sessions", 0) - values.get("followed_sessions", 0)
    return figures, contacts


def _figures_of(figures: dict, tenant: str, day: int | None) -> dict[str, int]:
    return figures.setdefault((tenant, None if day is None else EPOCH + timedelta(days=day)), {})


def _tickets(session: Session, scope: Scope) -> list[tuple]:
    """Tickets and the help they followed, from one join of help activity with tickets:
    (tenant, day or None, metric, None, value, None, None) of tickets opened, opened after help, and help sessions a
    ticket followed; (tenant, None, 'contact', article, readers, tickets, subjects) of the readers of an article."""
    # Help is read from a WINDOW before the start, so a ticket at 00:05 after help at 23:55 the day before counts
    # as after help; that help itself (in_range false) is no help session and no article view of the range.
    help_rows, p1 = _help(scope.earlier())
    created, p2 = _created(scope)
    # The day and help session are worked out after the join, for the few rows a ticket followed.
    followed, p3 = _followed("help", f"tenant, {_day_number('ts')} AS day, session_id, user_id, viewed, in_range")
    by_day = "GROUP BY GROUPING SETS ((tenant, day), (tenant))"
    none = "CAST(NULL AS TEXT), count({}), CAST(NULL AS INTEGER), CAST(NULL AS TEXT[])"
    return session.execute(f"""
        WITH help AS NOT MATERIALIZED (SELECT *, ts >= ? AS in_range FROM ({help_rows}) AS h), created AS ({created}),
        followed AS MATERIALIZED ({followed})
        SELECT tenant, day, 'followed_sessions', {none.format('DISTINCT ' + _help_session('day'))} FROM followed
            WHERE in_range {by_day}
        UNION ALL SELECT tenant, day, 'tickets_after_help', {none.format('DISTINCT ticket_id')}
            FROM (SELECT tenant, ticket_id, {_day_number('ticket_ts')} AS day FROM followed WHERE ticket_ts < ?) AS f {by_day}
        UNION ALL SELECT tenant, day, 'tickets', {none.format('*')}
            FROM (SELECT tenant, {_day_number('ts')} AS day FROM created WHERE ts < ?) AS c {by_day}
        UNION ALL SELECT tenant, NULL, 'contact', {ARTICLE}, count(DISTINCT {READER}), count(DISTINCT ticket_id),
                         array_agg(ticket_subject ORDER BY ticket_ts DESC, ticket_id) FILTER (WHERE ticket_subject <> '')
            FROM followed WHERE viewed IS NOT NULL AND in_range GROUP BY tenant, {ARTICLE}""",
        [scope.start] + p1 + p2 + p3 + [scope.end, scope.end])


def daily_metrics(session: Session, start: date, end: date) -> list[tuple[str, date, str, int]]:
    """(tenant, day, metric, value) of every tenant with activity on each day from `start` to `end`, from raw rows:
    what the rollup command keeps in daily_rollups before raw rows age out. Counts only, so rates can be recomputed."""
    figures, _ = _metrics(session, Scope.days(None, start, end))
    return [(tenant, day, metric, values.get(metric, 0))
            for (tenant, day), values in sorted((k, v) for k, v in figures.items() if k[1] is not None)
            for metric in DAILY_METRICS]


def _rate(part: int | float, whole: int | float) -> float | None:
    return round(part / whole, 4) if whole else None


def _daily(session: Session, tenant: str, first: date, last: date, raw: dict) -> list[dict]:
    rolled: dict[date, dict[str, float]] = {}
    for day, metric, value in session.execute(
            "SELECT day, metric, value FROM daily_rollups WHERE tenant = ? AND day >= ? AND day <= ?", [tenant, first, last]):
        rolled.setdefault(day, {})[metric] = value
    rows = []
    for offset in range((last - first).days + 1):
        day = first + timedelta(days=offset)
        values = {k: int(v) for k, v in (rolled.get(day) or raw.get((tenant, day), {})).items()}
        rows.append({"day": day.isoformat(), **{k: values.get(k, 0) for k in ("sessions", "readers", "article_views", "searches")},
                     "zero_result_rate": _rate(values.get("zero_result_searches", 0), values.get("searches", 0)),
                     "deflection_rate": _rate(values.get("deflected_sessions", 0), values.get("help_sessions", 0)),
                     "tickets": values.get("tickets", 0)})
    return rows


def _search_figures(session: Session, scope: Scope, limit: int) -> dict:
    """Totals of searches and their clicks, the most searched queries, and the most frequent zero-result ones."""
    searches, p1 = scope.where("s.created_at", "s.tenant")
    clicks, p2 = scope.widened().where("created_at")
    rows = session.execute(f"""
        WITH clicks AS (SELECT search_id, count(*) AS clicks, sum(rank) AS ranks FROM search_clicks WHERE {clicks}
                        GROUP BY search_id),
        per AS MATERIALIZED (
            SELECT s.query, count(*) AS searches, count(*) FILTER (WHERE s.results = 0) AS zero_results,
                   count(c.search_id) AS clicked, coalesce(sum(c.clicks), 0) AS clicks, coalesce(sum(c.ranks), 0) AS ranks
            FROM searches s LEFT JOIN clicks c ON c.search_id = s.search_id WHERE {searches} GROUP BY s.query)
        (SELECT 'top', query, searches, zero_results, clicked, clicks, ranks FROM per ORDER BY searches DESC, query LIMIT ?)
        UNION ALL (SELECT 'zero', query, searches, zero_results, clicked, clicks, ranks FROM per WHERE zero_results > 0
                   ORDER BY zero_results DESC, query LIMIT ?)
        UNION ALL SELECT 'all', NULL, sum(searches), sum(zero_results), sum(clicked), sum(clicks), sum(ranks) FROM per""",
        p2 + p1 + [limit, limit])
    found: dict[str, list] = {"top": [], "zero": [], "all": []}
    for kind, query, *counts in rows:
        found[kind].append((query, *(int(n or 0) for n in counts)))
    _, searched, zero, clicked, clicks, ranks = found["all"][0]
    return {
        "zero_result": {"rate": _rate(zero, searched), "count": zero,
                        "top_queries": [{"query": q, "searches": z} for q, _, z, _, _, _ in found["zero"]]},
        "clicks": {"click_through_rate": _rate(clicked, searched), "mean_rank": _rate(ranks, clicks)},
        "top_queries": [{"query": q, "searches": n, "clicks": c, "click_through_rate": _rate(hit, n), "zero_result": z == n}
                        for q, n, z, hit, c, _ in found["top"]],
    }


@dataclass
class ArticleFacts:
    views: int = 0
    readers: int = 0
    contacted: int = 0  # readers who opened a ticket within a WINDOW after viewing it
    tickets: int = 0  # tickets opened within a WINDOW after a view of it
    subjects: tuple[str, ...] = ()
    helpful: int = 0
    not_helpful: int = 0


def _article_facts(session: Session, scope: Scope, contacts: Contacts) -> dict[str, ArticleFacts]:
    """Per article: views, readers and the tickets that followed them (`contacts`, of _metrics), and its votes."""
    views, params = scope.where("created_at")
    facts: dict[str, ArticleFacts] = {}
    for article_id, views, readers in session.execute(f"""
            SELECT {ARTICLE} AS article_id, count(*), count(DISTINCT {READER})
            FROM (SELECT subject AS viewed, user_id, session_id FROM events
                  WHERE type = 'article_view' AND subject IS NOT NULL AND {views}) AS v GROUP BY 1""", params):
        facts[article_id] = ArticleFacts(int(views), int(readers), *contacts.get((scope.tenant, article_id), (0, 0, ())))
    return _with_votes(session, scope, facts)


def _with_votes(session: Session, scope: Scope, facts: dict[str, ArticleFacts]) -> dict[str, ArticleFacts]:
    votes, params = scope.where("updated_at")
    for article_id, helpful, not_helpful in session.execute(
            "SELECT article_id, count(*) FILTER (WHERE helpful), count(*) FILTER (WHERE NOT helpful) FROM votes "
            f"WHERE {votes} GROUP BY article_id", params):
        fact = facts.setdefault(article_id, ArticleFacts())
        fact.helpful, fact.not_helpful = int(helpful), int(not_helpful)
    return facts


def _latest(subjects: list[str] | None) -> tuple[str, ...]:
    """The latest distinct subjects, newest first."""
    return tuple(dict.fromkeys(subjects or []))[:SUBJECTS]


def _answer_contacts(session: Session, scope: Scope, limit: int) -> list[dict]:
    """Questions asked by at least MIN_READERS readers that some of them followed with a ticket, highest share first."""
    asked, p1 = scope.where("created_at", "coalesce(tenant, '')")
    created, p2 = _created(scope)
    followed, p3 = _followed("asked", "wording, reader")
    rows = session.execute(f"""
        WITH asked AS MATERIALIZED (
            SELECT coalesce(tenant, '') AS tenant, answer_id, question, lower(trim(question)) AS wording, user_id,
                   session_id, created_at AS ts, {READER} AS reader
            FROM answers WHERE {asked}),
        created AS ({created}),
        followed AS ({followed}),
        contact AS (SELECT wording, count(DISTINCT reader) AS contacted,
                           array_agg(ticket_subject ORDER BY ticket_ts DESC, ticket_id) FILTER (WHERE ticket_subject <> '') AS subjects
                    FROM followed GROUP BY wording),
        asked_by AS (SELECT wording, (array_agg(answer_id ORDER BY ts DESC, answer_id))[1] AS answer_id,
                            (array_agg(question ORDER BY ts DESC, answer_id))[1] AS question, count(DISTINCT reader) AS readers
                     FROM asked GROUP BY wording HAVING count(DISTINCT reader) >= ?)
        SELECT a.answer_id, a.question, a.readers, c.contacted, c.subjects FROM asked_by a JOIN contact c ON c.wording = a.wording
        ORDER BY c.contacted * 1.0 / a.readers DESC, c.contacted DESC, a.answer_id LIMIT ?""",
        p1 + p2 + p3 + [MIN_READERS, limit])
    return [{"answer_id": answer_id, "question": question, "readers": int(readers), "contacted": int(contacted),
             "contact_rate": _rate(int(contacted), int(readers)), "ticket_subjects": list(_latest(subjects))}
            for answer_id, question, readers, contacted, subjects in rows]


def _assistant(session: Session, scope: Scope) -> dict:
    asked, params = scope.where("created_at", "coalesce(tenant, '')")
    questions, answered, declined, helpful, not_helpful = (int(n) for n in session.execute(f"""
        WITH asked AS (SELECT answer_id, answered, error FROM answers WHERE {asked}),
        latest AS (SELECT f.helpful, row_number() OVER (PARTITION BY f.answer_id ORDER BY f.created_at DESC) AS n
                   FROM answer_feedback f JOIN asked a ON a.answer_id = f.answer_id)
        SELECT (SELECT count(*) FROM asked), (SELECT count(*) FROM asked WHERE answered),
               (SELECT count(*) FROM asked WHERE NOT answered AND error IS NULL),
               (SELECT count(*) FROM latest WHERE n = 1 AND helpful), (SELECT count(*) FROM latest WHERE n = 1 AND NOT helpful)
        """, params)[0])
    return {"questions": questions, "answered_rate": _rate(answered, questions), "declined_rate": _rate(declined, questions),
            "helpful": helpful, "not_helpful": not_helpful}


def _gap_texts(session: Session, scope: Scope) -> list[tuple[str, str, int]]:
    """(source, text, times) of the most frequent zero-result queries and declined questions, and the latest tickets."""
    searches, p1 = scope.where("created_at")
    declined, p2 = scope.where("g.created_at", "coalesce(a.tenant, '')")
    tickets, p3 = scope.where("occurred_at")
    rows = session.execute(f"""
        (SELECT 'zero_result', query, count(*) FROM searches WHERE results = 0 AND {searches}
         GROUP BY query ORDER BY count(*) DESC, query LIMIT ?)
        UNION ALL (SELECT 'declined', g.question, count(*) FROM content_gaps g JOIN answers a ON a.answer_id = g.answer_id
                   WHERE {declined} GROUP BY g.question ORDER BY count(*) DESC, g.question LIMIT ?)
        UNION ALL (SELECT 'ticket', subject, 1 FROM tickets WHERE event = 'created' AND subject <> '' AND {tickets}
                   ORDER BY occurred_at DESC, ticket_id LIMIT ?)""", p1 + [GAP_TEXTS] + p2 + [GAP_TEXTS] + p3 + [GAP_TEXTS])
    return [(source, text, int(times)) for source, text, times in rows]


@dataclass
class GapTexts:
    """The texts that may point at missing content, embedded, with the article each is nearest to."""

    texts: list[tuple[str, str, int]]
    vectors: np.ndarray
    nearest: np.ndarray  # the position of the article with the most similar chunk, -1 when none may be found
    similarity: np.ndarray  # that chunk's cosine


def _vectors(embed: Embed, texts: list[tuple[str, str, int]], index: Index) -> np.ndarray:
    return embed([text for _, text, _ in texts]) if texts else np.zeros((0, index.vectors.shape[1]), np.float32)


def _nearest(index: Index, caller: Caller, texts: list[tuple[str, str, int]], vectors: np.ndarray) -> GapTexts:
    nearest, similarity = np.full(len(texts), -1), np.zeros(len(texts), np.float32)
    allowed = (index.visible(caller) & index.searchable)[index.chunk_article]
    if len(texts) and allowed.any():
        # One matrix product per block of texts rather than a search per text; chunks the caller may not
        # find are masked out, not copied out (the vectors may be hundreds of megabytes).
        for start in range(0, len(texts), 64):
            sims = vectors[start:start + 64] @ index.vectors.T
            sims[:, ~allowed] = -np.inf
            best = sims.argmax(axis=1)
            nearest[start:start + 64] = index.chunk_article[best]
            similarity[start:start + 64] = sims[np.arange(len(best)), best]
    return GapTexts(texts, vectors, nearest, similarity)


def _gaps(found: GapTexts, limit: int | None) -> list[dict]:
    keep = [i for i, (source, _, _) in enumerate(found.texts) if source != "ticket" or found.similarity[i] < LOW_MATCH]
    items = [GapItem(found.texts[i][1], found.texts[i][0], found.texts[i][2]) for i in keep]
    gaps = cluster_gaps(items, found.vectors[keep]) if items else []
    return [{"gap_id": g.gap_id, "label": g.label, "count": g.count, "harm": g.harm, "examples": g.examples,
             "sources": {source: g.sources.get(source, 0) for source in ("zero_result", "declined", "ticket")},
             "command": GAP_COMMAND.format(g.gap_id)} for g in gaps[:limit]]


def content_gaps(session: Session, caller: Caller, start: date, end: date, index: Index, embed: Embed,
                 limit: int | None = None) -> list[dict]:
    """The content gaps of the caller's tenant over a range, most harmful first (all of them without a limit)."""
    texts = _gap_texts(session, Scope.days(tenant_of(caller), start, end))
    return _gaps(_nearest(index, caller, texts, _vectors(embed, texts, index)), limit)


def _listed(index: Index, caller: Caller, article_id: str) -> bool:
    """Whether an article may be listed to the caller: one of the build they may read, or one no longer in it
    (an event may name any id). One they may not read is not: its id and figures would tell of it."""
    position = index.position.get(article_id)
    return position is None or bool(index.visible(caller)[position])


def _link(index: Index, caller: Caller, article_id: str) -> dict:
    """A listed article's title and URL; its id and no URL for one no longer in the build."""
    article = index.article(article_id, caller)
    return {"article_id": article_id, "title": article.title if article else article_id, "url": article.url if article else None}


def _articles(index: Index, caller: Caller, facts: dict[str, ArticleFacts], limit: int) -> dict:
    # Left out before the limit, so the lists still hold `limit` articles the caller may read.
    facts = {a: f for a, f in facts.items() if _listed(index, caller, a)}
    viewed = sorted((-f.views, a) for a, f in facts.items() if f.views)
    rated = sorted((quality_boost(f.helpful, f.not_helpful), a) for a, f in facts.items() if f.helpful + f.not_helpful)
    contacted = sorted((-f.contacted / f.readers, -f.contacted, -f.readers, a) for a, f in facts.items()
                       if f.readers >= MIN_READERS and f.contacted)
    return {
        "top_articles": [{**_link(index, caller, a), "views": facts[a].views, "helpful": facts[a].helpful,
                          "not_helpful": facts[a].not_helpful} for _, a in viewed[:limit]],
        "lowest_rated": [{**_link(index, caller, a), "helpful": facts[a].helpful, "not_helpful": facts[a].not_helpful,
                          "helpful_ratio": _rate(facts[a].helpful, facts[a].helpful + facts[a].not_helpful)}
                         for _, a in rated[:limit]],
        "contact_rate": [{**_link(index, caller, a), "readers": facts[a].readers, "contacted": facts[a].contacted,
                          "contact_rate": _rate(facts[a].contacted, facts[a].readers),
                          "ticket_subjects": list(facts[a].subjects)} for *_, a in contacted[:limit]],
    }


def _stale(index: Index, caller: Caller, facts: dict[str, ArticleFacts], found: GapTexts, today: date,
           limit: int) -> list[dict]:
    near: dict[int, int] = {}
    for (source, _, times), position in zip(found.texts, found.nearest.tolist()):
        if source == "zero_result" and position >= 0:
            near[position] = near.get(position, 0) + times
    rows = []
    for position in np.flatnonzero(index.visible(caller)).tolist():
        article = index.articles[position]
        due = article.review_due()
        overdue = max((today - due).days, 0) if due else 0
        fact = facts.get(article.id, ArticleFacts())
        score = staleness(overdue, fact.helpful, fact.not_helpful, near.get(position, 0), fact.tickets, fact.views)
        if score > 0:
            rows.append({**_link(index, caller, article.id), "score": round(score, 2), "days_overdue": overdue,
                         "helpful": fact.helpful, "not_helpful": fact.not_helpful,
                         "zero_result_near": near.get(position, 0), "tickets_after": fact.tickets})
    return sorted(rows, key=lambda r: (-r["score"], r["article_id"]))[:limit]


def dashboard(session: Session, caller: Caller, start: date, end: date, index: Index, embed: Embed, now: datetime,
              limit: int = LIMIT) -> dict:
    """Every figure of the dashboard for the caller's tenant ('' for readers without one) from `start` to `end`, both
    included. Articles are those the caller (the admin asking, with all their roles) may read."""
    tenant = tenant_of(caller)
    scope = Scope.days(tenant, start, end)
    metrics, contacts = _metrics(session, scope)
    totals = metrics.get((tenant, None), {})
    facts = _article_facts(session, scope, contacts)
    articles = _articles(index, caller, facts, limit)
    texts = _gap_texts(session, scope)
    found = _nearest(index, caller, texts, _vectors(embed, texts, index))
    help_sessions, deflected = totals.get("help_sessions", 0), totals.get("deflected_sessions", 0)
    tickets, after_help = totals.get("tickets", 0), totals.get("tickets_after_help", 0)
    return {
        "from": start.isoformat(), "to": end.isoformat(), "tenant": tenant or None,
        **{name: totals.get(name, 0) for name in ("sessions", "readers", "article_views", "searches")},
        **_search_figures(session, scope, limit),
        "top_articles": articles["top_articles"],
        "votes": {"helpful": sum(f.helpful for f in facts.values()), "not_helpful": sum(f.not_helpful for f in facts.values()),
                  "lowest_rated": articles["lowest_rated"]},
        "assistant": _assistant(session, scope),
        "tickets": {"total": tickets, "after_help": after_help, "without_help": tickets - after_help},
        "deflection": {"rate": _rate(deflected, help_sessions), "help_sessions": help_sessions,
                       "followed_by_ticket": help_sessions - deflected, "window_minutes": WINDOW_MINUTES},
        "contact_rate": {"articles": articles["contact_rate"], "answers": _answer_contacts(session, scope, limit)},
        "content_gaps": _gaps(found, limit),
        "stale_articles": _stale(index, caller, facts, found, now.astimezone(timezone.utc).date(), limit),
        "daily": _daily(session, tenant, start, end, metrics),
    }


# Each table: where its rows sit in the dashboard, and its columns.
TABLES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "top_queries": (("top_queries",), ("query", "searches", "clicks", "click_through_rate", "zero_result")),
    "zero_result_queries": (("zero_result", "top_queries"), ("query", "searches")),
    "top_articles": (("top_articles",), ("article_id", "title", "url", "views", "helpful", "not_helpful")),
    "lowest_rated": (("votes", "lowest_rated"), ("article_id", "title", "url", "helpful", "not_helpful", "helpful_ratio")),
    "contact_rate_articles": (("contact_rate", "articles"),
                              ("article_id", "title", "url", "readers", "contacted", "contact_rate", "ticket_subjects")),
    "contact_rate_answers": (("contact_rate", "answers"),
                             ("answer_id", "question", "readers", "contacted", "contact_rate", "ticket_subjects")),
    "content_gaps": (("content_gaps",), ("gap_id", "label", "count", "harm", "examples", "sources", "command")),
    "stale_articles": (("stale_articles",), ("article_id", "title", "url", "score", "days_overdue", "helpful",
                                             "not_helpful", "zero_result_near", "tickets_after")),
    "daily": (("daily",), ("day", "sessions", "readers", "article_views", "searches", "zero_result_rate",
                           "deflection_rate", "tickets")),
}
# A spreadsheet runs a cell starting with one of these as a formula: a reader's query must never be one.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_table(figures: dict, table: str) -> str:
    """One table of a dashboard as CSV with a header row; lists are joined with "; "."""
    path, columns = TABLES[table]
    rows = figures
    for key in path:
        rows = rows[key]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(columns)
    writer.writerows([_cell(row[column]) for column in columns] for row in rows)
    return out.getvalue()


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        value = "; ".join(map(str, value))
    elif isinstance(value, dict):
        value = "; ".join(f"{key}: {count}" for key, count in value.items())
    return spreadsheet_text(str(value))


def spreadsheet_text(text: str) -> str:
    """A text cell a spreadsheet shows as text: one it would run as a formula gets a leading quote
    (also in the store's CSV export, api/export.py)."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text
