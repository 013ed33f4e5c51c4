"""The one way PDF pages become pixels or text here, for the bot and the review desk alike:
poppler's programs run with limits. Before a page is rendered its size × resolution is
checked against a pixel limit (a 200-inch page at 300 dpi would be 3.6 gigapixels); each
program runs with a time limit, an address-space limit and a CPU-time limit (`prlimit`,
util-linux), and only a few run at once per process (a semaphore)."""

from __future__ import annotations

import re
import subprocess
import threading
from dataclasses import dataclass
from pathlib import Path

from ocr.model import ReadError

MAX_MEGAPIXELS = 89.0  # Pillow's own decompression-bomb default
TIMEOUT_S = 120
MEMORY_BYTES = 1536 * 2**20
RENDERS_AT_ONCE = 2
_SLOTS = threading.BoundedSemaphore(RENDERS_AT_ONCE)
_SIZE = re.compile(rb"^Page\s+(\d+)\s+size:\s+([\d.]+) x ([\d.]+) pts", re.M)
_BOX = re.compile(rb"^Page\s+(\d+)\s+MediaBox:\s+([-\d.]+)\s+([-\d.]+)\s+([-\d.]+)\s+([-\d.]+)",
                  re.M)


@dataclass(frozen=True)
class Limits:
    max_megapixels: float = MAX_MEGAPIXELS
    timeout: float = TIMEOUT_S
    memory_bytes: int = MEMORY_BYTES


def run_limited(command: list[str], limits: Limits = Limits(), *,
                stdin: bytes | None = None) -> subprocess.CompletedProcess:
    """Run a poppler program within time, memory and CPU limits, a few at a time.
    ReadError('corrupt') when it runs out of time."""
    limited = ["prlimit", f"--as={limits.memory_bytes}", f"--cpu={int(limits.timeout) + 1}",
               "--", *command]
    with _SLOTS:
        try:
            return subprocess.run(limited, input=stdin, capture_output=True, check=False,
                                  timeout=limits.timeout)
        except subprocess.TimeoutExpired:
            raise ReadError("corrupt", f"{command[0]} ran out of time") from None


def page_size(path: Path, page: int, limits: Limits = Limits()) -> tuple[float, float]:
    """A page's size in points, the larger of its media box and the size shown (pdftoppm
    renders the media box)."""
    done = run_limited(["pdfinfo", "-box", "-f", str(page), "-l", str(page), str(path)], limits)
    sizes = [(float(m[2]), float(m[3])) for m in _SIZE.finditer(done.stdout)]
    boxes = [(abs(float(m[4]) - float(m[2])), abs(float(m[5]) - float(m[3])))
             for m in _BOX.finditer(done.stdout)]
    if done.returncode != 0 or not sizes:
        raise ReadError("corrupt", f"PDF page {page}: size unknown (exit {done.returncode})")
    return max(w for w, _ in sizes + boxes), max(h for _, h in sizes + boxes)


def megapixels(size: tuple[float, float], dpi: float) -> float:
    return size[0] * size[1] * (dpi / 72) ** 2 / 1e6


def fitting_dpi(size: tuple[float, float], dpi: float, limits: Limits = Limits()) -> float:
    """`dpi`, or less where the page would exceed the pixel limit at `dpi`."""
    pixels = megapixels(size, dpi)
    return dpi if pixels <= limits.max_megapixels else \
        0.999 * dpi * (limits.max_megapixels / pixels) ** 0.5


def render_page(path: Path, page: int, dpi: float, *, fmt: str = "pgm",
                limits: Limits = Limits()) -> bytes:
    """One page (1-based) as an image file's bytes (`pgm`: grayscale, `png`: colour).
    ReadError('too_large') before rendering when the page exceeds the pixel limit."""
    size = page_size(path, page, limits)
    if megapixels(size, dpi) > limits.max_megapixels:
        raise ReadError("too_large", f"PDF page {page} too large to render "
                        f"({megapixels(size, dpi):.0f} megapixels at {dpi:g} dpi)",
                        f"Seite {page} ist zu groß (über {limits.max_megapixels:g} Megapixel "
                        f"bei {dpi:g} dpi).")
    width, height = (round(side * dpi / 72) + 1 for side in size)
    options = ["-gray"] if fmt == "pgm" else ["-png"]
    command = ["pdftoppm", "-r", f"{dpi:g}", *options, "-f", str(page), "-l", str(page),
               "-x", "0", "-y", "0", "-W", str(width), "-H", str(height), "-singlefile",
               str(path)]
    done = run_limited(command, limits)
    if done.returncode != 0 or not done.stdout:
        raise ReadError("corrupt", f"PDF page {page} not renderable (exit {done.returncode})")
    return done.stdout


def page_count(path: Path, limits: Limits = Limits()) -> int:
    done = run_limited(["pdfinfo", str(path)], limits)
    found = re.search(rb"^Pages:\s+(\d+)", done.stdout, re.M)
    if done.returncode != 0 or found is None:
        raise ReadError("corrupt", f"pdfinfo failed (exit {done.returncode})")
    return int(found.group(1))


def pdf_text(data: bytes, limits: Limits = Limits()) -> bytes:
    """The layout-preserving text layer (UTF-8 bytes, pages separated by form feeds)."""
    done = run_limited(["pdftotext", "-layout", "-enc", "UTF-8", "-q", "-", "-"], limits,
                       stdin=data)
    if done.returncode != 0:
        raise ReadError("corrupt", f"pdftotext failed (exit {done.returncode})")
    return done.stdout
