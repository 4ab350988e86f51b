"""Read data files into raw rows that remember their line: YAML lists and CSV tables.

Every file is read within `Limits` (loaders.limits): a file above the size limit is refused
before it is read. YAML anchors and aliases are refused (a data file has no need for them, and
they are what an alias bomb is made of). CSV follows RFC 4180 (the csv module's standard
quoting: doubled quotes, quoted delimiters and line breaks) with a comma or a semicolon as
delimiter, told from the header line.
"""
from __future__ import annotations

import csv
import io
import os
from dataclasses import dataclass
from pathlib import Path

import yaml
from yaml.events import (
    DocumentEndEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
    StreamStartEvent,
)

from stakeholder_graph.graph.errors import Origin, Problems
from stakeholder_graph.loaders.limits import Limits

LINE_KEY = "__line__"
KEY_LINES = "__lines__"


@dataclass
class RawRow:
    """One record as written in a file, before it is checked against the schema."""

    values: dict  # field -> value (YAML types, or strings from CSV)
    origin: Origin
    field_lines: dict  # field -> line (or an Origin: where another standard's table has it), where known
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
        if key in (LINE_KEY, KEY_LINES, "__duplicate_keys__"):  # the loader's own: reported, not kept
            duplicates.append((key, key_node.start_mark.line + 1, "reserved"))
            continue
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


READ_CHUNK = 1 << 20


def read_bytes(path: Path, shown: str, problems: Problems, limits: Limits | None = None) -> bytes | None:
    """A file's bytes, or None after reporting why it cannot be read (above the size limit,
    unreadable)."""
    limits = limits or Limits.resolve()
    try:
        with open(path, "rb") as f:
            too_big = limits.too_big(os.fstat(f.fileno()).st_size)
            if too_big:
                problems.error(Origin(shown), too_big)
                return None
            # in chunks, never more than the limit (a file that grows, a device): f.read(limit)
            # would allocate the whole limit up front, however small the file
            chunks, size = [], 0
            while size <= limits.max_file_bytes and (chunk := f.read(READ_CHUNK)):
                chunks.append(chunk)
                size += len(chunk)
            data = b"".join(chunks)
            too_big = limits.too_big(len(data))
    except OSError as exc:
        problems.error(Origin(shown), f"cannot read file: {exc.strerror or exc}")
        return None
    except MemoryError:
        problems.error(Origin(shown), "file is larger than this machine's memory allows; lower --max-file-size")
        return None
    if too_big:
        problems.error(Origin(shown), too_big)
        return None
    return data


def read_text(path: Path, shown: str, problems: Problems, limits: Limits | None = None) -> str | None:
    """File text as UTF-8, or None after reporting why it cannot be read."""
    data = read_bytes(path, shown, problems, limits)
    if data is None:
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


def _may_hold_anchor(text: str) -> bool:
    """Could the text hold an anchor or an alias? Only text with no '&' and no '*' at all skips
    the exact check: YAML lets an anchor follow characters no short list foresees (NEL, U+2028,
    a quoted key in a flow mapping), so guessing from the character before it let bombs through."""
    return "&" in text or "*" in text


def _first_anchor(text: str):
    """The first anchor or alias event of the YAML text, or None. Streams the parser's events
    (the C parser when available), so nothing is expanded and memory stays flat."""
    if not _may_hold_anchor(text):
        return None
    loader = _LineLoader(text)
    try:
        while loader.check_event():
            event = loader.get_event()
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                return event
    finally:
        loader.dispose()
    return None


def read_yaml(path: Path, shown: str, problems: Problems, limits: Limits | None = None) -> list[RawRow]:
    text = read_text(path, shown, problems, limits)
    if text is None:
        return []
    records = fast_records(text)
    if records is None:  # not a plain list of records: the full loader reads and reports it
        return yaml_rows(text, shown, problems)
    rows = []
    for values, line, key_lines, duplicates in records:
        for key, key_line in duplicates:
            problems.error(Origin(shown, key_line), f"field {key!r} is given twice", values.get("id"))
        rows.append(RawRow(values, Origin(shown, line), key_lines, False))
    return rows


