"""`acuplan serve`: its options, the warning, the port checks and the command it serves.

No server starts here (run_server is replaced by a recorder); tests/browser runs one.
"""

from __future__ import annotations

import shlex
import socket
import sys
from datetime import date

import pytest
from click.testing import CliRunner

from planner.cli import serve as serve_mod
from planner.cli.main import main

from .conftest import assert_bad_input, assert_no_traceback


@pytest.fixture
def served(monkeypatch):
    """What run_server was asked to serve, instead of serving it."""
    calls: list[tuple[str, int, str]] = []
    monkeypatch.setattr(serve_mod, "run_server",
                        lambda host, port, command: calls.append((host, port, command)))
    return calls


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def argv_of(command: str) -> list[str]:
    return shlex.split(command)


def test_defaults_to_loopback_without_a_warning(acu, served):
    port = free_port()
    r = acu.ok("serve", "--port", str(port))
    assert r.stderr == ""
    [(host, got_port, command)] = served
    assert (host, got_port) == ("127.0.0.1", port)
    assert argv_of(command) == [sys.executable, "-m", "planner", "--db",
                                str(acu.path.absolute()), "--today", "2026-12-01"]


def test_default_port_is_8000(acu, served, monkeypatch):
    monkeypatch.setattr(serve_mod, "check_port", lambda host, port: None)
    acu.ok("serve")
    assert served[0][:2] == ("127.0.0.1", 8000)


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "::1", "127.0.0.2"])
def test_loopback_hosts_get_no_warning(acu, served, host):
    if host == "::1" and not socket.has_ipv6:
        pytest.skip("no IPv6 on this machine")
    r = acu("serve", "--host", host, "--port", str(free_port()))
    if r.exit_code == 2 and "cannot listen" in r.stderr:
        pytest.skip(f"{host} cannot be bound here: {r.stderr.strip()}")
    assert r.exit_code == 0, r.stderr
    assert r.stderr == ""
    assert served[0][0] == host


@pytest.mark.parametrize("host", ["0.0.0.0", "::"])
def test_an_open_host_warns_on_one_stderr_line(acu, served, host):
    port = free_port()
    r = acu("serve", "--host", host, "--port", str(port))
    if r.exit_code == 2 and "cannot listen" in r.stderr:
        pytest.skip(f"{host} cannot be bound here: {r.stderr.strip()}")
    assert r.exit_code == 0, r.stderr
    assert_no_traceback(r)
    lines = r.err_lines
    assert len(lines) == 1, r.stderr
    assert lines[0].startswith("warning: ")
    assert "health data" in lines[0] and "read and change" in lines[0]
    assert f"{port}" in lines[0]
    assert served[0][:2] == (host, port)


@pytest.mark.parametrize("host,loopback", [
    ("127.0.0.1", True), ("127.9.9.9", True), ("::1", True), ("[::1]", True),
    ("localhost", True), ("LOCALHOST.", True), ("0.0.0.0", False), ("::", False),
    ("192.168.1.5", False), ("example.org", False), ("my-laptop", False),
])
def test_is_loopback(host, loopback):
    assert serve_mod.is_loopback(host) is loopback


@pytest.mark.parametrize("port", ["0", "-1", "65536", "100000"])
def test_a_port_outside_the_range_is_one_error(acu, served, port):
    r = acu("serve", "--port", port)
    assert_bad_input(r, "--port")
    assert served == []


def test_a_port_that_is_not_a_number_is_one_error(acu, served):
    r = acu("serve", "--port", "eighty")
    assert_bad_input(r)
    assert served == []


def test_a_port_in_use_is_one_error(acu, served):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        r = acu("serve", "--port", str(port))
    assert_bad_input(r, "port", str(port))
    assert served == []


def test_a_port_in_use_with_an_open_host_warns_nothing(acu, served):
    """The bad port is the one line: no warning about a server that never starts."""
    with socket.socket() as busy:
        busy.bind(("0.0.0.0", 0))
        busy.listen()
        port = busy.getsockname()[1]
        r = acu("serve", "--host", "0.0.0.0", "--port", str(port))
    assert_bad_input(r, str(port))
    assert served == []


@pytest.mark.parametrize("host", ["", "  ", "local\x00host"])
def test_a_host_that_is_no_address_is_one_error(acu, served, host):
    r = acu("serve", "--host", host, "--port", str(free_port()))
    assert_bad_input(r, "--host")
    assert served == []


def test_without_today_the_child_keeps_its_own_clock(journal_path, served):
    """A server left running past midnight must not stay on the day it started."""
    r = CliRunner().invoke(main, ["--db", str(journal_path), "serve", "--port",
                                  str(free_port())])
    assert r.exit_code == 0, r.stderr
    argv = argv_of(served[0][2])
    assert "--today" not in argv
    assert argv[argv.index("--db") + 1] == str(journal_path.absolute())


def test_the_environment_gives_journal_and_today(tmp_path, served, monkeypatch):
    db = tmp_path / "env journal; rm -rf ~" / "j.json"
    monkeypatch.setenv("ACUPLAN_DB", str(db))
    monkeypatch.setenv("ACUPLAN_TODAY", "2027-03-04")
    r = CliRunner().invoke(main, ["serve", "--port", str(free_port())])
    assert r.exit_code == 0, r.stderr
    argv = argv_of(served[0][2])  # the path survives the shell in one piece
    assert argv[2:] == ["planner", "--db", str(db.absolute()), "--today", "2027-03-04"]


def test_a_bad_today_in_the_environment_is_one_error(journal_path, served, monkeypatch):
    monkeypatch.setenv("ACUPLAN_TODAY", "2027-02-30")
    r = CliRunner().invoke(main, ["--db", str(journal_path), "serve"])
    assert r.exit_code == 2
    assert r.stderr.startswith("error: ") and len(r.stderr.strip().splitlines()) == 1
    assert served == []


def test_served_command_quotes_for_the_shell(tmp_path):
    db = tmp_path / "it's $HOME `x`" / "j.json"
    command = serve_mod.served_command(db, date(2026, 12, 1), python="/opt/py thon")
    assert shlex.split(command) == ["/opt/py thon", "-m", "planner", "--db",
                                    str(db.absolute()), "--today", "2026-12-01"]


def test_the_page_loads_nothing_from_another_host():
    """SPEC §10: our page, not textual-serve's stock one that links a web-font service."""
    page = serve_mod.PAGE
    assert "http://" not in page and "https://" not in page and "//fonts" not in page
    assert 'id="terminal"' in page and "app_websocket_url" in page


def test_the_command_line_does_not_import_textual():
    import ast
    from pathlib import Path

    tree = ast.parse(Path(serve_mod.__file__).read_text(encoding="utf-8"))
    names = {a.name.split(".")[0] for n in ast.walk(tree) if isinstance(n, ast.Import)
             for a in n.names}
    names |= {(n.module or "").split(".")[0] for n in ast.walk(tree)
              if isinstance(n, ast.ImportFrom)}
    assert "textual" not in names


def test_help_lists_serve(acu):
    r = acu.ok("--help")
    assert "serve" in r.stdout
