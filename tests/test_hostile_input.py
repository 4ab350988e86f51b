"""Hostile and careless input: bombs are refused within seconds and bounded memory, CSV is
read by the standard, paths that cannot be read give one-line errors (or warnings inside a
folder), and text with control characters, empty names or self-referrals never enters the
graph. Every problem names its file, line and field; nothing prints a traceback."""
from __future__ import annotations

import json
import os
import random
import resource
import struct
import subprocess
import sys
import time
import zipfile
import zlib
from pathlib import Path

import openpyxl
import pytest

from stakeholder_graph.loaders import load
from stakeholder_graph.loaders.limits import ENV_MAX_FILE_MB

from helpers import MINIMAL_SOURCES, SEED, write_files

MEMORY_LIMIT = 1 << 30  # 1 GiB of address space for a child run; `validate` of the seed data needs far less
TIME_LIMIT = 10  # seconds


def run_limited(*args: str, cwd: Path) -> tuple[subprocess.CompletedProcess, float]:
    """The command line in a child process with a memory limit and a time limit, so that a
    bomb that is not refused fails the test instead of taking the machine down."""

    def limit_memory():
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))

    env = {**os.environ, "STAKEHOLDER_GRAPH_NO_CACHE": "1"}
    env.pop(ENV_MAX_FILE_MB, None)
    start = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "stakeholder_graph", *args], cwd=cwd, env=env,
                            preexec_fn=limit_memory, capture_output=True, text=True, timeout=TIME_LIMIT)
    return result, time.perf_counter() - start


def problems_of(run, *data, args=()):
    result = run(*[a for d in data for a in ("--data", d)], *args, "validate", "--format", "json")
    doc = json.loads(result.stdout)
    for p in doc["problems"]:  # fixtures live in tmp_path: compare file names only
        p["file"] = Path(p["file"]).name
    return result.exit_code, doc["problems"]


def only(problems, text, severity="error"):
    found = [p for p in problems if text in p["message"] and p["severity"] == severity]
    assert found, f"no {severity} mentioning {text!r} in {problems}"
    return found


ACTOR = "- id: a\n  name: A\n  sector: ngo\n  sources: [src]\n"

# --- bombs -----------------------------------------------------------------------------------

# "Billion laughs": nine levels of nine aliases, 570 bytes, 9^9 items once expanded.
ALIAS_BOMB = "- id: bomb\n  name: Bomb\n  sources: [src]\n  a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
    f"  {b}: &{b} [{', '.join([f'*{a}'] * 9)}]\n" for a, b in zip("abcdefgh", "bcdefghi"))


# the same bomb where no list of "characters before an anchor" foresees it (found in review):
# after NEL (a YAML 1.1 line break) and after a quoted key of a flow mapping
_NEL = "\x85"
NEL_BOMB = ("- id: bomb\n  name: Bomb\n  sources: [src]\n  a: [" + _NEL + "&a [lol, lol, lol, lol, lol, lol, lol, lol, lol]"
            + "".join(f", {_NEL}&{b} [{', '.join([_NEL + '*' + a] * 9)}]" for a, b in zip("abcdefgh", "bcdefghi"))
            + "]\n")
FLOW_KEY_BOMB = ('- id: bomb\n  name: Bomb\n  sources: [src]\n  a: {"a":&a [lol, lol, lol, lol, lol, lol, lol, lol, lol]'
                 + "".join(f', "{b}":&{b} [{", ".join(["{" + chr(34) + "k" + chr(34) + ":*" + a + "}"] * 9)}]'
                           for a, b in zip("abcdefgh", "bcdefghi")) + "}\n")


@pytest.mark.parametrize("bomb, line", [(ALIAS_BOMB, 4), (NEL_BOMB, 5), (FLOW_KEY_BOMB, 4)],
                         ids=["plain", "after NEL (a line break to YAML)", "after a quoted key"])
def test_alias_bomb_is_refused_quickly_with_bounded_memory(tmp_path, bomb, line):
    assert len(bomb.encode()) < 1200
    write_files(tmp_path, {"sources.yaml": MINIMAL_SOURCES, "actors.yaml": bomb})
    for command in (["validate"], ["stats"]):
        result, seconds = run_limited("--data", ".", *command, cwd=tmp_path)
        output = result.stdout + result.stderr
        assert result.returncode == 1 and seconds < TIME_LIMIT, (seconds, output)
        assert "Traceback" not in output and "MemoryError" not in output
        [said] = [said for said in output.splitlines() if "anchors and aliases" in said]
        assert said.startswith((f"actors.yaml:{line}: error:", "error: ")) and f"actors.yaml:{line}" in said, said