def yaml_rows(text: str, shown: str, problems: Problems) -> list[RawRow]:
    """The rows of YAML text by the full line-recording loader: any YAML, every problem of a
    malformed file reported with its line. read_yaml takes the fast reader first."""
    try:
        event = _first_anchor(text)
        if event is not None:
            sign = "*" if isinstance(event, yaml.AliasEvent) else "&"
            problems.error(
                Origin(shown, event.start_mark.line + 1),
                f"YAML anchors and aliases ({sign}{event.anchor}) are not allowed in data files: "
                "write each value out in full",
            )
            return []
        data = yaml.load(text, Loader=_LineLoader)
    except RecursionError:
        problems.error(Origin(shown), "malformed YAML: nested too deeply")
        return []
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
        for key, line, *reserved in item.get("__duplicate_keys__", []):
            problems.error(Origin(shown, line), f"field {key!r} is a name the loader keeps for itself: rename it"
                           if reserved else f"field {key!r} is given twice", item.get("id"))
        rows.append(RawRow(strip_line_keys(item), origin, item.get(KEY_LINES, {}), False))
    return rows


# --- the fast reader --------------------------------------------------------------------------
# Building every value through PyYAML's constructor (a Python call per node, and the line
# bookkeeping stripped again afterwards) was most of a large load's time. The fast reader walks
# libyaml's events once and builds the rows directly, with the same scalar resolution (the
# loader's own implicit resolvers and constructors). It takes only the plain shape of a data
# file, a list of mappings of untagged values; anything else (a tag, an anchor, a merge key, a
# malformed or multi-document stream, deep nesting) it hands back to the full loader, so what
# is read, and every error message, stays the full loader's.


class _Unusual(Exception):
    """Something the fast reader leaves to the full loader."""


