"""Pictures for slides: PNG and SVG of a whole window, one widget, or a pyqtgraph scene or item.

Everything is drawn with one QPainter path, so a PNG and an SVG of the same target look alike:

- a QGraphicsView (any pyqtgraph widget) renders the part of its scene it shows, through ``scene.render``;
- a QGraphicsScene renders what its first view shows (its ``sceneRect`` when it has no view);
- a QGraphicsItem renders its bounding rect in the scene;
- any other QWidget (the main window) renders itself and its children with ``QWidget.render``.

While exporting, pyqtgraph items (and any item with a ``setExportMode`` method) are put in export mode, which
makes ScatterPlotItem draw each symbol as a vector path instead of stamping cached pixmaps (the network view's
neurons go further and become ``drawEllipse`` calls, i.e. SVG ``<circle>`` elements, and its heat strips become
rectangles), and item and view caches are switched off, so nothing ends up as a blurry bitmap in a 2× PNG or as
an ``<image>`` in an SVG. pyqtgraph's own
SVGExporter is not used: it raises on PySide6 ≥ 6.11 (pyqtgraph issue 3485). QSvgGenerator's document is then
rewritten by :mod:`neuroviz.views.svg_cleanup` so that librsvg, browsers and Inkscape draw it as the PNG shows:
cosmetic strokes and pattern fills in output units, no XML-illegal characters, a size in CSS pixels, and what
each plot draws in data units clipped to the plot's box. (Qt writes SVG Tiny 1.2, which has no clipping; its SVG
1.1 mode writes clip paths, but after a painter restore refers to stale ones: an axis's grid clipped to a tick
label's box.)
Files are written atomically
by :func:`neuroviz.model.tables.write_file_atomically`; every failure is an :class:`ExportError` naming the
file.
"""

from __future__ import annotations

import contextlib
import math
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyqtgraph as pg
from PySide6.QtCore import QBuffer, QIODevice, QPoint, QRectF, QSize, QSizeF, Qt
from PySide6.QtGui import QBrush, QColor, QImage, QPainter, QRegion, QTransform
from PySide6.QtSvg import QSvgGenerator
from PySide6.QtWidgets import QGraphicsItem, QGraphicsScene, QGraphicsView, QWidget

from neuroviz.model.tables import ExportError, write_file_atomically
from neuroviz.version import __version__
from neuroviz.views.svg_cleanup import Matrix, bake_transforms, xml_safe

__all__ = ["MAX_IMAGE_SIDE", "ExportError", "render_image", "render_svg", "save_png", "save_svg"]

Target = QWidget | QGraphicsScene | QGraphicsItem

#: Larger images are a typo in the scale, not a slide; they would only exhaust memory.
MAX_IMAGE_SIDE = 16384
#: CSS pixels per inch: an SVG (and a 1× PNG) is as large in a browser or on a slide as on the screen.
SCREEN_DPI = 96


def save_png(
    target: Target,
    path: str | Path,
    scale: float = 1.0,
    transparent: bool = False,
    background: QColor | None = None,
) -> None:
    """Write ``target`` as a PNG of round(size × scale) pixels, antialiased.

    ``transparent`` leaves everything the target does not draw itself fully transparent; ``background``
    paints that colour instead of the target's own background. The PNG records 96 × scale dpi, so a 2×
    export lands on a slide at the same size as a 1× one, only sharper.
    """
    try:
        image = render_image(target, scale, transparent, background)
    except ExportError as error:
        raise ExportError(f"could not write {path}: {error}") from error
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    if not image.save(buffer, "PNG"):
        raise ExportError(f"could not write {path}: Qt could not encode the {_size_text(image.size())} PNG")
    write_file_atomically(path, bytes(buffer.data()))


