"""Check raw rows against the schema and turn them into node and edge records."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from stakeholder_graph.graph import dates
from stakeholder_graph.graph.errors import Origin, Problems
from stakeholder_graph.graph.names import suggest
from stakeholder_graph.graph.schema import (
    DISPLAY_CONTROLS,
    EDGE_ATTRS,
    EDGE_TYPES,
    LIST_SEPARATOR,
    NOT_STATED,
    NOT_STATED_ALLOWED,
    NOT_STATED_FIELDS,
    PROSE_FIELDS,
    RELATION_FIELDS,
    Field,
    NodeKind,
    allowed,
)
from stakeholder_graph.loaders.files import RawRow

ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_.-]*$")


@dataclass
class NodeRecord:
    kind: str
    id: str
    fields: dict
    origin: Origin
    field_lines: dict = field(default_factory=dict)  # field -> its line, or where it is (an Origin)
    tabular: bool = False  # from a CSV file or a sheet: point at columns, not lines

    def origin_of(self, name: str) -> Origin:
        """Where a field of this record is written."""
        line = self.field_lines.get(name)
        if isinstance(line, Origin):  # a reader of another standard's tables (loaders.hsds)
            return line
        if line is not None:
            return Origin(self.origin.file, line, self.origin.sheet)
        return self.origin.at_column(name) if self.tabular else self.origin


@dataclass
class EdgeRecord:
    type: str
    source: str
    target: str
    attrs: dict
    origin: Origin
    stated_by: str | None = None  # the record whose field stated it, if any

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.type, self.source, self.target)


def split_cell(text: str) -> list[str]:
    """The items of a list cell: one per line when the cell has line breaks (so that an item
    may contain ';'), else separated by ';'."""
    parts = text.splitlines() if "\n" in text or "\r" in text else text.split(LIST_SEPARATOR)
    return [part.strip() for part in parts if part.strip()]


def cell_value(text: str, spec: Field):
    """A CSV/spreadsheet cell to the value YAML would have given; ValueError when it cannot be
    one."""
    if spec.type == "list":
        return split_cell(text)
    if spec.type == "mapping":
        pairs = {}
        for part in split_cell(text):
            key, sep, value = part.partition("=")
            if not sep:
                raise ValueError(f"expected 'language=name' pairs separated by ';', got {part!r}")
            pairs[key.strip()] = value.strip()
        return pairs
    if spec.type == "channels":  # "website=https://...; hotline=0800 ..."
        channels = []
        for part in split_cell(text):
            kind, sep, value = part.partition("=")
            if not sep:
                raise ValueError(f"expected 'type=value' items (website=https://...), got {part!r}")
            channels.append({"type": kind.strip(), "value": value.strip()})
        return channels
    if spec.type == "references":
        return split_cell(text)
    if spec.type == "boolean":
        word = text.strip().lower()
        if word in ("true", "yes", "1"):
            return True
        if word in ("false", "no", "0"):
            return False
        raise ValueError(f"{text!r} is not true or false")
    if spec.type in ("number", "value", "year", "integer"):
        for cast in (int, float):
            try:
                return cast(text)
            except ValueError:
                pass
        if spec.type == "number":
            raise ValueError(f"{text!r} is not a number")
    return text


# C0 and C1 control characters and DEL, lone surrogates, U+FFFE and U+FFFF, and the bidi and
# separator characters (graph.schema.DISPLAY_CONTROLS): never text. Prose fields keep tab and
# line feed.
_CONTROL = re.compile(f"[\x00-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff{DISPLAY_CONTROLS}]")
_CONTROL_IN_PROSE = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff{DISPLAY_CONTROLS}]")


_INVISIBLE = re.compile(r"[\s\u200b\u200c\u200d\u2060\ufeff]+")


_ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff"


def _blank(value) -> bool:
    """None, or text of nothing but spaces and zero-width characters (a name that shows as nothing)."""
    if value is None:
        return True
    text = str(value).strip()  # str.strip() removes the characters \s matches
    if text and text[0] not in _ZERO_WIDTH:
        return False  # the common case, without a regular expression: a visible first character
    return not _INVISIBLE.sub("", text)


def _texts(value):
    """Every piece of text in a checked value (text, list, mapping, channels)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, list):
        for item in value:
            yield from _texts(item)
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _texts(key)
            yield from _texts(item)


