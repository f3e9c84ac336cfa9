"""`python -m api [--build DIR] [--host H] [--port P]` serves; `python -m api token ...` signs a reader token;
`python -m api rollup|export ...` keep and read the store (api/maintenance_cli.py)."""

from __future__ import annotations

import argparse
import logging
import sys

from site_builder.settings import SettingError

from .config import serve_config, token_settings


def token_command(argv: list[str]) -> int:
    from .tokens import sign

    p = argparse.ArgumentParser(prog="python -m api token", description="Print a reader token signed with HELP_CENTER_SECRET.")
    p.add_argument("--tenant", required=True)
    p.add_argument("--user", required=True)
    p.add_argument("--roles", default="", help="comma-separated roles, e.g. admin,supervisor")
    p.add_argument("--ttl", type=int, default=3600, help="seconds until it expires (default 3600)")
    args = p.parse_args(argv)
    try:
        secret, audience = token_settings()
    except SettingError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    if not secret:
        print("error: set HELP_CENTER_SECRET to the secret the server uses", file=sys.stderr)
        return 1
    if args.ttl <= 0:
        print("error: --ttl must be above 0", file=sys.stderr)
        return 1
    roles = [r.strip() for r in args.roles.split(",") if r.strip()]
    print(sign(secret, user=args.user, tenant=args.tenant, roles=roles, ttl=args.ttl, audience=audience))
    return 0


def serve(argv: list[str]) -> int:
    import uvicorn

    from . import request_limits
    from .app import create_app
    from .database import StoreError
    from .index import BuildError
    from site_builder.embeddings import ModelError

    config = serve_config(argv)
    logging.basicConfig(level=config.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        app = create_app(config)
    except (BuildError, ModelError) as exc:
        print(f"error: {exc}\nbuild the help center first: python build.py --out {config.build}", file=sys.stderr)
        return 1
    except StoreError as exc:
        print(f"error: {exc.detail}", file=sys.stderr)
        return 1
    print(f"Help center at http://{config.host}:{config.port}/ (API under /api/v1/)", flush=True)
    uvicorn.run(app, host=config.host, port=config.port, log_level=config.log_level, access_log=config.access_log,
                http=request_limits.protocol(config.request_timeout),
                # X-Forwarded-For is read only from HELP_CENTER_TRUSTED_PROXIES (rate_limit.client_key), never by uvicorn
                proxy_headers=False,
                h11_max_incomplete_event_size=request_limits.MAX_HEAD_BYTES)
    return 0


def main(argv: list[str]) -> int:
    if argv[:1] in (["-h"], ["--help"]):  # argparse's help below covers serving only
        print("commands: python -m api [serve options] | token (sign a reader token) | rollup | export; each takes --help\n")
    if argv[:1] == ["token"]:
        return token_command(argv[1:])
    if argv[:1] in (["rollup"], ["export"]):
        from . import maintenance_cli  # only these load the store's modules

        return getattr(maintenance_cli, f"{argv[0]}_command")(argv[1:])
    return serve(argv)


sys.exit(main(sys.argv[1:]))