def test_one_alias_is_refused_with_its_line(run, tmp_path):
    d = write_files(tmp_path, {"sources.yaml": MINIMAL_SOURCES, "actors.yaml": ACTOR + (
        "- id: b\n  name: B\n  sector: ngo\n  sources: &s [src]\n"
        "- id: c\n  name: C\n  sector: ngo\n  sources: *s\n")})
    code, problems = problems_of(run, d)
    p = only(problems, "anchors and aliases (&s)")[0]
    assert code == 1 and (p["file"], p["line"]) == ("actors.yaml", 8)


@pytest.mark.parametrize("key", ["__line__", "__lines__", "__duplicate_keys__"])
def test_a_field_named_like_the_loaders_bookkeeping_is_an_error_with_its_line(run, tmp_path, key):
    """The full YAML loader keeps each record's lines under these names; a record using one
    was a crash (found in review), and is now a problem like any other, at the key's line."""
    d = write_files(tmp_path, {"sources.yaml": MINIMAL_SOURCES, "actors.yaml": ACTOR + (
        f"- id: b\n  name: B\n  sector: ngo\n  {key}: 3\n  sources: [src]\n")})
    code, problems = problems_of(run, d)
    p = only(problems, "a name the loader keeps for itself")[0]
    assert code == 1 and (p["file"], p["line"]) == ("actors.yaml", 8)


def test_ampersands_and_stars_in_text_are_no_aliases(run, tmp_path):
    d = write_files(tmp_path, {"sources.yaml": MINIMAL_SOURCES, "actors.yaml": (
        "- id: a\n  name: R&D *centre* & co\n  sector: ngo\n  description: '&not an anchor, *nor an alias'\n"
        "  sources: [src]\n")})
    code, problems = problems_of(run, d)
    assert code == 0 and problems == []


def _deflated(data: bytes, level: int = 9) -> bytes:
    """Raw deflate of `data` ending in a full flush, so that copies can follow one another."""
    c = zlib.compressobj(level, zlib.DEFLATED, -15)
    return c.compress(data) + c.flush(zlib.Z_FULL_FLUSH)


def write_zip(path: Path, entries: list[tuple[str, bytes, int, int]]) -> None:
    """A zip from already deflated entries: (name, deflated bytes, CRC-32, inflated size)."""
    local, central, offset = [], [], 0
    for name, data, crc, size in entries:
        n = name.encode()
        header = struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, 0, 8, 0, 0, crc, len(data), size, len(n), 0) + n
        central.append(struct.pack("<4s6H3L5H2L", b"PK\x01\x02", 20, 20, 0, 8, 0, 0, crc, len(data), size,
                                   len(n), 0, 0, 0, 0, 0, offset) + n)
        local.append(header + data)
        offset += len(header) + len(data)
    directory = b"".join(central)
    end = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, len(entries), len(entries), len(directory), offset, 0)
    path.write_bytes(b"".join(local) + directory + end)


def zip_bomb_workbook(path: Path, inflated_mib: int = 1024) -> None:
    """A real workbook whose one actor's name is `inflated_mib` MiB of 'a': about 1 MB on
    disk for a GiB. The name's part is deflated once per MiB and the piece repeated, so making
    it needs neither the memory nor the time of compressing a gibibyte."""
    wb = openpyxl.Workbook()
    wb.active.title = "actors"
    wb.active.append(["id", "name"])
    wb.active.append(["a", "PLACEHOLDER"])
    plain = path.with_suffix(".plain.xlsx")
    wb.save(plain)
    entries = []
    with zipfile.ZipFile(plain) as z:
        for info in z.infolist():
            data = z.read(info)
            if b"PLACEHOLDER" not in data:
                c = zlib.compressobj(9, zlib.DEFLATED, -15)
                entries.append((info.filename, c.compress(data) + c.flush(), zlib.crc32(data), len(data)))
                continue
            before, _, after = data.partition(b"PLACEHOLDER")
            chunk = b"a" * (1 << 20)
            crc = zlib.crc32(before)
            for _ in range(inflated_mib):
                crc = zlib.crc32(chunk, crc)
            crc = zlib.crc32(after, crc)
            tail = zlib.compressobj(9, zlib.DEFLATED, -15)
            body = _deflated(before) + _deflated(chunk) * inflated_mib + tail.compress(after) + tail.flush()
            entries.append((info.filename, body, crc, len(before) + len(after) + inflated_mib * len(chunk)))
    plain.unlink()
    write_zip(path, entries)