def _normalise_line_breaks(value):
    """CR LF and CR as LF in prose (a CSV cell keeps the line breaks its program wrote)."""
    if isinstance(value, str):
        return value.replace("\r\n", "\n").replace("\r", "\n") if "\r" in value else value
    if isinstance(value, list):
        return [_normalise_line_breaks(v) for v in value]
    return value


def control_character(name: str, value) -> str | None:
    """The problem with the first control character in a field's value, or None. Prose
    fields (schema.PROSE_FIELDS) may hold tabs and line breaks; no text holds other control
    characters (C0, DEL, C1), which would reach terminals and break XML and workbooks."""
    search = (_CONTROL_IN_PROSE if name in PROSE_FIELDS else _CONTROL).search
    texts = (value,) if isinstance(value, str) else _texts(value)
    for text in texts:
        found = search(text)
        if found is None:
            continue
        char = found.group()
        at = found.start()
        context = text[max(0, at - 20): at + 20]
        if char in "\t\n\r":
            return (f"{name}: a {'tab' if char == chr(9) else 'line break'} is not allowed here, "
                    f"{name} is one line (near {context!r})")
        return f"{name}: control character U+{ord(char):04X} is not allowed in text (near {context!r})"
    return None


def check_value(name: str, value, spec: Field, origin: Origin, problems: Problems, record_id):
    """Validate one field value; return it normalised, or None after reporting a problem."""
    value = _check_value(name, value, spec, origin, problems, record_id)
    if value is None:
        return None
    if name in PROSE_FIELDS:
        value = _normalise_line_breaks(value)
        search = _CONTROL_IN_PROSE.search
    else:
        search = _CONTROL.search
    # one search per value for the common kinds (text, a list of texts); this runs for every
    # value of a big dataset, so the closer look is only for mappings and channels
    kind = type(value)
    if kind is str:
        clean = search(value) is None
    elif kind is list:
        try:
            clean = search(" ".join(value)) is None
        except TypeError:  # channels: a list of mappings
            clean = False
    else:
        clean = kind is not dict
    if not clean:
        problem = control_character(name, value)
        if problem:
            problems.error(origin, problem, record_id)
            return None
    return value


def _check_value(name: str, value, spec: Field, origin: Origin, problems: Problems, record_id):
    # by the field's type, looked up once: this runs for every value of a big dataset
    value = _BY_TYPE.get(spec.type, _as_text)(name, value, spec, origin, problems, record_id)
    if value is None or spec.type == "channels":  # channels check their own vocabulary
        return value
    if spec.vocab and not _in_vocabulary(name, value, spec.vocab, origin, problems, record_id):
        return None
    return value


_VOCABULARY_SETS: dict[str, frozenset] = {}  # a vocabulary's values as a set: one lookup, not a scan


def _in_vocabulary(name, value, vocab: str, origin, problems, record_id) -> bool:
    known = _VOCABULARY_SETS.get(vocab)
    if known is None:
        known = _VOCABULARY_SETS[vocab] = frozenset(allowed(vocab))
    for item in value if isinstance(value, list) else [value]:
        if item not in known:
            options = allowed(vocab)
            listed = ", ".join(options) if len(options) <= 40 else f"{len(options)} {vocab} values"
            problems.error(origin, f"{name}: unknown value {item!r}{suggest(item, options)}; allowed: {listed}",
                           record_id)
            return False
    return True


def _as_list(name, value, spec, origin, problems, record_id):
    if isinstance(value, (str, int, float)):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, (str, int, float)) for v in value):
        problems.error(origin, f"{name}: expected a list of values", record_id)
        return None
    return [str(v) for v in value]


def _as_mapping(name, value, spec, origin, problems, record_id):
    if not isinstance(value, dict):
        problems.error(origin, f"{name}: expected 'key: value' pairs", record_id)
        return None
    empty = [str(k) for k, v in value.items() if _blank(v)]
    if empty:
        problems.error(origin, f"{name}: {', '.join(empty)} is empty; write a value or leave it out", record_id)
        return None
    return {str(k): str(v) for k, v in value.items()}


