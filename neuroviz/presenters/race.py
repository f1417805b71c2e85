"""Race presenter: feeds the Race Activations dialog from the window's RaceRun — the activations that may race,
the overlaid loss curves, a small output map per contender, the winner — and turns its buttons into RaceRun calls."""

from __future__ import annotations

import numpy as np

from neuroviz.model import maps as maps_module
from neuroviz.model.decision import class_strength, output_scale
from neuroviz.model.network import CUSTOM_ACTIVATION
from neuroviz.model.race import RACE_ACTIVATIONS, custom_formula
from neuroviz.model.run_history import race_series

#: Grid points along each axis of a contender's map (small pictures; one pass of each contender per frame).
MAP_RESOLUTION = 40
#: Ticked when the dialog opens.
DEFAULT_CHOICES = ("relu", "tanh", "sigmoid")


class RacePresenter:
    def __init__(self, view, race_run, document, map_source) -> None:
        self.view, self.run, self.document, self.map_source = view, race_run, document, map_source
        race_run.progressed.connect(self.update)
        race_run.runningChanged.connect(view.set_running)
        race_run.message.connect(view.set_message)
        view.startRequested.connect(race_run.start)
        view.stopRequested.connect(race_run.stop)
        view.keepRequested.connect(self._keep)
        view.cancelRequested.connect(race_run.cancel)

    def open(self) -> None:
        """Show the dialog with the activations this network can race (its custom formula too, if it has one)."""
        names = list(RACE_ACTIVATIONS)
        if custom_formula(self.document.network) is not None:
            names.append(CUSTOM_ACTIVATION)
        checked = self.view.chosen() if self.view.choice_names() == names else DEFAULT_CHOICES
        self.view.set_choices(names, checked)
        self.update()
        self.view.show()
        self.view.raise_()
        self.view.activateWindow()

    def update(self) -> None:
        race = self.run.race
        if race is None:
            self.view.set_fairness("")
            self.view.set_progress("")
            self.view.set_contenders([], "")
            self.view.set_curves(np.empty(0), {})
            return
        self.view.set_fairness(self.run.fairness)
        done = min(c.epoch for c in race.contenders)
        self.view.set_progress(f"epoch {done} of {race.settings.epochs}" + (" · done" if race.finished else ""))
        winner = race.winner()
        self.view.set_contenders([c.name for c in race.contenders], winner.name if winner else "")
        self._curves(race)
        self._maps(race, winner)

    def _curves(self, race) -> None:
        """The loss each contender is judged by (test loss when there are test rows), one colour per activation."""
        self.view.set_curves(*race_series(race.contenders))

    def _maps(self, race, winner) -> None:
        titles, outputs = [], []
        for c in race.contenders:
            loss = c.final_loss()
            text = "diverged" if c.failure else (f"loss {loss:.4g}" if np.isfinite(loss) else "…")
            titles.append(f"{'★ ' if c is winner and race.finished else ''}{c.name} · {text}")
            axes = self.map_source.axes if not c.network.input_features else (0, 1)
            with np.errstate(all="ignore"):
                outputs.append(maps_module.response_maps(c.network, axes, MAP_RESOLUTION).layers[-1])
        activation = self.document.network.layers[-1].activation
        if outputs[0].shape[0] == 1:
            centre, half = output_scale(activation, np.stack([o[0] for o in outputs]))
            self.view.set_single_maps(titles, [o[0] for o in outputs], centre, half)
        else:
            pairs = [class_strength(o, activation) for o in outputs]
            self.view.set_class_maps(titles, [w for w, _ in pairs], [s for _, s in pairs], outputs[0].shape[0])

    def _keep(self, name: str) -> None:
        if self.run.keep(name):
            self.run.cancel()  # kept: the race is over
            self.view.accept()
