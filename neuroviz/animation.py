"""The frames of an animation, drawn by the app's own views: a :class:`Stage` is a window that is never shown, on
a copy of the network, with one view laid out at the animation's size; :class:`TrainingFrames` trains that copy
and :class:`SweepFrames` moves one of its inputs, and each frame is the view rendered as ``neuroviz export``
renders it (:func:`neuroviz.views.export.render_image`), over a caption strip (epoch and loss, or the input's
value).

Used by ``neuroviz export --animate`` (:mod:`neuroviz.cli_animate`) and File ▸ Export ▸ Animation…
(:mod:`neuroviz.animation_actions`), which both draw frame by frame so that a window stays responsive and a
cancel is quick. The network being animated is always a copy: the window's network never changes.
"""

from __future__ import annotations

import math
import os
import tempfile
import time
from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import QCoreApplication, QEvent, QRectF, QSettings, QSize, Qt
from PySide6.QtGui import QFont, QFontMetricsF, QImage, QPainter, QPalette

from neuroviz import exports, preferences
from neuroviz.application import ensure_application
from neuroviz.model.animation import sweep_values, training_frame_epochs
from neuroviz.model.run_history import RunHistory
from neuroviz.presenters import catch_up
from neuroviz.views.export import render_image


@dataclass(frozen=True)
class StageSetup:
    """How the stage's window looks: the view drawn and its size, the theme, and what the maps show."""

    view: str = "network"
    width: int = 1000
    height: int = 600
    theme: str = "light"
    show_values: bool = False
    neuron_maps: bool = False
    edge_mode: str = "weight"
    #: the data set the output map draws (None: none) and its training share
    dataset: object | None = None
    train_share: float = 0.5
    map_axes: tuple[int, int] | None = None
    map_resolution: int | None = None
    #: the neuron the Map view draws and the layer the activation plot shows (the window's selection)
    neuron: tuple[int, int] | None = None
    layer: int | None = None


