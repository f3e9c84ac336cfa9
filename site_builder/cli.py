"""The authors' command line: `python -m site_builder new|status|stale|check`."""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from pathlib import Path

from .api_client import ApiClientError, call
from .articles import STATUSES
from .config import API, api_access, content_folder
from .content import load
from .declaration import DECLARATION_FILE
from .settings import add_options
from .tours import read_tours
from .workflow import BODY, FRONT_MATTER, TRANSITIONS, GitError, check_against_base

GAP_SOURCES = {"zero_result": "searches that found nothing", "declined": "questions the assistant declined",
               "ticket": "support tickets"}
GAP_INTRO = """<!-- Written for content gap {gap_id}: python -m site_builder new --from-gap {gap_id} -->

TODO: readers asked the questions below {count} time(s) ({sources}) and the help center had no answer.
Answer them in the sections that follow, then delete this TODO and the questions before review.

## What readers asked

{fence}text
{questions}
{fence}

"""


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    root = content_folder(args.content)
    try:
        if not root.is_dir():
            raise CommandError(f"content folder {root} does not exist")
        return args.run(args, root)
    except CommandError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1


class CommandError(Exception):
    pass


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m site_builder", description="Write, review and publish help articles.")
    p.add_argument("--content", type=Path, metavar="DIR", help=CONTENT_HELP)
    sub = p.add_subparsers(required=True, metavar="COMMAND")

    new = _command(sub, "new", "create a draft article from the template, or for a content gap", cmd_new)
    new.add_argument("path", nargs="?", help="where, inside the content folder, e.g. work-orders/managing/approve-a-work-order "
                                             "(with --from-gap: default from the gap's label, at the top of the folder)")
    new.add_argument("--title", help="required, except with --from-gap (default: the gap's label)")
    new.add_argument("--summary", default="")
    new.add_argument("--tags", default="", help="comma-separated tags")
    new.add_argument("--owner", default="")
    new.add_argument("--from-gap", metavar="GAP_ID", help="start from a content gap: its readers' questions, from the running "
                                                          "help center (needs HELP_CENTER_TOKEN, an admin token)")
    add_options(new, [API])

    status = _command(sub, "status", "move an article to another state (draft, review, published, archived)", cmd_status)
    status.add_argument("article", help="article id or path (content/work-orders/new.md, as check prints it, works too)")
    status.add_argument("state", choices=STATUSES)
    status.add_argument("--force", action="store_true", help="allow a move the workflow does not list")
    status.add_argument("--reviewed", action="store_true", help="also set last_reviewed to today")

    stale = _command(sub, "stale", "list published articles past their review date", cmd_stale)
    stale.add_argument("--today", type=parse_date, default=None, metavar="DATE",
                       help="pretend today is DATE: 2027-06-15, 15 June 2027, June 15, 2027 or 15/06/2027")
    stale.add_argument("--fail", action="store_true", help="exit with status 1 when any article is overdue (for CI)")
    stale.add_argument("--signals", action="store_true",
                       help="rank by the running help center's staleness score (age, unhelpful votes, failed searches near "
                            "the topic, tickets after reading) over the last 90 days; needs HELP_CENTER_TOKEN")
    add_options(stale, [API])

    check = _command(sub, "check", "validate the content without building", cmd_check)
    check.add_argument("--preview", action="store_true", help="check as a preview build (draft and review included)")
    check.add_argument("--base", metavar="REF", help="in a pull request: also check each article changed since the git branch "
                                                     "or commit REF (e.g. origin/main): its status move, and on published "
                                                     "articles leftover template text and an empty summary or owner")
    return p


CONTENT_HELP = "content folder (default: content/ or HELP_CENTER_CONTENT)"


def _command(sub, name: str, help: str, run) -> argparse.ArgumentParser:
    command = sub.add_parser(name, help=help)
    # Also accepted after the command, as the authors' guide writes it; SUPPRESS keeps one given before it.
    command.add_argument("--content", type=Path, default=argparse.SUPPRESS, metavar="DIR", help=CONTENT_HELP)
    command.set_defaults(run=run)
    return command


