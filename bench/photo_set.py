"""Seeded phone photos of invoice pages (bench/photos.py and its short version in the suite).

A clean page (RGB, rendered at a known dpi) is laid on a textured desk and photographed with
a 12-megapixel phone held upright: the sheet fills 60-90 % of the frame, tilted towards the
camera (keystone) and turned in the plane, lit by a lamp from one side, partly shaded by the
photographer's hand, with a colour cast, lens blur, sensor noise and JPEG. Each photo is then
delivered as the camera stores it (upright pixels), as the sensor stores it with an EXIF
orientation tag, or as a messenger sends it (downscaled so the page is at 65-120 dpi, EXIF
gone, compressed again). Three levels of severity; the hard level also holds photos a person
would refuse (motion blur, the sheet partly outside the frame, the sheet far away), each
marked with the refusals that would be right.

Everything is drawn from one seeded generator per photo: the same seed gives the same bytes.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import cv2
import numpy as np
from PIL import Image

FRAME = (3024, 4032)  # width, height of the upright photo (12 MP, portrait)
FOCAL = 3200.0  # pixels: a phone's wide lens at 4032 pixels
LEVELS = ("mild", "medium", "hard")
DRAWN = "drawn"  # a photo's defect and delivery: drawn from its seed
_EXIF_ORIENTATION = 0x0112
# stored pixels = upright photo turned by np.rot90(k) for each orientation tag
_STORED_TURN = {6: 1, 8: -1, 3: 2}


@dataclass(frozen=True)
class Level:
    fill: tuple[float, float]  # the sheet's longer side / the frame's longer side
    tilt: float  # degrees the camera leans (keystone), at most, each way
    roll: float  # degrees the sheet is turned in the frame, at most
    lamp: tuple[float, float]  # share of brightness lost across the frame
    shadow: float  # chance of a hand shadow on the sheet
    depth: tuple[float, float]  # share of light the shadow takes
    cast: float  # colour cast: red and blue gain differ from 1 by up to this
    blur: tuple[float, float]  # lens blur, sigma in frame pixels
    noise: tuple[float, float]  # sensor noise, sigma in gray levels
    jpeg: tuple[int, int]
    messenger_dpi: tuple[int, int]  # the page's resolution in a messenger copy
    defect: float  # chance of a defect a person would refuse (hard level)


LEVEL = {
    "mild": Level((0.78, 0.9), 5, 3, (0.05, 0.2), 0.2, (0.15, 0.25), 0.04, (0.4, 0.8),
                  (2, 4), (86, 94), (100, 120), 0.0),
    "medium": Level((0.68, 0.85), 12, 8, (0.15, 0.35), 0.5, (0.25, 0.4), 0.08, (0.6, 1.1),
                    (3, 6), (76, 88), (80, 110), 0.0),
    "hard": Level((0.6, 0.75), 20, 15, (0.3, 0.5), 1.0, (0.35, 0.55), 0.12, (0.9, 1.6),
                  (5, 9), (65, 80), (65, 90), 0.5),
}
BLURRED_AT = 2.0  # sigma at 300 dpi: with a photo's noise and JPEG, words are lost
COARSE_DPI = 70  # a page with fewer pixels than this per inch: letters of 4 to 6 pixels
DEFECTS = {  # defect: the gate's problem codes that are the right refusal
    "motion": frozenset({"motion_blur", "blurred"}),
    "outside": frozenset({"page_incomplete", "cut_off"}),
    "far": frozenset({"page_too_small", "low_resolution"}),
}


@dataclass(frozen=True)
class Shot:
    """What one photo is: its level and seed, how it was delivered, the page's resolution in
    the delivered image, and the defect that makes a refusal right (if any)."""

    level: str
    seed: int
    delivery: str  # camera | exif | messenger
    dpi: int
    defect: str | None = None
    blur: float = 0.0  # lens blur (sigma) in pixels of the page at 300 dpi

    @property
    def right_refusals(self) -> frozenset[str]:
        """The gate's refusals that are right for this photo: its defect's, and "blurred"
        when the lens alone blurs it past what Tesseract reads (BLURRED_AT), "too small"
        when the page has fewer pixels than a person needs (COARSE_DPI)."""
        right = set(DEFECTS.get(self.defect, ()))
        if self.blur >= BLURRED_AT:
            right |= {"blurred", "motion_blur"}
        if self.dpi < COARSE_DPI:
            right |= {"low_resolution", "page_too_small"}
        return frozenset(right)


# --- the scene ---------------------------------------------------------------------------


def _smooth_noise(rng: np.random.Generator, shape: tuple[int, int], cells: int) -> np.ndarray:
    """Low-frequency noise in 0..1: a coarse random grid scaled up smoothly."""
    coarse = rng.random((cells, max(2, cells * shape[1] // shape[0]))).astype(np.float32)
    return cv2.resize(coarse, (shape[1], shape[0]), interpolation=cv2.INTER_CUBIC).clip(0, 1)


def desk(rng: np.random.Generator, shape: tuple[int, int]) -> np.ndarray:
    """A desk surface (8-bit RGB): wood, grey laminate, dark fabric or a light top; made at a
    quarter of the size (its grain is that coarse) and scaled up."""
    height, width = shape
    small = (height // 4, width // 4)
    kind = rng.choice(["wood", "laminate", "dark", "light"], p=[0.4, 0.25, 0.15, 0.2])
    base = {"wood": rng.uniform([110, 70, 40], [170, 120, 80]),
            "laminate": np.full(3, rng.uniform(105, 165)),
            "dark": rng.uniform([30, 30, 30], [75, 70, 70]),
            "light": rng.uniform([165, 160, 150], [205, 200, 190])}[kind]
    if kind == "wood":
        wobble = _smooth_noise(rng, small, 6) * rng.uniform(30, 80)
        xs = np.arange(small[1], dtype=np.float32)[None, :]
        grain = 0.5 + 0.5 * np.sin(2 * np.pi * (xs + wobble) / rng.uniform(8, 25))
        texture = 0.8 + 0.35 * grain * _smooth_noise(rng, small, 12)
    else:
        texture = 0.9 + 0.2 * _smooth_noise(rng, small, int(rng.integers(4, 20)))
    surface = texture[..., None] * base[None, None, :].astype(np.float32)
    surface += rng.normal(0, rng.uniform(2, 8), (*small, 1)).astype(np.float32)
    return cv2.resize(np.clip(surface, 0, 255).astype(np.uint8), (width, height))


def _rotation(pitch: float, yaw: float, roll: float) -> np.ndarray:
    p, y, r = np.deg2rad([pitch, yaw, roll])
    rx = np.array([[1, 0, 0], [0, np.cos(p), -np.sin(p)], [0, np.sin(p), np.cos(p)]])
    ry = np.array([[np.cos(y), 0, np.sin(y)], [0, 1, 0], [-np.sin(y), 0, np.cos(y)]])
    rz = np.array([[np.cos(r), -np.sin(r), 0], [np.sin(r), np.cos(r), 0], [0, 0, 1]])
    return rz @ rx @ ry


def sheet_corners(rng: np.random.Generator, page: tuple[int, int], level: Level,
                  fill: float, outside: bool) -> np.ndarray:
    """Where the page's corners (tl, tr, br, bl) land in the frame: the sheet seen by a
    pinhole camera leaning by up to `level.tilt`, then placed to fill `fill` of the frame."""
    width, height = page
    flat = np.array([[-width / 2, -height / 2, 0], [width / 2, -height / 2, 0],
                     [width / 2, height / 2, 0], [-width / 2, height / 2, 0]])
    turn = _rotation(*rng.uniform(-level.tilt, level.tilt, 2),
                     rng.uniform(-level.roll, level.roll))
    seen = flat @ turn.T + np.array([0, 0, 2.5 * max(page)])
    quad = FOCAL * seen[:, :2] / seen[:, 2:]
    span = quad.max(axis=0) - quad.min(axis=0)
    quad = (quad - quad.min(axis=0)) * fill * max(FRAME) / max(span[1], span[0] * 4 / 3)
    room = np.array(FRAME) - quad.max(axis=0)
    offset = rng.uniform(0.15, 0.85, 2) * room
    if outside:  # pushed over one edge by a tenth to a fifth of the sheet
        axis = int(rng.integers(0, 2))
        push = rng.uniform(0.1, 0.2) * quad.max(axis=0)[axis]
        offset[axis] = -push if rng.random() < 0.5 else room[axis] + push
    return (quad + offset).astype(np.float32)


def lighting(rng: np.random.Generator, shape: tuple[int, int], lamp: float) -> np.ndarray:
    """The light falling on the scene (1 = full): a lamp to one side, and a little vignetting."""
    height, width = shape
    ys, xs = np.mgrid[0:height:8, 0:width:8].astype(np.float32)
    angle = rng.uniform(0, 2 * np.pi)
    ramp = xs * np.cos(angle) + ys * np.sin(angle)
    ramp = (ramp - ramp.min()) / (ramp.max() - ramp.min())
    radius = np.hypot(xs - width / 2, ys - height / 2) / np.hypot(width / 2, height / 2)
    light = (1 - lamp * ramp) * (1 - rng.uniform(0, 0.12) * radius ** 2)
    return cv2.resize(light, (width, height), interpolation=cv2.INTER_LINEAR)


def hand_shadow(rng: np.random.Generator, shape: tuple[int, int], quad: np.ndarray,
                depth: float) -> np.ndarray:
    """A soft shadow of a hand and forearm reaching in from an edge over the sheet."""
    height, width = shape
    mask = np.zeros((height // 8, width // 8), np.float32)
    target = quad[int(rng.integers(0, 4))] * rng.uniform(0.6, 0.9) + quad.mean(axis=0) * 0.3
    side = int(rng.integers(0, 4))
    entry = [(target[0], height), (target[0], 0), (0, target[1]), (width, target[1])][side]
    thickness = rng.uniform(0.12, 0.22) * width
    for t in np.linspace(0, 1, 12):
        centre = (np.array(entry) * (1 - t) + target * t) / 8
        cv2.circle(mask, (int(centre[0]), int(centre[1])), int(thickness / 16), 1.0, -1)
    mask = cv2.GaussianBlur(mask, (0, 0), rng.uniform(6, 14))
    return 1 - depth * cv2.resize(mask, (width, height), interpolation=cv2.INTER_LINEAR)


def _on_desk(page: np.ndarray, quad: np.ndarray, backdrop: np.ndarray) -> np.ndarray:
    """The page warped onto the desk at `quad`, with the sheet's own faint drop shadow."""
    height, width = page.shape[:2]
    corners = np.float32([[0, 0], [width, 0], [width, height], [0, height]])
    matrix = cv2.getPerspectiveTransform(corners, quad)
    sheet = cv2.warpPerspective(page, matrix, FRAME, flags=cv2.INTER_LINEAR)
    alpha = cv2.warpPerspective(np.ones((height, width), np.float32), matrix, FRAME,
                                flags=cv2.INTER_LINEAR)
    small = cv2.resize(alpha, None, fx=1 / 8, fy=1 / 8, interpolation=cv2.INTER_AREA)
    drop = cv2.resize(cv2.GaussianBlur(np.roll(small, (2, 2), axis=(0, 1)), (0, 0), 1.5),
                      FRAME, interpolation=cv2.INTER_LINEAR)
    shaded = _lit(backdrop, 1 - 0.35 * drop, (1.0, 1.0, 1.0))
    return cv2.blendLinear(sheet, shaded, alpha, 1 - alpha)


