"""Training (issue 12), pure NumPy: backpropagation, Keras' losses, optimizers and regularizers, and a Trainer
whose ``fit`` matches Keras' ``model.fit``. See DESIGN.md §7 for the Keras semantics it follows."""

from neuroviz.model.training import backprop, losses, metrics, optimizers
from neuroviz.model.training.backprop import Gradients
from neuroviz.model.training.gradient_plan import gradients
from neuroviz.model.training.optimizers import SGD, Adagrad, Adam, Optimizer, RMSprop
from neuroviz.model.training.standardization import fold_standardization
from neuroviz.model.training.trainer import History, Progress, Trainer, TrainingDiverged

__all__ = [
    "SGD",
    "Adagrad",
    "Adam",
    "Gradients",
    "History",
    "Optimizer",
    "Progress",
    "RMSprop",
    "Trainer",
    "TrainingDiverged",
    "backprop",
    "fold_standardization",
    "gradients",
    "losses",
    "metrics",
    "optimizers",
]
