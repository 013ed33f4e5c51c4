"""Phone photos: the sheet found in the frame and its perspective corrected.

A photo shows the sheet on a desk, seen at a slant: a bright, smooth quadrilateral in a
darker or textured surround. The sheet is found on a small copy with its print closed away:
grown from its brightest middle over small steps only (a lamp's gradient and a soft shadow
are small steps from pixel to pixel; the sheet's edge against the desk is a large one),
its hull fitted with four corners, and warped to an upright rectangle at the photo's own
resolution. A frame the sheet fills (a scan, a close-up) is left as it is.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

_WIDTH = 800  # pixels of the longer side of the copy the sheet is looked for on
_CLOSE = 9  # print thinner than this (copy pixels) is closed away before growing
# How the sheet is grown, tried in order: Canny's lower threshold on the copy (the upper
# one three times that), the width the edges that stop it are drawn with, the gray levels
# between neighbours within which it grows (larger: over a shadow's soft edge), and
# whether only sharp steps count as edges (not a shadow's)
_ATTEMPTS = ((20, 3, 3, False), (10, 5, 3, False), (10, 5, 8, True), (6, 7, 3, False),
             (6, 7, 8, True))
_FILLS = 0.9  # a sheet covering more of the frame than this: no photo (a scan, a close-up)
_MIN_SHARE = 0.03  # a bright region smaller than this share of the frame is no sheet
_EDGE = 2  # copy pixels: a sheet this close to the frame's edge runs out of the frame
_SURROUND = 25  # the surround must be this much darker than the sheet ...
_EDGE_WIDTH = 6.0  # ... and the step to it at most this many copy pixels wide
_SIDE_OFFSET = 6  # copy pixels either side of a sheet's side where its contrast is taken
_SIDE_CONTRAST = 12  # gray levels a side of the sheet stands out by at least
_INSET = 0.01  # the corners moved this share towards the middle: a sheet's margin is blank
_MIN_ANGLE = 45  # degrees: corners sharper than this make no sheet seen from above


@dataclass(frozen=True)
class Sheet:
    """Where the sheet lies in a photo: its corners (top left, top right, bottom right,
    bottom left, in frame pixels), the share of the frame it covers, and whether it runs out
    of the frame. `corners` is None when the frame is not a photo of a sheet on a surface."""

    corners: np.ndarray | None = None
    share: float = 1.0
    outside: bool = False

    @property
    def photo(self) -> bool:
        return self.corners is not None or self.outside


def _small(gray: np.ndarray) -> tuple[np.ndarray, float]:
    scale = min(1.0, _WIDTH / max(gray.shape))
    small = cv2.resize(gray, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (_CLOSE, _CLOSE))
    return cv2.medianBlur(cv2.morphologyEx(small, cv2.MORPH_CLOSE, kernel), 5), scale


def _seed(small: np.ndarray) -> tuple[int, int]:
    """The brightest point of the middle of the frame: on the sheet, if there is one."""
    height, width = small.shape
    middle = cv2.blur(small, (15, 15))[height // 4 : 3 * height // 4, width // 4 : 3 * width // 4]
    y, x = np.unravel_index(int(np.argmax(middle)), middle.shape)
    return int(x + width // 4), int(y + height // 4)


def _sharp_steps(small: np.ndarray) -> np.ndarray:
    """The copy less its blurred self: sharp steps (a sheet's edge) stay, soft ones (a
    shadow's edge, a lamp's gradient) fade."""
    return cv2.addWeighted(small, 1.0, cv2.GaussianBlur(small, (0, 0), 4), -1.0, 128)


def _region(small: np.ndarray, low: int, width: int, step: int, sharp: bool) -> np.ndarray:
    """The bright region grown from the seed (255 inside, its holes filled), stopped by
    steps over `step` gray levels and by edges (Canny from `low`, drawn `width` pixels
    wide: a faint sheet edge on a light desk is a small step but still an edge; `sharp`:
    only the edges of sharp steps)."""
    mask = np.zeros((small.shape[0] + 2, small.shape[1] + 2), np.uint8)
    source = _sharp_steps(small) if sharp else small
    edges = cv2.dilate(cv2.Canny(source, low, 3 * low), np.ones((width, width), np.uint8))
    mask[1:-1, 1:-1] = edges // 255
    flags = 4 | cv2.FLOODFILL_MASK_ONLY | (255 << 8)
    cv2.floodFill(small, mask, _seed(small), 0, step, step, flags)
    grown = np.where(mask[1:-1, 1:-1] == 255, 255, 0).astype(np.uint8)
    contours, _ = cv2.findContours(grown, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    region = np.zeros_like(grown)  # its outline filled: boxes and print inside belong to it
    cv2.drawContours(region, [max(contours, key=cv2.contourArea)], -1, 255, cv2.FILLED)
    return cv2.dilate(region, np.ones((width, width), np.uint8))  # back over the edges


def _ordered(points: np.ndarray) -> np.ndarray:
    """Four points as top left, top right, bottom right, bottom left."""
    sums, diffs = points.sum(axis=1), np.diff(points, axis=1).ravel()
    return np.array([points[np.argmin(sums)], points[np.argmin(diffs)],
                     points[np.argmax(sums)], points[np.argmax(diffs)]], np.float32)


def _quad(hull: np.ndarray) -> np.ndarray:
    """Four corners of a convex hull: its polygon simplified until four points remain (the
    smallest turned rectangle around it where that fails)."""
    perimeter = cv2.arcLength(hull, True)
    for share in (0.01, 0.02, 0.03, 0.05, 0.08):
        polygon = cv2.approxPolyDP(hull, share * perimeter, True)
        if len(polygon) == 4:
            return _ordered(polygon.reshape(4, 2).astype(np.float32))
        if len(polygon) < 4:
            break
    return _ordered(cv2.boxPoints(cv2.minAreaRect(hull)).astype(np.float32))


def _plausible(quad: np.ndarray) -> bool:
    """Convex, with no corner sharper than _MIN_ANGLE: a sheet, not a sliver."""
    sides = np.roll(quad, -1, axis=0) - quad
    cross = sides[:, 0] * np.roll(sides, -1, axis=0)[:, 1] - sides[:, 1] * np.roll(sides, -1,
                                                                                   axis=0)[:, 0]
    if not (np.all(cross > 0) or np.all(cross < 0)):
        return False
    for corner in range(4):
        a, b = -sides[corner - 1], sides[corner]
        cosine = float(a @ b) / (np.linalg.norm(a) * np.linalg.norm(b) + 1e-9)
        if np.degrees(np.arccos(np.clip(cosine, -1, 1))) < _MIN_ANGLE:
            return False
    return True


def _darker_around(small: np.ndarray, region: np.ndarray) -> bool:
    """The surround of the region is clearly darker: a sheet on a surface, not a bright box
    on a page."""
    ring = cv2.dilate(region, np.ones((25, 25), np.uint8)) & ~region
    return bool(ring.any()) and (float(np.median(small[region > 0]))
                                 - float(np.median(small[ring > 0])) >= _SURROUND)


def _steepness(small: np.ndarray) -> np.ndarray:
    """The steepest gray-level step per pixel near each pixel."""
    gradient = cv2.magnitude(cv2.Sobel(small, cv2.CV_32F, 1, 0) / 8,
                             cv2.Sobel(small, cv2.CV_32F, 0, 1) / 8)
    return cv2.dilate(gradient, np.ones((7, 7), np.uint8))


def _sharp(contrast: float, steepness: np.ndarray) -> bool:
    """A step of `contrast` over these steepnesses is a few pixels wide: a sheet's edge,
    not the soft edge of a shadow."""
    return steepness.size > 0 and contrast / max(float(np.median(steepness)), 1e-3) <= _EDGE_WIDTH


def _sides_sharp(small: np.ndarray, steep: np.ndarray, quad: np.ndarray) -> bool:
    """Each side of the quadrilateral is a sharp step down to the surround: the whole sheet
    was found, not the part of it outside a shadow."""
    centre = quad.mean(axis=0)
    height, width = small.shape
    for start, end in zip(quad, np.roll(quad, -1, axis=0), strict=True):
        along = end - start
        normal = np.array([-along[1], along[0]]) / (np.linalg.norm(along) + 1e-9)
        if normal @ (centre - (start + end) / 2) < 0:
            normal = -normal  # pointing into the sheet
        points = start + along * np.linspace(0.1, 0.9, 25)[:, None]

        def at(offset: float, points=points, normal=normal) -> np.ndarray:
            xy = np.rint(points + offset * normal).astype(int)
            return np.clip(xy, 0, [width - 1, height - 1])

        inside, outside = at(_SIDE_OFFSET), at(-_SIDE_OFFSET)
        contrast = float(np.median(small[inside[:, 1], inside[:, 0]].astype(float)
                                   - small[outside[:, 1], outside[:, 0]]))
        steepest = np.max([steep[xy[:, 1], xy[:, 0]] for xy in map(at, (-3, 0, 3))], axis=0)
        if contrast < _SIDE_CONTRAST or not _sharp(contrast, steepest):
            return False
    return True


def _sharp_outline(small: np.ndarray, steep: np.ndarray, region: np.ndarray) -> bool:
    """The region's outline within the frame is sharp (a sheet running out of the frame,
    not the lit part of a scan with a shadow over the rest)."""
    ring = cv2.dilate(region, np.ones((25, 25), np.uint8)) & ~region
    contrast = float(np.median(small[region > 0])) - float(np.median(small[ring > 0]))
    edge = cv2.morphologyEx(region, cv2.MORPH_GRADIENT, np.ones((3, 3), np.uint8)) > 0
    edge[:_EDGE], edge[-_EDGE:], edge[:, :_EDGE], edge[:, -_EDGE:] = False, False, False, False
    return _sharp(contrast, steep[edge])


def _outside(region: np.ndarray) -> bool:
    ys, xs = np.nonzero(region)
    height, width = region.shape
    return (xs.min() < _EDGE or ys.min() < _EDGE or xs.max() >= width - _EDGE
            or ys.max() >= height - _EDGE)


def find_sheet(gray: np.ndarray) -> Sheet:
    """The sheet in a photo; Sheet() (no corners) when the frame is a scan or a close-up.
    The region is grown with ever finer edges and larger steps until a whole sheet with
    four sharp sides stands out (a faint stretch of edge in a shadow lets it leak into the
    desk, a shadow's own soft edge stops it early)."""
    small, scale = _small(gray)
    steep = _steepness(small)
    cut = Sheet()
    for low, width, step, sharp in _ATTEMPTS:
        region = _region(small, low, width, step, sharp)
        share = float(np.count_nonzero(region)) / region.size
        if not _MIN_SHARE <= share <= _FILLS or not _darker_around(small, region):
            continue
        if _outside(region):
            if not cut.outside and _sharp_outline(small, steep, region):
                cut = Sheet(share=share, outside=True)
            continue
        contours, _ = cv2.findContours(region, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
        quad = _quad(cv2.convexHull(max(contours, key=cv2.contourArea)))
        if _plausible(quad) and _sides_sharp(small, steep, quad):
            inward = (quad.mean(axis=0) - quad) * _INSET  # off the edge, the desk beyond it
            return Sheet((quad + inward + 0.5) / scale - 0.5, share)
    return cut


def straighten(gray: np.ndarray, corners: np.ndarray) -> np.ndarray:
    """The sheet within `corners` warped to an upright rectangle, as many pixels along each
    side as the photo gives its longer edge."""
    tl, tr, br, bl = corners
    width = round(max(np.linalg.norm(tr - tl), np.linalg.norm(br - bl)))
    height = round(max(np.linalg.norm(bl - tl), np.linalg.norm(br - tr)))
    target = np.float32([[0, 0], [width - 1, 0], [width - 1, height - 1], [0, height - 1]])
    matrix = cv2.getPerspectiveTransform(corners.astype(np.float32), target)
    return cv2.warpPerspective(gray, matrix, (width, height), flags=cv2.INTER_LINEAR,
                               borderMode=cv2.BORDER_REPLICATE)
