"""Field values as display text, the one way the CLI tables and the maps both use."""
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
