"""Makes README's "Train it" picture (docs/images/train-spiral.png): Playground's largest network (7 features,
6 hidden layers of 8 tanh) on spiral, new weights from seed 0, trained through the Training dock's Play for a number
of frames, Neuron Maps on, the Output Map at the front. Run from the repository's root:

    QT_QPA_PLATFORM=offscreen python docs/images/make_train_picture.py [--dark] [--frames 200] [-o OUT.png]

It prints the epoch and the numbers the dock shows, so the picture's caption can be checked against them."""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

from neuroviz.app import build_window


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dark", action="store_true")
    parser.add_argument("--frames", type=int, default=200)
    parser.add_argument("-o", "--output", type=Path, default=Path("docs/images/train-spiral.png"))
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        settings = QSettings(str(Path(scratch) / "settings.ini"), QSettings.Format.IniFormat)
        settings.setValue("view/theme", "dark" if options.dark else "light")
        settings.setValue("view/neuron_maps", True)
        window = build_window(settings=settings)
        window.resize(1400, 900)
        window.controller.ask_unsaved = lambda: "discard"
        app = QApplication.instance()
        window.controller.open_example("spiral")
        window.description_bar.close_button.click()  # the picture is about training: the network gets the room
        panel = window.training_panel
        combo = panel.dataset_combo
        combo.setCurrentIndex(combo.findData("spiral"))
        combo.activated.emit(combo.currentIndex())
        panel.reset_button.click()  # new weights: watch it learn from the start
        run = window.controller.training.run
        run.budget_ms = None  # a whole epoch per frame, as on a fast machine
        run.timer.setInterval(10**9)  # the frames below are the only ticks: --frames N trains N epochs
        panel.play_button.click()
        for _ in range(options.frames):
            run.tick()
            window.controller.flush()
            app.processEvents()
        panel.play_button.click()
        app.processEvents()
        window.grab().save(str(options.output))
        keys = ("loss", "val_loss", "accuracy", "val_accuracy")
        print(panel.epoch_label.text(), {key: panel.number(key) for key in keys})
        print("wrote", options.output)
        window.accept_close()


if __name__ == "__main__":
    main()