def save_svg(
    target: Target,
    path: str | Path,
    title: str = "neuroviz",
    transparent: bool = False,
    background: QColor | None = None,
) -> None:
    """Write ``target`` as an SVG: lines, symbols and text stay vectors (text as ``<text>`` elements).

    ``title`` becomes the SVG's ``<title>``; ``transparent`` and ``background`` work as in :func:`save_png`.
    """
    try:
        data = render_svg(target, title, transparent, background)
    except ExportError as error:
        raise ExportError(f"could not write {path}: {error}") from error
    write_file_atomically(path, data)


def render_image(
    target: Target, scale: float = 1.0, transparent: bool = False, background: QColor | None = None
) -> QImage:
    """The PNG's picture as a QImage (e.g. for the clipboard); see :func:`save_png`."""
    source = _source_of(target)
    scale = _checked_scale(scale)
    width, height = round(source.size.width() * scale), round(source.size.height() * scale)
    if width < 1 or height < 1:
        raise ExportError(f"nothing to draw: the {source.kind} is {_size_text(source.size)} pixels")
    if max(width, height) > MAX_IMAGE_SIDE:
        raise ExportError(
            f"the image would be {width} × {height} pixels; at most {MAX_IMAGE_SIDE} per side: lower the scale"
        )
    fill, own_background = _fill(source, transparent, background)
    opaque = fill.alpha() == 255
    image = QImage(width, height, QImage.Format.Format_RGB32 if opaque else QImage.Format.Format_ARGB32)
    if image.isNull():
        raise ExportError(f"not enough memory for a {width} × {height} image")
    image.fill(fill)
    # The device pixel ratio does the scaling: text, pens and symbols are drawn at the full resolution.
    image.setDevicePixelRatio(scale)
    painter = QPainter(image)
    try:
        _prepare(painter)
        with _export_mode(source, painter, fill):
            source.paint(painter, QRectF(0, 0, width / scale, height / scale), own_background)
    finally:
        painter.end()
    image.setDevicePixelRatio(1.0)
    dots_per_meter = round(SCREEN_DPI * scale / 0.0254)
    image.setDotsPerMeterX(dots_per_meter)
    image.setDotsPerMeterY(dots_per_meter)
    return image


def render_svg(
    target: Target, title: str = "neuroviz", transparent: bool = False, background: QColor | None = None
) -> bytes:
    """The SVG document as bytes (UTF-8); see :func:`save_svg`."""
    if not isinstance(title, str):
        raise ExportError(f"the SVG title must be text, got {title!r}")
    source = _source_of(target)
    width, height = source.size.width(), source.size.height()
    if round(width) < 1 or round(height) < 1:
        raise ExportError(f"nothing to draw: the {source.kind} is {_size_text(source.size)} pixels")
    fill, own_background = _fill(source, transparent, background)
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    generator = QSvgGenerator()
    generator.setOutputDevice(buffer)
    generator.setSize(QSize(math.ceil(width), math.ceil(height)))
    generator.setViewBox(QRectF(0, 0, width, height))
    generator.setResolution(SCREEN_DPI)
    generator.setTitle(title)
    generator.setDescription(f"{title} — drawn by neuroviz {__version__}")
    painter = QPainter()
    if not painter.begin(generator):
        raise ExportError("Qt could not start an SVG document")
    try:
        _prepare(painter)
        if fill.alpha() > 0:
            painter.fillRect(QRectF(0, 0, width, height), fill)
        with _export_mode(source, painter, fill):
            source.paint(painter, QRectF(0, 0, width, height), own_background)
    finally:
        painter.end()
    return _portable_svg(bytes(buffer.data()), width, height, _plot_clips(source))


def _portable_svg(generated: bytes, width: float, height: float, clips: list) -> bytes:
    """QSvgGenerator's document made well-formed and drawn alike by every renderer (see :mod:`svg_cleanup`)."""
    text = xml_safe(generated.decode("utf-8", errors="replace"))
    try:
        baked = bake_transforms(text, width, height, clips)
    except ET.ParseError as error:
        raise ExportError(f"Qt wrote an SVG that is not well-formed XML ({error})") from error
    return ('<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n' + baked + "\n").encode("utf-8")