MONTH_NAMED = ("%d %B %Y", "%d %b %Y", "%B %d %Y", "%b %d %Y")


def parse_date(text: str) -> date:
    """A date as people write it: year first (ISO), a month by name, or day and month in numbers when only one
    reading is a date (15/06/2027); 05/06/2027 could be either, so it is refused with the format to use."""
    text = " ".join(text.replace(",", " ").split())
    iso = re.fullmatch(r"(\d{4})[/.-](\d{1,2})[/.-](\d{1,2})", text)
    if iso and _is_date(*(int(g) for g in iso.groups())):
        return date(*(int(g) for g in iso.groups()))
    for form in MONTH_NAMED:
        try:
            return datetime.strptime(text, form).date()
        except ValueError:
            pass
    numbers = re.fullmatch(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})", text)
    first, second, year = (int(g) for g in numbers.groups()) if numbers else (0, 0, 0)
    readings = {(day, month) for day, month in ((first, second), (second, first)) if _is_date(year, month, day)}
    if len(readings) == 1:
        day, month = readings.pop()
        return date(year, month, day)
    if len(readings) == 2:
        said = " or ".join(f"{date(year, m, d):%-d %B %Y}" for d, m in sorted(readings, key=lambda r: r != (first, second)))
        raise argparse.ArgumentTypeError(f"'{text}' could be {said}: write it as YYYY-MM-DD, e.g. {year}-{second:02d}-{first:02d}")
    raise argparse.ArgumentTypeError(f"'{text}' is not a date: write it as YYYY-MM-DD, e.g. 2027-06-15")


def _is_date(year: int, month: int, day: int) -> bool:
    try:
        date(year, month, day)
    except ValueError:
        return False
    return True


def cmd_new(args, root: Path) -> int:
    gap = fetch_gap(args.from_gap, *api_access(args.api)) if args.from_gap else None
    title = args.title or (gap and _title_of(gap["label"]))
    rel = (args.path or (gap and _slug_of(gap["label"], gap["gap_id"])) or "").removesuffix(".md") + ".md"
    if not title or rel == ".md":
        raise CommandError("give the article's path and --title (or --from-gap GAP_ID)")
    target = (root / rel).resolve()
    if root.resolve() not in target.parents:
        raise CommandError(f"{rel.removesuffix('.md')} is outside the content folder {root}")
    if target.exists():
        raise CommandError(f"{target.relative_to(root.resolve())} already exists")
    if not re.fullmatch(r"[a-z0-9][a-z0-9_-]*", target.stem):
        raise CommandError(f"file name '{target.stem}' must use lowercase letters, digits and hyphens (it becomes the article id)")
    tags = ", ".join(t.strip() for t in args.tags.split(",") if t.strip())
    target.parent.mkdir(parents=True, exist_ok=True)
    front = FRONT_MATTER.format(title=_yaml_scalar(title), summary=_yaml_scalar(args.summary), tags=tags,
                                owner=_yaml_scalar(args.owner), today=date.today().isoformat())
    target.write_text(front + (_gap_intro(gap) if gap else "") + BODY, encoding="utf-8")
    made = f" for content gap {gap['gap_id']}, with its readers' questions" if gap else ""
    print(f"created {root.name}/{rel} (draft){made}; write it, then: python -m site_builder status {target.stem} review")
    return 0


