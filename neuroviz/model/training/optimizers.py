"""Keras 3's SGD, Adam, RMSprop and Adagrad, step for step (keras/src/optimizers; see DESIGN.md §7).

An optimizer updates one flat float64 vector of parameters in place from its gradient (the Trainer keeps every
weight, bias and PReLU slope of a network in one vector, so a step is a few NumPy operations whatever the
number of layers). Its state (moments, accumulators, iteration count) lives in the optimizer, made on the first
step, and :meth:`Optimizer.state` / :meth:`Optimizer.restore` copy it out and back (to undo a step).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np


class Optimizer:
    """The shared part: the learning rate, the iteration count and the state vectors by name."""

    name = ""

    def __init__(self, learning_rate: float) -> None:
        self.learning_rate = _positive(learning_rate, "learning_rate")
        self.iterations = 0
        self.slots: dict[str, np.ndarray] = {}
        self._shape: tuple[int, ...] | None = None
        #: working space of one step (not state: nothing in it outlives the step)
        self._scratch = np.empty(0)

    def apply(self, variables: np.ndarray, gradients: np.ndarray) -> None:
        """One step: update ``variables`` in place from ``gradients`` (same shape; new state for a new shape)."""
        if variables.shape != self._shape:
            self.slots = self._new_slots(variables.shape)
            self._shape = variables.shape
            self._scratch = np.empty(variables.shape)
        self._update(variables, gradients)
        self.iterations += 1

    def state(self) -> tuple[int, dict[str, np.ndarray]]:
        if not self.slots:  # plain SGD: nothing but the count (asked before every step)
            return self.iterations, {}
        return self.iterations, {key: value.copy() for key, value in self.slots.items()}

    def restore(self, state: tuple[int, dict[str, np.ndarray]]) -> None:
        self.iterations, slots = state
        for key, value in slots.items():
            self.slots[key][...] = value

    def get_config(self) -> dict[str, Any]:
        return {"learning_rate": self.learning_rate}

    def __repr__(self) -> str:
        settings = ", ".join(f"{key}={value!r}" for key, value in self.get_config().items())
        return f"{type(self).__name__}({settings})"

    def _new_slots(self, shape: tuple[int, ...]) -> dict[str, np.ndarray]:
        return {}

    def _update(self, w: np.ndarray, g: np.ndarray) -> None:
        raise NotImplementedError


class SGD(Optimizer):
    """``w -= lr·g``; with momentum ``m = μm − lr·g; w += m`` (Nesterov: ``w += μm − lr·g``)."""

    name = "sgd"

    def __init__(self, learning_rate: float = 0.01, momentum: float = 0.0, nesterov: bool = False) -> None:
        super().__init__(learning_rate)
        self.momentum = _between(momentum, "momentum", 0.0, 1.0)
        self.nesterov = bool(nesterov)

    def get_config(self) -> dict[str, Any]:
        return {"learning_rate": self.learning_rate, "momentum": self.momentum, "nesterov": self.nesterov}

    def _new_slots(self, shape: tuple[int, ...]) -> dict[str, np.ndarray]:
        return {"momentum": np.zeros(shape)} if self.momentum else {}

    def _update(self, w: np.ndarray, g: np.ndarray) -> None:
        step = np.multiply(g, self.learning_rate, self._scratch)  # lr·g
        if self.momentum == 0.0:
            w -= step
            return
        m = self.slots["momentum"]
        m *= self.momentum
        m -= step
        if self.nesterov:
            w += self.momentum * m - step
        else:
            w += m


class Adam(Optimizer):
    """Keras' Adam: epsilon added to √v of the uncorrected v, the bias correction in the step size."""

    name = "adam"

    def __init__(
        self,
        learning_rate: float = 0.001,
        beta_1: float = 0.9,
        beta_2: float = 0.999,
        epsilon: float = 1e-7,
        amsgrad: bool = False,
    ) -> None:
        super().__init__(learning_rate)
        self.beta_1 = _between(beta_1, "beta_1", 0.0, 1.0, high_open=True)
        self.beta_2 = _between(beta_2, "beta_2", 0.0, 1.0, high_open=True)
        self.epsilon = _positive(epsilon, "epsilon", zero=True)
        self.amsgrad = bool(amsgrad)

    def get_config(self) -> dict[str, Any]:
        return {
            "learning_rate": self.learning_rate,
            "beta_1": self.beta_1,
            "beta_2": self.beta_2,
            "epsilon": self.epsilon,
            "amsgrad": self.amsgrad,
        }

    def _new_slots(self, shape: tuple[int, ...]) -> dict[str, np.ndarray]:
        slots = {"m": np.zeros(shape), "v": np.zeros(shape)}
        if self.amsgrad:
            slots["v_hat"] = np.zeros(shape)
        return slots

    def _update(self, w: np.ndarray, g: np.ndarray) -> None:
        t = self.iterations + 1
        alpha = self.learning_rate * math.sqrt(1.0 - self.beta_2**t) / (1.0 - self.beta_1**t)
        m, v, scratch = self.slots["m"], self.slots["v"], self._scratch
        m += (g - m) * (1.0 - self.beta_1)
        np.multiply(g, g, out=scratch)
        scratch -= v
        scratch *= 1.0 - self.beta_2
        v += scratch
        if self.amsgrad:
            v_hat = self.slots["v_hat"]
            np.maximum(v_hat, v, out=v_hat)
            v = v_hat
        np.sqrt(v, out=scratch)
        scratch += self.epsilon
        np.divide(m, scratch, out=scratch)
        scratch *= alpha
        w -= scratch


