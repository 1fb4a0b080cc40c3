"""The rules and state of a sitting: pure functions and immutable data.

This package imports nothing else of the project, no asyncio and no database: a test can
run a whole sitting with `decide` and `apply` alone.
"""

from . import agenda as _agenda  # noqa: F401  (registers the commands and events)
from . import devices as _devices  # noqa: F401
from . import devices_catalog as _devices_catalog  # noqa: F401
from . import floor as _floor  # noqa: F401
from . import floor_catalog as _floor_catalog  # noqa: F401
from . import floor_view as _floor_view  # noqa: F401
from . import papers as _papers  # noqa: F401
from . import papers_apply as _papers_apply  # noqa: F401
from . import papers_catalog as _papers_catalog  # noqa: F401
from . import questions as _questions  # noqa: F401
from . import record as _record  # noqa: F401
from . import record_catalog as _record_catalog  # noqa: F401
from . import speakers as _speakers  # noqa: F401
from . import speeches as _speeches  # noqa: F401
from . import votes as _votes  # noqa: F401
from . import votes_apply as _votes_apply  # noqa: F401
from . import votes_catalog as _votes_catalog  # noqa: F401
from .apply import apply, fold
from .chain import GENESIS, chain_hash, verify_chain
from .commands import Command
from .decide import RULES, Context, Deadline, deadlines, decide
from .errors import DomainError
from .events import Draft, Event
from .model import EMPTY, Access, Actor, AgendaItem, Audience, Meeting, Member, Role
from .views import project, snapshot

__all__ = [
    "EMPTY",
    "GENESIS",
    "RULES",
    "Access",
    "Actor",
    "AgendaItem",
    "Audience",
    "Command",
    "Context",
    "Deadline",
    "DomainError",
    "Draft",
    "Event",
    "Meeting",
    "Member",
    "Role",
    "apply",
    "chain_hash",
    "deadlines",
    "decide",
    "fold",
    "project",
    "snapshot",
    "verify_chain",
]
