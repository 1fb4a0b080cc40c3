"""Page 1 first: how soon the tablet's reader shows the first page of a long paper.

Our server (its own process, a provisioned meeting) holds one long paper (300 pages, about
20 MB, the size of a budget annex); Debian's Chromium (through Playwright) opens the
delegate app and, in the page, PDF.js as the reader uses it (`views/pdf.js`), on a
network shaped like a hall's shared Wi-Fi (Chrome's network emulation: 20 Mbit/s down,
20 ms latency; `--mbit`, `--latency`). Three ways to the first page, each timed from the
click to the first page drawn on a canvas, in every round:

- **ranges**: what the reader does for a paper not on the device: PDF.js reads by HTTP
  ranges (64 KiB), so page 1 needs only the bytes page 1 needs;
- **whole file** (the baseline): download the paper, then open it, as a reader without
  range support would;
- **on the device**: from the device's paper cache (Cache Storage), as after a download.

It prints the medians and the ratio of each to the baseline measured in the same round, and
with `--doc` writes them into docs/performance.md. From the repository root:

    .venv/bin/python -m bench.reader                 # 5 rounds
    .venv/bin/python -m bench.reader --rounds 9 --doc docs/performance.md
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import platform
import random
import re
import statistics
import tempfile
from pathlib import Path
from typing import Any

from fpdf import FPDF
from PIL import Image

from bench.papers_gen import Paper
from bench.papers_targets import MeetingPapers, paper_path
from meeting.minutes.fonts import find_font

__all__ = ["main"]

CHROMIUM = "/usr/bin/chromium"
BEGIN, END = "<!-- reader-results:begin -->", "<!-- reader-results:end -->"

# Runs in the delegate app's page: PDF.js as the reader loads it, timed to page 1 drawn.
FIRST_PAGE = """async ({url, token, how}) => {
  const pdf = await import("/app/views/pdf.js");
  const cache = await import("/app/core/papers-cache.js");
  const lib = await pdf.loadPdfjs();
  const started = performance.now();
  let source;
  if (how === "ranges") {
    source = pdf.pdfSource(url, null, token);
  } else if (how === "whole") {
    const r = await fetch(url, {headers: {Authorization: `Bearer ${token}`}, cache: "no-store"});
    source = pdf.pdfSource(url, new Uint8Array(await r.arrayBuffer()), token);
  } else {
    source = pdf.pdfSource(url, await cache.cachedPaper(url), token);
  }
  const task = lib.getDocument(source);
  const doc = await task.promise;
  const page = await doc.getPage(1);
  const viewport = page.getViewport({scale: 1.5});
  const canvas = document.createElement("canvas");
  canvas.width = viewport.width;
  canvas.height = viewport.height;
  await page.render({canvasContext: canvas.getContext("2d"), canvas, viewport}).promise;
  const ms = performance.now() - started;
  await task.destroy();
  return ms;
}"""


def long_paper(pages: int, page_kib: int) -> Paper:
    """A paper as office software writes one (fpdf2: text in an embedded DejaVu Sans, a
    scanned-looking image of about `page_kib` KiB on every page, a proper cross-reference
    table). The papers benchmark's generator is not used here: PDF.js reads its files
    whole from the end (every 64 KiB chunk) before the first page, which no real paper of
    ours made it do."""
    fonts = find_font()
    pdf = FPDF()
    pdf.add_font("vn", fname=str(fonts.regular))
    pdf.set_font("vn", size=12)
    title = "Phụ lục dự toán ngân sách địa phương năm 2027"
    pdf.set_title(title)
    side = int((page_kib * 1024) ** 0.5)
    rng = random.Random(7)
    for n in range(1, pages + 1):
        pdf.add_page()
        pdf.multi_cell(0, 8, f"{title} — trang {n}. Hội đồng nhân dân tỉnh Thanh Hóa xem xét.")
        noise = bytes(rng.getrandbits(8) for _ in range(side * side))
        pdf.image(Image.frombytes("L", (side, side), noise), x=20, y=40, w=170)
    return Paper(title, pages, bytes(pdf.output()))


async def measure(args: argparse.Namespace) -> dict[str, Any]:
    from playwright.async_api import async_playwright

    paper = long_paper(args.pages, args.page_kib)
    sha = hashlib.sha256(paper.data).hexdigest()
    url = paper_path(sha)
    times: dict[str, list[float]] = {"ranges": [], "whole": [], "device": []}
    with tempfile.TemporaryDirectory(prefix="bench-reader-") as tmp:
        server = MeetingPapers(Path(tmp), tablets=1)
        await server.start([paper])
        try:
            base = f"http://127.0.0.1:{server.port}"
            token = server.tokens[0]
            async with async_playwright() as pw:
                browser = await pw.chromium.launch(
                    executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"]
                )
                context = await browser.new_context(service_workers="block")
                page = await context.new_page()
                await page.goto(f"{base}/app/")
                cdp = await context.new_cdp_session(page)
                await cdp.send("Network.enable")
                await cdp.send(
                    "Network.emulateNetworkConditions",
                    {
                        "offline": False,
                        "latency": args.latency,
                        "downloadThroughput": args.mbit * 1_000_000 / 8,
                        "uploadThroughput": args.mbit * 1_000_000 / 8,
                    },
                )
                await page.evaluate(
                    "async ({url, token}) => (await import('/app/core/papers-cache.js'))"
                    ".downloadPaper(url, token)",
                    {"url": url, "token": token},
                )
                for n in range(args.rounds):
                    order = ["ranges", "whole", "device"]
                    random.Random(n).shuffle(order)  # no way goes first every time
                    for how in order:
                        ms = await page.evaluate(
                            FIRST_PAGE, {"url": url, "token": token, "how": how}
                        )
                        times[how].append(ms)
                    print(
                        f"round {n + 1}: "
                        + ", ".join(f"{k} {v[-1]:.0f} ms" for k, v in times.items()),
                        flush=True,
                    )
                await browser.close()
        finally:
            await server.stop()
    return {
        "pages": paper.pages,
        "mib": len(paper.data) / 2**20,
        "mbit": args.mbit,
        "latency": args.latency,
        "rounds": args.rounds,
        "times": times,
        "machine": f"{platform.machine()}, {platform.python_version()}",
    }


def render(result: dict[str, Any]) -> str:
    times = result["times"]
    whole = times["whole"]
    rows = [
        "| way to page 1 | median | min | max | ÷ whole file (median of per-round ratios) |",
        "| --- | --- | --- | --- | --- |",
    ]
    names = {"ranges": "ranges (the reader)", "whole": "whole file first (baseline)",
             "device": "from the device's cache"}  # fmt: skip
    for how in ("ranges", "whole", "device"):
        ms = times[how]
        ratio = statistics.median(a / b for a, b in zip(ms, whole, strict=True))
        rows.append(
            f"| {names[how]} | {statistics.median(ms):.0f} ms | {min(ms):.0f} ms "
            f"| {max(ms):.0f} ms | {ratio:.3f}× |"
        )
    head = (
        f"One paper of {result['pages']} pages ({result['mib']:.1f} MiB), network shaped to "
        f"{result['mbit']} Mbit/s and {result['latency']} ms latency, {result['rounds']} rounds "
        f"({result['machine']}):"
    )
    return head + "\n\n" + "\n".join(rows) + "\n"


def write_doc(path: Path, text: str) -> None:
    doc = path.read_text(encoding="utf-8")
    block = f"{BEGIN}\n{text}{END}"
    if BEGIN in doc:
        doc = re.sub(re.escape(BEGIN) + ".*?" + re.escape(END), lambda _: block, doc, flags=re.S)
    else:
        doc = doc.rstrip("\n") + "\n\n" + block + "\n"
    path.write_text(doc, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--pages", type=int, default=300)
    parser.add_argument("--page-kib", type=int, default=64)
    parser.add_argument("--mbit", type=float, default=20.0)
    parser.add_argument("--latency", type=float, default=20.0)
    parser.add_argument("--doc", type=Path, help="write the table into this Markdown file")
    args = parser.parse_args()
    result = asyncio.run(measure(args))
    text = render(result)
    print()
    print(text)
    if args.doc:
        write_doc(args.doc, text)


if __name__ == "__main__":
    main()