def test_zip_bomb_workbook_is_refused_quickly_with_bounded_memory(tmp_path):
    zip_bomb_workbook(tmp_path / "records.xlsx")
    assert (tmp_path / "records.xlsx").stat().st_size < 2_000_000
    with zipfile.ZipFile(tmp_path / "records.xlsx") as z:  # what the bomb would inflate to
        assert sum(i.file_size for i in z.infolist()) > 1 << 30
    for command in (["validate"], ["export", "--to", "json", "-o", "out.json"]):
        result, seconds = run_limited("--data", "records.xlsx", *command, cwd=tmp_path)
        output = result.stdout + result.stderr
        assert result.returncode == 1 and seconds < TIME_LIMIT, (seconds, output)
        assert "Traceback" not in output and "MemoryError" not in output
        [line] = [line for line in output.splitlines() if "records.xlsx" in line and "zip bomb" in line]
        assert "xl/worksheets/sheet1.xml" in line and "is compressed 1,0" in line, line  # about 1,000 to 1
        assert not (tmp_path / "out.json").exists()


def test_zip_bomb_fixture_would_inflate(tmp_path):
    """The bomb is a real workbook: a small one, built the same way, opens in openpyxl."""
    zip_bomb_workbook(tmp_path / "records.xlsx", inflated_mib=1)
    with zipfile.ZipFile(tmp_path / "records.xlsx") as z:
        assert z.testzip() is None
    wb = openpyxl.load_workbook(tmp_path / "records.xlsx", read_only=True)
    assert list(wb["actors"].values) == [("id", "name"), ("a", "a" * (1 << 20))]
    wb.close()


def test_workbook_limits_inflated_size_and_parts(run, tmp_path):
    """Above the inflated limit (ten times the file limit) even at an ordinary ratio."""
    big = tmp_path / "big.xlsx"
    with zipfile.ZipFile(big, "w", zipfile.ZIP_DEFLATED) as z:
        pick = random.Random(1).random
        for i in range(3):  # each part below the size from which its ratio counts, about 35 to 1
            z.writestr(f"xl/worksheets/sheet{i}.xml", bytes(97 if pick() < 0.985 else 98 for _ in range(700_000)))
    code, problems = problems_of(run, big, args=("--max-file-size", "0.1"))
    p = only(problems, "would inflate to 2 MB")[0]
    assert code == 1 and p["file"] == "big.xlsx" and "above the limit of 1 MB" in p["message"]
    many = tmp_path / "many.xlsx"
    with zipfile.ZipFile(many, "w") as z:
        for i in range(10_001):
            z.writestr(f"part{i}", b"")
    code, problems = problems_of(run, many)
    assert code == 1 and only(problems, "10,001 parts")[0]["file"] == "many.xlsx"


# --- size limit per file ---------------------------------------------------------------------


def test_size_limit_per_file_and_its_overrides(run, tmp_path, monkeypatch):
    monkeypatch.delenv(ENV_MAX_FILE_MB, raising=False)
    actors = ACTOR + "".join(f"- id: a{i}\n  name: Actor {i}\n  sector: ngo\n  sources: [src]\n" for i in range(40))
    d = write_files(tmp_path / "d", {"sources.yaml": MINIMAL_SOURCES, "actors.yaml": actors})
    assert 2000 < len(actors) < 3000
    code, problems = problems_of(run, d, args=("--max-file-size", "0.002"))
    p = only(problems, "above the limit of 0.002 MB per data file")[0]
    assert code == 1 and p["file"] == "actors.yaml" and "--max-file-size" in p["message"]
    code, problems = problems_of(run, d, args=("--max-file-size", "1"))
    assert code == 0 and problems == []
    monkeypatch.setenv(ENV_MAX_FILE_MB, "0.002")  # the environment variable ...
    code, problems = problems_of(run, d)
    assert code == 1 and only(problems, "above the limit of 0.002 MB")
    code, problems = problems_of(run, d, args=("--max-file-size", "1"))  # ... and the option over it
    assert code == 0 and problems == []
    monkeypatch.setenv(ENV_MAX_FILE_MB, "lots")
    result = run("--data", d, "validate")
    assert result.exit_code == 1 and result.stderr.strip() == (
        f"error: {ENV_MAX_FILE_MB}: 'lots' is not a positive number of megabytes")
    assert run("--data", d, "--max-file-size", "0", "validate").exit_code == 2  # a usage error


@pytest.mark.parametrize("name", ["actors.csv", "records.json", "records.xlsx"])
def test_size_limit_applies_to_every_format(run, tmp_path, name):
    path = tmp_path / name
    path.write_bytes(b"x" * 3000)
    code, problems = problems_of(run, path, args=("--max-file-size", "0.002"))
    assert code == 1 and only(problems, "above the limit of 0.002 MB")[0]["file"] == name


def test_deep_nesting_is_an_error_not_a_crash(run, tmp_path):
    d = write_files(tmp_path, {"records.json": "[" * 200_000 + "]" * 200_000,
                               "actors.yaml": "- " + "[" * 100_000 + "]" * 100_000 + "\n"})
    code, problems = problems_of(run, d)
    assert code == 1
    assert {p["file"] for p in problems if "nested too deeply" in p["message"] or "malformed" in p["message"]} \
        == {"records.json", "actors.yaml"}


