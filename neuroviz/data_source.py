"""The data set of the window: what the Output Map draws and what training (issue 14) will learn from.

One per window, built by the controller. It holds a :class:`~neuroviz.model.datasets.Dataset` and its
training/test split (Playground's: the first ``train_share`` of the shuffled rows train) and says ``changed``
whenever either is replaced. It never touches the network: whether the data fits it is :func:`fit_problem`'s
question, asked by whoever draws or trains.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QObject, Signal

from neuroviz.model import datasets
from neuroviz.model.datasets import Dataset, DatasetError

#: Playground's default noise (0 %) and split (50 % training); a fixed seed so a menu entry always gives the same set.
DEFAULT_NOISE = 0.0
DEFAULT_TRAIN_SHARE = 0.5
DEFAULT_SEED = 0
#: How the output map says that the data set does not fit (before :func:`fit_problem`'s sentence).
NOT_DRAWN = "The data set is not drawn: "


class DataSource(QObject):
    """The current data set and its split; ``changed`` after every replacement (also after clear)."""

    changed = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.dataset: Dataset | None = None
        self.train: Dataset | None = None
        self.test: Dataset | None = None
        self.train_share = DEFAULT_TRAIN_SHARE
        #: The Training dock's seed: files (iris, a CSV) are shuffled with it before the split.
        self.seed = DEFAULT_SEED

    def set_dataset(self, data: Dataset, train_share: float = DEFAULT_TRAIN_SHARE) -> None:
        """Use ``data``, split in order (generated sets come shuffled). DatasetError leaves the current set."""
        train, test = datasets.split(data, train_share)
        self.dataset, self.train, self.test, self.train_share = data, train, test, train_share
        self.changed.emit()

    def generate(self, name: str, noise: float = DEFAULT_NOISE, seed: int = DEFAULT_SEED) -> None:
        """One of Playground's six sets with its default number of points."""
        self.set_dataset(datasets.generate(name, noise=noise, seed=seed))

    def clear(self) -> None:
        if self.dataset is not None:
            self.dataset = self.train = self.test = None
            self.changed.emit()


def shuffled(data: Dataset, seed: int) -> Dataset:
    """Rows in a seeded random order, so that the training/test split mixes a file's classes (iris is sorted by
    species: split in file order, its test rows would be nearly all one species)."""
    return data.rows(np.random.default_rng(seed).permutation(len(data)))


def fit_problem(data: Dataset, network) -> str:
    """ "" when ``network`` can be drawn with and trained on ``data``; else what does not fit, in one sentence.

    A network fed by Playground's input features (``network.input_features``) fits a 2-D (x1, x2) set whose
    features it computes; any other network needs one input per column of the data.
    """
    features = getattr(network, "input_features", None)
    try:
        shaped = data.with_features(features) if features else data
        shaped.check_fits(network.n_inputs, network.n_outputs)
    except DatasetError as error:
        return str(error)
    return ""


def feature_data(data: Dataset, network) -> Dataset:
    """``data`` as the network sees it: with Playground's features computed when the network uses them."""
    features = getattr(network, "input_features", None)
    return data.with_features(features) if features else data
