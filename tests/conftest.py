from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.live import Live, provision, serve, settings_for


@pytest.fixture
async def live(tmp_path: Path) -> AsyncIterator[Live]:
    """A real server on a loopback port with a provisioned meeting `m1`."""
    async with serve(settings_for(tmp_path)) as server:
        await provision(server)
        yield server
