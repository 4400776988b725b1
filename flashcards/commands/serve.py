"""`flashcards serve`: the app in a browser, one app per tab, on the configured collection.

textual-serve runs `python -m flashcards` (the app on its Decks screen) for each
browser tab. The collection reaches those processes through `$FLASHCARDS_DB` in
the server's environment, never on their command line: `ps` shows argv to every
user of the machine, and a database URL may carry a password.

textual-serve has no authentication, so the server listens on 127.0.0.1 unless
told otherwise, and a non-loopback host gets a warning. Everything here but
`run` is plain data, so tests check the plan without binding a port.
"""

from __future__ import annotations

import argparse
import errno
import ipaddress
import os
import shlex
import socket
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urlsplit, urlunsplit

from flashcards.errors import UserError
from flashcards.paths import DB_ENV, collection_path

if TYPE_CHECKING:
    from flashcards.tui.serve import FlashcardsServer

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "serve",
        help="serve the app to web browsers (one app per tab)",
        description="Serve the app with textual-serve: each browser tab that opens the "
        "page runs its own app on this collection. There is no login, so it listens on "
        "127.0.0.1 only unless --host says otherwise; put an authenticating reverse proxy "
        "in front before exposing it (see the README).",
    )
    parser.add_argument(
        "--host", default=DEFAULT_HOST, help=f"address to listen on (default: {DEFAULT_HOST})"
    )
    parser.add_argument(
        "--port",
        type=port_number,
        default=DEFAULT_PORT,
        help=f"port to listen on (default: {DEFAULT_PORT})",
    )
    parser.add_argument(
        "--public-url",
        metavar="URL",
        help="the address browsers use, when a reverse proxy stands in front "
        "(default: http://HOST:PORT)",
    )
    parser.set_defaults(func=run)


def port_number(text: str) -> int:
    """A TCP port from the command line, 1 to 65535."""
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number") from None
    if not 1 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"port {port} is outside 1-65535")
    return port


@dataclass(frozen=True)
class ServePlan:
    """What `serve` will do: where it listens, what each tab runs, on which collection."""

    host: str
    port: int
    public_url: str
    collection: str
    """The collection as the app processes open it: a file path, or a database URL."""

    @property
    def command(self) -> str:
        """The shell command textual-serve runs per tab; no collection on it, see the module."""
        return shlex.join([sys.executable, "-m", "flashcards"])

    @property
    def environment(self) -> Mapping[str, str]:
        """What the server's environment adds for its app processes."""
        return {DB_ENV: self.collection}


def plan_for(args: argparse.Namespace) -> ServePlan:
    host: str = args.host
    public_url = args.public_url or f"http://{url_host(host)}:{args.port}"
    return ServePlan(host, args.port, public_url.rstrip("/"), collection_location(args.db))


def collection_location(cli_value: str | None) -> str:
    """`--db`, else `$FLASHCARDS_DB`, else the default; a file as an absolute path.

    Absolute, because the app processes must not depend on the server's working
    directory; a URL (anything with `://`) passes through untouched.
    """
    given = cli_value or os.environ.get(DB_ENV) or ""
    if "://" in given:
        return given
    return str(collection_path(cli_value).absolute())


def shown_location(location: str) -> str:
    """The collection as printed: a URL's password replaced by `***`."""
    if "://" not in location:
        return location
    parts = urlsplit(location)
    if parts.password is None:
        return location
    user_part, _, host_part = parts.netloc.rpartition("@")
    user = user_part.split(":", 1)[0]
    return urlunsplit(parts._replace(netloc=f"{user}:***@{host_part}"))


def url_host(host: str) -> str:
    """`host` as it goes into a URL: an IPv6 address in brackets."""
    return f"[{host}]" if ":" in host and not host.startswith("[") else host


def is_loopback(host: str) -> bool:
    """Whether only this machine can reach `host`: 127.0.0.0/8, ::1 or localhost."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def exposure_warning(host: str) -> str | None:
    """The warning for a host other machines can reach, or None for a loopback one."""
    if is_loopback(host):
        return None
    return (
        f"flashcards: warning: serving on {host}, which other machines can reach, and "
        "textual-serve has no login: anyone who can open the page can study and change "
        "this collection. Put an authenticating reverse proxy in front (see "
        '"Studying in a browser" in the README), keep this server on 127.0.0.1 behind '
        "it, and give it the proxy's address with --public-url."
    )


def run(args: argparse.Namespace) -> int:
    from flashcards.commands.common import open_for

    plan = plan_for(args)
    warning = exposure_warning(plan.host)
    if warning is not None:
        print(warning, file=sys.stderr)
    # Open it once here: a broken collection is one error now, not one per tab.
    with open_for(args):
        pass
    os.environ.update(plan.environment)
    server = build_server(plan)
    try:
        server.serve()
    except OSError as exc:
        raise UserError(cannot_listen(plan, exc)) from None
    print("flashcards: stopped serving; every answer given in the browser is saved.")
    return 0


def cannot_listen(plan: ServePlan, exc: OSError) -> str:
    """Why the server could not start, and what to do about it."""
    if isinstance(exc, socket.gaierror):
        return (
            f"cannot listen on {plan.host!r}: no such address here ({exc.strerror}). "
            "Give --host an address of this machine, such as 127.0.0.1."
        )
    if exc.errno == errno.EADDRINUSE:
        return (
            f"port {plan.port} on {plan.host} is already in use, perhaps by another "
            "`flashcards serve`. Stop that one, or pick another port with --port."
        )
    return (
        f"cannot listen on {plan.host} port {plan.port}: {exc.strerror or exc}. "
        "Give --host an address of this machine, such as 127.0.0.1, and a free --port."
    )


def build_server(plan: ServePlan) -> FlashcardsServer:
    from flashcards.tui.serve import FlashcardsServer

    def listening() -> None:
        print(f"Serving the flashcards app at {plan.public_url}", flush=True)
        print(f"Collection: {shown_location(plan.collection)}", flush=True)
        print("Each browser tab runs its own app. Press Ctrl+C to stop.", flush=True)

    return FlashcardsServer(
        plan.command,
        host=plan.host,
        port=plan.port,
        public_url=plan.public_url,
        on_listening=listening,
    )