# --- CSV by the standard ---------------------------------------------------------------------


@pytest.mark.parametrize("delimiter", [",", ";"])
def test_csv_standard_quoting_loads_exactly(tmp_path, delimiter):
    rows = [
        ["id", "name", "sector", "description", "aliases", "sources"],
        ["a", 'Say "hi" now', "ngo", f"one{delimiter} two, three", "x;y", "src"],
        ["b", "B", "ngo", "line one\nline two\n\nline four", "", "src"],
        ["c", f"C{delimiter} Ltd", "ngo", "", "", "src"],
    ]
    import csv
    import io

    buffer = io.StringIO(newline="")
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    text = buffer.getvalue()
    assert '"Say ""hi"" now"' in text
    write_files(tmp_path, {"sources.yaml": MINIMAL_SOURCES, "actors.csv": text})
    dataset = load([tmp_path])
    assert not dataset.problems, dataset.problems
    nodes = dataset.nodes
    assert nodes["a"].fields["name"] == 'Say "hi" now'
    assert nodes["a"].fields["description"] == f"one{delimiter} two, three"
    assert nodes["a"].fields["aliases"] == ["x", "y"]
    assert nodes["b"].fields["description"] == "line one\nline two\n\nline four"
    assert nodes["c"].fields["name"] == f"C{delimiter} Ltd"
    # each record starts where its row starts, the line breaks inside a quoted cell counted
    assert [nodes[i].origin.line for i in "abc"] == [2, 3, 7]


def test_csv_semicolon_file_from_a_serbian_spreadsheet(tmp_path):
    write_files(tmp_path, {"sources.yaml": MINIMAL_SOURCES, "actors.csv": (
        "\ufeffid;name;sector;aliases;sources\r\n"
        "a;\"Atina; udruženje\";ngo;Atina, Beograd;src\r\n"
        "b;B;ngo;\"x\ny\";src\r\n")})
    dataset = load([tmp_path])
    assert not dataset.problems, dataset.problems
    assert dataset.nodes["a"].fields["name"] == "Atina; udruženje"
    assert dataset.nodes["a"].fields["aliases"] == ["Atina, Beograd"]
    assert dataset.nodes["b"].fields["aliases"] == ["x", "y"]


@pytest.mark.parametrize("delimiter", [",", ";"])
def test_csv_unterminated_quote_is_reported_with_its_line(run, tmp_path, delimiter):
    lines = ["id,name,sector,sources", "a,A,ngo,src", 'b,"B,ngo,src', "c,C,ngo,src", "d,D,ngo,src"]
    d = write_files(tmp_path, {"sources.yaml": MINIMAL_SOURCES,
                               "actors.csv": "\n".join(lines).replace(",", delimiter) + "\n"})
    code, problems = problems_of(run, d)
    p = only(problems, "unterminated quote")[0]
    assert code == 1 and (p["file"], p["line"]) == ("actors.csv", 3)
    assert not [q for q in problems if "has no" in q["message"]]  # not a missing field


def test_csv_text_after_a_closing_quote_is_reported_and_reading_goes_on(run, tmp_path):
    d = write_files(tmp_path, {"sources.yaml": MINIMAL_SOURCES, "actors.csv": (
        "id,name,sector,sources\n"
        'a,"A" Ltd,ngo,src\n'
        "b,B,charity,src\n")})
    code, problems = problems_of(run, d)
    p = only(problems, "malformed CSV")[0]
    assert code == 1 and (p["file"], p["line"]) == ("actors.csv", 2)
    assert only(problems, "unknown value 'charity'")[0]["line"] == 3


def test_csv_one_column_file(tmp_path):
    write_files(tmp_path, {"sources.csv": "id\nsrc\n"})
    dataset = load([tmp_path])
    assert [p.message for p in dataset.problems] == ["source has no 'name'"]


# --- paths that cannot be read ---------------------------------------------------------------


def _broken_paths(directory: Path) -> dict[str, str]:
    """{name: what its problem says}: a symlink loop, a broken link, a .txt file."""
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "loop.yaml").symlink_to("loop.yaml")
    (directory / "actors-gone.yaml").symlink_to("no-such-file.yaml")
    (directory / "actors.txt").write_text(ACTOR)
    return {"loop.yaml": "symbolic link loop", "actors-gone.yaml": "broken symbolic link",
            "actors.txt": "unsupported file type '.txt'"}


@pytest.mark.parametrize("command", [
    ["validate"], ["stats"], ["map", "-o", "out.html"], ["export", "--to", "json", "-o", "out.json"],
    ["export", "--to", "csv", "-o", "out-csv"],
])
def test_unreadable_paths_given_explicitly_are_one_line_errors(run, tmp_path, monkeypatch, command):
    monkeypatch.chdir(tmp_path)
    for name, says in _broken_paths(tmp_path).items():
        result = run("--data", name, *command)
        output = result.stdout + result.stderr
        assert result.exit_code == 1 and "Traceback" not in output, output
        lines = [line for line in output.splitlines() if says in line]
        assert len(lines) == 1 and name in lines[0], output
        if command != ["validate"]:
            assert result.stderr.count("\n") == 1 and result.stderr.startswith("error: "), result.stderr
        assert not any(tmp_path.glob("out*"))


