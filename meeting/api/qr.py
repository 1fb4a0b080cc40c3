"""QR codes as SVG, drawn on the server (segno), so that the clerk's desk needs no library.

The SVG has a `viewBox` and no fixed size: the page scales it to any size, sharp.
"""

from __future__ import annotations

import io

import segno

__all__ = ["qr_svg"]


def qr_svg(text: str, *, title: str | None = None) -> str:
    """`text` as a QR code (error correction M: readable with a glare on the screen)."""
    code = segno.make(text, error="m", micro=False)
    out = io.BytesIO()
    code.save(out, kind="svg", xmldecl=False, omitsize=True, border=2, title=title)
    return out.getvalue().decode()
