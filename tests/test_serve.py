"""`flashcards serve`: the app in a browser through textual-serve.

The unit tests check the plan (where it listens, what each tab runs, how the
collection reaches the tabs) without binding a port. The end-to-end test starts
the real server, fetches the page, opens the websocket the page's terminal uses,
sees the Decks screen arrive, and checks that stopping the server leaves no app
process behind.
"""

from __future__ import annotations

import asyncio
import os
import re
import shlex
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import aiohttp
import pytest

from flashcards.cli import build_parser, main
from flashcards.commands.serve import (
    ServePlan,
    build_server,
    exposure_warning,
    plan_for,
    shown_location,
)

HANG_GUARD = 120.0
"""Seconds before a wait is declared hung; generous, never a measurement."""


def plan_of(*argv: str) -> ServePlan:
    arguments = list(argv)
    return plan_for(build_parser(arguments).parse_args(arguments))


# -- the plan ---------------------------------------------------------------------


def test_defaults_listen_on_loopback_port_8000(tmp_path: Path) -> None:
    plan = plan_of("--db", str(tmp_path / "c.sqlite3"), "serve")
    server = build_server(plan)
    assert (server.host, server.port) == ("127.0.0.1", 8000)
    assert server.public_url == "http://127.0.0.1:8000"


def test_each_tab_runs_the_app_with_the_collection_in_its_environment(tmp_path: Path) -> None:
    db = tmp_path / "mine.sqlite3"
    plan = plan_of("--db", str(db), "serve", "--host", "::1", "--port", "8123")
    server = build_server(plan)
    assert (server.host, server.port) == ("::1", 8123)
    assert server.public_url == "http://[::1]:8123"
    assert shlex.split(server.command) == [sys.executable, "-m", "flashcards"]
    assert plan.environment == {"FLASHCARDS_DB": str(db)}


def test_the_collection_comes_from_the_environment_as_an_absolute_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("FLASHCARDS_DB", "relative.sqlite3")
    plan = plan_of("serve")
    assert plan.environment == {"FLASHCARDS_DB": str(tmp_path / "relative.sqlite3")}
    assert "relative" not in plan.command


def test_a_public_url_is_what_the_page_points_browsers_at(tmp_path: Path) -> None:
    plan = plan_of(
        "--db", str(tmp_path / "c.sqlite3"), "serve", "--public-url", "https://study.example.org/"
    )
    assert build_server(plan).public_url == "https://study.example.org"


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.20", "::", "study.example.org"])
def test_a_host_other_machines_reach_gets_the_no_login_warning(host: str) -> None:
    warning = exposure_warning(host)
    assert warning is not None
    assert "no login" in warning
    assert "reverse proxy" in warning


@pytest.mark.parametrize("host", ["127.0.0.1", "127.8.0.2", "localhost", "LOCALHOST", "::1"])
def test_a_loopback_host_gets_no_warning(host: str) -> None:
    assert exposure_warning(host) is None


def test_a_url_collection_is_shown_without_its_password() -> None:
    shown = shown_location("postgresql+psycopg://ana:s3cret@db.example.org:5432/cards")
    assert "s3cret" not in shown
    assert shown == "postgresql+psycopg://ana:***@db.example.org:5432/cards"
    assert shown_location("/home/ana/collection.sqlite3") == "/home/ana/collection.sqlite3"


@pytest.mark.parametrize("port", ["0", "65536", "eighty"])
def test_a_bad_port_is_a_usage_error(port: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["serve", "--port", port])
    assert exited.value.code == 1
    assert "--port" in capsys.readouterr().err