class RMSprop(Optimizer):
    """Keras' RMSprop: epsilon inside the square root; optional centring and momentum."""

    name = "rmsprop"

    def __init__(
        self,
        learning_rate: float = 0.001,
        rho: float = 0.9,
        momentum: float = 0.0,
        epsilon: float = 1e-7,
        centered: bool = False,
    ) -> None:
        super().__init__(learning_rate)
        self.rho = _between(rho, "rho", 0.0, 1.0)
        self.momentum = _between(momentum, "momentum", 0.0, 1.0)
        self.epsilon = _positive(epsilon, "epsilon", zero=True)
        self.centered = bool(centered)

    def get_config(self) -> dict[str, Any]:
        return {
            "learning_rate": self.learning_rate,
            "rho": self.rho,
            "momentum": self.momentum,
            "epsilon": self.epsilon,
            "centered": self.centered,
        }

    def _new_slots(self, shape: tuple[int, ...]) -> dict[str, np.ndarray]:
        return {"v": np.zeros(shape), "mean_gradient": np.zeros(shape), "momentum": np.zeros(shape)}

    def _update(self, w: np.ndarray, g: np.ndarray) -> None:
        v = self.slots["v"]
        v *= self.rho
        v += (1.0 - self.rho) * g * g
        if self.centered:
            mg = self.slots["mean_gradient"]
            mg *= self.rho
            mg += (1.0 - self.rho) * g
            denominator = v - mg * mg + self.epsilon
        else:
            denominator = v + self.epsilon
        increment = self.learning_rate * g / np.sqrt(denominator)
        if self.momentum > 0:
            mom = self.slots["momentum"]
            mom *= self.momentum
            mom += increment
            w -= mom
        else:
            w -= increment


class Adagrad(Optimizer):
    """Keras' Adagrad: the accumulator starts at ``initial_accumulator_value``, epsilon inside the root."""

    name = "adagrad"

    def __init__(
        self, learning_rate: float = 0.001, initial_accumulator_value: float = 0.1, epsilon: float = 1e-7
    ) -> None:
        super().__init__(learning_rate)
        self.initial_accumulator_value = _positive(initial_accumulator_value, "initial_accumulator_value", zero=True)
        self.epsilon = _positive(epsilon, "epsilon", zero=True)

    def get_config(self) -> dict[str, Any]:
        return {
            "learning_rate": self.learning_rate,
            "initial_accumulator_value": self.initial_accumulator_value,
            "epsilon": self.epsilon,
        }

    def _new_slots(self, shape: tuple[int, ...]) -> dict[str, np.ndarray]:
        return {"accumulator": np.full(shape, self.initial_accumulator_value)}

    def _update(self, w: np.ndarray, g: np.ndarray) -> None:
        accumulator = self.slots["accumulator"]
        accumulator += g * g
        w -= self.learning_rate * g / np.sqrt(accumulator + self.epsilon)


_CLASSES: dict[str, type[Optimizer]] = {cls.name: cls for cls in (SGD, Adam, RMSprop, Adagrad)}
#: Keras config keys that mean "not used" at their default; anything else set is refused, not ignored.
_INERT = {
    "name": None,
    "weight_decay": None,
    "clipnorm": None,
    "clipvalue": None,
    "global_clipnorm": None,
    "use_ema": False,
    "ema_momentum": None,
    "ema_overwrite_frequency": None,
    "loss_scale_factor": None,
    "gradient_accumulation_steps": None,
}


def names() -> list[str]:
    return list(_CLASSES)


def get(name: str | Optimizer, /, **settings: Any) -> Optimizer:
    """An optimizer by its Keras name ("sgd", "adam", "rmsprop", "adagrad"; any case) with Keras' defaults for
    whatever ``settings`` leave out. Keras config keys that change nothing at their defaults (name, ema
    settings…) are accepted; weight decay and gradient clipping are not implemented and are refused when set."""
    if isinstance(name, Optimizer):
        if settings:
            raise ValueError("settings are only for an optimizer given by name")
        return name
    key = name.lower() if isinstance(name, str) else name
    if key not in _CLASSES:
        raise ValueError(f"unknown optimizer {name!r}; choose one of {', '.join(_CLASSES)}")
    own = {}
    for setting, value in settings.items():
        if setting in _INERT:
            if setting != "name" and value is not None and value != _INERT[setting] and setting != "ema_momentum":
                raise ValueError(f"{key}: {setting}={value!r} is not supported (neuroviz trains without it)")
            continue
        own[setting] = value
    try:
        return _CLASSES[key](**own)
    except TypeError as error:
        raise ValueError(f"{key}: {error}") from None


def _positive(value: Any, what: str, zero: bool = False) -> float:
    number = _number(value, what)
    if number < 0 or (number == 0 and not zero):
        raise ValueError(f"{what} must be {'≥' if zero else '>'} 0, got {value!r}")
    return number


def _between(value: Any, what: str, low: float, high: float, high_open: bool = False) -> float:
    number = _number(value, what)
    if not low <= number <= high or (high_open and number == high):
        raise ValueError(f"{what} must be in [{low}, {high}{')' if high_open else ']'}, got {value!r}")
    return number


def _number(value: Any, what: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float | np.integer | np.floating):
        raise ValueError(f"{what} must be a number, got {value!r}")
    number = float(value)
    if not math.isfinite(number):
        raise ValueError(f"{what} must be finite, got {value!r}")
    return number