# -- what to draw --------------------------------------------------------------------------------------------
@dataclass
class _Source:
    """A target reduced to what painting needs: its size, how to paint it, what to put in export mode."""

    kind: str
    size: QSizeF
    paint: Callable[[QPainter, QRectF, bool], None]
    default_background: QColor
    scenes: list[QGraphicsScene] = field(default_factory=list)
    #: views painted through QWidget.render, whose background cache would end up as a bitmap
    views: list[QGraphicsView] = field(default_factory=list)
    #: each painted scene with the map from its coordinates to the picture's
    to_output: list[tuple[QGraphicsScene, QTransform]] = field(default_factory=list)


def _source_of(target: Any) -> _Source:
    if isinstance(target, QGraphicsView):
        scene = target.scene()
        if scene is None:
            raise ExportError("the graphics view shows no scene")
        rect = target.mapToScene(target.viewport().rect()).boundingRect()
        size = QSizeF(target.viewport().size())
        return _scene_source("view", scene, rect, size, _view_background(target))
    if isinstance(target, QGraphicsScene):
        views = target.views()
        if views:
            view = views[0]
            rect = view.mapToScene(view.viewport().rect()).boundingRect()
            return _scene_source("scene", target, rect, QSizeF(view.viewport().size()), _view_background(view))
        rect = target.sceneRect()
        return _scene_source("scene", target, rect, rect.size(), _scene_background(target))
    if isinstance(target, QGraphicsItem):
        scene = target.scene()
        if scene is None:
            raise ExportError("the graphics item is not in a scene")
        rect = target.sceneBoundingRect()
        views = scene.views()
        if views:
            size = views[0].viewportTransform().mapRect(rect).size()
            return _scene_source("item", scene, rect, size, _view_background(views[0]))
        return _scene_source("item", scene, rect, rect.size(), _scene_background(scene))
    if isinstance(target, QWidget):
        return _widget_source(target)
    raise ExportError(f"cannot draw a {type(target).__name__}: expected a QWidget, a QGraphicsScene or a QGraphicsItem")


def _scene_source(
    kind: str,
    scene: QGraphicsScene,
    rect: QRectF,
    size: QSizeF,
    background: QColor,
) -> _Source:
    def paint(painter: QPainter, target: QRectF, own_background: bool) -> None:
        brush = scene.backgroundBrush()
        if not own_background:
            scene.setBackgroundBrush(QBrush())
        try:
            scene.render(painter, target, rect, Qt.AspectRatioMode.IgnoreAspectRatio)
        finally:
            if not own_background:
                scene.setBackgroundBrush(brush)

    to_output = QTransform.fromTranslate(-rect.x(), -rect.y()) * QTransform.fromScale(
        size.width() / rect.width() if rect.width() else 1.0, size.height() / rect.height() if rect.height() else 1.0
    )
    return _Source(kind, size, paint, background, [scene], to_output=[(scene, to_output)])


def _widget_source(widget: QWidget) -> _Source:
    views = widget.findChildren(QGraphicsView)
    scenes = list({id(scene): scene for view in views if (scene := view.scene()) is not None}.values())
    size = QSizeF(widget.size())

    def paint(painter: QPainter, target: QRectF, own_background: bool) -> None:
        flags = QWidget.RenderFlag.DrawChildren
        if own_background:
            flags |= QWidget.RenderFlag.DrawWindowBackground
        painter.save()
        try:
            painter.translate(target.topLeft())
            painter.scale(target.width() / size.width(), target.height() / size.height())
            widget.render(painter, QPoint(0, 0), QRegion(), flags)
        finally:
            painter.restore()

    to_output = []
    for view in views:
        if view.scene() is not None and view.isVisibleTo(widget):
            offset = view.viewport().mapTo(widget, QPoint(0, 0))
            to_output.append(
                (view.scene(), view.viewportTransform() * QTransform.fromTranslate(offset.x(), offset.y()))
            )
    background = widget.palette().color(widget.backgroundRole())
    return _Source("widget", size, paint, background, scenes, views, to_output)


