"""What a check sees: the target's ids, the client, and shared, memoised walks."""

from __future__ import annotations

from dataclasses import dataclass

from conformance.target import TargetClient


@dataclass
class CheckContext:
    client: TargetClient
