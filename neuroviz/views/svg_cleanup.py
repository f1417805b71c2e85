"""Make QSvgGenerator's SVG well-formed and drawn alike by every renderer (librsvg, browsers, Inkscape, QtSvg).

QSvgGenerator has two habits that other renderers do not share:

- It writes text as it is: a name with a control character (``"a\\u0002b"``) makes a file that is not XML at all.
  :func:`xml_safe` drops every character XML 1.0 forbids.
- It writes what a scaled painter draws in the painter's coordinates, under a group ``transform="matrix(…)"``
  (a plot's view box scales data units by ~80 px), and marks lines drawn with cosmetic (device-pixel) pens
  ``vector-effect="non-scaling-stroke"``. librsvg before 2.57 and other renderers ignore that attribute and
  scale the 2 px stroke by 80: a curve becomes an 80 px wide band. Pattern fills (the ±∞ hatching), which Qt
  draws in device pixels, are scaled up the same way. :func:`bake_transforms` writes such shapes in output
  units instead: their coordinates go through the group's matrix and they move to an unscaled group, so their
  stroke width, dashes and fill pattern mean output pixels in every renderer, as in the PNG.

Shapes drawn with a pen that should scale (non-cosmetic), text and images keep their group's transform.
QSvgGenerator's SVG Tiny output has no clipping, so a plot's curves would run past its axes: the caller names
each plot's data matrix and box, and what is drawn under that matrix is clipped to the box.
"""

from __future__ import annotations

import copy
import math
import re
import xml.etree.ElementTree as ET
from collections.abc import Sequence

__all__ = ["Matrix", "bake_transforms", "xml_safe"]

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
_G = f"{{{SVG_NS}}}g"

#: Characters XML 1.0 does not allow anywhere in a document (C0 controls but tab, newline and carriage return;
#: surrogates, which only appear alone after a bad decode; the non-characters U+FFFE and U+FFFF).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_NUMBER = r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?"
_PATH_TOKEN = re.compile(rf"\s*,?\s*([MLCQSTHVZmlcqsthvz]|{_NUMBER})")
_MATRIX = re.compile(
    rf"\s*matrix\(\s*({_NUMBER})\s*,?\s*({_NUMBER})\s*,?\s*({_NUMBER})\s*,?\s*({_NUMBER})"
    rf"\s*,?\s*({_NUMBER})\s*,?\s*({_NUMBER})\s*\)\s*"
)
#: number of coordinates after each absolute path command Qt writes (H and V are turned into L)
_PATH_ARITY = {"M": 2, "L": 2, "C": 6, "Q": 4, "S": 4, "T": 2, "Z": 0}
#: a circle as four cubic Béziers (control points at 0.5523 of the radius), for circles under a skewing matrix
_KAPPA = 4 * (math.sqrt(2) - 1) / 3

Matrix = tuple[float, float, float, float, float, float]


class _Unsupported(ValueError):
    """A shape this module does not rewrite; it keeps its group's transform."""


def xml_safe(text: str) -> str:
    """``text`` without the characters XML 1.0 forbids (a C0 control in a layer name, a U+FFFF, …)."""
    return _NOT_XML.sub("", text)


def bake_transforms(
    svg: str,
    width: float | None = None,
    height: float | None = None,
    clips: Sequence[tuple[Matrix, tuple[float, float, float, float]]] = (),
) -> str:
    """The SVG document with cosmetic strokes and unstroked fills written in output units (see the module doc).

    ``width`` and ``height`` replace the document's size (Qt writes millimetres rounded to 1/1000, which
    renderers round up to one pixel more than the PNG) by CSS pixels. ``clips`` pairs a data-to-output matrix
    with a rectangle (x, y, width, height) in output units: what is drawn under that matrix is clipped to it,
    as a plot clips its curves to its axes (Qt's SVG Tiny output has no clipping). ``svg`` must be well-formed
    (pass it through :func:`xml_safe` first); raises ``xml.etree.ElementTree.ParseError`` otherwise.
    """
    ET.register_namespace("", SVG_NS)
    ET.register_namespace("xlink", XLINK_NS)
    root = ET.fromstring(svg)
    if width is not None and height is not None:
        root.set("width", f"{_text(width)}px")
        root.set("height", f"{_text(height)}px")
    paints = _Paints(root)
    clip_ids = [paints.add_clip(rect) for _, rect in clips]
    parents = {child: parent for parent in root.iter() for child in parent}
    for group in [g for g in root.iter(_G) if _scaling_matrix(g.get("transform"))]:
        m = _scaling_matrix(group.get("transform"))
        clip = next((i for (matrix, _), i in zip(clips, clip_ids, strict=True) if _same(matrix, m)), None)
        _split(group, parents[group], m, paints, clip)
    return ET.tostring(root, encoding="unicode", xml_declaration=False)