def fetch_gap(gap_id: str, api: str, token: str | None) -> dict:
    """The gap as the running help center reports it; every failure is a CommandError that says what to do."""
    if not re.fullmatch(r"[A-Za-z0-9_-]{1,64}", gap_id):
        raise CommandError(f"'{gap_id}' is not a gap id (letters, digits, '-' and '_', as the dashboard shows them)")
    if not token:
        raise CommandError("set HELP_CENTER_TOKEN to an admin token: python -m api token --tenant T --user U --roles admin")
    try:
        gap = call(api, "GET", f"/api/v1/analytics/gaps/{gap_id}", token, timeout=30)
    except ApiClientError as exc:
        advice = {401: "HELP_CENTER_TOKEN was refused: sign a fresh one with the server's HELP_CENTER_SECRET",
                  403: "HELP_CENTER_TOKEN lacks the admin role: sign one with --roles admin",
                  404: f"no content gap '{gap_id}' at {api}: gaps change as readers ask; take a current id from the dashboard"}
        raise CommandError(advice.get(exc.status) or f"{exc} (its address: --api or HELP_CENTER_API)") from None
    if not isinstance(gap, dict) or not isinstance(gap.get("label"), str) or not isinstance(gap.get("examples"), list):
        raise CommandError(f"{api} answered something that is not a content gap; is it the help center?")
    return {**gap, "gap_id": gap_id}  # the id asked for, checked above: it goes into an HTML comment


def _title_of(label: str) -> str:
    text = " ".join(label.split())
    return text[:1].upper() + text[1:]


def _slug_of(label: str, gap_id: str) -> str:
    """A file name from the label; one in a script with no a-z letters falls back to the gap's id."""
    slug = re.sub(r"[^a-z0-9]+", "-", label.casefold()).strip("-")[:60].rstrip("-")
    return slug or f"gap-{gap_id}".lower()


def _gap_intro(gap: dict) -> str:
    questions = [" ".join(str(q).split()) for q in gap["examples"]]
    # Readers' text goes in a code block, where nothing they typed can become markup, a link or a heading.
    fence = "`" * max(3, 1 + max((len(run) for q in questions for run in re.findall(r"`+", q)), default=0))
    sources = ", ".join(f"{n} {GAP_SOURCES.get(name, name)}" for name, n in sorted(gap.get("sources", {}).items()) if n)
    return GAP_INTRO.format(gap_id=gap["gap_id"], count=gap.get("count", len(questions)), sources=sources or "no detail",
                            fence=fence, questions="\n".join(questions))


