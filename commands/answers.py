"""How a command prints an answer: the renderers (viz.answers) in the answer's language, then
table, CSV or JSON (commands.output)."""
from __future__ import annotations

from collections.abc import Callable

from stakeholder_graph.commands.output import emit
from stakeholder_graph.viz.answers import render
from stakeholder_graph.viz.i18n import use_language


def emit_answer(fmt: str, kind: str, answer: dict, document=None, lang: str | None = None,
                before: Callable[[], str] | None = None) -> None:
    """Print an answer in `fmt` and `lang` (default English); JSON prints `document` (default
    the answer itself); `before()` words what the table format prints first (the 'Understood'
    line of `ask`), in the same language."""
    with use_language(lang):
        shown = render(kind, answer)
        intro = before() if before and fmt == "table" else ""
    emit(fmt, shown.rows, shown.columns, document=answer if document is None else document,
         text=intro + shown.text)


__all__ = ["emit_answer"]
