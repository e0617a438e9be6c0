"""One recorded request and its response, as reports write it (redacted when recorded)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any


@dataclass
class Exchange:
    """One request and its response, redacted when recorded, as written into reports."""

    request: dict[str, Any]
    response: dict[str, Any] | None = None
    elapsed_s: float = 0.0
    error: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """The report form: {"request": {...}, "response": {...} | None}."""
        data: dict[str, Any] = {"request": self.request, "response": self.response}
        if self.error:
            data["error"] = self.error
        return data

    def transcript(self) -> str:
        """A human-readable transcript (for JUnit failure texts and the console)."""
        req = self.request
        lines = [f"> {req['method']} {req['url']}"]
        lines += [f"> {name}: {value}" for name, value in req["headers"].items()]
        if req.get("body") is not None:
            lines.append(_render_body(req["body"]))
        if self.response is None:
            lines.append(f"< (no response: {self.error})")
        else:
            lines.append(f"< {self.response['status']}")
            lines += [f"< {name}: {value}" for name, value in self.response["headers"].items()]
            if self.response.get("body") is not None:
                lines.append(_render_body(self.response["body"]))
        return "\n".join(lines)


def _render_body(body: Any) -> str:
    """Render a recorded body as indented JSON or text."""
    return body if isinstance(body, str) else json.dumps(body, indent=2, ensure_ascii=False)
