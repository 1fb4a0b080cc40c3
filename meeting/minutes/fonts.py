"""Finding a TrueType font that has every Vietnamese letter, for the PDF renderers.

No font ships with the server: the renderer looks in `MEETING_PDF_FONT_DIR` (the caller
passes it) and then in the usual places of Linux, macOS and Windows. A missing font is a
clear error, never a PDF with boxes instead of letters.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

__all__ = ["FontNotFound", "FontPair", "find_font"]

# (regular, bold) file names, best first. Each covers Vietnamese (Latin Extended Additional).
_CANDIDATES = (
    ("DejaVuSerif.ttf", "DejaVuSerif-Bold.ttf"),
    ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf"),
    ("NotoSerif-Regular.ttf", "NotoSerif-Bold.ttf"),
    ("NotoSans-Regular.ttf", "NotoSans-Bold.ttf"),
    ("LiberationSerif-Regular.ttf", "LiberationSerif-Bold.ttf"),
    ("Times New Roman.ttf", "Times New Roman Bold.ttf"),
    ("times.ttf", "timesbd.ttf"),
    ("Arial.ttf", "Arial Bold.ttf"),
    ("arial.ttf", "arialbd.ttf"),
)
_PLACES = (
    "/usr/share/fonts",
    "/usr/local/share/fonts",
    "/Library/Fonts",
    "/System/Library/Fonts/Supplemental",
    "C:/Windows/Fonts",
)


class FontNotFound(RuntimeError):
    """No font with Vietnamese letters was found; set MEETING_PDF_FONT_DIR."""


@dataclass(frozen=True, slots=True)
class FontPair:
    regular: Path
    bold: Path


def find_font(extra_dir: Path | None = None) -> FontPair:
    places = [extra_dir] if extra_dir else []
    places += [Path(p) for p in _PLACES]
    for regular, bold in _CANDIDATES:
        for place in places:
            if not place.is_dir():
                continue
            found = _find(place, regular)
            if found is not None:
                return FontPair(found, _find(place, bold) or found)
    raise FontNotFound(
        "no TrueType font with Vietnamese letters found (DejaVu, Noto, Liberation, Times, "
        "Arial); install one (e.g. Debian's fonts-dejavu-core) or set MEETING_PDF_FONT_DIR"
    )


def _find(place: Path, name: str) -> Path | None:
    direct = place / name
    if direct.is_file():
        return direct
    return next(iter(sorted(place.rglob(name))), None)
