"""Presenter of the Training dock: feeds it the data set, the settings and the run's numbers, and turns what the
person asks for into data-source changes, undoable edits of the network and run settings."""

from __future__ import annotations

from collections.abc import Callable

from neuroviz.data_source import shuffled
from neuroviz.model import datasets
from neuroviz.model.data_fit import fit_to_data, read_features, set_features
from neuroviz.model.datasets import FEATURES, GENERATORS, REGRESSION, DatasetError
from neuroviz.model.loss_advice import mismatch_warning, suggested_loss
from neuroviz.training_run import TrainingSettings

IRIS_NAME = "iris.csv"


class TrainingPresenter:
    """Keeps the Training dock in step with the data source, the network and the training run."""

    def __init__(self, view, run, document, data_source, messages, open_dataset: Callable[[], None]) -> None:
        self.view, self.run, self.document, self.data, self.messages = view, run, document, data_source, messages
        self.noise, self.share, self.seed = 0.0, 0.5, 0
        view.datasetChosen.connect(self.choose_dataset)
        view.dataParamsChanged.connect(self.on_data_params_changed)
        view.openDatasetRequested.connect(open_dataset)
        view.featuresChanged.connect(self.on_features_changed)
        view.fitRequested.connect(self.fit_network)
        view.settingsChanged.connect(self.on_settings_changed)
        run.progressed.connect(self.show_numbers)
        run.historyCleared.connect(self.show_numbers)
        run.message.connect(view.set_message)
        data_source.changed.connect(self.refresh)
        document.structureChanged.connect(self.refresh)
        document.layersEdited.connect(self.refresh)
        self.refresh()

    # -- the data --------------------------------------------------------------------------------------------------
    def dataset_key(self) -> str:
        """The combo box entry of the current data set: a generator's name, "iris", "csv", or "" for none."""
        data = self.data.dataset
        if data is None:
            return ""
        if data.name in GENERATORS:
            return data.name
        return "iris" if data.name == IRIS_NAME else "csv"

    def choose_dataset(self, key: str) -> None:
        """Load a data set by its combo key with the dock's noise, training share and seed."""
        try:
            if key == "iris":
                self.data.set_dataset(self._shuffled(datasets.iris()), self.share)
            else:
                self.data.set_dataset(datasets.generate(key, noise=self.noise, seed=self.seed), self.share)
        except DatasetError as error:
            self.messages.report(str(error))
            self.refresh()

    def on_data_params_changed(self, noise: float, share: float, seed: int) -> None:
        self.noise, self.share, self.seed = noise, share, seed
        self.data.seed = seed  # the Data menu shuffles files with it too
        self.on_settings_changed(self._settings_dict())
        key = self.dataset_key()
        if key in GENERATORS or key == "iris":
            self.choose_dataset(key)
        elif key == "csv":
            try:
                self.data.set_dataset(self._shuffled(self.data.dataset), share)
            except DatasetError as error:
                self.messages.report(str(error))
                self.refresh()

    def _shuffled(self, data: datasets.Dataset) -> datasets.Dataset:
        return shuffled(data, self.seed)

    # -- the network's inputs and outputs ----------------------------------------------------------------------------
    def on_features_changed(self, names: tuple[str, ...]) -> None:
        """The feature toggles: one undoable edit of the network's inputs."""
        if not names:
            self.messages.report("The network needs at least one input feature: this one stays on.")
            self.refresh()
            return
        shown = ", ".join(names)
        try:
            self.document.edit(f"Input features {shown}", lambda net: set_features(net, names, self.seed), 1)
        except ValueError as error:
            self.messages.report(str(error))
            self.refresh()

    def fit_network(self) -> None:
        """Give the network the inputs and outputs the data set needs, as one undoable edit."""
        data = self.data.dataset
        if data is None:
            return
        features = read_features(self.document.network) or FEATURES[:2]
        try:
            self.document.edit(f"Fit the network to {data.name}", lambda net: fit_to_data(net, data, features, 0), 1)
        except ValueError as error:
            self.messages.report(str(error))

    # -- settings and numbers ----------------------------------------------------------------------------------------
    def on_settings_changed(self, values: dict) -> None:
        try:
            self.run.set_settings(TrainingSettings(**{**values, "seed": self.seed}))
        except (TypeError, ValueError) as error:
            self.messages.report(str(error))
        self._show_loss_advice()

    def _settings_dict(self) -> dict:
        s = self.run.settings
        return {
            "loss": s.loss,
            "optimizer": s.optimizer,
            "learning_rate": s.learning_rate,
            "options": dict(s.options),
            "batch_size": s.batch_size,
            "epochs_per_frame": s.epochs_per_frame,
        }

    def refresh(self, *_args) -> None:
        """Everything the dock shows, from the data source, the network and the run."""
        view, data, network = self.view, self.data.dataset, self.document.network
        key = self.dataset_key()
        view.set_dataset(key, data.name if data is not None else "")
        view.set_data_params(self.noise, self.data.train_share if data is not None else self.share, self.seed)
        two_d = data is not None and data.feature_names == FEATURES[:2]
        view.set_features(two_d, read_features(network) if two_d else ())
        view.set_fit_problem(self.run.data_problem() if data is not None else "")
        self._show_loss_advice()
        self.show_numbers()

    def _show_loss_advice(self) -> None:
        network = self.document.network
        regression = self.data.dataset is not None and self.data.dataset.kind == REGRESSION
        self.view.set_settings(self._settings_dict(), suggested_loss(network, regression))
        self.view.set_loss_warning(mismatch_warning(network, self.run.loss_name(), regression))
        self.view.set_accuracy_meaning(self.run.accuracy_meaning())

    def show_numbers(self) -> None:
        history = self.run.history
        self.view.set_numbers(self.run.epoch, history.records[-1] if len(history) else {})
