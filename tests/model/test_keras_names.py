"""What Keras tutorials write works here: LeakyReLU(alpha=0.1) (Keras 2's name for the slope) and the Keras
activation layer names (ReLU, LeakyReLU, PReLU, ELU, Softmax) given to activations.get."""

from __future__ import annotations

import json

import numpy as np
import pytest

from neuroviz.model import Network, activations

X = np.array([-4.0, -0.5, 0.0, 0.5, 3.0])


def test_leaky_relu_accepts_keras_2_alpha_as_its_negative_slope():
    act = activations.get("leaky_relu")
    np.testing.assert_array_equal(act(X, alpha=0.1), act(X, negative_slope=0.1))
    np.testing.assert_array_equal(act(X, alpha=0.1), [-0.4, -0.05, 0.0, 0.5, 3.0])
    np.testing.assert_array_equal(act.derivative(X, alpha=0.1), [0.1, 0.1, 0.1, 1.0, 1.0])
    assert act.validate(alpha=0.1) == {"negative_slope": 0.1}
    with pytest.raises(ValueError, match="give either 'negative_slope' or its old name 'alpha', not both"):
        act(X, alpha=0.1, negative_slope=0.2)


def test_a_leaky_layer_takes_alpha_in_edits_and_in_files(tmp_path):
    net = Network.from_sizes([2, 3, 1], activations=["leaky_relu", "linear"], seed=0)
    net.set_params(1, alpha=0.05)
    assert net.layers[0].params == {"negative_slope": 0.05}
    path = tmp_path / "net.json"
    net.save(path)
    data = json.loads(path.read_text(encoding="utf-8"))
    data["layers"][0]["params"] = {"alpha": 0.1}  # as a person following a Keras 2 tutorial would write it
    path.write_text(json.dumps(data), encoding="utf-8")
    assert Network.load(path).layers[0].params == {"negative_slope": 0.1}


@pytest.mark.parametrize(
    ("layer_name", "function"),
    [
        ("ReLU", "relu"),
        ("LeakyReLU", "leaky_relu"),
        ("leakyrelu", "leaky_relu"),
        ("Leaky_ReLU", "leaky_relu"),
        ("PReLU", "prelu"),
        ("ELU", "elu"),
        ("Softmax", "softmax"),
    ],
)
def test_keras_activation_layer_names_resolve_to_their_activation(layer_name, function):
    assert activations.get(layer_name) is activations.get(function)


def test_layer_names_are_not_registered_names_and_keep_the_functions_defaults():
    assert "LeakyReLU" not in activations.names()
    assert activations.get("LeakyReLU").defaults()["negative_slope"] == 0.2  # the function's, not the layer's 0.3


def test_a_name_that_is_no_activation_and_no_layer_is_still_refused_with_hints():
    with pytest.raises(ValueError, match=r"unknown activation 'LeakyReLU6'; did you mean"):
        activations.get("LeakyReLU6")
