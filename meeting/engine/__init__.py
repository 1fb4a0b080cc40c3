"""The per-meeting writers: load from the log, decide, append, publish, ack after commit."""

from .clock import new_id, utc_now
from .meeting import Attached, MeetingEngine, Outcome
from .registry import Engines

__all__ = ["Attached", "Engines", "MeetingEngine", "Outcome", "new_id", "utc_now"]
