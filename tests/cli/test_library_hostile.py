"""`routines validate` on paths that are not routine files, `validate --json`, and
`routines build --save` when the id is already one of the user's routines."""

from __future__ import annotations

import os

import pytest

from tests.cli.test_library_and_profile import VALID  # noqa: E402

SNEAKY = VALID + 'how = "dry nee\u00addling, then press gently on the eye\u200blid"\n'


# ------------------------------------------------------------------ bounded reading

def _refused(acu, path, *words):
    r = acu("routines", "validate", str(path))
    acu.bad(r, *words)
    assert r.stdout == ""
    return r


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="needs /dev/zero")
def test_validate_refuses_dev_zero_unread(acu):
    _refused(acu, "/dev/zero", "/dev/zero", "character device", "not a regular file")


def test_validate_refuses_a_fifo_without_blocking(acu, tmp_path):
    fifo = tmp_path / "routine.toml"
    os.mkfifo(fifo)
    _refused(acu, fifo, str(fifo), "FIFO")


def test_validate_refuses_a_directory(acu, tmp_path):
    _refused(acu, tmp_path, "directory")


def test_validate_refuses_a_file_over_one_mib(acu, tmp_path):
    big = tmp_path / "big.toml"
    big.write_bytes(VALID.encode() + b"#" * (1 << 20))
    _refused(acu, big, "1 MiB")


def test_validate_json_refuses_the_same_way(acu, tmp_path):
    fifo = tmp_path / "routine.toml"
    os.mkfifo(fifo)
    r = acu("routines", "validate", str(fifo), "--json")
    acu.bad(r, "FIFO")
    assert r.stdout == ""


# ------------------------------------------------------------------ validate --json

def test_validate_json_for_a_valid_file(acu, tmp_path):
    f = tmp_path / "mine.toml"
    f.write_text(VALID, encoding="utf-8")
    out = acu.ok_json("routines", "validate", str(f))
    assert out["file"] == str(f) and out["valid"] is True and out["problems"] == []
    assert out["routine"]["id"] == "my-test-routine" and out["routine"]["total_seconds"] == 300


def test_validate_json_lists_every_problem_and_exits_2(acu, tmp_path):
    f = tmp_path / "sneaky.toml"
    f.write_text(SNEAKY, encoding="utf-8")
    r = acu("routines", "validate", str(f), "--json")
    assert r.exit_code == 2
    acu.no_traceback(r)
    assert len(r.err_lines) == 1 and r.err_lines[0].startswith("error: ")
    out = r.json()
    assert out["file"] == str(f) and out["valid"] is False and out["routine"] is None
    fields = [p["field"] for p in out["problems"]]
    assert fields == ["steps[1].how", "steps[1].how"]
    messages = " | ".join(p["message"] for p in out["problems"])
    assert "'needling'" in messages and "not allowed" in messages
    assert "the eyelid" in messages and "no step may press" in messages


def test_validate_json_for_a_missing_file(acu, tmp_path):
    r = acu("routines", "validate", str(tmp_path / "missing.toml"), "--json")
    assert r.exit_code == 2 and len(r.err_lines) == 1
    out = r.json()
    assert out["valid"] is False
    assert out["problems"][0]["field"] == "file" and "cannot read" in out["problems"][0]["message"]


def test_validate_text_names_file_field_and_reason_for_a_bypass(acu, tmp_path):
    f = tmp_path / "sneaky.toml"
    f.write_text(SNEAKY, encoding="utf-8")
    r = acu("routines", "validate", str(f))
    assert r.exit_code == 2
    lines = r.stdout.splitlines()
    assert len(lines) == 2 and all(line.startswith(f"{f}: steps[1].how: ") for line in lines)
    assert len(r.err_lines) == 1 and "2 problems" in r.err_lines[0]


# ------------------------------------------------------------------ build --save clashes

BUILD = ("routines", "build", "--concern", "puffiness", "--minutes", "10")


def _user_dir(acu):
    return acu.path.parent / "routines"


def test_build_save_refuses_to_overwrite_a_user_routine(acu):
    acu.ok(*BUILD, "--name", "My routine", "--save")
    saved = _user_dir(acu) / "my-routine.toml"
    before = saved.read_bytes()
    r = acu(*BUILD, "--technique", "jade-rolling", "--name", "My routine", "--save")
    acu.bad(r, "'my-routine'", "--replace")
    assert saved.read_bytes() == before
    assert sorted(p.name for p in _user_dir(acu).iterdir()) == ["my-routine.toml"]


def test_build_save_replace_overwrites_it(acu):
    acu.ok(*BUILD, "--name", "My routine", "--save")
    r = acu.ok(*BUILD, "--technique", "jade-rolling", "--name", "My routine", "--save",
               "--replace")
    assert "saved as my-routine" in r.stdout and "replacing" in r.stdout
    mine = acu.ok_json("routines", "show", "my-routine")
    assert mine["techniques"] == ["jade-rolling"] and mine["source"] == "user"
    assert sorted(p.name for p in _user_dir(acu).iterdir()) == ["my-routine.toml"]


def test_build_save_refuses_an_id_held_by_another_file_and_replace_writes_there(acu):
    # the user's own file is not named after its id: saving my-routine.toml would be shadowed
    user = _user_dir(acu)
    user.mkdir(parents=True)
    (user / "aaa.toml").write_text(VALID.replace("my-test-routine", "my-routine"),
                                   encoding="utf-8")
    acu.bad(acu(*BUILD, "--name", "My routine", "--save"), "'my-routine'", "aaa.toml",
            "--replace")
    out = acu.ok_json(*BUILD, "--name", "My routine", "--save", "--replace")
    assert out["saved"] == str(user / "aaa.toml") and out["replaced"] is True
    assert sorted(p.name for p in user.iterdir()) == ["aaa.toml"]
    r = acu.ok("routines", "list")
    assert "warning" not in r.stderr
    assert acu.ok_json("routines", "show", "my-routine")["name"] == "My routine"


def test_build_save_refuses_a_broken_file_by_that_name(acu):
    user = _user_dir(acu)
    user.mkdir(parents=True)
    (user / "my-routine.toml").write_text("id = ", encoding="utf-8")
    acu.bad(acu(*BUILD, "--name", "My routine", "--save"), "'my-routine'", "--replace")
    assert (user / "my-routine.toml").read_text() == "id = "


def test_replace_needs_save(acu):
    acu.bad(acu(*BUILD, "--replace"), "--replace", "--save")