MAX_FAST_DEPTH = 64  # data files nest a few levels; deeper ones go to the full loader's checks
_BOOKKEEPING = frozenset((LINE_KEY, KEY_LINES, "__duplicate_keys__"))  # keys the full loader overwrites
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_TYPED = ("tag:yaml.org,2002:null", "tag:yaml.org,2002:bool", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float")
_WILDCARD = tuple(_LineLoader.yaml_implicit_resolvers.get(None, []))
# first character of a plain scalar -> the (tag, pattern) pairs the resolver tries, in its order
_RESOLVERS = {first: tuple(pairs) + _WILDCARD for first, pairs in _LineLoader.yaml_implicit_resolvers.items()
              if first is not None}
_CONSTRUCTOR = yaml.constructor.SafeConstructor()  # what the loader's constructors need of their `self`


def _plain(value: str):
    """A plain scalar's value, resolved as the loader resolves it (timestamps stay text)."""
    for tag, pattern in _RESOLVERS.get(value[:1], _WILDCARD):
        if pattern.match(value):
            break
    else:
        return value
    if tag == _TIMESTAMP:
        return value
    if tag not in _TYPED:  # a merge key (<<), a value key (=) ...
        raise _Unusual(tag)
    try:
        return _LineLoader.yaml_constructors[tag](_CONSTRUCTOR, yaml.ScalarNode(tag, value))
    except Exception as exc:  # whatever the full loader makes of it, it makes it there
        raise _Unusual(tag) from exc


def _scalar(event):
    """A scalar's value: quoted and block scalars are text, plain ones are resolved."""
    if event.anchor is not None or event.tag is not None:
        raise _Unusual(event)
    value = event.value
    if event.implicit[0] and (value[:1] in _RESOLVERS or _WILDCARD):
        return _plain(value)
    return value


def _key(event):
    """A mapping key: a scalar, and none of the names the full loader keeps its lines under."""
    if event.__class__ is not ScalarEvent:
        raise _Unusual(event)
    key = _scalar(event)
    if key in _BOOKKEEPING:
        raise _Unusual(key)
    return key


def _collection_start(event, depth: int):
    if event.anchor is not None or event.tag is not None or depth > MAX_FAST_DEPTH:
        raise _Unusual(event)


def _value(get, event, depth: int):
    """The value that starts with `event`, reading the events of its content."""
    cls = event.__class__
    if cls is ScalarEvent:
        return _scalar(event)
    if cls is SequenceStartEvent:
        _collection_start(event, depth)
        items = []
        while (event := get()).__class__ is not SequenceEndEvent:
            items.append(_scalar(event) if event.__class__ is ScalarEvent else _value(get, event, depth + 1))
        return items
    if cls is MappingStartEvent:
        _collection_start(event, depth)
        mapping = {}
        while (event := get()).__class__ is not MappingEndEvent:
            key = _key(event)
            event = get()
            mapping[key] = _scalar(event) if event.__class__ is ScalarEvent else _value(get, event, depth + 1)
        return mapping
    raise _Unusual(event)  # an alias


def fast_records(text: str):
    """[(values, line, {key: line}, [(repeated key, line)])] for each record of YAML text that
    is a plain list of records, as the full loader reads it; None for anything else."""
    loader = _BaseLoader(text)
    get = loader.get_event
    records = []
    text_keys: dict[str, str] = {}  # plain keys already resolved to text: the same few in every record
    try:
        for expected in (StreamStartEvent, DocumentStartEvent, SequenceStartEvent):
            event = get()
            if event.__class__ is not expected:
                raise _Unusual(event)
        _collection_start(event, 0)
        while (event := get()).__class__ is MappingStartEvent:
            _collection_start(event, 1)
            record_line = event.start_mark.line + 1
            values, key_lines, duplicates = {}, {}, []
            # a record's fields: _key and _scalar written out, as this loop runs for every field
            while (event := get()).__class__ is ScalarEvent:
                if event.anchor is not None or event.tag is not None:
                    raise _Unusual(event)
                key = event.value
                if event.implicit[0] and key not in text_keys and (key[:1] in _RESOLVERS or _WILDCARD):
                    key = _plain(key)
                    if key.__class__ is str:
                        text_keys[key] = key
                if key in _BOOKKEEPING:
                    raise _Unusual(key)
                line = event.start_mark.line + 1
                if key in values:
                    duplicates.append((key, line))
                event = get()
                if event.__class__ is ScalarEvent and event.anchor is None and event.tag is None:
                    value = event.value
                    values[key] = _plain(value) if event.implicit[0] and (value[:1] in _RESOLVERS or _WILDCARD) \
                        else value
                else:
                    values[key] = _value(get, event, 2)
                key_lines[key] = line
            if event.__class__ is not MappingEndEvent:
                raise _Unusual(event)  # a key that is not a scalar
            records.append((values, record_line, key_lines, duplicates))
        if event.__class__ is not SequenceEndEvent:
            raise _Unusual(event)  # an item that is not a record: the full loader says which
        if get().__class__ is not DocumentEndEvent or get().__class__ is not StreamEndEvent:
            raise _Unusual("more than one document")
    except (_Unusual, yaml.YAMLError, RecursionError):
        return None
    finally:
        loader.dispose()
    return records


# Delimiters a data CSV may use: spreadsheets in a Serbian (and most European) locale save
# with ';', others with ','; a tab is accepted too.
CSV_DELIMITERS = (",", ";", "\t")


def csv_delimiter(header_line: str) -> str:
    """The delimiter of a CSV file, told from its header line (column names hold none of the
    delimiters): the one used most, a comma when there is none (a one-column file)."""
    counts = {d: header_line.count(d) for d in CSV_DELIMITERS}
    best = max(CSV_DELIMITERS, key=counts.__getitem__)  # the first wins a tie
    return best if counts[best] else ","


def read_csv(path: Path, shown: str, problems: Problems, limits: Limits | None = None) -> list[RawRow]:
    text = read_text(path, shown, problems, limits)
    if text is None:
        return []
    # RFC 4180 as the csv module's standard (excel) dialect has it: "" is a quote inside a
    # quoted cell, a quoted cell may hold the delimiter and line breaks; strict reports a
    # quote that is never closed instead of reading on to the end of the file.
    reader = csv.reader(io.StringIO(text, newline=""), csv.excel,
                        delimiter=csv_delimiter(text.split("\n", 1)[0]), strict=True)
    try:
        header = next(reader)
    except (StopIteration, csv.Error) as exc:
        problems.error(Origin(shown, 1), f"malformed CSV header: {exc}")
        return []
    header = [h.strip() for h in header]
    if "" in header or len(set(header)) != len(header):
        problems.error(Origin(shown, 1), f"malformed CSV header: empty or repeated column names in {header}")
        return []
    rows: list[RawRow] = []
    while True:
        line = reader.line_num + 1  # where the next row starts (a quoted cell may span lines)
        try:
            values = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            reason = str(exc)
            if "end of data" in reason:
                problems.error(Origin(shown, line), "malformed CSV: unterminated quote: a quoted cell starting "
                               "in this row is never closed (write a quote inside a quoted cell as \"\")")
                break
            if "field limit" in reason:
                problems.error(Origin(shown, line), f"malformed CSV: a cell is longer than {csv.field_size_limit():,} "
                               "characters; most likely a quote in this row is never closed")
                break
            problems.error(Origin(shown, reader.line_num), f"malformed CSV: {reason}")
            continue
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
    return rows
