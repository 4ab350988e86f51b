"""Read data files into raw rows that remember their line: YAML lists and CSV tables."""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

import yaml

from stakeholder_graph.graph.errors import Origin, Problems

LINE_KEY = "__line__"
KEY_LINES = "__lines__"


@dataclass
class RawRow:
    """One record as written in a file, before it is checked against the schema."""

    values: dict  # field -> value (YAML types, or strings from CSV)
    origin: Origin
    field_lines: dict  # field -> line, where known
    from_text: bool  # True for CSV cells: values are strings to convert


_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when available


class _LineLoader(_BaseLoader):
    """A safe YAML loader that records the line of every mapping and of each key."""


def _construct_mapping(loader, node):
    loader.flatten_mapping(node)
    mapping, lines, duplicates = {}, {}, []
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, (str, int, float, bool)) and key is not None:
            key = str(key)
        if key in mapping:
            duplicates.append((key, key_node.start_mark.line + 1))
        mapping[key] = loader.construct_object(value_node, deep=True)
        lines[key] = key_node.start_mark.line + 1
    mapping[LINE_KEY] = node.start_mark.line + 1
    mapping[KEY_LINES] = lines
    if duplicates:
        mapping["__duplicate_keys__"] = duplicates
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
# Dates stay text: graph.dates checks them and reports an impossible day by line, where
# PyYAML's own constructor would raise.
_LineLoader.add_constructor("tag:yaml.org,2002:timestamp", lambda loader, node: loader.construct_scalar(node))


def read_text(path: Path, shown: str, problems: Problems) -> str | None:
    """File text as UTF-8, or None after reporting why it cannot be read."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        problems.error(Origin(shown), f"cannot read file: {exc.strerror or exc}")
        return None
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]  # a BOM, as spreadsheet programs write
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        problems.error(
            Origin(shown, line),
            f"bytes are not UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start}); "
            "save the file as UTF-8",
        )
        return None
    if not text.strip():
        problems.error(Origin(shown), "file is empty")
        return None
    return text


def strip_line_keys(value):
    """Remove the loader's line bookkeeping from nested values."""
    if isinstance(value, dict):
        return {
            k: strip_line_keys(v) for k, v in value.items()
            if k not in (LINE_KEY, KEY_LINES, "__duplicate_keys__")
        }
    if isinstance(value, list):
        return [strip_line_keys(v) for v in value]
    return value


def read_yaml(path: Path, shown: str, problems: Problems) -> list[RawRow]:
    text = read_text(path, shown, problems)
    if text is None:
        return []
    try:
        data = yaml.load(text, Loader=_LineLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        line = mark.line + 1 if mark is not None else None
        reason = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        problems.error(Origin(shown, line), f"malformed YAML: {reason}")
        return []
    if data is None:
        problems.error(Origin(shown), "file is empty")
        return []
    if not isinstance(data, list):
        line = data.get(LINE_KEY) if isinstance(data, dict) else 1
        problems.error(
            Origin(shown, line),
            "the file must be a list of records (each starting with '- id: ...')",
        )
        return []
    rows = []
    for index, item in enumerate(data, 1):
        if not isinstance(item, dict):
            problems.error(
                Origin(shown), f"item {index} is not a record (expected 'key: value' lines)"
            )
            continue
        origin = Origin(shown, item.get(LINE_KEY))
        for key, line in item.get("__duplicate_keys__", []):
            problems.error(Origin(shown, line), f"field {key!r} is given twice", item.get("id"))
        rows.append(RawRow(strip_line_keys(item), origin, item.get(KEY_LINES, {}), False))
    return rows


def read_csv(path: Path, shown: str, problems: Problems) -> list[RawRow]:
    text = read_text(path, shown, problems)
    if text is None:
        return []
    try:
        dialect = csv.Sniffer().sniff(text.split("\n", 1)[0], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    rows: list[RawRow] = []
    try:
        header = next(reader)
    except (StopIteration, csv.Error) as exc:
        problems.error(Origin(shown, 1), f"malformed CSV header: {exc}")
        return []
    header = [h.strip() for h in header]
    if "" in header or len(set(header)) != len(header):
        problems.error(Origin(shown, 1), f"malformed CSV header: empty or repeated column names in {header}")
        return []
    try:
        for values in reader:
            line = reader.line_num
            if not any(v.strip() for v in values):
                continue  # blank line
            if len(values) > len(header):
                problems.error(
                    Origin(shown, line),
                    f"malformed CSV row: {len(values)} cells but the header has {len(header)} "
                    "columns (quote cells that contain the delimiter)",
                )
                continue
            cells = {h: v.strip() for h, v in zip(header, values) if v.strip() != ""}
            rows.append(RawRow(cells, Origin(shown, line), {}, True))
    except csv.Error as exc:
        problems.error(Origin(shown, reader.line_num), f"malformed CSV: {exc}")
    return rows