class _Paints:
    """The document's gradients and patterns by id, and a place to add gradients moved into output units."""

    def __init__(self, root: ET.Element) -> None:
        self.by_id = {element.get("id"): element for element in root.iter() if element.get("id")}
        self.root = root
        self.moved: dict[tuple[str, Matrix], str] = {}

    def add_clip(self, rect: tuple[float, float, float, float]) -> str:
        """A new clipPath of ``rect`` in output units; its id."""
        clip_id = f"neuroviz_clip{len(self.by_id) + 1}"
        clip = ET.Element(f"{{{SVG_NS}}}clipPath", {"id": clip_id})
        x, y, w, h = rect
        ET.SubElement(clip, f"{{{SVG_NS}}}rect", {"x": _text(x), "y": _text(y), "width": _text(w), "height": _text(h)})
        self._defs().append(clip)
        self.by_id[clip_id] = clip
        return clip_id

    def _defs(self) -> ET.Element:
        defs = self.root.find(f"{{{SVG_NS}}}defs")
        if defs is None:
            defs = ET.Element(f"{{{SVG_NS}}}defs")
            self.root.insert(0, defs)
        return defs

    def referenced(self, paint: str | None) -> ET.Element | None:
        if not paint or not paint.startswith("url(#"):
            return None
        return self.by_id.get(paint[5:].rstrip(") "))

    def is_gradient(self, paint: str | None) -> bool:
        referenced = self.referenced(paint)
        return referenced is not None and referenced.tag.endswith("Gradient")

    def in_output_units(self, paint: str | None, m: Matrix) -> str | None:
        """``paint`` for a shape moved out of matrix ``m``: a gradient gets ``m`` as its gradientTransform.

        Qt places gradients in the painter's coordinates, so they must follow the shape; pattern fills are
        drawn in device pixels (as in the PNG) and stay as they are.
        """
        gradient = self.referenced(paint)
        if gradient is None or not gradient.tag.endswith("Gradient"):
            return paint
        if gradient.get("gradientUnits", "objectBoundingBox") != "userSpaceOnUse":
            return paint  # relative to the shape's box, which moved with the shape
        key = (gradient.get("id"), m)
        if key not in self.moved:
            moved = copy.deepcopy(gradient)
            new_id = f"{gradient.get('id')}_baked{len(self.moved) + 1}"
            matrix = "matrix({})".format(",".join(_text(v) for v in m))
            moved.set("id", new_id)
            moved.set("gradientTransform", f"{matrix} {gradient.get('gradientTransform', '')}".strip())
            self.by_id[new_id] = moved
            self._defs().append(moved)
            self.moved[key] = new_id
        return f"url(#{self.moved[key]})"


def _scaling_matrix(transform: str | None) -> Matrix | None:
    """The group's matrix when it changes lengths (a scale or a skew); None for moves, turns and flips."""
    if not transform:
        return None
    found = _MATRIX.fullmatch(transform)
    if found is None:
        return None
    a, b, c, d, e, f = (float(v) for v in found.groups())
    if math.isclose(a * a + b * b, 1) and math.isclose(c * c + d * d, 1) and abs(a * c + b * d) < 1e-9:
        return None
    return a, b, c, d, e, f


def _same(a: Matrix, b: Matrix) -> bool:
    """Qt writes matrices to 6 significant digits."""
    return all(math.isclose(x, y, rel_tol=1e-4, abs_tol=0.01) for x, y in zip(a, b, strict=True))


