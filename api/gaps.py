"""Where the help center falls short: questions it could not answer, grouped into content gaps, and
the scores that say which article needs a review and how much a reader's vote may move ranking."""

from __future__ import annotations

import hashlib
import re
from collections import Counter, defaultdict
from dataclasses import dataclass

import numpy as np

# A ticket cost someone a support contact, a declined question a reader's wait for nothing,
# a zero-result search only a retry: the harm of a gap weighs what it cost.
HARM = {"ticket": 3, "declined": 2, "zero_result": 1}


@dataclass(frozen=True)
class GapItem:
    text: str
    source: str  # zero_result (a search that found nothing), declined (the assistant's) or ticket (low match)
    count: int = 1  # how many times it was asked: a query searched 40 times is one item of count 40


@dataclass
class Gap:
    gap_id: str  # from the label's normalised text: the same gap keeps its id from one run to the next
    label: str  # the most asked wording
    count: int
    harm: int
    examples: list[str]  # distinct wordings, most asked first
    sources: dict[str, int]


def normalised(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.casefold()))


def gap_id(label: str) -> str:
    return hashlib.sha1(normalised(label).encode("utf-8")).hexdigest()[:10]


@dataclass
class _Wording:
    """Every item whose text normalises alike: counted together, shown in its most common spelling."""

    key: str
    spellings: Counter
    sources: Counter
    vector: np.ndarray

    @property
    def shown(self) -> str:
        # Ties go to the alphabetically first spelling, so input order never changes the label.
        return min(self.spellings, key=lambda s: (-self.spellings[s], s))

    @property
    def count(self) -> int:
        return sum(self.spellings.values())


def cluster_gaps(items: list[GapItem], vectors: np.ndarray, threshold: float = 0.72, max_examples: int = 5) -> list[Gap]:
    """Items grouped by meaning, most harmful gap first.

    `vectors` are the items' normalised embeddings, in the same order. Items whose texts normalise
    alike are one wording. Wordings are taken most asked first; each joins the gap whose seed (its
    most asked wording) is the most similar by cosine, if at least `threshold`, or seeds a new
    one. Comparing with the seed rather than a moving centroid keeps a gap from drifting away
    from its label, and the order of `items` changes nothing."""
    if len(items) != len(vectors):
        raise ValueError(f"{len(items)} items but {len(vectors)} vectors")
    unknown = {item.source for item in items} - set(HARM)
    if unknown:
        raise ValueError(f"unknown gap sources {sorted(unknown)}; expected {sorted(HARM)}")
    wordings = sorted(_wordings(items, vectors), key=lambda w: (-w.count, w.key))
    seeds = np.zeros((len(wordings), vectors.shape[1]))
    members: list[list[_Wording]] = []
    for wording in wordings:
        similarity = seeds[:len(members)] @ wording.vector
        if len(members) and similarity.max() >= threshold:
            members[int(similarity.argmax())].append(wording)
        else:
            seeds[len(members)] = wording.vector
            members.append([wording])
    gaps = [_gap(group, max_examples) for group in members]
    return sorted(gaps, key=lambda g: (-g.harm, -g.count, g.gap_id))


def _wordings(items: list[GapItem], vectors: np.ndarray) -> list[_Wording]:
    spellings: dict[str, Counter] = defaultdict(Counter)
    sources: dict[str, Counter] = defaultdict(Counter)
    summed: dict[str, np.ndarray] = {}
    for item, vector in zip(items, vectors):
        key = normalised(item.text)
        spellings[key][item.text.strip()] += item.count
        sources[key][item.source] += item.count
        summed[key] = summed.get(key, 0.0) + item.count * vector.astype(np.float64)
    # Spellings that normalise alike embed almost alike: their mean direction stands for all of them.
    return [_Wording(key, spellings[key], sources[key], summed[key] / max(np.linalg.norm(summed[key]), 1e-12))
            for key in spellings]


def _gap(group: list[_Wording], max_examples: int) -> Gap:
    sources = sum((w.sources for w in group), Counter())
    label = group[0].shown
    return Gap(gap_id=gap_id(label), label=label, count=sum(w.count for w in group),
               harm=sum(HARM[source] * n for source, n in sources.items()),
               examples=[w.shown for w in group[:max_examples]], sources=dict(sorted(sources.items())))


def staleness(days_overdue: float, helpful: int, not_helpful: int, zero_result_near: int, tickets_after: int,
              reads: int) -> float:
    """How urgently an article needs a review, from 0 (nothing suggests it) to 100.

    score = 35·overdue + 25·unhelpful + 15·searches + 25·tickets, each term in [0, 1):

    - overdue = d / (d + 90) for d days past the review date (0 before it): 90 days late is half.
    - unhelpful: the share of "no" votes under a Beta prior of 6 "yes" and 2 "no" pseudo-votes,
      (not_helpful + 2) / (helpful + not_helpful + 8), counted only above the prior's 0.25 and
      scaled to [0, 1]. The prior is that of a typical article (3 in 4 found it helpful), and
      strong enough that 3 "no" votes alone add 6.8 points where 30 add 19.7.
    - searches = n / (n + 10) for n zero-result searches near the article's topic: 10 is half.
    - tickets: the share of reads followed by a ticket under a prior of 1 ticket in 20 reads,
      (tickets_after + 1) / (reads + 20), counted above that prior's 5 % as e / (e + 0.1), so a
      share 10 points above the usual one is half. More reads for as many tickets lower it.

    Each term grows with its signal (with helpful votes and with reads it falls), so the score
    is monotonic in every input; the tickets term stays under 0.95 / 1.05, so the score under 98."""
    if min(helpful, not_helpful, zero_result_near, tickets_after, reads) < 0:
        raise ValueError("votes, searches, tickets and reads cannot be negative")
    days = max(days_overdue, 0.0)
    overdue = days / (days + 90)
    unhelpful = max((not_helpful + 2) / (helpful + not_helpful + 8) - 0.25, 0.0) / 0.75
    searches = zero_result_near / (zero_result_near + 10)
    excess = max(min((tickets_after + 1) / (reads + 20), 1.0) - 0.05, 0.0)
    tickets = excess / (excess + 0.1)
    return 35 * overdue + 25 * unhelpful + 15 * searches + 25 * tickets


def quality_boost(helpful: int, not_helpful: int, bound: float = 0.1, prior: float = 20.0) -> float:
    """The search ranking's quality term, within [-bound, bound]: bound · (2·ratio − 1).

    ratio = (helpful + prior/2) / (helpful + not_helpful + prior) shrinks the helpful share toward
    the neutral 0.5 with `prior` pseudo-votes, so an article without votes gets 0 and a few votes
    barely move it: with prior 20, 3 helpful votes give 3/23 of the bound (0.013 of 0.1), 30 give
    3/5 of it. (All-helpful votes move it by helpful / (helpful + prior) of the bound.)"""
    if min(helpful, not_helpful) < 0 or prior <= 0:
        raise ValueError("votes cannot be negative and the prior must be positive")
    ratio = (helpful + prior / 2) / (helpful + not_helpful + prior)
    return bound * (2 * ratio - 1)
