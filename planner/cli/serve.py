"""`acuplan serve [--host H] [--port N]`: the terminal app in a local browser (SPEC §10).

textual-serve runs one `python -m planner --db … [--today …]` per browser tab on the
same journal (and the same today, when one was given) as this command, and relays its
screen over a websocket. It listens on 127.0.0.1 unless --host says otherwise; any
other address gets a warning, since the journal holds health data. The page is our own
(PAGE): the stock one links a web-font service, and opening the app must tell no other
host that its user keeps a skin journal; the font comes from textual-serve's static
files instead.

Nothing here imports Textual: the app runs in the child processes.
"""

from __future__ import annotations

import importlib
import ipaddress
import os
import shlex
import socket
import sys
import tempfile
from datetime import date
from pathlib import Path
from typing import Any

import click

from planner.cli import output as out
from planner.cli.env import Env, pass_env
from planner.service.context import TODAY_ENV
from planner.service.planner import BadInput

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
TITLE = "acuplan"


def is_loopback(host: str) -> bool:
    """True for an address only this machine can reach: 127.0.0.0/8, ::1, `localhost`."""
    name = host.strip().lower().rstrip(".")
    if name == "localhost" or name.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(name.strip("[]")).is_loopback
    except ValueError:
        return False


def exposure_warning(host: str, port: int) -> str:
    return (f"warning: serving on {host}:{port}, not only on this machine: the journal holds "
            "health data, and anyone who can reach that address can read and change it")


def served_command(db: Path, today: date | None, python: str | None = None) -> str:
    """The shell command textual-serve starts for each browser tab: acuplan's app on the
    journal `db`, with `today` fixed when it was given (else the child's own clock)."""
    argv = [python or sys.executable, "-m", "planner", "--db", str(Path(db).absolute())]
    if today is not None:
        argv += ["--today", today.isoformat()]
    return shlex.join(argv)


def check_port(host: str, port: int) -> None:
    """BadInput unless `port` is 1-65535 and free on every address `host` names."""
    if not 1 <= port <= 65535:
        raise BadInput(f"--port {port} is not a port; use a number from 1 to 65535")
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM,
                                   flags=socket.AI_PASSIVE)
    except (socket.gaierror, UnicodeError) as e:
        raise BadInput(f"--host {out.one_line(host)} is not an address this machine has "
                       f"({e})") from None
    for family, kind, proto, _name, address in infos:
        try:
            with socket.socket(family, kind, proto) as probe:
                # as aiohttp does: a port left in TIME_WAIT is free, one listened on is not
                probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                probe.bind(address)
        except OSError as e:
            raise BadInput(f"cannot listen on {out.one_line(host)} port {port}: "
                           f"{e.strerror or e}; is another server using it? "
                           "Choose another --port") from None


