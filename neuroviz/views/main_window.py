"""The main window: lays out the views in docks and owns the menu actions. It draws; the controller decides.

Undo keys: a spin box or line edit swallows Ctrl+Z and Ctrl+Shift+Z even when it has no typing of its own to undo,
so in the panels (where people edit) the window's Undo and Redo would never fire. ``_DocumentUndoKeys`` hands those
keys to the window's actions whenever the focused field has nothing of its own to undo or redo; while a person is
typing in a field, Ctrl+Z still undoes their typing first, as everywhere else.
"""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QEvent, QObject, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import (
    QAction,
    QActionGroup,
    QCloseEvent,
    QDragEnterEvent,
    QDropEvent,
    QKeyEvent,
    QKeySequence,
    QShowEvent,
)
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QApplication,
    QDockWidget,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMenu,
    QTabBar,
    QVBoxLayout,
    QWidget,
)

from neuroviz.preferences import Preferences
from neuroviz.views.activation_plot import ActivationPlot
from neuroviz.views.description_bar import DescriptionBar
from neuroviz.views.input_panel import InputPanel
from neuroviz.views.inspector import Inspector
from neuroviz.views.layer_panel import LayerPanel
from neuroviz.views.lesson_dock import LessonPanel
from neuroviz.views.map_output import OutputMapView
from neuroviz.views.map_view import MapView
from neuroviz.views.network_view import NetworkView
from neuroviz.views.outputs_chart import OutputsChart
from neuroviz.views.plot_tools import PlotTools
from neuroviz.views.training_charts import TrainingCharts
from neuroviz.views.training_dock import TrainingDock

SETTINGS_ORG = "neuroviz"
SETTINGS_APP = "neuroviz"
#: The keys of the window's Redo action besides the platform's own (QKeySequence.Redo, e.g. Ctrl+Y on Windows).
REDO_KEY = "Ctrl+Shift+Z"


class _DocumentUndoKeys(QObject):
    """Lets Ctrl+Z / Ctrl+Shift+Z reach the window's Undo / Redo from a field that has nothing of its own to undo.

    Qt asks the focused widget first (a ShortcutOverride event); a line edit or spin box claims the undo keys
    whatever its own history holds. This filter is installed on each field of the window when it gets the focus
    (cheap: no application-wide filter) and declines the keys for it when its own undo or redo is empty.
    """

    #: Dynamic property marking the fields this filter already watches.
    MARK = "neuroviz_document_undo_keys"

    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window)
        self._window = window
        QApplication.instance().focusChanged.connect(self._on_focus_changed)

    def detach(self) -> None:
        """Stop following the application's focus (the window closed; the application may live on)."""
        QApplication.instance().focusChanged.disconnect(self._on_focus_changed)

    def _on_focus_changed(self, _old: QWidget | None, new: QWidget | None) -> None:
        if not isinstance(new, QAbstractSpinBox | QLineEdit) or new.window() is not self._window:
            return
        if not new.property(self.MARK):  # once per field
            new.setProperty(self.MARK, True)
            new.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.ShortcutOverride:
            return False
        edit = watched.lineEdit() if isinstance(watched, QAbstractSpinBox) else watched
        if not isinstance(edit, QLineEdit) or not isinstance(event, QKeyEvent):
            return False
        # (key sequences are made here, not at import: a standard key needs the running application's platform)
        if event.matches(QKeySequence.StandardKey.Undo):
            return not edit.isUndoAvailable()  # True: not claimed, so the window's shortcut fires
        if event.matches(QKeySequence.StandardKey.Redo) or QKeySequence(event.keyCombination()) == QKeySequence(
            REDO_KEY
        ):
            return not edit.isRedoAvailable()
        return False


