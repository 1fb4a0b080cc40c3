"""Projections of the log: the minutes (biên bản), their renderers, the sealed archive,
the open-data exports (`exports`) and the entries of the archive's search index.

Pure projections and renderers over `meeting.domain`; reading the log and writing files is
the caller's job (the API and the CLI).
"""

from . import floor_parts as _floor_parts  # noqa: F401
from . import papers_parts as _papers_parts  # noqa: F401
from . import parts as _parts  # noqa: F401  (registers the votes' and notes' parts)
from .build import FORMAT, build

__all__ = ["FORMAT", "build"]
