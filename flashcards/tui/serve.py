"""The web server behind `flashcards serve`: textual-serve, told to keep quiet and stop cleanly.

textual-serve (Textual's own server) serves a page with a JavaScript terminal and,
for every websocket the page opens, starts one app process with the command it is
given and relays its screen. This subclass changes only what the command needs:
no banner (the command prints its own lines once the port is bound, so a port in
use never follows a "serving at" line), a fresh event loop, and a short shutdown
so Ctrl+C does not wait a minute for open tabs.
"""

from __future__ import annotations

import asyncio
import signal
from collections.abc import Callable

from aiohttp import web
from textual_serve.server import Server

# Seconds an open tab gets to close when the server stops, before its handler is
# cancelled; each handler then tells its app to quit and waits for it.
SHUTDOWN_GRACE = 3.0


class FlashcardsServer(Server):
    """textual-serve's `Server`, with `on_listening` called once the socket is bound."""

    def __init__(
        self,
        command: str,
        *,
        host: str,
        port: int,
        public_url: str,
        on_listening: Callable[[], None],
    ) -> None:
        super().__init__(command, host=host, port=port, title="flashcards", public_url=public_url)
        self.on_listening = on_listening

    async def on_startup(self, app: web.Application) -> None:
        """No banner: `on_listening` reports once the port is really ours."""

    def serve(self, debug: bool = False) -> None:
        """Serve until SIGINT or SIGTERM; `OSError` if the host or port cannot be bound."""
        self.debug = debug
        self.initialize_logging()
        loop = asyncio.new_event_loop()
        loop.add_signal_handler(signal.SIGINT, self.request_exit)
        loop.add_signal_handler(signal.SIGTERM, self.request_exit)
        web.run_app(
            self._make_app(),
            host=self.host,
            port=self.port,
            handle_signals=False,
            loop=loop,
            shutdown_timeout=SHUTDOWN_GRACE,
            print=lambda *_: self.on_listening(),
        )
