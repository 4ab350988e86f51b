"""Values as display text, the one way the CLI, the maps and the diagrams write them."""
from __future__ import annotations

import datetime as dt


def display_text(value, pair: str = "=") -> str:
    """Lists joined with '; ', mappings as key<pair>value ('sr-Cyrl=Ниш', as CSV cells take
    them), dates in ISO form, None as ''."""
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return "; ".join(display_text(v, pair) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{k}{pair}{display_text(v, pair)}" for k, v in value.items())
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return str(value)


def period_text(start: str | None, end: str | None) -> str:
    """A period as people read it: '2018-02 to 2020-07', '2019 to open', '? to 2020', or ''
    when neither end is known."""
    if not (start or end):
        return ""
    return f"{start or '?'} to {end or 'open'}"


def source_line(source: dict) -> str:
    """One cited source: '[id] Title <url>' (the URL when the source has one)."""
    return f"[{source['id']}] {source['title']}" + (f" <{source['url']}>" if source.get("url") else "")


def status_text(status: str, confirmed: dict | None) -> str:
    """'active (confirmed 2025-03)', 'unconfirmed since 2019: call to verify', ..."""
    if status == "active":
        return f"active (confirmed {confirmed['text']})" if confirmed else "active"
    if status == "unconfirmed":
        if confirmed is None:
            return "unconfirmed, undated: call to verify"
        if confirmed["text"].endswith(" or later"):  # a lower bound, not the source's date
            return f"unconfirmed, newest source undated (not before {confirmed['text'][:-9]}): call to verify"
        return f"unconfirmed since {confirmed['text']}: call to verify"
    if status == "unknown":
        return "unknown (no date in the record or its sources): call to verify"
    return status
