"""Build the help center: `python build.py [--content DIR] [--out DIR] [--preview] [--no-site]`."""

import sys

from site_builder.config import build_config
from site_builder.embeddings import ModelError
from site_builder.pipeline import build
from site_builder.problems import ContentError


def main(argv: list[str] | None = None) -> int:
    config = build_config(argv)
    try:
        build(config)
    except ContentError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        print(f"build failed: {len(exc.problems)} problem(s); nothing was written to {config.out}", file=sys.stderr)
        return 1
    except ModelError as exc:
        print(f"build failed: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