def _as_date(name, value, spec, origin, problems, record_id):
    try:
        return dates.normalise(value)
    except dates.DateError as exc:
        problems.error(origin, f"{name}: {exc}", record_id)
        return None


def _as_year(name, value, spec, origin, problems, record_id):
    if not isinstance(value, int) or not dates.EARLIEST_YEAR <= value <= dates.LATEST_YEAR:
        problems.error(origin, f"{name}: {value!r} is not a year between {dates.EARLIEST_YEAR} and {dates.LATEST_YEAR}", record_id)
        return None
    return value


def _as_number(name, value, spec, origin, problems, record_id):
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        problems.error(origin, f"{name}: {value!r} is not a number", record_id)
        return None
    return value


def _as_value(name, value, spec, origin, problems, record_id):
    if not isinstance(value, (str, int, float)) or isinstance(value, bool):
        problems.error(origin, f"{name}: expected a number or text", record_id)
        return None
    return value


def _as_integer(name, value, spec, origin, problems, record_id):
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        problems.error(origin, f"{name}: {value!r} is not a whole number of 0 or more", record_id)
        return None
    return value


def _as_boolean(name, value, spec, origin, problems, record_id):
    if not isinstance(value, bool):
        problems.error(origin, f"{name}: {value!r} is not true or false", record_id)
        return None
    return value


def _as_references(name, value, spec, origin, problems, record_id):
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        problems.error(origin, f"{name}: expected a list of actor types or actor ids", record_id)
        return None
    return value


def _as_text(name, value, spec, origin, problems, record_id):
    if isinstance(value, (dict, list)):
        problems.error(origin, f"{name}: expected text, got a {type(value).__name__}", record_id)
        return None
    if isinstance(value, bool):  # YAML reads yes, no, on, off, true, false as booleans
        problems.error(origin, f"{name}: expected text, got the YAML boolean {str(value).lower()} "
                       "(put the text in quotes: name: 'Yes')", record_id)
        return None
    if _blank(value):
        problems.error(origin, f"{name}: is empty; " + (
            f"every record needs a {name}" if spec.required else "write a value or leave the field out"),
            record_id)
        return None
    return str(value)


def _as_channels(name, value, spec, origin, problems, record_id) -> list[dict] | None:
    """A list of {type: website|hotline|email, value: text}."""
    items = value if isinstance(value, list) else [value]
    out = []
    for item in items:
        if not isinstance(item, dict) or set(item) != {"type", "value"} or item["value"] is None \
                or _blank(item["value"]):
            problems.error(origin, f"{name}: each channel is {{type: website|hotline|email, value: ...}}", record_id)
            return None
        if not _in_vocabulary(name, item["type"], "channel_type", origin, problems, record_id):
            return None
        out.append({"type": item["type"], "value": str(item["value"]).strip()})
    return out


_BY_TYPE = {
    "list": _as_list, "mapping": _as_mapping, "date": _as_date, "year": _as_year, "number": _as_number,
    "value": _as_value, "integer": _as_integer, "boolean": _as_boolean, "references": _as_references,
    "channels": _as_channels, "text": _as_text,
}


def _edge_attrs(raw: dict, origin: Origin, problems: Problems, record_id) -> dict | None:
    attrs = {}
    ok = True
    for name, value in raw.items():
        spec = EDGE_ATTRS.get(name)
        if spec is None:
            problems.error(
                origin,
                f"unknown link attribute {name!r}{suggest(name, EDGE_ATTRS)}; "
                f"allowed: id, {', '.join(EDGE_ATTRS)}",
                record_id,
            )
            ok = False
            continue
        checked = check_value(name, value, spec, origin, problems, record_id)
        if checked is None:
            ok = False
        else:
            attrs[name] = checked
    return attrs if ok else None