class Stage:
    """A window never shown on screen, on ``network`` (the caller's copy), drawing ``setup.view`` at its size."""

    def __init__(self, network, setup: StageSetup, make_controller) -> None:
        """``make_controller(window, network)`` builds the window's parts: the Controller class (passed in by the
        composition code, as importing it here would make an import cycle through the Animation action)."""
        from neuroviz.views.main_window import MainWindow

        self.setup = setup
        self.app = ensure_application()
        self._palette = QPalette(self.app.palette())  # the theme is application-wide: given back in close()
        self._scratch = tempfile.TemporaryDirectory()
        settings = QSettings(os.path.join(self._scratch.name, "stage.ini"), QSettings.Format.IniFormat)
        settings.setValue(preferences.THEME, setup.theme)
        settings.setValue(preferences.SHOW_VALUES, setup.show_values)
        settings.setValue(preferences.NEURON_MAPS, setup.neuron_maps)
        settings.setValue(preferences.EDGE_MODE, setup.edge_mode)
        self.window = MainWindow(settings=settings)
        self.target = self.window
        self.controller = None
        try:
            self.controller = make_controller(self.window, network)
            self._arrange()
        except BaseException:
            self.close()
            raise

    @property
    def network(self):
        """The network drawn (the copy given to the stage): train it or move its inputs, then :meth:`frame`."""
        return self.controller.document.network

    def _arrange(self) -> None:
        setup, controller = self.setup, self.controller
        if setup.layer is not None:
            controller.selection.select_layer(setup.layer)
        if setup.neuron is not None:
            controller.selection.select_neuron(*setup.neuron)
        if setup.dataset is not None:
            controller.maps.data.set_dataset(setup.dataset, setup.train_share)
        if setup.map_axes is not None and self.network.input_features is None:
            controller.map_source.set_axes(*setup.map_axes)
        if setup.map_resolution is not None:
            controller.map_source.set_resolution(setup.map_resolution)
        if setup.view != "window":
            view = exports.view_widget(self.window, setup.view)
            if view is None:  # a view of another window (the race's chart)
                raise ValueError(f"the {setup.view} view cannot be animated")
            self.target = view
            self.target.setParent(None)  # the view alone, laid out at the animation's size
        self.target.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen, True)  # laid out and drawn, never seen
        self.target.resize(setup.width, setup.height - self._caption_height())
        self.target.show()
        self.app.processEvents()
        if self.target.size() != QSize(setup.width, setup.height - self._caption_height()):
            least = self.target.minimumSizeHint().expandedTo(self.target.minimumSize())
            what = "the window" if setup.view == "window" else f"the {setup.view} view"
            raise ValueError(
                f"{setup.width}x{setup.height} is smaller than {what} can be drawn for this network; "
                f"use at least {least.width()}x{least.height() + self._caption_height()}"
            )

    def frame(self, caption: str = "") -> np.ndarray:
        """The view as it is now (after the network's weights or inputs moved), as RGB pixels, with ``caption`` in
        a strip below the view (the view is laid out that much shorter, so the frame keeps the setup's size)."""
        document = self.controller.document
        document.mark_values_changed(1 if document.propagation is not None else 0)
        document.flush()
        catch_up(self.controller.presenters)  # views behind another tab draw what they held back
        self.controller.maps.prepare_export(self.setup.view)  # the map views draw now, also when hidden
        view = render_image(self.target)
        image = QImage(self.setup.width, self.setup.height, QImage.Format.Format_RGB32)
        palette = self.target.palette()
        image.fill(view.pixelColor(0, view.height() - 1))  # the strip continues the view's own background
        painter = QPainter(image)
        try:
            painter.drawImage(0, 0, view)
            painter.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)
            painter.setFont(self._caption_font())
            painter.setPen(palette.color(QPalette.ColorRole.WindowText))
            strip = QRectF(0, view.height(), image.width(), image.height() - view.height())
            painter.drawText(strip, Qt.AlignmentFlag.AlignCenter, caption)
        finally:
            painter.end()
        return rgb_array(image)

    def _caption_font(self) -> QFont:
        font = QFont(self.target.font())
        font.setPixelSize(max(11, min(self.setup.width, self.setup.height) // 38))
        return font

    def _caption_height(self) -> int:
        return round(QFontMetricsF(self._caption_font()).height() * 1.6)

    def close(self) -> None:
        """Take the window down and give the application its theme back."""
        if self.controller is not None:
            self.controller.maps.finish_export()
        self.window.accept_close()
        for widget in {id(w): w for w in (self.target, self.window)}.values():
            widget.close()
            widget.deleteLater()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        self.app.setPalette(self._palette)
        self._scratch.cleanup()


def rgb_array(image: QImage) -> np.ndarray:
    """A QImage's pixels as a height × width × 3 uint8 array (a copy: the image may go)."""
    rgb = image.convertToFormat(QImage.Format.Format_RGB888)
    width, height, stride = rgb.width(), rgb.height(), rgb.bytesPerLine()
    rows = np.frombuffer(rgb.constBits(), dtype=np.uint8, count=stride * height).reshape(height, stride)
    return rows[:, : width * 3].reshape(height, width, 3).copy()


class TrainingFrames:
    """Frame ``i`` shows the stage's network after ``epochs[i]`` epochs of ``trainer`` (which trains it in place).

    Frames must be drawn in order, each once: the training between two frames is done when the later one is drawn.
    """

    def __init__(self, stage: Stage, trainer, epochs: int, every: int, x_train: np.ndarray) -> None:
        """``x_train``: the rows ``trainer`` trains on, for the layer statistics the Training Charts draw."""
        if trainer.network is not stage.network:
            raise ValueError("the trainer must train the stage's own network")
        self.stage, self.trainer, self.x_train = stage, trainer, x_train
        trainer.track_gradient_norms = True  # the gradient flow chart draws each epoch's mean
        self.epochs = training_frame_epochs(epochs, every)
        self.total_epochs = epochs
        self.last_record: dict[str, float] = {}
        #: recorded as the window's training run records it: the stage's Training Charts and dock draw it
        self.history = RunHistory()
        self._done = 0
        self._batch = 0  # batches trained of the epoch under way

    def __len__(self) -> int:
        return len(self.epochs)

    def train_toward(self, index: int, budget_ms: float | None = None) -> bool:
        """Train toward frame ``index``'s epoch, up to an epoch at a time, until it is reached or ``budget_ms`` is spent
        (None: no limit; at least one batch either way); True once it is reached. TrainingDiverged propagates.

        A window draws its frames between events: a slice of batches at a time keeps it answering (Cancel) however
        long an epoch takes. Slices never change the numbers: the next one continues mid-epoch."""
        target = self.epochs[index]
        started = time.perf_counter()

        def spent() -> bool:
            return budget_ms is not None and (time.perf_counter() - started) * 1000.0 >= budget_ms

        while self._done < target:
            with np.errstate(all="ignore"):  # a huge gradient's norm may overflow to inf: recorded, not warned
                progress = self.trainer.step(self.trainer.batches_per_epoch - self._batch, spent)  # to the epoch's end
            self._batch = progress.batch
            self.history.record(progress, self.stage.network, self.x_train)
            if progress.finished_epochs:
                self.last_record = progress.finished_epochs[-1]
                self._done += 1
            if spent():
                break
        return self._done >= target

    def render(self, index: int) -> np.ndarray:
        """Train up to frame ``index``'s epoch (TrainingDiverged propagates) and draw it."""
        self.train_toward(index)
        self.stage.controller.training.run.show_history(self.history)
        return self.stage.frame(self.caption())

    def caption(self) -> str:
        text = f"epoch {self._done} / {self.total_epochs}"
        loss = self.last_record.get("loss")
        if loss is not None and math.isfinite(loss):
            text += f"  ·  loss {loss:.3f}"
        test_loss = self.last_record.get("val_loss")
        if test_loss is not None and math.isfinite(test_loss):
            text += f"  ·  test loss {test_loss:.3f}"
        return text


class SweepFrames:
    """Frame ``i`` shows the stage's network with input ``input_index`` at the ``i``-th of ``frames`` values of
    its slider range, the other inputs as they were."""

    def __init__(self, stage: Stage, input_index: int, frames: int) -> None:
        network = stage.network
        if not 0 <= input_index < network.n_inputs:
            raise ValueError(f"the input must be from 1 to {network.n_inputs}, got {input_index + 1}")
        self.stage, self.input_index = stage, input_index
        low, high = network.input_ranges[input_index]
        self.values = sweep_values(low, high, frames)
        self.name = network.input_names[input_index]

    def __len__(self) -> int:
        return len(self.values)

    def render(self, index: int) -> np.ndarray:
        value = float(self.values[index])
        self.stage.controller.document.set_input(self.input_index, value)
        return self.stage.frame(f"{self.name} = {value:.3g}")