# The stock page of textual-serve 1.1.3 (templates/app_index.html), without its link to a
# web-font service (the font comes from textual-serve's own static files), and with its
# files and websocket on whatever address the browser used (the stock page names the
# address the server listens on, 0.0.0.0 with --host 0.0.0.0, which no browser reaches).
PAGE = """<!DOCTYPE html>
<html>
  <head>
    <meta charset="utf-8" />
    <title>{{ application.name }}</title>
    <link rel="stylesheet" href="/static/css/xterm.css" />
    <script src="/static/js/textual.js"></script>
    <style>
      @font-face {
        font-family: "Roboto Mono";
        src: url("/static/fonts/RobotoMono-VariableFont_wght.ttf");
        font-style: normal;
      }
      @font-face {
        font-family: "Roboto Mono";
        src: url("/static/fonts/RobotoMono-Italic-VariableFont_wght.ttf");
        font-style: italic;
      }
      body { background: #0c181f; margin: 0; }
      .dialog-container {
        position: absolute; width: 100vw; height: 100vh; display: flex;
        align-items: center; justify-content: center; z-index: 10;
      }
      .shade { position: absolute; width: 100%; height: 100%; background: #0c181f; }
      .intro {
        width: 640px; height: 240px; font-size: 16px; z-index: 20;
        font-family: "Roboto Mono", menlo, monospace; text-align: center;
        color: rgba(255, 255, 255, 0.95); background-color: #12232d;
        display: flex; align-items: center; justify-content: center; margin: 32px;
      }
      body.-first-byte .intro-dialog,
      body.-first-byte .intro-dialog .shade { opacity: 0; display: none; }
      body .textual-terminal { opacity: 0; transition: opacity 0.3s ease-out; }
      body.-first-byte .textual-terminal { opacity: 1; }
      body Button {
        padding: 16px 32px; background-color: #5e0ba7; color: rgba(255, 255, 255, 0.95);
        border: none; font-family: "Roboto Mono", menlo, monospace; margin: 16px;
        display: block;
      }
      Button:hover { background: #ac5af4; cursor: pointer; }
      .closed-dialog { opacity: 0; display: none; }
      body.-closed .closed-dialog { opacity: 1; display: flex; }
      #start { display: none; }
      #start.-delay { display: flex; }
    </style>
    <script>
      function getStartUrl() {
        const url = new URL(window.location.href);
        const params = new URLSearchParams(url.search);
        params.delete("delay");
        return url.pathname + "?" + params.toString();
      }
      function refresh() { window.location.href = getStartUrl(); }
    </script>
  </head>
  <body>
    <div class="dialog-container intro-dialog">
      <div class="shade"></div>
      <div class="intro">
        <div>{{ application.name }}</div>
        <button type="button" onClick="refresh()" id="start">Start</button>
      </div>
    </div>
    <div class="dialog-container closed-dialog">
      <div class="shade"></div>
      <div class="intro">
        <div class="message">Session ended.</div>
        <button type="button" onClick="refresh()">Restart</button>
      </div>
    </div>
    <div id="terminal" class="textual-terminal"
         data-session-websocket-url="{{ app_websocket_url }}"
         data-font-size="{{ font_size }}"></div>
    <script>
      // The websocket on the host and port this page came from: the server's own idea of
      // its address is 0.0.0.0 or :: when it listens on every interface.
      document.getElementById("terminal").dataset.sessionWebsocketUrl =
        (window.location.protocol === "https:" ? "wss://" : "ws://") + window.location.host
        + "/ws";
    </script>
  </body>
</html>
"""


def run_server(host: str, port: int, command: str) -> None:
    """Serve `command` on host:port with our page until Ctrl+C (or SIGTERM)."""
    try:  # textual_serve runs the app in child processes; it does not import Textual here
        Server: Any = importlib.import_module("textual_serve.server").Server
    except ImportError as e:
        out.error(f"the browser server cannot start ({e}); reinstall acuplan")
        raise click.exceptions.Exit(1) from None

    class AcuplanServer(Server):
        async def on_startup(self, app) -> None:  # textual-serve's hook; our own line
            where = f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"
            out.write(f"acuplan is served on {where} (Ctrl+C stops it)")
            sys.stdout.flush()

    with tempfile.TemporaryDirectory(prefix="acuplan-serve-") as pages:
        Path(pages, "app_index.html").write_text(PAGE, encoding="utf-8")
        server = AcuplanServer(command, host=host, port=port, title=TITLE,
                               templates_path=pages)
        try:
            server.serve()
        except OSError as e:  # lost a race for the port after check_port
            raise BadInput(f"cannot listen on {out.one_line(host)} port {port}: "
                           f"{e.strerror or e}") from None


@click.command("serve")
@click.option("--host", default=DEFAULT_HOST, show_default=True, metavar="H",
              help="Address to listen on. Anything but this machine's loopback opens the "
              "journal to whoever can reach it.")
@click.option("--port", default=DEFAULT_PORT, show_default=True, type=int, metavar="N",
              help="Port to listen on (1-65535).")
@click.pass_context
@pass_env
def serve(env: Env, ctx: click.Context, host: str, port: int) -> None:
    """Serve the app to a browser on this machine (textual-serve).

    Open the address it prints; each tab runs the app on the same journal.
    """
    if not host.strip() or "\x00" in host:
        raise BadInput("--host needs an address, e.g. --host 127.0.0.1")
    root = ctx.find_root()
    given_today = root.params.get("today") is not None or os.environ.get(TODAY_ENV)
    command = served_command(env.path, env.today if given_today else None)
    check_port(host, port)
    if not is_loopback(host):
        out.write(exposure_warning(out.one_line(host), port), err=True)
    run_server(host, port, command)


__all__ = ["serve", "served_command", "is_loopback", "check_port", "run_server", "PAGE"]
