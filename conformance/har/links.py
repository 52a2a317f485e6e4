"""Point each failure's evidence at its exchange in the HAR: evidence item key ``har_entry``.

Evidence holds the request as the check saw it (method, relative URL, credential kind) and the
status; the entry is the last recorded attempt with the same method, path, query and
credential (and status, when one matches), so a reader can jump from a failure to the raw
exchange.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, unquote, urlsplit

if TYPE_CHECKING:
    from conformance.results import RunResult

LINKED = ("failed", "warned")

Key = tuple[str, str, tuple[tuple[str, str], ...], str]


def _key(method: str, url: str, credential: str) -> Key:
    parts = urlsplit(url)
    query = tuple(sorted(parse_qsl(parts.query, keep_blank_values=True)))
    return (method.upper(), unquote(parts.path), query, credential)


def link_evidence(
    result: RunResult,
    entries: Sequence[Mapping[str, Any]],
    indexes: Iterable[int] | None = None,
) -> int:
    """Add ``har_entry`` to the evidence of failed and warned checks; return how many linked.

    ``indexes``: the entries that may be linked (a replay: those that answered), in order.
    """
    found: dict[Key, list[tuple[int, int]]] = {}
    for index in range(len(entries)) if indexes is None else indexes:
        entry = entries[index]
        request = entry["request"]
        key = _key(str(request["method"]), str(request["url"]), str(entry.get("_credential")))
        found.setdefault(key, []).append((index, int(entry["response"].get("status") or 0)))
    linked = 0
    for check in result.checks:
        if check.status.value not in LINKED:
            continue
        for item in check.evidence:
            request = item.get("request")
            if not isinstance(request, dict) or "har_entry" in item:
                continue
            key = _key(
                str(request.get("method", "")),
                str(request.get("url", "")),
                str(request.get("credential")),
            )
            candidates = found.get(key, [])
            response = item.get("response")
            status = response.get("status") if isinstance(response, dict) else None
            same = [index for index, got in candidates if got == (status or 0)]
            chosen = same or [index for index, _ in candidates]
            if chosen:
                item["har_entry"] = chosen[-1]
                linked += 1
    return linked