def _split(group: ET.Element, parent: ET.Element, m: Matrix, paints: _Paints, clip: str | None) -> None:
    """Replace ``group`` by consecutive groups: baked shapes without the transform, the rest with it (order kept).

    With ``clip`` (a clipPath id in output units) each of them is wrapped in an unscaled group clipped by it.
    """
    runs: list[tuple[bool, list[ET.Element]]] = []
    for child in group:
        baked = _baked(child, group, m, paints)
        if runs and runs[-1][0] == (baked is not None):
            runs[-1][1].append(baked if baked is not None else child)
        else:
            runs.append((baked is not None, [baked if baked is not None else child]))
    if not runs or (clip is None and not any(is_baked for is_baked, _ in runs)):
        return
    index = list(parent).index(group)
    parent.remove(group)
    for offset, (is_baked, children) in enumerate(runs):
        replacement = ET.Element(group.tag, group.attrib)
        replacement.text = group.text
        replacement.tail = group.tail
        if is_baked:
            del replacement.attrib["transform"]
            for attribute in ("fill", "stroke"):
                if attribute in replacement.attrib:
                    replacement.set(attribute, paints.in_output_units(replacement.get(attribute), m))
        replacement.extend(children)
        if clip is not None:
            wrapper = ET.Element(_G, {"clip-path": f"url(#{clip})"})
            wrapper.append(replacement)
            wrapper.tail, replacement.tail = replacement.tail, None
            replacement = wrapper
        parent.insert(index + offset, replacement)


def _baked(child: ET.Element, group: ET.Element, m: Matrix, paints: _Paints) -> ET.Element | None:
    """``child`` in output units, or None when it must stay under the matrix (a scaling pen, text, an image)."""
    stroke = child.get("stroke", group.get("stroke", "none"))
    if child.get("vector-effect") != "non-scaling-stroke" and stroke != "none":
        return None
    if any(paints.is_gradient(child.get(attribute)) for attribute in ("fill", "stroke")):
        return None  # a gradient set on the shape itself: rare in Qt's output, left under its matrix
    try:
        baked = _mapped_shape(child, m)
    except _Unsupported:
        return None
    baked.attrib.pop("vector-effect", None)
    baked.tail = child.tail
    return baked


def _mapped_shape(shape: ET.Element, m: Matrix) -> ET.Element:
    tag = shape.tag.removeprefix(f"{{{SVG_NS}}}")
    attributes = dict(shape.attrib)
    out = ET.Element(shape.tag, attributes)
    if tag == "path":
        out.set("d", _mapped_path(shape.get("d", ""), m))
    elif tag in ("polyline", "polygon"):
        out.set("points", _mapped_points(shape.get("points", ""), m))
    elif tag == "line":
        (x1, y1), (x2, y2) = (_map(m, *_floats(shape, f"x{i}", f"y{i}")) for i in (1, 2))
        for name, value in zip(("x1", "y1", "x2", "y2"), (x1, y1, x2, y2), strict=True):
            out.set(name, _text(value))
    elif tag == "rect":
        if shape.get("rx") or shape.get("ry"):
            raise _Unsupported("rounded rect")
        x, y, w, h = _floats(shape, "x", "y", "width", "height")
        corners = [_map(m, px, py) for px, py in ((x, y), (x + w, y), (x + w, y + h), (x, y + h))]
        out = _rect_or_polygon(shape, attributes, corners, m)
    elif tag in ("circle", "ellipse"):
        cx, cy = _floats(shape, "cx", "cy")
        rx, ry = _floats(shape, "r", "r") if tag == "circle" else _floats(shape, "rx", "ry")
        out = _ellipse(shape, attributes, cx, cy, rx, ry, m)
    else:
        raise _Unsupported(tag)
    out.text = shape.text
    return out


def _rect_or_polygon(shape: ET.Element, attributes: dict, corners: list, m: Matrix) -> ET.Element:
    for name in ("x", "y", "width", "height"):
        attributes.pop(name, None)
    if m[1] == 0 and m[2] == 0:
        xs, ys = [p[0] for p in corners], [p[1] for p in corners]
        out = ET.Element(shape.tag, attributes)
        for name, value in (
            ("x", min(xs)),
            ("y", min(ys)),
            ("width", max(xs) - min(xs)),
            ("height", max(ys) - min(ys)),
        ):
            out.set(name, _text(value))
        return out
    out = ET.Element(f"{{{SVG_NS}}}polygon", attributes)
    out.set("points", " ".join(f"{_text(x)},{_text(y)}" for x, y in corners))
    return out


