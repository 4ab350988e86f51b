"""The same answers as JSON: /api/<question> takes the CLI command's options as parameters
(web.questions) and returns the bytes `--format json` prints for them. Errors are JSON too:
{"error": ...} with 400 (a parameter or a question not understood), 404 (a name with no
record, with "suggestions") or 422 (a question `ask` cannot answer as asked, with what it
recognised and examples)."""
from __future__ import annotations

import json

from starlette.requests import Request
from starlette.responses import Response

from stakeholder_graph.graph.errors import CannotMap, NameNotFound, QueryError, StakeholderGraphError
from stakeholder_graph.viz.text import answer_json
from stakeholder_graph.web import questions
from stakeholder_graph.web.atlas import Atlas
from stakeholder_graph.web.visitor import answered, pack, packed_response, viewer

QUESTIONS = ("who", "pathway", "gaps", "show", "actor", "project", "ask", "sources", "search", "suggest")


def json_response(body: str | bytes, status: int = 200) -> Response:
    data = body.encode("utf-8") if isinstance(body, str) else body
    return Response(data, status_code=status, media_type="application/json")


def error_body(exc: StakeholderGraphError) -> tuple[int, dict]:
    if isinstance(exc, CannotMap):
        return 422, {"error": str(exc), "reason": exc.details.get("reason"),
                     "recognised": exc.recognised, "examples": list(exc.examples),
                     "details": {k: v for k, v in exc.details.items() if k != "language"}}
    if isinstance(exc, NameNotFound):
        return 404, {"error": str(exc), "suggestions": list(exc.suggestions or [])}
    return 400, {"error": str(exc)}


def api(question: str):
    async def endpoint(request: Request) -> Response:
        _user, audience = viewer(request)
        try:
            p = questions.read(question, request.query_params)
            body = await answered(request, f"{question}.json", audience, p,
                                  lambda g: pack(answer_json(questions.ANSWERS[question](g, p))))
        except StakeholderGraphError as exc:
            status, body = error_body(exc)
            return json_response(answer_json(body), status)
        return packed_response(request, body, "application/json")

    endpoint.__name__ = f"api_{question}"
    return endpoint


async def api_health(request: Request) -> Response:
    atlas: Atlas = request.app.state.atlas
    try:
        questions.read("sources", request.query_params)
    except QueryError as exc:
        return json_response(answer_json({"error": str(exc)}), 400)
    return json_response(json.dumps({"status": "ok", "loaded_at": atlas.loaded_at.isoformat()}))


__all__ = ["QUESTIONS", "api", "api_health", "error_body", "json_response"]
