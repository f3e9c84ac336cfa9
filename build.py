"""Build the help center: `python build.py [--content DIR] [--out DIR] [--preview] [--no-site] [--quiet]`."""

import signal
import sys

from site_builder.config import build_config
from site_builder.embeddings import ModelError
from site_builder.pipeline import build
from site_builder.problems import ContentError
from site_builder.progress import Progress, silent


class Stopped(BaseException):
    """SIGTERM, raised where the build is, so it unwinds like Ctrl-C and removes its staging folder."""


def _stop(signum, frame):
    raise Stopped()


def main(argv: list[str] | None = None) -> int:
    config = build_config(argv)
    signal.signal(signal.SIGTERM, _stop)
    try:
        build(config, progress=silent if config.quiet else Progress)
    except ContentError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        print(f"build failed: {len(exc.problems)} problem(s); nothing was written to {config.out}", file=sys.stderr)
        return 1
    except ModelError as exc:
        print(f"build failed: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return _stopped("build interrupted", config.out, 128 + signal.SIGINT)
    except Stopped:
        return _stopped("build stopped (SIGTERM)", config.out, 128 + signal.SIGTERM)
    return 0


def _stopped(what: str, out, status: int) -> int:
    # "\r" and erase-line: a progress bar may be on the terminal's current line.
    start = "\r\x1b[K" if sys.stderr.isatty() else ""
    print(f"{start}{what}; nothing was written to {out}/", file=sys.stderr)
    return status


if __name__ == "__main__":
    sys.exit(main())