def node_from_row(kind: NodeKind, row: RawRow, problems: Problems):
    """Return (NodeRecord, [EdgeRecord]) for a row, or (None, []) when it is unusable."""
    values = dict(row.values)
    rid = values.get("id")
    rid = str(rid).strip() if rid is not None else None
    if not rid:
        problems.error(row.origin, f"{kind.name} record has no id")
        return None, []
    if not ID_PATTERN.match(rid):
        problems.error(
            row.origin,
            f"id {rid!r} may hold only lower-case letters, digits, '-', '_' and '.'",
            rid,
        )
        return None, []
    record = NodeRecord(kind.name, rid, {}, row.origin, row.field_lines, row.from_text)
    all_fields = kind.all_fields
    edges: list[EdgeRecord] = []
    for name, value in values.items():
        if name == "id":
            continue
        origin = record.origin_of(name)
        if name in kind.links:
            edges.extend(_links_from_value(kind, record, name, value, origin, row.from_text, problems))
            continue
        spec = all_fields.get(name)
        if name in NOT_STATED_FIELDS and value == NOT_STATED and (kind.name, name) in NOT_STATED_ALLOWED:
            record.fields[name] = NOT_STATED  # validate checks that only an imported record holds it
            continue
        if spec is None:
            known = ["id", *all_fields, *kind.links]
            problems.error(
                origin,
                f"unknown field {name!r} for a {kind.name}{suggest(name, known)}; "
                f"fields: {', '.join(known)}",
                rid,
            )
            continue
        if row.from_text:
            try:
                value = cell_value(value, spec)
            except ValueError as exc:
                problems.error(origin, f"{name}: {exc}", rid)
                continue
        checked = check_value(name, value, spec, origin, problems, rid)
        if checked is not None:
            record.fields[name] = checked
    for name, spec in all_fields.items():
        if spec.required and name not in record.fields and name not in values:
            problems.error(row.origin, f"{kind.name} has no {name!r}", rid)
    return record, edges


def _links_from_value(kind, record, name, value, origin, from_text, problems):
    link = kind.links[name]
    if from_text:
        value = split_cell(str(value))
    items = value if isinstance(value, list) else [value]
    if not link.many and len(items) > 1:
        problems.error(origin, f"{name}: expected one id, got {len(items)}", record.id)
        return []
    edges = []
    for item in items:
        if isinstance(item, dict):
            target = item.get("id")
            attrs = _edge_attrs(
                {k: v for k, v in item.items() if k != "id"}, origin, problems, record.id
            )
            if attrs is None:
                continue
        else:
            target, attrs = item, {}
        if not isinstance(target, (str, int)) or not str(target).strip():
            problems.error(origin, f"{name}: each item needs an id", record.id)
            continue
        target = str(target).strip()
        source, dest = (record.id, target) if link.direction == "out" else (target, record.id)
        edges.append(EdgeRecord(link.edge, source, dest, attrs, origin, stated_by=record.id))
    return edges


def edge_from_row(row: RawRow, problems: Problems) -> EdgeRecord | None:
    """A free-standing relation: type, from, to and edge attributes."""
    values = dict(row.values)
    missing = [f for f in RELATION_FIELDS if not values.get(f)]
    label = f"{values.get('type', '?')} {values.get('from', '?')} -> {values.get('to', '?')}"
    if missing:
        problems.error(row.origin, f"relation has no {', '.join(missing)}", label)
        return None
    etype = str(values.pop("type")).strip()
    source = str(values.pop("from")).strip()
    target = str(values.pop("to")).strip()
    if etype not in EDGE_TYPES:
        problems.error(
            row.origin,
            f"unknown relation type {etype!r}{suggest(etype, EDGE_TYPES)}; "
            f"allowed: {', '.join(EDGE_TYPES)}",
            label,
        )
        return None
    if row.from_text:
        converted = {}
        for name, text in values.items():
            spec = EDGE_ATTRS.get(name)
            converted[name] = cell_value(text, spec) if spec else text
        values = converted
    attrs = _edge_attrs(values, row.origin, problems, label)
    if attrs is None:
        return None
    if not attrs.get("sources"):
        problems.error(row.origin, "relation has no sources: cite where the fact comes from", label)
    return EdgeRecord(etype, source, target, attrs, row.origin)