def test_unreadable_paths_in_a_folder_are_warnings(run, tmp_path):
    d = write_files(tmp_path / "d", {"sources.yaml": MINIMAL_SOURCES, "actors.yaml": ACTOR,
                                     "README.md": "notes", "notes.txt": "notes", "places.ods": "x"})
    expected = _broken_paths(d)
    expected.pop("actors.txt")  # notes beside the data stay quiet, as README.md does
    (d / "linked").symlink_to(SEED)
    expected["linked"] = "a link to a directory is not followed"
    expected["places.ods"] = "ignored: not a .yaml"
    code, problems = problems_of(run, d)
    assert code == 0 and not [p for p in problems if p["severity"] == "error"]
    for name, says in expected.items():
        [p] = [p for p in problems if p["file"] == name]
        assert p["severity"] == "warning" and says in p["message"], p
    assert len(problems) == len(expected)


def test_unreadable_file_in_a_folder_is_a_warning_and_given_is_an_error(run, tmp_path, monkeypatch):
    d = write_files(tmp_path / "d", {"sources.yaml": MINIMAL_SOURCES, "actors.yaml": ACTOR,
                                     "services.yaml": "- id: s\n"})
    write_files(d / "more", {"places.yaml": "- id: p\n"})
    secret, closed = d / "services.yaml", d / "more"
    secret.chmod(0)
    closed.chmod(0)
    if os.geteuid() == 0:  # root reads anything: deny these as the system would deny another user
        real_access = os.access
        monkeypatch.setattr(os, "access", lambda p, mode, **kw: False if Path(p) in (secret, closed)
                            else real_access(p, mode, **kw))
    try:
        code, problems = problems_of(run, d)
    finally:
        closed.chmod(0o755)  # so that pytest can clean up
    assert code == 0 and [(p["severity"], p["file"], p["message"]) for p in problems] == [
        ("warning", "more", "ignored: cannot read: permission denied"),
        ("warning", "services.yaml", "ignored: cannot read: permission denied")]
    closed.chmod(0)
    for path in (secret, closed):
        result = run("--data", path, "stats")
        assert result.exit_code == 1 and result.stderr.count("\n") == 1
        assert f"{path.name}: error: cannot read: permission denied" in result.stderr
    closed.chmod(0o755)


def test_an_unreadable_file_read_anyway_is_an_error_naming_it(tmp_path, monkeypatch):
    """A file that passes the permission check but fails to open (a race, a network share)."""
    d = write_files(tmp_path, {"sources.yaml": MINIMAL_SOURCES, "actors.yaml": ACTOR})
    real_open = open

    def failing_open(path, *args, **kwargs):
        if Path(path).name == "actors.yaml":
            raise PermissionError(13, "Permission denied")
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr("builtins.open", failing_open)
    dataset = load([d])
    assert [str(p).split(": ", 1)[1] for p in dataset.problems.errors] == ["error: cannot read file: Permission denied"]


# --- validation: empty fields, self-referrals, control characters ----------------------------


def test_empty_required_name_is_an_error(run, tmp_path):
    d = write_files(tmp_path, {"sources.yaml": MINIMAL_SOURCES, "actors.yaml": (
        ACTOR + "- id: b\n  name:\n  sector: ngo\n  sources: [src]\n"
        "- id: c\n  name: '  '\n  sector: ngo\n  description:\n  names: {sr-Cyrl: }\n  sources: [src]\n")})
    code, problems = problems_of(run, d)
    assert code == 1
    found = {(p["record"], p["line"], p["message"].split(":")[0]) for p in problems}
    assert found == {("b", 6, "name"), ("c", 10, "name"), ("c", 12, "description"), ("c", 13, "names")}
    assert "every record needs a name" in only(problems, "name: is empty")[0]["message"]


def test_empty_name_in_csv_is_missing(run, tmp_path):
    d = write_files(tmp_path, {"sources.yaml": MINIMAL_SOURCES, "actors.csv": "id,name,sector,sources\nb, ,ngo,src\n"})
    code, problems = problems_of(run, d)
    assert code == 1 and only(problems, "actor has no 'name'")[0]["line"] == 2


