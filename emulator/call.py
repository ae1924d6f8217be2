"""What the pipeline and the journal know about one vendor request, filled in as it is
handled."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(slots=True)
class CallInfo:
    """One request as the journal records it; the pipeline fills ``endpoint``, ``app`` and
    ``user`` from the vendor's hooks, handlers may refine ``user``."""

    vendor: str
    method: str
    path: str
    endpoint: str = ""
    app: str = ""
    user: str = ""
    code: int | None = None
    reason: str = ""
    explain: str = ""
    delay_ms: int = 0
