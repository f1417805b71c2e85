"""The Data menu: Playground's six data sets, Fisher's iris, a CSV file of your own (with a choice of the target
column), and Clear Data. What is loaded lives in the window's :class:`~neuroviz.data_source.DataSource`.

A file that cannot be used is explained in a message box (what is wrong and where: file, row, column) and the data
on screen stays as it was. The dialogs are attributes, so tests and scripts replace them.
"""

from __future__ import annotations

import csv
import os
import stat
from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QFileDialog, QInputDialog

from neuroviz.data_source import shuffled
from neuroviz.model import datasets
from neuroviz.model.datasets import DatasetError

#: Menu entries of Playground's generators: key → (text, tooltip).
PLAYGROUND_SETS = {
    "circle": ("&Circle", "Two classes: a disc inside a ring (500 points)"),
    "xor": ("&XOR", "Two classes by the signs of x1 and x2 (500 points)"),
    "gauss": ("&Gaussian", "Two classes as two Gaussian clouds (500 points)"),
    "spiral": ("&Spiral", "Two classes on two interleaved spirals (500 points)"),
    "plane": ("&Plane (regression)", "A target that rises along a tilted plane (1200 points)"),
    "multi_gauss": ("&Multi-Gaussian (regression)", "A target of six Gaussian bumps (1200 points)"),
}
CSV_FILTER = "CSV tables (*.csv);;All files (*)"


class DataActions:
    def __init__(self, window, data_source, messages, data_note: Callable[[], str] = lambda: "") -> None:
        self.window, self.data, self.messages = window, data_source, messages
        #: What the output map said about the data set just loaded ("" when all is drawn): kept in the status bar.
        self.data_note = data_note
        #: Pick a CSV file; "" when cancelled. Replaced in tests.
        self.choose_dataset_path: Callable[[], str] = self._choose_path_dialog
        #: Pick the target column among the header's names; "" when cancelled. Replaced in tests.
        self.choose_target: Callable[[str, Sequence[str]], str] = self._choose_target_dialog
        self._fill_menu()

    def _fill_menu(self) -> None:
        menu, actions = self.window.data_menu, self.window.actions
        for name, (text, tip) in PLAYGROUND_SETS.items():
            action = QAction(text, self.window)
            action.setStatusTip(tip)
            action.setToolTip(tip)
            action.triggered.connect(lambda _checked=False, n=name: self.generate(n))
            actions[f"data_{name}"] = action
            menu.addAction(action)
        menu.addSeparator()
        iris = QAction("&Iris (flowers: 4 measurements, 3 species)", self.window)
        iris.setStatusTip("Fisher's iris: 150 flowers, for a network with 4 inputs and 3 softmax outputs")
        iris.triggered.connect(self.load_iris)
        actions["data_iris"] = iris
        menu.addAction(iris)
        menu.addSeparator()
        open_csv = QAction("&Open Dataset…", self.window)
        open_csv.setShortcut(QKeySequence("Ctrl+Shift+O"))
        open_csv.setStatusTip("Read a CSV table with a header row; you choose the column to predict")
        open_csv.triggered.connect(self.on_open)
        actions["data_open"] = open_csv
        menu.addAction(open_csv)
        clear = QAction("C&lear Data", self.window)
        clear.setStatusTip("Remove the data set from the output map")
        clear.triggered.connect(self.clear)
        actions["data_clear"] = clear
        menu.addAction(clear)

    # -- the entries -------------------------------------------------------------------------------------------------
    def generate(self, name: str) -> None:
        self.data.generate(name)
        self._say_loaded()

    def load_iris(self) -> None:
        self._use(datasets.iris)

    def clear(self) -> None:
        self.data.clear()
        self.messages.note("No data set")

    def on_open(self) -> None:
        path = self.choose_dataset_path()
        if path:
            self.open_csv(path)

    def open_csv(self, path: str, target: str | None = None) -> bool:
        """Read ``path`` with the column ``target`` to predict (asked for when None); False if not used."""
        try:
            header = read_header(path)
        except DatasetError as error:
            self.messages.show_error("Could not open the data set", str(error))
            return False
        if target is None:
            target = self.choose_target(path, header)
            if not target:
                return False
        return self._use(lambda: datasets.load_csv(path, target=target))

    def _use(self, load: Callable[[], datasets.Dataset]) -> bool:
        """Read a file's rows, shuffled by the Training dock's seed (files are often sorted), and use them."""
        try:
            self.data.set_dataset(shuffled(load(), self.data.seed))
        except DatasetError as error:
            self.messages.show_error("Could not open the data set", str(error))
            return False
        self._say_loaded()
        return True

    def _say_loaded(self) -> None:
        data, train, test = self.data.dataset, self.data.train, self.data.test
        if self.data_note():
            return  # the output map has said what is wrong with the data: that stays in the status bar
        self.messages.note(
            f"Data: {data.name}, {len(data)} rows ({len(train)} training, {len(test)} test), "
            f"{data.x.shape[1]} input{'s' * (data.x.shape[1] != 1)}"
        )

    # -- dialogs -------------------------------------------------------------------------------------------------------
    def _choose_path_dialog(self) -> str:
        folder = self.window.preferences.last_dir
        path, _ = QFileDialog.getOpenFileName(self.window, "Open data set", folder, CSV_FILTER)
        return path

    def _choose_target_dialog(self, path: str, header: Sequence[str]) -> str:
        name, ok = QInputDialog.getItem(
            self.window,
            "Column to predict",
            f"{Path(path).name}: which column is the target (the class or value to predict)?",
            list(header),
            len(header) - 1,
            False,
        )
        return name if ok else ""


def read_header(path: str) -> list[str]:
    """The column names of a CSV file's first row; DatasetError saying what is wrong with the file."""
    try:
        info = os.stat(path)
        if not stat.S_ISREG(info.st_mode):  # never open a folder, FIFO or device: it could block or never end
            raise DatasetError(f"{path}: not a regular file")
        if info.st_size > datasets.MAX_CSV_BYTES:
            raise DatasetError(f"{path}: {info.st_size} bytes is larger than {datasets.MAX_CSV_BYTES} bytes")
        with open(path, encoding="utf-8-sig", newline="") as stream:
            first = next(csv.reader(stream), None)
    except (OSError, UnicodeDecodeError, csv.Error) as error:
        raise DatasetError(f"{path}: cannot be read: {getattr(error, 'strerror', None) or error}") from None
    if not first or len([c for c in first if c.strip()]) < 2:
        raise DatasetError(f"{path}: row 1 must name at least two columns (the inputs and the target)")
    return [c.strip() for c in first]