@pytest.mark.parametrize("relation", [
    "- type: refers_to\n  from: a\n  to: a\n  sources: [src]\n",
    "- type: partners_with\n  from: a\n  to: a\n  sources: [src]\n",
    "- type: member_of\n  from: a\n  to: a\n  sources: [src]\n",
])
def test_self_referral_is_an_error(run, tmp_path, relation):
    d = write_files(tmp_path, {"sources.yaml": MINIMAL_SOURCES, "actors.yaml": ACTOR,
                               "relations.yaml": "- type: partners_with\n  from: a\n  to: b\n  sources: [src]\n"
                               + relation,
                               "actors-b.yaml": ACTOR.replace("id: a", "id: b").replace("name: A", "name: B")})
    code, problems = problems_of(run, d)
    [p] = problems
    assert code == 1 and (p["file"], p["line"]) == ("relations.yaml", 5) and "'a' is linked to itself" in p["message"]


def test_self_link_stated_in_a_record_is_an_error(run, tmp_path):
    d = write_files(tmp_path, {"sources.yaml": MINIMAL_SOURCES, "actors.yaml": ACTOR + "  part_of: [a]\n"})
    code, problems = problems_of(run, d)
    [p] = problems  # reported once: not as a hierarchy cycle too
    assert code == 1 and p["line"] == 5 and p["message"] == "part_of: 'a' is linked to itself; a relation joins two different records"


SERVICE = """\
- id: s
  name: Shelter
  provider: a
  types: [shelter]
  referrals_from: [police]
  sources: [src]
"""

CONTROL_CASES = [  # (file, text with {x} for the control character, field, line)
    ("actors.yaml", ACTOR.replace("name: A", 'name: "A{x}z"'), "name", 2),
    ("actors.yaml", ACTOR + '  description: "one{x}two"\n', "description", 5),
    ("actors.yaml", ACTOR + '  aliases: [ok, "b{x}d"]\n', "aliases", 5),
    ("actors.yaml", ACTOR + '  names: {{sr-Cyrl: "A{x}z"}}\n', "names", 5),
    ("actors.yaml", ACTOR + '  data_quality: ["doubt{x}z"]\n', "data_quality", 5),
    ("actors.yaml", ACTOR + '  channels: [{{type: website, value: "https://a.example/{x}z"}}]\n', "channels", 5),
    ("services.yaml", SERVICE.replace("[police]", '[police, "a{x}z"]'), "referrals_from", 5),
    ("services.yaml", SERVICE + '  how_to_refer: "call{x}z"\n', "how_to_refer", 7),
    ("sources-more.yaml", '- id: s2\n  name: S2\n  url: "https://x.example/{x}z"\n', "url", 3),
    ("relations.yaml", '- type: partners_with\n  from: a\n  to: a2\n  role: "r{x}z"\n  sources: [src]\n', "role", 1),
    ("relations.yaml", '- type: partners_with\n  from: a\n  to: a2\n  note: "n{x}z"\n  sources: [src]\n', "note", 1),
    ("actors-b.yaml", '- id: b\n  name: B\n  sector: ngo\n  sources: [src]\n  member_of: [{{id: a, role: "r{x}z"}}]\n',
     "role", 5),
    ("actors.csv", "id,name,sector,sources,description\nc,C,ngo,src,\"d{x}e\"\n", "description", 2),
    ("relations.csv", "type,from,to,sources,note\npartners_with,a,a2,src,n{x}z\n", "note", 2),
]
CHARACTERS = {"ESC": "\\x1b", "NUL": "\\0", "BEL": "\\a", "DEL": "\\x7f", "C1 CSI": "\\x9b", "C1 NEL": "\\x85",
              # display controls (found in review): a bidi override spoofs what a name reads as
              "RLO": "\\u202e", "LRI": "\\u2066", "line separator": "\\u2028", "ALM": "\\u061c"}


@pytest.mark.parametrize("char", CHARACTERS, ids=list(CHARACTERS))
@pytest.mark.parametrize("case", CONTROL_CASES, ids=[f"{c[0]}-{c[2]}" for c in CONTROL_CASES])
def test_control_characters_in_any_text_field_are_errors(run, tmp_path, case, char):
    name, text, field, line = case
    escape = CHARACTERS[char]
    if name.endswith(".csv"):  # raw characters: a spreadsheet writes them as they are
        text = text.replace("{x}", escape.encode().decode("unicode_escape").replace("\0", "\x00"))
        content = text.encode()
    else:  # YAML carries them as escapes in double quotes
        content = text.replace("{x}", escape)
        content = content.replace("{{", "{").replace("}}", "}")
    d = write_files(tmp_path, {"sources.yaml": MINIMAL_SOURCES, "actors-a2.yaml": ACTOR.replace("id: a", "id: a2"),
                               name: content})
    if name != "actors.yaml" and name != "actors.csv":
        (d / "actors.yaml").write_text(ACTOR)
    code, problems = problems_of(run, d)
    [p] = [p for p in problems if "control character" in p["message"]]
    assert code == 1 and (p["file"], p["line"]) == (name, line), problems
    assert p["message"].startswith(f"{field}: control character U+"), p
    if name.endswith(".csv") and field != "note":
        assert p["column"] == field