def _yaml_scalar(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"' if value else '""'


def cmd_status(args, root: Path) -> int:
    content = load(root, statuses=STATUSES)
    if not content.strict:
        raise CommandError(f"{root} is plain docs (no {DECLARATION_FILE}): pages have no workflow state; add {DECLARATION_FILE} "
                           "to make it a help center (docs/adopting.md)")
    article = _find(content, args.article)
    if args.state == article.status:
        print(f"{article.path} is already {article.status}")
        return 0
    if args.state not in TRANSITIONS[article.status] and not args.force:
        allowed = ", ".join(TRANSITIONS[article.status])
        raise CommandError(f"{article.id} is {article.status}; it can move to {allowed} (use --force to override)")
    path = root / article.path
    text = path.read_bytes().decode("utf-8")
    text = set_front_matter(text, "status", args.state)
    if args.reviewed:
        text = set_front_matter(text, "last_reviewed", date.today().isoformat())
    path.write_bytes(text.encode("utf-8"))
    print(f"{article.path}: {article.status} -> {args.state}")
    return 0


def set_front_matter(text: str, key: str, value: str) -> str:
    """Change one `key: value` line of the front matter; every other byte stays as it was."""
    newline = "\r\n" if "\r\n" in text else "\n"
    lines = text.split(newline)
    end = next((i for i in range(1, len(lines)) if lines[i].strip() == "---"), None)
    if lines[0].strip() != "---" or end is None:
        raise CommandError("the file has no front matter")
    for i in range(1, end):
        match = re.match(rf"^{key}\s*:(\s*)(.*?)(\s+#.*)?$", lines[i])
        if match:
            lines[i] = f"{key}:{match.group(1) or ' '}{value}{match.group(3) or ''}"
            return newline.join(lines)
    title = next((i for i in range(1, end) if lines[i].startswith("title:")), end - 1)
    lines.insert(title + 1, f"{key}: {value}")
    return newline.join(lines)


def _find(content, wanted: str):
    root = content.root
    path = _in_content(root, wanted)
    for article in content.all_articles:
        if wanted == article.id or path in (article.path, article.path.removesuffix(".md")):
            return article
    raise CommandError(f"no article with id or path '{wanted}' in {root}")


def _in_content(root: Path, wanted: str) -> str:
    """A path as the author typed it, relative to the content folder: `content/ppm/x.md` (as `check` prints it, from
    the folder above), a path from here or an absolute one; otherwise as typed (`ppm/x.md` already is)."""
    inside = root.resolve()
    for base in (Path.cwd(), root.parent):
        candidate = (base / wanted).resolve()
        if inside in candidate.parents:
            return candidate.relative_to(inside).as_posix()
    return wanted


def cmd_stale(args, root: Path) -> int:
    today = args.today or date.today()
    content = load(root)
    stale = sorted((a for a in content.articles if a.is_stale(today)), key=lambda a: a.review_due())
    if args.signals:
        return _print_scored(fetch_staleness(today, *api_access(args.api)), content.articles, stale, root, today, args.fail)
    if not stale:
        print(f"no published article is past its review date ({today})")
        return 0
    print(f"{len(stale)} published article(s) past their review date on {today}:")
    for article in stale:
        overdue = (today - article.review_due()).days
        print(f"  {root.name}/{article.path}  owner={article.owner or '-'}  last reviewed {article.last_reviewed}, due {article.review_due()} ({overdue} days overdue)")
    return 1 if args.fail else 0


def fetch_staleness(today: date, api: str, token: str | None) -> list[dict]:
    """The articles the running help center ranks as most in need of review, highest score first."""
    if not token:
        raise CommandError("set HELP_CENTER_TOKEN to an admin token: python -m api token --tenant T --user U --roles admin")
    query = f"from={today - timedelta(days=89)}&to={today}"
    try:
        found = call(api, "GET", f"/api/v1/analytics/dashboard?{query}", token, timeout=120)
    except ApiClientError as exc:
        raise CommandError(f"{exc} (its address: --api or HELP_CENTER_API)") from None
    ranked = found.get("stale_articles") if isinstance(found, dict) else None
    if not isinstance(ranked, list):
        raise CommandError(f"{api} answered something that is not the help center's dashboard")
    return ranked


def _print_scored(ranked: list[dict], published: list, overdue: list, root: Path, today: date, fail: bool) -> int:
    paths = {a.id: f"{root.name}/{a.path}" for a in published}
    by_id = {a.id: a for a in overdue}
    print(f"articles ranked by staleness (0-100) on {today}, from the help center's last 90 days:")
    for row in ranked:
        by_id.pop(row["article_id"], None)
        where = paths.get(row["article_id"], row["article_id"])
        print(f"  {row['score']:5.1f}  {where}  {row['days_overdue']} days overdue, {row['not_helpful']} unhelpful of "
              f"{row['helpful'] + row['not_helpful']} votes, {row['zero_result_near']} failed searches near it, "
              f"{row['tickets_after']} tickets after reading")
    for article in by_id.values():
        print(f"    -    {root.name}/{article.path}  {(today - article.review_due()).days} days overdue, no other signal")
    return 1 if fail and overdue else 0


def cmd_check(args, root: Path) -> int:
    statuses = ("published", "draft", "review") if args.preview else ("published",)
    content = load(root, statuses)
    tours = read_tours(root, content.articles, content.problems)
    changed = None
    if args.base:
        try:
            changed = check_against_base(content, args.base)
        except GitError as exc:
            raise CommandError(str(exc)) from None
    for problem in content.problems.errors + content.problems.warnings:
        print(problem, file=sys.stderr)
    if content.problems.errors:
        print(f"{len(content.problems.errors)} problem(s) in {root}", file=sys.stderr)
        return 1
    against = f"; {changed} changed since {args.base}, their workflow checked" if changed is not None else ""
    print(f"ok: {len(content.all_articles)} articles, {len(content.articles)} would be built, {len(content.categories)} categories, "
          f"{len(tours)} tours{against}")
    return 0