def _ellipse(shape: ET.Element, attributes: dict, cx: float, cy: float, rx: float, ry: float, m: Matrix) -> ET.Element:
    for name in ("cx", "cy", "r", "rx", "ry"):
        attributes.pop(name, None)
    if m[1] == 0 and m[2] == 0:
        out = ET.Element(f"{{{SVG_NS}}}ellipse", attributes)
        centre = _map(m, cx, cy)
        for name, value in zip(("cx", "cy", "rx", "ry"), (*centre, abs(m[0]) * rx, abs(m[3]) * ry), strict=True):
            out.set(name, _text(value))
        return out
    k = _KAPPA
    unit = [(1, 0), (1, k), (k, 1), (0, 1), (-k, 1), (-1, k), (-1, 0), (-1, -k), (-k, -1), (0, -1), (k, -1), (1, -k)]
    points = [_map(m, cx + rx * ux, cy + ry * uy) for ux, uy in unit]
    segments = [f"M{_text(points[0][0])},{_text(points[0][1])}"]
    for i in range(0, 12, 3):
        controls = [points[(i + j) % 12] for j in (1, 2, 3)]
        segments.append("C" + " ".join(f"{_text(x)},{_text(y)}" for x, y in controls))
    out = ET.Element(f"{{{SVG_NS}}}path", attributes)
    out.set("d", " ".join(segments) + " Z")
    return out


def _mapped_path(d: str, m: Matrix) -> str:
    tokens, end = [], 0
    for found in _PATH_TOKEN.finditer(d):
        if found.start() != end:
            raise _Unsupported(f"path data {d[end : found.start()]!r}")
        tokens.append(found.group(1))
        end = found.end()
    if d[end:].strip(" ,\n\t"):
        raise _Unsupported(f"path data {d[end:]!r}")
    out, command, i, x, y = [], None, 0, 0.0, 0.0
    while i < len(tokens):
        if tokens[i][0].isalpha():
            command, i = tokens[i], i + 1
        if command is None or (command.islower() and command != "z"):
            raise _Unsupported(f"path command {command}")
        if command in ("H", "V"):
            x, y = (float(tokens[i]), y) if command == "H" else (x, float(tokens[i]))
            out.append("L" + "{},{}".format(*map(_text, _map(m, x, y))))
            i += 1
            continue
        arity = _PATH_ARITY[command.upper()]
        numbers = [float(t) for t in tokens[i : i + arity]]
        if len(numbers) < arity:
            raise _Unsupported("path data ends early")
        pairs = [_map(m, px, py) for px, py in zip(numbers[::2], numbers[1::2], strict=True)] if arity else []
        if arity:
            x, y = numbers[-2], numbers[-1]
        out.append(command.upper() + " ".join(f"{_text(px)},{_text(py)}" for px, py in pairs))
        i += arity
        if arity == 0 and i < len(tokens) and not tokens[i][0].isalpha():
            raise _Unsupported("numbers after Z")
    return " ".join(out)


def _mapped_points(points: str, m: Matrix) -> str:
    numbers = [float(v) for v in re.findall(_NUMBER, points)]
    if len(numbers) % 2 or re.sub(_NUMBER, "", points).strip(" ,\n\t"):
        raise _Unsupported(f"points {points!r}")
    pairs = zip(numbers[::2], numbers[1::2], strict=True)
    return " ".join("{},{}".format(*map(_text, _map(m, x, y))) for x, y in pairs)


def _floats(shape: ET.Element, *names: str) -> list[float]:
    try:
        values = [float(shape.get(name, "0")) for name in names]
    except ValueError as error:
        raise _Unsupported(str(error)) from error
    return values


def _map(m: Matrix, x: float, y: float) -> tuple[float, float]:
    a, b, c, d, e, f = m
    return a * x + c * y + e, b * x + d * y + f


def _text(value: float) -> str:
    """Output units to 1/1000 px: enough for any screen or printer, short files."""
    text = f"{round(value, 3):.12g}"
    return "0" if text == "-0" else text
