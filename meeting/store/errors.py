"""The store's refusals of a batch. Each means: read the log again, then decide again.

    Conflict
    ├── HeadMoved         another writer appended to this meeting first
    ├── ClaimTaken        a unique claim (one ballot per delegate and vote) is held already
    └── CommandRecorded   this sender's command id has an outcome already

Anything else raised by `EventLog.append` (the database is away, …) wrote nothing either;
the engine answers `unavailable` and the sender retries under the same id.
"""

from __future__ import annotations

__all__ = ["ClaimTaken", "CommandRecorded", "Conflict", "HeadMoved"]


class Conflict(Exception):
    """The batch conflicts with what is stored; reload and decide again."""


class HeadMoved(Conflict):
    """Another writer appended to this meeting first."""


class ClaimTaken(Conflict):
    """An event claims a unique key that an earlier event holds (a second ballot)."""


class CommandRecorded(Conflict):
    """A command with this sender and id has an outcome already (decided by another
    process): read the outcomes and answer with the recorded one."""