class MainWindow(QMainWindow):
    """Network view in the centre; inputs left; layers and inspector right; activation plot and outputs below."""

    #: The user asked to close; the controller answers with accept_close() (it may ask about unsaved changes).
    closeRequested = Signal()
    #: Files dropped on the window.
    filesDropped = Signal(list)
    #: The window has closed for good: whoever follows application-wide signals for it lets go.
    closed = Signal()

    def __init__(self, settings: QSettings | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.settings = settings or QSettings(SETTINGS_ORG, SETTINGS_APP)
        self.preferences = Preferences(self.settings)
        self._may_close = False
        self._layout_restored = False  # a saved dock layout was restored: keep it on the first show
        self.setObjectName("MainWindow")
        self.setAcceptDrops(True)
        self.setDockNestingEnabled(True)

        self.network_view = NetworkView()
        self.network_view.setToolTip("")  # the view shows its own tooltips: the neuron or link under the mouse
        self.network_view.setAccessibleName("Network")
        self.network_view.setAccessibleDescription(
            "The network: hover a neuron or link for its values, click a neuron to select and edit it"
        )
        self.description_bar = DescriptionBar()
        self.setCentralWidget(_stacked(self.description_bar, self.network_view))
        self.input_panel = InputPanel()
        self.layer_panel = LayerPanel()
        self.activation_plot = ActivationPlot()
        self.plot_tools = PlotTools()
        self.outputs_chart = OutputsChart()
        self.inspector = Inspector()
        self.lesson_panel = LessonPanel()
        self.map_view = MapView()
        self.output_map = OutputMapView()
        self.training_panel = TrainingDock()
        self.training_charts = TrainingCharts()
        self.map_plot = self.map_view.plot  # what exports draw: the map with its axes, not the combo boxes
        self.output_map_plot = self.output_map.plot
        # stable names for scripts, tests and accessibility tools (window.findChild(QWidget, "inspector"))
        for widget, name in (
            (self.network_view, "networkView"),
            (self.input_panel, "inputPanel"),
            (self.layer_panel, "layerPanel"),
            (self.activation_plot, "activationPlot"),
            (self.plot_tools, "plotTools"),
            (self.outputs_chart, "outputsChart"),
            (self.inspector, "inspector"),
            (self.lesson_panel, "lessonPanel"),
            (self.training_panel, "trainingPanel"),
            (self.training_charts, "trainingCharts"),
            (self.map_view, "mapView"),
            (self.output_map, "outputMap"),
        ):
            widget.setObjectName(name)

        self.inputs_dock = self._dock("Inputs", self.input_panel, Qt.LeftDockWidgetArea)
        self.training_dock = self._dock("Training", self.training_panel, Qt.LeftDockWidgetArea)
        self.training_dock.setObjectName("trainingDock")
        self.splitDockWidget(self.inputs_dock, self.training_dock, Qt.Vertical)
        self.layers_dock = self._dock("Layers", self.layer_panel, Qt.RightDockWidgetArea)
        self.inspector_dock = self._dock("Inspector", self.inspector, Qt.RightDockWidgetArea)
        self.plot_dock = self._dock(
            "Activation function", _stacked(self.plot_tools, self.activation_plot), Qt.BottomDockWidgetArea
        )
        self.outputs_dock = self._dock("Outputs", self.outputs_chart, Qt.BottomDockWidgetArea)
        self.map_dock = self._dock("Map", self.map_view, Qt.RightDockWidgetArea)
        self.output_map_dock = self._dock("Output Map", self.output_map, Qt.RightDockWidgetArea)
        self.map_dock.setObjectName("mapDock")
        self.output_map_dock.setObjectName("outputMapDock")
        self.splitDockWidget(self.plot_dock, self.outputs_dock, Qt.Horizontal)
        self.charts_dock = self._dock("Training Charts", self.training_charts, Qt.BottomDockWidgetArea)
        self.charts_dock.setObjectName("trainingChartsDock")
        self.tabifyDockWidget(self.plot_dock, self.charts_dock)
        self.plot_dock.raise_()
        # right: the layers and inspector above, the maps below (split before tabbing: Qt tabs onto a tab group)
        self.splitDockWidget(self.layers_dock, self.map_dock, Qt.Vertical)
        self.setCorner(Qt.Corner.BottomRightCorner, Qt.DockWidgetArea.RightDockWidgetArea)  # the column's full height
        self.setCorner(Qt.Corner.BottomLeftCorner, Qt.DockWidgetArea.LeftDockWidgetArea)  # inputs above training
        self.tabifyDockWidget(self.layers_dock, self.inspector_dock)
        self.tabifyDockWidget(self.map_dock, self.output_map_dock)
        self.layers_dock.raise_()
        self.lesson_dock = self._dock("Lesson", self.lesson_panel, Qt.LeftDockWidgetArea)
        self.splitDockWidget(self.inputs_dock, self.lesson_dock, Qt.Vertical)
        self.lesson_dock.hide()  # until a lesson is opened
        self.map_dock.raise_()

        self.update_time_label = QLabel()
        self.update_time_label.setToolTip("How long the last update took: propagation and drawing of every view")
        # A fixed size: its new text every frame then asks no layout of the status bar and the window (which
        # repainted the main window twice a frame while training: about 6 ms of a 40 ms frame)
        widest = self.update_time_label.fontMetrics().horizontalAdvance("updated in 99999.9 ms")
        self.update_time_label.setFixedSize(widest + 8, self.update_time_label.sizeHint().height())
        self.update_time_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.statusBar().addPermanentWidget(self.update_time_label)

        self.actions: dict[str, QAction] = {}
        self.recent_menu = QMenu("Open &Recent", self)
        self.examples_menu = QMenu("Open E&xample", self)
        self.export_menu = QMenu("&Export", self)
        self.data_menu = QMenu("&Data", self)  # filled by neuroviz.data_actions
        self.train_menu = QMenu("&Train", self)  # filled by neuroviz.training_wiring
        self._build_menus()
        self._undo_keys = _DocumentUndoKeys(self)
        self.resize(1400, 900)
        self._default_dock_sizes()

    def _default_dock_sizes(self) -> None:
        """First launch: the network gets most of the window; plots share a strip below it."""
        self.resizeDocks([self.inputs_dock, self.layers_dock], [330, 340], Qt.Horizontal)
        # the example's three inputs and the Training dock (Adam's settings) whole, without scroll bars
        self.resizeDocks([self.inputs_dock, self.training_dock], [280, 575], Qt.Vertical)
        self.resizeDocks([self.layers_dock, self.map_dock], [420, 440], Qt.Vertical)
        self.resizeDocks([self.plot_dock], [300], Qt.Vertical)
        self.resizeDocks([self.plot_dock, self.outputs_dock], [680, 380], Qt.Horizontal)

    def show_lesson_dock(self) -> None:
        """Show the Lesson dock with room to read: wider than the inputs need, most of the column's height."""
        first_time = self.lesson_dock.isHidden()
        self.lesson_dock.show()
        self.lesson_dock.raise_()
        if first_time and not self.lesson_dock.isFloating():
            self.resizeDocks([self.lesson_dock], [420], Qt.Horizontal)
            # most of the column for reading; the inputs and the Training dock's buttons and numbers stay in view
            self.resizeDocks([self.inputs_dock, self.lesson_dock, self.training_dock], [200, 540, 240], Qt.Vertical)

    def show_chart(self, title: str) -> None:
        """Bring the Training Charts tab ``title`` to the front, wide enough to read ("" shows the activation plot)."""
        charts = self.training_charts
        index = next((i for i in range(charts.count()) if charts.tabText(i) == title), -1)
        if index < 0:
            self.plot_dock.raise_()
            return
        charts.setCurrentIndex(index)
        self.charts_dock.raise_()
        if not self.charts_dock.isFloating() and not self.outputs_dock.isFloating():
            self.resizeDocks([self.charts_dock, self.outputs_dock], [640, 200], Qt.Horizontal)

    # -- construction ----------------------------------------------------------------------------------------
    def _dock(self, title: str, widget: QWidget, area: Qt.DockWidgetArea) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(title.replace(" ", "") + "Dock")
        dock.setWidget(widget)
        self.addDockWidget(area, dock)
        return dock

    def _action(self, key: str, text: str, shortcut=None, tip: str = "", checkable: bool = False) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.setStatusTip(tip)
        action.setToolTip(tip)
        action.setCheckable(checkable)
        self.actions[key] = action
        return action

    def _build_menus(self) -> None:
        a = self._action
        file_menu = self.menuBar().addMenu("&File")
        file_menu.addAction(a("new", "&New", QKeySequence.New, "Start again from the default example network"))
        file_menu.addAction(
            a("open", "&Open…", QKeySequence.Open, "Open a network: neuroviz .json, Keras .keras or legacy Keras .h5")
        )
        file_menu.addMenu(self.recent_menu)
        file_menu.addMenu(self.examples_menu)
        file_menu.addSeparator()
        file_menu.addAction(a("save", "&Save", QKeySequence.Save, "Save the network"))
        # Save As and Quit have no standard key on Windows or offscreen: spell them out
        file_menu.addAction(
            a("save_as", "Save &As…", "Ctrl+Shift+S", "Save the network under a new name, as .json or Keras .keras")
        )
        file_menu.addSeparator()
        self.export_menu.addAction(
            a("export", "&Picture or Table…", "Ctrl+E", "Export a view as PNG or SVG, or numbers as CSV")
        )
        self.export_menu.addAction(
            a(
                "export_animation",
                "&Animation (GIF)…",
                "Ctrl+Alt+E",
                "An animated GIF of a view while the network trains or an input sweeps: for slides",
            )
        )
        self.export_menu.addAction(
            a(
                "export_keras",
                "&Keras Model (.keras)…",
                "Ctrl+Shift+E",
                "Write the network as a Keras 3 model that keras.saving.load_model opens",
            )
        )
        file_menu.addMenu(self.export_menu)
        file_menu.addSeparator()
        file_menu.addAction(a("quit", "&Quit", "Ctrl+Q", "Close neuroviz"))

        edit_menu = self.menuBar().addMenu("&Edit")
        edit_menu.addAction(a("undo", "&Undo", QKeySequence.Undo, "Undo the last edit of the network"))
        edit_menu.addAction(a("redo", "&Redo", REDO_KEY, "Redo the edit you undid"))
        edit_menu.addSeparator()
        edit_menu.addAction(
            a(
                "insert_layer",
                "&Insert Hidden Layer",
                "Ctrl+Shift+I",
                "Insert a hidden layer before the output",
            )
        )
        edit_menu.addAction(
            a("remove_layer", "Re&move Selected Layer", "Ctrl+Shift+D", "Remove the selected hidden layer")
        )
        edit_menu.addAction(
            a(
                "reinitialize",
                "Re-initialize &Weights…",
                "Ctrl+Shift+R",
                "Draw new weights with an initializer",
            )
        )
        edit_menu.addAction(
            a(
                "race_activations",
                "Race &Activations…",
                "Ctrl+Shift+A",
                "Train copies with other hidden activations from the same weights and batches; keep the best",
            )
        )
        edit_menu.addSeparator()
        edit_menu.addAction(a("reset_inputs", "Reset &Inputs", "Ctrl+0", "Set every input back to zero"))
        edit_menu.addAction(a("randomize_inputs", "R&andomize Inputs", "Ctrl+R", "Random inputs within ranges"))

        view_menu = self.menuBar().addMenu("&View")
        view_menu.addAction(a("show_values", "Show &Values on Neurons", "Ctrl+L", "Print values", checkable=True))
        view_menu.addAction(
            a(
                "neuron_maps",
                "Neuron &Maps",
                "Ctrl+M",
                "Draw each neuron as a picture of its output over two inputs (the current input is the small ring)",
                checkable=True,
            )
        )
        edge_group = QActionGroup(self)
        for key, text, tip in (
            ("edges_weight", "Edges Show &Weights", "Edge colour and width follow the weight"),
            (
                "edges_signal",
                "Edges Show &Signals",
                "Edge colour and width follow weight × source activation",
            ),
            (
                "edges_gradient",
                "Edges Show &Gradients",
                "Edge colour and width follow ∂L/∂w over the training data (the Training dock's data set and loss)",
            ),
        ):
            action = a(key, text, None, tip, checkable=True)
            edge_group.addAction(action)
            view_menu.addAction(action)
        self.actions["edges_weight"].setChecked(True)
        view_menu.addSeparator()
        view_menu.addAction(
            a("dark", "&Dark Theme", "Ctrl+Shift+T", "Switch between the light and the dark theme", checkable=True)
        )
        view_menu.addAction(
            a(
                "follow_system_theme",
                "&Follow System Theme",
                None,
                "Light or dark as the desktop asks (the default); choosing a theme above turns this off",
                checkable=True,
            )
        )
        view_menu.addSeparator()
        for dock in (
            self.inputs_dock,
            self.training_dock,
            self.charts_dock,
            self.layers_dock,
            self.inspector_dock,
            self.plot_dock,
            self.outputs_dock,
            self.lesson_dock,
            self.map_dock,
            self.output_map_dock,
        ):
            view_menu.addAction(dock.toggleViewAction())
            _bring_to_front_from_the_menu(dock)
        self.map_dock.toggleViewAction().setShortcut(QKeySequence("Ctrl+Shift+M"))
        self.map_dock.toggleViewAction().setStatusTip("One neuron's map over two inputs: the hovered or selected one")
        self.output_map_dock.toggleViewAction().setShortcut(QKeySequence("Ctrl+Shift+P"))
        self.output_map_dock.toggleViewAction().setStatusTip("The output over two inputs, with the data set's points")
        self.training_dock.toggleViewAction().setShortcut(QKeySequence("Ctrl+Shift+G"))
        self.training_dock.toggleViewAction().setStatusTip("Data set, settings, Play/Pause and the run's numbers")
        self.menuBar().addMenu(self.data_menu)
        self.menuBar().addMenu(self.train_menu)

        help_menu = self.menuBar().addMenu("&Help")
        help_menu.addAction(
            a("lessons", "&Lessons…", "Ctrl+Shift+L", "Short lessons on the activation functions, with steps to try")
        )
        help_menu.addAction(
            a("guide", "Activation &Guide", QKeySequence.HelpContents, "What each activation function does")
        )
        help_menu.addAction(
            a("about_network", "About This &Network", None, "Show again what the open network is for (its description)")
        )
        help_menu.addAction(a("about", "&About neuroviz", None, "Version and licence"))

    # -- window state ----------------------------------------------------------------------------------------
    def restore_layout(self) -> None:
        """Size and dock layout of last time (QSettings)."""
        geometry, state = self.preferences.window_layout()
        if isinstance(geometry, QByteArray | bytes):
            self.restoreGeometry(QByteArray(geometry))
        if isinstance(state, QByteArray | bytes):
            self._layout_restored = self.restoreState(QByteArray(state))
            QTimer.singleShot(0, self.hide_stale_tab_bars)

    def save_layout(self) -> None:
        self.preferences.save_window_layout(self.saveGeometry(), self.saveState())

    def show_update_time(self, milliseconds: float) -> None:
        self.update_time_label.setText(f"updated in {milliseconds:.1f} ms")

    def showEvent(self, event: QShowEvent) -> None:
        """First show without a saved layout: size the docks again (Qt only shares the height of docks stacked in
        one column, Layers above Map, once the window is laid out)."""
        super().showEvent(event)
        if not self._layout_restored and not getattr(self, "_shown_once", False):
            self._default_dock_sizes()
        self._shown_once = True
        QTimer.singleShot(0, self.hide_stale_tab_bars)  # once the docks have their places

    def hide_stale_tab_bars(self) -> None:
        """Hide the tab bars Qt leaves behind when it tabifies docks before the window is laid out: a copy of a
        dock group's tabs that stays where the group first was (over the Outputs dock's title, say), drawn in
        screenshots and exports. A group's own tab bar sits right below its dock; Qt shows again any it reuses."""
        docks = {dock.windowTitle(): dock for dock in self.findChildren(QDockWidget)}
        for bar in self.findChildren(QTabBar, options=Qt.FindChildOption.FindDirectChildrenOnly):
            if not bar.isVisible() or bar.count() == 0:
                continue
            dock = docks.get(bar.tabText(bar.currentIndex()))
            if dock is None or dock.isFloating() or not dock.isVisible():
                continue
            below, where = dock.geometry(), bar.geometry()
            beside = where.left() < below.right() and below.left() < where.right()
            if not (beside and abs(where.top() - below.bottom() - 1) <= 4):
                bar.hide()

    # -- closing and dropping --------------------------------------------------------------------------------
    def accept_close(self) -> None:
        """Close for real (the controller has dealt with unsaved changes)."""
        self._may_close = True
        self.close()

    def closeEvent(self, event: QCloseEvent) -> None:
        # Decide inside this event: Qt ignores a close() called while a close is in progress, so the
        # controller's accept_close() only sets the flag here.
        if not self._may_close:
            self.closeRequested.emit()
        if self._may_close:
            self.save_layout()
            event.accept()
            if self._undo_keys is not None:
                self._undo_keys.detach()
                self._undo_keys = None
                self.closed.emit()
        else:
            event.ignore()

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls() and any(url.isLocalFile() for url in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = [url.toLocalFile() for url in event.mimeData().urls() if url.isLocalFile()]
        if paths:
            event.acceptProposedAction()
            self.filesDropped.emit(paths)


def _stacked(*widgets: QWidget) -> QWidget:
    """One dock's content: ``widgets`` one above the other, the last one taking the height."""
    box = QWidget()
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(0)
    for widget in widgets:
        layout.addWidget(widget)
    layout.setStretch(len(widgets) - 1, 1)
    return box


def _bring_to_front_from_the_menu(dock: QDockWidget) -> None:
    """View ▸ <dock> (and its shortcut) shows the dock in front of its tab group: also when it was open on a tab
    behind another, where Qt's own toggle closed it (the Map behind the Output Map needed two presses of
    Ctrl+Shift+M), and when it is reopened (Qt put it behind the current tab)."""
    behind = [False]  # open but on a tab behind another, as Qt last said

    def on_visibility(on_screen: bool) -> None:
        if dock.isVisible():  # a tab change (a close, by Qt's toggle too, keeps what was true just before it)
            behind[0] = not on_screen and not dock.isFloating()

    def on_triggered(checked: bool) -> None:
        if not checked and not behind[0]:
            return  # it was in front: closed, as asked
        dock.show()
        dock.raise_()

    dock.visibilityChanged.connect(on_visibility)
    dock.toggleViewAction().triggered.connect(on_triggered)
