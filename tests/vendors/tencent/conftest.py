"""Fixtures of the Tencent tests: ``tencent``, the signed client on the test's emulator."""

from __future__ import annotations

from typing import Any

import pytest

from tests.vendors.tencent.helpers import TencentClient


@pytest.fixture
def tencent(im_emulator: Any) -> TencentClient:
    """A signed Tencent client on this test's emulator."""
    return TencentClient(im_emulator)
