"""Perspective from the print, for photos whose sheet edges are not found (an edge in a
hand's shadow, a sheet on a light desk): the sheet's text lines are parallel on paper, and
so are the long strokes across them (table rules, the sides of boxes). Seen at a slant,
each family runs towards a vanishing point. The page is straightened by sending both
points to infinity (the lines of each family parallel again) and then turning the two
families to right angles. Where nothing runs across the lines, the text lines alone
straighten the page (they come out parallel; the strokes across them keep a slant).
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

_WIDTH = 1200  # pixels of the longer side of the copy the lines are found on
_MIN_LINES = 8  # text lines needed to tell where they run
_LINE_LENGTH = 8  # a text line is at least this many letter heights long ...
_LINE_THICK = 2.2  # ... and at most this many high
_ACROSS_LENGTH = 5  # a stroke across the lines is at least this many letter heights long
_FAMILY = np.radians(20)  # lines within this angle of the family's median belong to it
_RESIDUAL = np.radians(1.0)  # lines further off the vanishing point are left out
_MIN_SPREAD = np.radians(0.6)  # a family whose directions differ less: no perspective
_HORIZON = 0.25  # the horizon at least this far outside the frame (normalised): no fold
_MARGIN = 0.05  # share of the frame's longer side kept around the text lines
_MIN_DISTORTION = 0.01  # corners moved less than this (share of half the frame) beyond a
# turn and a scale: no perspective worth a warp (deskew turns the page)


@dataclass(frozen=True)
class Segment:
    """A straight line on the copy: its two ends and its weight (length)."""

    start: np.ndarray
    end: np.ndarray

    @property
    def length(self) -> float:
        return float(np.linalg.norm(self.end - self.start))

    @property
    def angle(self) -> float:
        """Direction in radians, folded to (-pi/2, pi/2]."""
        dx, dy = self.end - self.start
        angle = float(np.arctan2(dy, dx))
        if angle > np.pi / 2:
            return angle - np.pi
        return angle + np.pi if angle <= -np.pi / 2 else angle


def _ink(gray: np.ndarray) -> tuple[np.ndarray, float]:
    """The print of a small copy (255), by a threshold that follows uneven light."""
    scale = min(1.0, _WIDTH / max(gray.shape))
    small = cv2.resize(gray, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    ink = cv2.adaptiveThreshold(small, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV,
                                31, 15)
    return ink, scale


def _letter_height(ink: np.ndarray) -> float | None:
    _, _, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    heights = stats[1:, 3][(stats[1:, 3] >= 3) & (stats[1:, 3] <= 40) & (stats[1:, 2] <= 60)]
    return float(np.median(heights)) if len(heights) >= 30 else None


def _text_lines(ink: np.ndarray, height: float) -> list[Segment]:
    """The text lines: letters smeared together along the line, each run that is long and
    thin taken as a segment along its middle."""
    width = int(2 * height) | 1
    smeared = cv2.morphologyEx(ink, cv2.MORPH_CLOSE, np.ones((1, width), np.uint8))
    contours, _ = cv2.findContours(smeared, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_NONE)
    lines = []
    for contour in contours:
        (cx, cy), (w, h), angle = cv2.minAreaRect(contour)
        long, thick = max(w, h), min(w, h)
        if long < _LINE_LENGTH * height or thick > _LINE_THICK * height:
            continue
        theta = np.radians(angle if w >= h else angle + 90)
        half = np.array([np.cos(theta), np.sin(theta)]) * long / 2
        lines.append(Segment(np.array([cx, cy]) - half, np.array([cx, cy]) + half))
    return lines


def _across(ink: np.ndarray, height: float) -> list[Segment]:
    """Long straight strokes: table rules, sides of boxes (and text lines' runs of ink)."""
    found = cv2.HoughLinesP(ink, 1, np.pi / 360, threshold=int(4 * height),
                            minLineLength=_ACROSS_LENGTH * height, maxLineGap=height / 2)
    if found is None:
        return []
    return [Segment(np.array(line[:2], float), np.array(line[2:], float)) for line in found.reshape(-1, 4)]


def _family(segments: list[Segment], around: float) -> list[Segment]:
    def off(segment: Segment) -> float:
        difference = abs(segment.angle - around) % np.pi
        return min(difference, np.pi - difference)

    return [segment for segment in segments if off(segment) <= _FAMILY]


def _homogeneous(segment: Segment, centre: np.ndarray, scale: float) -> np.ndarray:
    """The segment's line in coordinates centred on the copy (unit: half its longer side)."""
    start, end = (segment.start - centre) / scale, (segment.end - centre) / scale
    line = np.cross([*start, 1.0], [*end, 1.0])
    return line / (np.linalg.norm(line[:2]) + 1e-12)


def _off_point(segment: Segment, point: np.ndarray, centre: np.ndarray, scale: float) -> float:
    """The angle between a segment and the direction from its middle to a vanishing point."""
    middle = ((segment.start + segment.end) / 2 - centre) / scale
    towards = point[:2] - point[2] * middle
    direction = (segment.end - segment.start) / (segment.length + 1e-12)
    sine = abs(direction[0] * towards[1] - direction[1] * towards[0])
    return float(np.arcsin(min(1.0, sine / (np.linalg.norm(towards) + 1e-12))))


def vanishing_point(segments: list[Segment], centre: np.ndarray,
                    scale: float) -> np.ndarray | None:
    """The point (homogeneous, centred coordinates) the segments run towards, weighted by
    length; segments that miss it by more than _RESIDUAL are left out once. None for
    segments that hardly differ in direction (no perspective to see in them)."""
    for _ in range(2):
        if len(segments) < 2:
            return None
        lines = np.array([_homogeneous(s, centre, scale) for s in segments])
        weights = np.array([s.length for s in segments])
        _, vectors = np.linalg.eigh((lines * weights[:, None]).T @ lines)
        point = vectors[:, 0]
        segments = [s for s in segments if _off_point(s, point, centre, scale) <= _RESIDUAL]
    return point if len(segments) >= 2 else None


def _spread(segments: list[Segment]) -> float:
    angles = np.unwrap(2 * np.array([s.angle for s in segments])) / 2
    return float(np.percentile(angles, 90) - np.percentile(angles, 10))


def _rectifying(along: np.ndarray, across: np.ndarray) -> np.ndarray | None:
    """The homography (centred coordinates) sending both vanishing points to infinity and
    their directions to the x and y axes; None where the horizon crosses the frame."""
    horizon = np.cross(along, across)
    corners = np.array([[-1, -1, 1], [1, -1, 1], [1, 1, 1], [-1, 1, 1]], float)
    if abs(horizon[2]) < 1e-9:
        return None
    horizon = horizon / horizon[2]
    if np.min(corners @ horizon) < _HORIZON:
        return None
    projective = np.eye(3)
    projective[2] = horizon
    x_axis, y_axis = (projective @ along)[:2], (projective @ across)[:2]
    x_axis = x_axis * np.sign(x_axis[0] or 1) / np.linalg.norm(x_axis)
    y_axis = y_axis * np.sign(y_axis[1] or 1) / np.linalg.norm(y_axis)
    axes = np.column_stack([x_axis, y_axis])
    if np.linalg.det(axes) < 0.5:  # the families nearly parallel, or mirrored
        return None
    affine = np.eye(3)
    affine[:2, :2] = np.linalg.inv(axes)
    return affine @ projective


def _distortion(homography: np.ndarray) -> float:
    """How far the homography moves the frame's corners (centred coordinates) from where
    the nearest turn and scale would put them."""
    corners = np.float32([[-1, -1], [1, -1], [1, 1], [-1, 1]])
    moved = cv2.perspectiveTransform(corners[None], homography)[0]
    similar, _ = cv2.estimateAffinePartial2D(corners, moved)
    if similar is None:
        return float("inf")
    expected = corners @ similar[:, :2].T + similar[:, 2]
    return float(np.max(np.linalg.norm(moved - expected, axis=1)))


def rectification(gray: np.ndarray) -> np.ndarray | None:
    """The homography (frame pixels to frame pixels, before any shift) that straightens
    the print of a page seen at a slant; None where the print shows no perspective or
    too little print to tell."""
    found = _rectified(gray)
    return None if found is None else found[0]


def _rectified(gray: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
    """rectification's homography and the ends of the text lines (frame pixels)."""
    ink, shrink = _ink(gray)
    height = _letter_height(ink)
    if height is None:
        return None
    lines = _text_lines(ink, height)
    if len(lines) < _MIN_LINES:
        return None
    lines = _family(lines, float(np.median([s.angle for s in lines])))
    text_angle = float(np.median([s.angle for s in lines]))
    across = _family(_across(ink, height), text_angle + np.pi / 2)
    centre = np.array(ink.shape[::-1], float) / 2
    scale = max(ink.shape) / 2
    along_point = vanishing_point(lines, centre, scale)
    if along_point is None:
        return None
    across_point = vanishing_point(across, centre, scale) if len(across) >= 3 else None
    if _spread(lines) < _MIN_SPREAD and (across_point is None or _spread(across) < _MIN_SPREAD):
        return None
    if across_point is None:  # square to the text lines at the middle of the frame
        across_point = np.array([-along_point[1], along_point[0], 0.0])
    homography = _rectifying(along_point, across_point)
    if homography is None or _distortion(homography) < _MIN_DISTORTION:
        return None
    normalise = np.array([[1 / scale, 0, -centre[0] / scale], [0, 1 / scale, -centre[1] / scale],
                          [0, 0, 1]])
    frame = np.diag([shrink, shrink, 1.0])  # frame pixels to copy pixels
    ends = np.array([end for s in lines for end in (s.start, s.end)]) / shrink
    return np.linalg.inv(frame) @ np.linalg.inv(normalise) @ homography @ normalise @ frame, ends


def straighten_print(gray: np.ndarray, max_growth: float = 1.6) -> tuple[np.ndarray, bool]:
    """The frame warped so that its print runs straight and square, at about the frame's
    resolution in its middle, and cut to its text lines with a margin (the desk around
    would confuse the orientation step); the frame as it is (False) where no perspective
    shows or the warp would blow the frame up more than `max_growth` times."""
    found = _rectified(gray)
    if found is None:
        return gray, False
    homography, ends = found
    moved = cv2.perspectiveTransform(ends[None].astype(np.float32), homography)[0]
    margin = _MARGIN * max(gray.shape)
    low, high = moved.min(axis=0) - margin, moved.max(axis=0) + margin
    size = high - low
    if size[0] * size[1] > max_growth * gray.size:
        return gray, False
    shift = np.array([[1, 0, -low[0]], [0, 1, -low[1]], [0, 0, 1]])
    surround = int(np.median(gray[::16, ::16]))  # not the edge pixels drawn out
    warped = cv2.warpPerspective(gray, shift @ homography, (int(size[0]), int(size[1])),
                                 flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT,
                                 borderValue=surround)
    return warped, True