def test_tabs_and_line_breaks_only_in_prose(run, tmp_path):
    d = write_files(tmp_path, {"sources.yaml": MINIMAL_SOURCES, "actors.yaml": (
        ACTOR + '  description: "line one\\n\\tline two\\r\\nthree"\n  note: |\n    a\n    b\n'
        + ACTOR.replace("id: a", "id: b").replace("name: A", 'name: "B\\nC"')
        + ACTOR.replace("id: a", "id: c").replace("name: A", 'name: "C\\tD"'))})
    code, problems = problems_of(run, d)
    assert code == 1
    assert [(p["record"], p["line"], p["message"].split(",")[0]) for p in problems] == [
        ("b", 10, "name: a line break is not allowed here"), ("c", 14, "name: a tab is not allowed here")]
    dataset = load([d])
    assert dataset.nodes["a"].fields["description"] == "line one\n\tline two\nthree"


def test_seed_data_still_validates(run):
    result = run("--data", SEED, "validate")
    assert result.exit_code == 0 and "ok: 0 error(s), 0 warning(s)" in result.stdout


def many_parts_bomb(path: Path, parts: int = 400) -> None:
    """A workbook-shaped zip of `parts` sheets of 1 MB each, every one below the size from which
    a part's own ratio counts: 400 MB inflated from about 0.6 MB."""
    piece = b"<row/>" * (999_000 // 6)
    deflated = zlib.compress(piece, 9)[2:-4]  # raw deflate, as a zip stores it
    crc = zlib.crc32(piece)
    write_zip(path, [(f"xl/worksheets/sheet{i}.xml", deflated, crc, len(piece)) for i in range(parts)])


def test_a_bomb_of_many_small_parts_is_refused(run, tmp_path):
    """Parts each under the size from which a part's own ratio counts, adding up to a bomb
    (found in review): the whole archive's ratio refuses it, unread."""
    many_parts_bomb(tmp_path / "many.xlsx")
    assert (tmp_path / "many.xlsx").stat().st_size < 2_000_000
    result, seconds = run_limited("--data", "many.xlsx", "validate", cwd=tmp_path)
    output = result.stdout + result.stderr
    assert result.returncode == 1 and seconds < TIME_LIMIT and "Traceback" not in output, output
    assert "many.xlsx: error: the workbook is compressed" in output and "over its 400 parts" in output


@pytest.mark.parametrize("damage, says", [
    (lambda xml: xml[: len(xml) // 2], "ParseError"),
    (lambda xml: xml.replace(b"<sheetData>", b"<sheetData><row r='1'><c t='inlineStr'><is><t>&e;</t></is></c></row>"),
     "undefined entity"),
    (lambda xml: b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">'
     + b"".join(b'<!ENTITY %s "%s">' % (bytes([98 + i]), (b"&" + bytes([97 + i]) + b";") * 10) for i in range(8))
     + b"]>" + (xml.split(b"?>", 1)[1] if xml.startswith(b"<?xml") else xml).replace(b"<sheetData>", b"<sheetData><row r='1'><c t='inlineStr'><is><t>&i;</t></is></c></row>"),
     "cannot read the workbook"),
    (lambda xml: xml.replace(b'<c r="A2" t="inlineStr"><is><t>a</t></is></c>', b'<c r="A2" t="s"><v>99</v></c>'),
     "IndexError"),
], ids=["truncated", "undefined entity", "entity expansion", "shared string out of range"])
def test_a_damaged_workbook_is_a_one_line_error(run, tmp_path, damage, says):
    """openpyxl reads a sheet's XML when it opens the workbook and again row by row: damaged
    XML at either point is an error naming the file, never a traceback (found in review)."""
    wb = openpyxl.Workbook()
    wb.active.title = "actors"
    wb.active.append(["id", "name", "sector", "sources"])
    wb.active.append(["a", "A", "ngo", "src"])
    good = tmp_path / "good.xlsx"
    wb.save(good)
    bad = tmp_path / "records.xlsx"
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(bad, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info)
            target.writestr(info.filename, damage(data) if info.filename == "xl/worksheets/sheet1.xml" else data)
    for command in (["validate"], ["export", "--to", "json", "-o", str(tmp_path / "out.json")]):
        result = run("--data", bad, *command)
        output = result.stdout + result.stderr
        assert result.exit_code == 1 and "Traceback" not in output, output
        assert "records.xlsx" in output and "cannot read the workbook" in output and says in output, output


@pytest.mark.parametrize("limit", ["2000", "1000000"])
def test_a_raised_limit_costs_no_memory_of_its_own(tmp_path, limit):
    """A big limit is a ceiling, not an allocation: the seed data loads under it within the
    child's memory limit, up to the largest limit taken (found in review)."""
    result, seconds = run_limited("--max-file-size", limit, "--data", str(SEED), "stats", cwd=tmp_path)
    output = result.stdout + result.stderr
    assert result.returncode == 0 and "Traceback" not in output, output
    assert "actor" in result.stdout


@pytest.mark.parametrize("kind", [["actor"], {"a": 1}, 7, None])
def test_a_node_link_kind_that_is_not_text_is_an_error(run, tmp_path, kind):
    data = tmp_path / "graph.json"
    data.write_text(json.dumps({"nodes": [{"id": "j1", "kind": kind, "name": "J"}], "edges": []}), encoding="utf-8")
    code, problems = problems_of(run, data)
    assert code == 1 and only(problems, f"unknown kind {kind!r}")


@pytest.mark.parametrize("value, says", [
    ('"\\u200b"', "name: is empty"),
    ('" \\ufeff\\u2060 "', "name: is empty"),
    ("yes", "name: expected text, got the YAML boolean true"),
    ("off", "name: expected text, got the YAML boolean false"),
])
def test_a_name_that_shows_as_nothing_or_a_yaml_boolean_is_an_error(run, tmp_path, value, says):
    """Found in review: a zero-width name passed as text, and `name: yes` showed as True."""
    d = write_files(tmp_path, {"sources.yaml": MINIMAL_SOURCES, "actors.yaml": ACTOR.replace("name: A", f"name: {value}")})
    code, problems = problems_of(run, d)
    assert code == 1 and only(problems, says)[0]["line"] == 2


def test_an_empty_data_path_is_a_usage_error(run):
    # an unset shell variable, --data "$PARTNER", must not read the current folder (found in review)
    result = run("--data", "", "stats")
    assert result.exit_code == 2 and "'--data': empty" in result.stderr and not result.stdout



def test_a_workbook_whose_cells_say_more_than_a_spreadsheet_holds_is_refused(run, tmp_path):
    """Found in the second review: a shared string referenced by every cell passes the zip's
    sizes (it is stored once), and a row number in the billions keeps openpyxl yielding blank
    rows. A cell is at most 32,767 characters and a sheet 1,048,576 rows, as in a spreadsheet."""
    wb = openpyxl.Workbook()
    wb.active.title = "actors"
    wb.active.append(["id", "name", "sector", "sources"])
    wb.active.append(["a", "x" * 30_000, "ngo", "src"])
    wb.save(tmp_path / "short.xlsx")  # openpyxl writes no longer cell; another program might
    with zipfile.ZipFile(tmp_path / "short.xlsx") as source, \
            zipfile.ZipFile(tmp_path / "long.xlsx", "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info)
            target.writestr(info.filename, data.replace(b"x" * 30_000, b"x" * 40_000))
    code, problems = problems_of(run, tmp_path / "long.xlsx")
    assert code == 1 and only(problems, "a cell of 40,000 characters")[0]["line"] == 2
    wb = openpyxl.Workbook()
    wb.active.title = "actors"
    wb.active.append(["id", "name", "sector", "sources"])
    wb.active.append(["far"])
    wb.save(tmp_path / "near.xlsx")  # openpyxl writes no row beyond the last; another program might
    with zipfile.ZipFile(tmp_path / "near.xlsx") as source, \
            zipfile.ZipFile(tmp_path / "far.xlsx", "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info)
            target.writestr(info.filename, data.replace(b'<row r="2">', b'<row r="2000000000">')
                            .replace(b'r="A2"', b'r="A2000000000"'))
    start = time.perf_counter()
    code, problems = problems_of(run, tmp_path / "far.xlsx")
    assert code == 1 and only(problems, "a row beyond row 1,048,576") and time.perf_counter() - start < TIME_LIMIT


@pytest.mark.parametrize("limit", ["1e303", "1e308"])
def test_a_limit_beyond_any_file_is_refused_not_overflowed(run, monkeypatch, limit):
    assert run("--max-file-size", limit, "stats").exit_code == 2
    monkeypatch.setenv(ENV_MAX_FILE_MB, limit)
    result = run("stats")
    assert result.exit_code == 1 and "is more than any data file" in result.stderr and not result.stdout


def test_an_empty_path_to_diff_is_a_usage_error(run):
    for args in (("", str(SEED)), (str(SEED), "")):
        result = run("diff", *args)
        assert result.exit_code == 2 and "empty; give a data folder" in result.stderr


@pytest.mark.parametrize("uri", ["bolt://host:abc", "bolt://a..b:7687"])
def test_a_malformed_server_address_is_a_one_line_error(run, uri):
    # found in the second review: the driver's resolver raised ValueError and UnicodeError
    result = run("--data", uri, "stats")
    assert result.exit_code == 1 and result.stderr.startswith("error: invalid Neo4j address") and not result.stdout