def _lit(image: np.ndarray, light: np.ndarray, gains: tuple[float, float, float],
         noise: np.ndarray | None = None) -> np.ndarray:
    """An 8-bit RGB image times a light field (and a gain per channel), plus noise: channel
    by channel, so that no 3-channel float copy of a 12-megapixel frame is ever made."""
    channels = []
    for channel, gain in zip(cv2.split(image), gains, strict=True):
        channel = cv2.multiply(channel, light, scale=gain, dtype=cv2.CV_8U)
        channels.append(channel if noise is None else cv2.add(channel, noise, dtype=cv2.CV_8U))
    return cv2.merge(channels)


def _motion(image: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    length = int(rng.integers(18, 34))
    kernel = np.zeros((length, length), np.float32)
    kernel[length // 2, :] = 1 / length
    turn = cv2.getRotationMatrix2D((length / 2 - 0.5, length / 2 - 0.5), rng.uniform(0, 180), 1)
    kernel = cv2.warpAffine(kernel, turn, (length, length))
    return cv2.filter2D(image, -1, kernel / kernel.sum())


def _camera(scene: np.ndarray, light: np.ndarray, rng: np.random.Generator, level: Level,
            cast: float, blur: float, motion: bool) -> np.ndarray:
    """Light with a colour cast, lens (or motion) blur and sensor noise: 8-bit RGB."""
    photo = cv2.GaussianBlur(_lit(scene, light, (1 + cast, 1.0, 1 - cast)), (0, 0), blur)
    if motion:
        photo = _motion(photo, rng)
    noise = rng.standard_normal(photo.shape[:2], dtype=np.float32) * rng.uniform(*level.noise)
    return _lit(photo, np.ones(photo.shape[:2], np.float32), (1.0, 1.0, 1.0), noise)


def _jpeg(rgb: np.ndarray, quality: int, orientation: int = 1) -> bytes:
    buffer = io.BytesIO()
    image = Image.fromarray(rgb)
    if orientation == 1:
        image.save(buffer, "JPEG", quality=quality)
    else:
        exif = Image.Exif()
        exif[_EXIF_ORIENTATION] = orientation
        stored = Image.fromarray(np.ascontiguousarray(np.rot90(rgb, _STORED_TURN[orientation])))
        stored.save(buffer, "JPEG", quality=quality, exif=exif.tobytes())
    return buffer.getvalue()


def _page_dpi(quad: np.ndarray, page: np.ndarray, page_dpi: float) -> float:
    """The resolution of the sheet in the photo, along its longer side."""
    sides = np.linalg.norm(quad - np.roll(quad, -1, axis=0), axis=1)
    longer = max(sides[0] + sides[2], sides[1] + sides[3]) / 2
    return longer * page_dpi / max(page.shape[:2])


def photograph(page: np.ndarray, page_dpi: float, level_name: str, seed: int, *,
               defect: str | None = DRAWN, delivery: str = DRAWN) -> tuple[bytes, Shot]:
    """One phone photo (JPEG bytes) of a clean RGB page rendered at `page_dpi`; its defect
    and delivery drawn from the seed unless given (the other draws stay the same)."""
    rng = np.random.default_rng(seed)
    level = LEVEL[level_name]
    drawn = str(rng.choice(sorted(DEFECTS))) if rng.random() < level.defect else None
    defect = drawn if defect == DRAWN else defect
    fill = rng.uniform(0.3, 0.4) if defect == "far" else rng.uniform(*level.fill)
    quad = sheet_corners(rng, (page.shape[1], page.shape[0]), level, fill, defect == "outside")
    paper = _lit(page, np.ones(page.shape[:2], np.float32), tuple(rng.uniform(0.9, 0.98, 3)))
    scene = _on_desk(paper, quad, desk(rng, (FRAME[1], FRAME[0])))
    light = lighting(rng, scene.shape[:2], rng.uniform(*level.lamp))
    if rng.random() < level.shadow:
        light *= hand_shadow(rng, scene.shape[:2], quad, rng.uniform(*level.depth))
    cast, blur = rng.uniform(-level.cast, level.cast), rng.uniform(*level.blur)
    photo = _camera(scene, light, rng, level, cast, blur, defect == "motion")
    dpi = _page_dpi(quad, page, page_dpi)
    blur_300 = blur * 300 / dpi  # the lens blur as a 300-dpi scan of the page would have it
    drawn = str(rng.choice(["camera", "exif", "messenger"], p=[0.4, 0.3, 0.3]))
    delivery = drawn if delivery == DRAWN else delivery
    quality = int(rng.integers(*level.jpeg))
    if delivery == "messenger":
        target = rng.uniform(*level.messenger_dpi)
        scale = min(1.0, target / dpi)
        photo = cv2.resize(photo, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
        dpi, quality = dpi * scale, int(rng.integers(60, 80))
    orientation = int(rng.choice([6, 8, 3])) if delivery == "exif" else 1
    shot = Shot(level_name, seed, delivery, round(dpi), defect, round(float(blur_300), 2))
    return _jpeg(photo, quality, orientation), shot
