"""The one exception type every vendor raises, and the core's own control-flow errors.

A handler or hook raises ``VendorError`` with the vendor's code; the pipeline
(``emulator.pipeline``) has the vendor's ``render_error`` hook turn it into that vendor's envelope
and HTTP status.
"""

from __future__ import annotations


class VendorError(Exception):
    """A vendor error answer: code, message, optional detail, HTTP status and auth explanation.

    ``explain`` says, for a rejected credential, which check failed and how the expected value is
    built (never a secret); the edge puts it in ``X-Emulator-Explain`` and the journal.
    """

    def __init__(self, code: int, message: str = "", *, detail: str = "", http_status: int = 200,
                 explain: str = "", headers: dict[str, str] | None = None) -> None:
        super().__init__(f"{code} {message}")
        self.code = code
        self.message = message
        self.detail = detail
        self.http_status = http_status
        self.explain = explain
        self.headers = headers or {}


class RateLimited(Exception):
    """The request is over a per-second limit of ``limit`` requests."""

    def __init__(self, retry_after: float, limit: int = 0) -> None:
        super().__init__("rate limited")
        self.retry_after = retry_after
        self.limit = limit