def _plot_clips(source: _Source) -> list[tuple[Matrix, tuple[float, float, float, float]]]:
    """Each plot's data-to-picture matrix and its rectangle in the picture: the SVG clips curves to their axes."""
    clips = []
    for scene, to_output in source.to_output:
        for item in scene.items():
            if isinstance(item, pg.ViewBox) and item.isVisible():
                t = item.childGroup.sceneTransform() * to_output
                box = to_output.mapRect(item.mapRectToScene(item.rect()))
                matrix = (t.m11(), t.m12(), t.m21(), t.m22(), t.dx(), t.dy())
                clips.append((matrix, (box.x(), box.y(), box.width(), box.height())))
    return clips


def _view_background(view: QGraphicsView) -> QColor:
    brush = view.backgroundBrush()
    if brush.style() != Qt.BrushStyle.NoBrush:
        return QColor(brush.color())
    scene = view.scene()
    if scene is not None and scene.backgroundBrush().style() != Qt.BrushStyle.NoBrush:
        return QColor(scene.backgroundBrush().color())
    viewport = view.viewport()
    return viewport.palette().color(viewport.backgroundRole())


def _scene_background(scene: QGraphicsScene) -> QColor:
    brush = scene.backgroundBrush()
    if brush.style() != Qt.BrushStyle.NoBrush:
        return QColor(brush.color())
    return QColor(Qt.GlobalColor.white)


# -- how to draw it ------------------------------------------------------------------------------------------
def _fill(source: _Source, transparent: bool, background: Any) -> tuple[QColor, bool]:
    """The colour under the picture, and whether the target should also draw its own background."""
    if not isinstance(transparent, bool):
        raise ExportError(f"transparent must be True or False, got {transparent!r}")
    if transparent:
        return QColor(0, 0, 0, 0), False
    if background is None:
        return source.default_background, True
    try:
        colour = QColor(background)
    except (TypeError, ValueError):
        colour = QColor()
    if not colour.isValid():
        raise ExportError(f"background must be a colour (a QColor or a name like '#ffffff'), got {background!r}")
    return colour, False


def _checked_scale(scale: Any) -> float:
    if isinstance(scale, bool) or not isinstance(scale, int | float):
        raise ExportError(f"scale must be a number, got {scale!r}")
    if not math.isfinite(scale) or scale <= 0:
        raise ExportError(f"scale must be a positive number, got {scale!r}")
    return float(scale)


def _prepare(painter: QPainter) -> None:
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, True)


@contextlib.contextmanager
def _export_mode(source: _Source, painter: QPainter, background: QColor) -> Iterator[None]:
    """pyqtgraph export mode on, item and view caches off, for the duration of one paint; restored after."""
    items = [item for scene in source.scenes for item in scene.items()]
    exporting = [item for item in items if hasattr(item, "setExportMode")]
    cached_items = [(item, item.cacheMode()) for item in items]
    cached_items = [(item, mode) for item, mode in cached_items if mode != QGraphicsItem.CacheMode.NoCache]
    cached_views = [(view, view.cacheMode()) for view in source.views]
    # resolutionScale stays 1: the painter's device pixel ratio already scales symbols and text
    options = {"antialias": True, "background": background, "painter": painter, "resolutionScale": 1.0}
    try:
        for item, _ in cached_items:
            item.setCacheMode(QGraphicsItem.CacheMode.NoCache)
        for view, _ in cached_views:
            view.setCacheMode(QGraphicsView.CacheModeFlag.CacheNone)
        for item in exporting:
            item.setExportMode(True, options)
        yield
    finally:
        for item in exporting:
            item.setExportMode(False)
        for item, mode in cached_items:
            item.setCacheMode(mode)
        for view, mode in cached_views:
            view.setCacheMode(mode)


def _size_text(size: QSize | QSizeF) -> str:
    return f"{size.width():g} × {size.height():g}"