def test_commands_that_do_not_serve_never_load_the_web_server() -> None:
    code = (
        "import sys\n"
        "from flashcards.cli import build_parser\n"
        "build_parser(['decks'])\n"
        "build_parser()\n"  # every command registered, as `flashcards --help` does
        "print(','.join(m for m in ('textual_serve', 'aiohttp') if m in sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == ""


# -- a real server ------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def serve_command(*argv: str) -> list[str]:
    return [sys.executable, "-m", "flashcards", "serve", *argv]


def test_a_port_in_use_is_a_clear_error(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = subprocess.run(
            serve_command("--port", str(port)),
            env={**os.environ, "FLASHCARDS_DB": str(tmp_path / "c.sqlite3")},
            capture_output=True,
            text=True,
            timeout=HANG_GUARD,
        )
    assert done.returncode == 1
    assert f"port {port} on 127.0.0.1 is already in use" in done.stderr
    assert "--port" in done.stderr
    assert "Traceback" not in done.stderr + done.stdout


def test_a_host_that_does_not_resolve_is_a_clear_error(tmp_path: Path) -> None:
    done = subprocess.run(
        serve_command("--host", "no-such-host.invalid", "--port", str(free_port())),
        env={**os.environ, "FLASHCARDS_DB": str(tmp_path / "c.sqlite3")},
        capture_output=True,
        text=True,
        timeout=HANG_GUARD,
    )
    assert done.returncode == 1
    assert "cannot listen on 'no-such-host.invalid'" in done.stderr
    assert "no login" in done.stderr  # warned first: a named host is not loopback
    assert "Traceback" not in done.stderr + done.stdout


def wait_for_page(url: str, server: subprocess.Popen[bytes]) -> str:
    """The page at `url`, polled until the server answers (or exits, or hangs)."""
    deadline = time.monotonic() + HANG_GUARD
    while time.monotonic() < deadline:
        assert server.poll() is None, "the server exited before answering"
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                assert response.status == 200
                page: str = response.read().decode("utf-8")
                return page
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.1)  # polling interval, not an assertion on time
    raise AssertionError(f"no page at {url} within the hang guard")


async def first_screen(websocket_url: str, wanted: bytes) -> bytes:
    """What the app sends the browser's terminal, read until `wanted` appears."""
    received = b""
    async with (
        aiohttp.ClientSession() as session,
        session.ws_connect(f"{websocket_url}?width=100&height=30") as websocket,
    ):
        await websocket.send_json(["resize", {"width": 100, "height": 30}])
        async with asyncio.timeout(HANG_GUARD):
            async for message in websocket:
                if message.type == aiohttp.WSMsgType.BINARY:
                    data: bytes = message.data
                    received += data
                    if wanted in received:
                        return received
    raise AssertionError(f"the app never showed {wanted!r}; got {received[-400:]!r}")


def descendants(pid: int) -> list[int]:
    """Every live process below `pid`, from /proc."""
    parents: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents[int(stat.parent.name)] = int(fields[1])
    found: list[int] = []
    frontier = [pid]
    while frontier:
        parent = frontier.pop()
        children = [child for child, ppid in parents.items() if ppid == parent]
        found += children
        frontier += children
    return found


def alive(pid: int) -> bool:
    """Running, not merely a zombie waiting for a parent that may never reap it."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def environment_of(pid: int) -> dict[str, str]:
    raw = Path(f"/proc/{pid}/environ").read_bytes()
    pairs = (item.split(b"=", 1) for item in raw.split(b"\0") if b"=" in item)
    return {key.decode(): value.decode(errors="replace") for key, value in pairs}


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[subprocess.Popen[bytes], int, Path]]:
    db = tmp_path / "served.sqlite3"
    port = free_port()
    log = tmp_path / "serve.log"
    with log.open("wb") as output:
        # --db must win over the environment the server was started with.
        process = subprocess.Popen(
            [sys.executable, "-m", "flashcards", "--db", str(db), "serve", "--port", str(port)],
            env={**os.environ, "FLASHCARDS_DB": str(tmp_path / "not-this-one.sqlite3")},
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        yield process, port, log
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=HANG_GUARD)


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads processes from /proc")
@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "kill"])
async def test_a_browser_tab_gets_the_app_on_the_collection_and_stop_ends_it(
    server: tuple[subprocess.Popen[bytes], int, Path], tmp_path: Path, stop: signal.Signals
) -> None:
    process, port, log = server
    page = await asyncio.to_thread(wait_for_page, f"http://127.0.0.1:{port}/", process)
    assert "flashcards" in page
    match = re.search(r'data-session-websocket-url="([^"]+)"', page)
    assert match is not None, "the page names no websocket"
    assert match.group(1) == f"ws://127.0.0.1:{port}/ws"

    assert b"Decks" in await first_screen(match.group(1), b"Decks")

    # The tab closed when first_screen returned; open one and keep it while stopping.
    async with (
        aiohttp.ClientSession() as session,
        session.ws_connect(match.group(1)) as websocket,
    ):
        apps = await asyncio.to_thread(wait_for_app, process.pid)
        started = descendants(process.pid)
        for pid in apps:
            assert b"--db" not in cmdline(pid).split(b"\0")
            assert environment_of(pid)["FLASHCARDS_DB"] == str(tmp_path / "served.sqlite3")
        process.send_signal(stop)
        async with asyncio.timeout(HANG_GUARD):
            async for _message in websocket:
                pass  # the server closes the tab's websocket as it stops

    assert await asyncio.to_thread(process.wait, HANG_GUARD) == 0
    output = log.read_text()
    assert f"Serving the flashcards app at http://127.0.0.1:{port}" in output
    assert f"Collection: {tmp_path / 'served.sqlite3'}" in output
    assert "stopped serving" in output
    assert "Traceback" not in output
    await asyncio.to_thread(wait_until_gone, started)
    assert not (tmp_path / "not-this-one.sqlite3").exists()


def wait_for_app(server_pid: int) -> list[int]:
    """The app processes (`python -m flashcards`) the server started for open tabs."""
    deadline = time.monotonic() + HANG_GUARD
    while time.monotonic() < deadline:
        apps = [pid for pid in descendants(server_pid) if b"-m\0flashcards" in cmdline(pid)]
        if apps:
            return apps
        time.sleep(0.05)  # polling interval
    raise AssertionError("the open tab started no app process")


def cmdline(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


def wait_until_gone(pids: list[int]) -> None:
    deadline = time.monotonic() + HANG_GUARD
    while any(alive(pid) for pid in pids):
        assert time.monotonic() < deadline, f"app processes {pids} outlived the server"
        time.sleep(0.05)  # polling interval
