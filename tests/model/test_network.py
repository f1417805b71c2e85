"""Network: forward pass against a hand-written loop, the edits the GUI makes, limits and error messages."""

import math
import re

import numpy as np
import pytest

from neuroviz.model import Layer, Network, Propagation, activations
from neuroviz.model.network import MAX_HIDDEN_LAYERS, MAX_UNITS, InvalidNetworkError


# -- reference implementation written from the formulas, one neuron at a time --------------------------------
def _sigmoid(v):
    return 1 / (1 + math.exp(-v))


def reference_layer(a, weights, biases, activation, params):
    """One sample through one dense layer, neuron by neuron."""
    z = [sum(a[i] * weights[i][j] for i in range(len(a))) + biases[j] for j in range(len(biases))]
    if activation == "relu":
        slope, top, t = params["negative_slope"], params["max_value"], params["threshold"]
        out = []
        for v in z:
            positive = v if v > t else 0.0
            positive = min(max(positive, 0.0), top) if top is not None else max(positive, 0.0)
            out.append(positive - slope * max(t - v, 0.0))
        return z, out
    if activation == "tanh":
        return z, [math.tanh(v) for v in z]
    if activation == "sigmoid":
        return z, [_sigmoid(v) for v in z]
    if activation == "linear":
        return z, list(z)
    if activation == "prelu":
        alpha = np.broadcast_to(params["alpha"], (len(z),))
        return z, [v if v > 0 else alpha[j] * v for j, v in enumerate(z)]
    if activation == "softmax":
        top = max(z)
        e = [math.exp(v - top) for v in z]
        return z, [v / sum(e) for v in e]
    if activation == "glu":
        half = len(z) // 2
        return z, [z[j] * _sigmoid(z[half + j]) for j in range(half)]
    raise AssertionError(activation)


def reference_forward(net, x):
    a = list(map(float, x))
    pre, act = [a], [a]
    for layer in net.layers:
        z, a = reference_layer(a, layer.weights.tolist(), layer.biases.tolist(), layer.activation, layer.params)
        pre.append(z)
        act.append(a)
    return pre, act


def mixed_network(seed=0):
    """4 inputs → relu(6, with params) → prelu(4, per-neuron alpha) → glu(6 → 3) → tanh(5) → softmax(3)."""
    return Network.from_sizes(
        [4, 6, 4, 6, 5, 3],
        [
            ("relu", {"negative_slope": 0.1, "max_value": 1.5, "threshold": -0.2}),
            ("prelu", {"alpha": [0.1, 0.2, 0.3, 0.4]}),
            "glu",
            "tanh",
            "softmax",
        ],
        seed=seed,
        bias_initializer="random_normal",
        kernel_initializer="he_normal",
    )


def snapshot(net):
    return [(layer.weights.copy(), layer.biases.copy()) for layer in net.layers]


# -- construction --------------------------------------------------------------------------------------------
def test_from_sizes_builds_the_documented_defaults():
    net = Network.from_sizes([3, 5, 4, 2], seed=0)
    assert [layer.name for layer in net.layers] == ["hidden 1", "hidden 2", "output"]
    assert [layer.activation for layer in net.layers] == ["relu", "relu", "linear"]
    assert [layer.weights.shape for layer in net.layers] == [(3, 5), (5, 4), (4, 2)]
    assert all(np.array_equal(layer.biases, np.zeros(layer.units)) for layer in net.layers)
    assert net.input_names == ["x1", "x2", "x3"]
    assert np.array_equal(net.input_values, np.zeros(3))
    assert net.input_ranges == [(-5.0, 5.0)] * 3
    assert net.sizes == [3, 5, 4, 2] and net.n_inputs == 3 and net.n_outputs == 2
    assert net.layers[0].params == {"negative_slope": 0.0, "max_value": None, "threshold": 0.0}


def test_from_sizes_weights_are_glorot_uniform_and_reproducible():
    net = Network.from_sizes([200, 100, 1], seed=7)
    weights = net.layers[0].weights
    limit = math.sqrt(6 / 300)
    assert np.abs(weights).max() <= limit and np.abs(weights).max() > 0.99 * limit
    again = Network.from_sizes([200, 100, 1], seed=7)
    assert np.array_equal(weights, again.layers[0].weights)
    assert not np.array_equal(weights, Network.from_sizes([200, 100, 1], seed=8).layers[0].weights)


def test_from_sizes_takes_name_and_params_pairs_and_glu_halves_the_drawn_size():
    net = mixed_network()
    assert net.sizes == [4, 6, 4, 3, 5, 3]
    assert net.layers[2].units == 6 and net.layers[2].output_size == 3
    assert net.layers[3].weights.shape == (3, 5)
    assert net.layers[0].params == {"negative_slope": 0.1, "max_value": 1.5, "threshold": -0.2}
    assert np.array_equal(net.layers[1].params["alpha"], [0.1, 0.2, 0.3, 0.4])


def test_alias_names_are_stored_by_their_canonical_name():
    net = Network.from_sizes([2, 3, 1], ["swish", "linear"])
    assert net.layers[0].activation == "silu"


@pytest.mark.parametrize(
    ("sizes", "acts", "message"),
    [
        ([3], None, "at least the output layer"),
        ([3, 0, 1], None, r"sizes\[1\] must be a whole number ≥ 1, got 0"),
        ([3, 2.5, 1], None, r"sizes\[1\] must be a whole number"),
        ([3, 4, 1], ["relu"], "expected 2 activations"),
        ([3, 4, 1], ["rleu", "linear"], "did you mean 'relu'"),
        ([3, 5, 1], ["glu", "linear"], "glu needs an even number of units, got 5"),
        ([3, 4, 1], [("relu", {"negative_slope": "x"}), "linear"], "negative_slope"),
        ([3, 4, 1], [None, "linear"], r"activations\[0\] must be a name or \(name, params\), got None"),
    ],
)
def test_from_sizes_refuses_bad_arguments(sizes, acts, message):
    with pytest.raises(ValueError, match=message):
        Network.from_sizes(sizes, acts)


def test_from_sizes_refuses_unknown_initializers():
    with pytest.raises(ValueError, match="did you mean 'he_normal'"):
        Network.from_sizes([2, 2], kernel_initializer="he_norml")


# -- limits --------------------------------------------------------------------------------------------------
def test_the_largest_network_is_allowed():
    sizes = [MAX_UNITS] + [8] * MAX_HIDDEN_LAYERS + [MAX_UNITS]
    net = Network.from_sizes(sizes)
    assert len(net.layers) == MAX_HIDDEN_LAYERS + 1
    glu = Network.from_sizes([2, 2 * MAX_UNITS, 1], ["glu", "linear"])
    assert glu.sizes == [2, MAX_UNITS, 1]


@pytest.mark.parametrize(
    ("sizes", "acts", "message"),
    [
        ([257, 2], None, "1 to 256 inputs, got 257"),
        ([2, 257, 1], None, "1 to 256 neurons, got 257"),
        ([2, 514, 1], ["glu", "linear"], "2 to 512 units"),
        ([2] + [3] * 17 + [1], None, "at most 16 hidden layers are supported, got 17"),
    ],
)
def test_limits_are_refused_with_the_limit_in_the_message(sizes, acts, message):
    with pytest.raises(ValueError, match=message):
        Network.from_sizes(sizes, acts)


def test_edits_respect_the_limits():
    net = Network.from_sizes([2] + [3] * MAX_HIDDEN_LAYERS + [1])
    with pytest.raises(ValueError, match="at most 16 hidden layers"):
        net.insert_layer(1, 3)
    with pytest.raises(ValueError, match="1 to 256 neurons, got 300"):
        net.resize_layer(2, 300)
    with pytest.raises(ValueError, match="1 to 256 neurons, got 0"):
        net.resize_layer(0, 0)


# -- the constructor validates -------------------------------------------------------------------------------
def test_constructor_names_the_layer_and_the_shapes():
    layers = [
        Layer("hidden 1", np.zeros((2, 5)), np.zeros(5), "relu"),
        Layer("output", np.zeros((4, 3)), np.zeros(3), "softmax"),
    ]
    with pytest.raises(InvalidNetworkError, match=r"layers\[1\].weights: expected 5×3, got 4×3") as caught:
        Network(layers)
    assert caught.value.where == "layers[1].weights"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda ls: setattr(ls[0], "biases", np.zeros((2, 2))), r"layers\[0\].biases: expected a list"),
        (
            lambda ls: ls[1].weights.__setitem__((1, 0), np.nan),
            r"layers\[1\].weights\[1\]\[0\]: must be finite",
        ),
        (lambda ls: ls[0].biases.__setitem__(0, np.inf), r"layers\[0\].biases\[0\]: must be finite"),
        (lambda ls: setattr(ls[1], "activation", "softmaks"), "did you mean 'softmax'"),
        (lambda ls: setattr(ls[1], "params", {"axis": 0}), "axis must be -1"),
        (lambda ls: setattr(ls[0], "params", {"nope": 1}), "unknown parameter 'nope'"),
        (lambda ls: setattr(ls[0], "name", 3), r"layers\[0\].name: must be text"),
    ],
)
def test_constructor_refuses_bad_layers(change, message):
    layers = [
        Layer("hidden 1", np.zeros((2, 3)), np.zeros(3), "relu"),
        Layer("output", np.zeros((3, 2)), np.zeros(2), "softmax"),
    ]
    change(layers)
    with pytest.raises(ValueError, match=message):
        Network(layers)


def test_constructor_refuses_a_per_neuron_alpha_of_the_wrong_length():
    layer = Layer("output", np.zeros((2, 4)), np.zeros(4), "prelu", {"alpha": [0.1, 0.2, 0.3]})
    with pytest.raises(ValueError, match="alpha has 3 values but the layer has 4 neurons"):
        Network([layer])


@pytest.mark.parametrize(
    ("inputs", "message"),
    [
        ({"input_values": [7.0, 0.0]}, r"inputs\[0\].value: 7.0 lies outside its range \[-5.0, 5.0\]"),
        ({"input_ranges": [(1.0, 1.0), (0.0, 1.0)]}, r"inputs\[0\]: min must be below max"),
        ({"input_names": ["a"]}, r"layers\[0\].weights: expected 1×1, got 2×1"),
        ({"input_names": ["a", 2]}, r"inputs\[1\].name: must be text"),
        ({"input_values": [np.nan, 0.0]}, r"inputs\[0\].value: must be finite"),
    ],
)
def test_constructor_refuses_bad_inputs(inputs, message):
    with pytest.raises(ValueError, match=message):
        Network([Layer("output", np.zeros((2, 1)), np.zeros(1), "linear")], **inputs)


def test_constructor_copies_its_arrays():
    weights = np.ones((2, 1))
    net = Network([Layer("output", weights, np.zeros(1))])
    weights[0, 0] = 5.0
    assert net.layers[0].weights[0, 0] == 1.0


# -- forward pass --------------------------------------------------------------------------------------------
def test_forward_matches_a_neuron_by_neuron_loop():
    net = mixed_network(seed=3)
    x = np.array([0.7, -1.3, 2.2, -0.4])
    p = net.forward(x)
    pre, act = reference_forward(net, x)
    assert len(p.activations) == len(net.layers) + 1
    for k in range(len(act)):
        np.testing.assert_allclose(p.pre_activations[k], pre[k], rtol=1e-12, atol=1e-14)
        np.testing.assert_allclose(p.activations[k], act[k], rtol=1e-12, atol=1e-14)
    assert p.outputs.sum() == pytest.approx(1.0)
    assert p.outputs is p.activations[-1]


def test_forward_with_relu_params_gives_the_keras_values():
    # relu([-5, -8, 0, 3, 9], negative_slope=0.7, max_value=3, threshold=7) from DESIGN.md §4
    layer = Layer("output", np.eye(5), np.zeros(5), "relu", {"negative_slope": 0.7, "max_value": 3, "threshold": 7})
    net = Network([layer], input_ranges=[(-10.0, 10.0)] * 5)
    np.testing.assert_allclose(net.forward([-5, -8, 0, 3, 9]).outputs, [-8.4, -10.5, -4.9, -2.8, 3.0])


def test_derivatives_are_the_activation_derivative_of_the_pre_activations():
    net = mixed_network(seed=4)
    p = net.forward([1.0, -2.0, 0.5, 3.0])
    assert np.array_equal(p.derivatives[0], np.ones(4))
    for k, layer in enumerate(net.layers, start=1):
        act = activations.get(layer.activation)
        expected = act.derivative(p.pre_activations[k], **layer.params)
        np.testing.assert_array_equal(p.derivatives[k], expected)
    relu = net.layers[0].params
    z = p.pre_activations[1]
    expected_relu = np.where((z > relu["threshold"]) & (z > 0) & (z < relu["max_value"]), 1.0, 0.0)
    expected_relu += np.where(z < relu["threshold"], 0.1, 0.0)
    np.testing.assert_array_equal(p.derivatives[1], expected_relu)


def test_batch_equals_row_by_row():
    net = mixed_network(seed=5)
    batch = np.random.default_rng(0).uniform(-3, 3, (7, 4))
    p = net.forward(batch)
    assert p.outputs.shape == (7, 3)
    np.testing.assert_allclose(p.outputs.sum(axis=1), np.ones(7))
    for row in range(7):
        single = net.forward(batch[row])
        for k in range(len(net.layers) + 1):  # bit for bit: the weighted sums never go through BLAS
            assert np.array_equal(p.pre_activations[k][row], single.pre_activations[k])
            assert np.array_equal(p.activations[k][row], single.activations[k])
            assert np.array_equal(p.derivatives[k][row], single.derivatives[k])


def test_the_weights_memory_layout_does_not_change_a_single_bit():
    """The same numbers as a transposed (Fortran-order) array: einsum would sum them in another order, so the
    network keeps its own C-order copy."""
    rng = np.random.default_rng(11)
    weights, biases = rng.standard_normal((256, 256)), rng.standard_normal(256)
    x = rng.standard_normal((3, 256))
    as_c = Network([Layer("output", weights, biases)])
    as_fortran = Network([Layer("output", np.asfortranarray(weights), biases)])
    assert as_fortran.layers[0].weights.flags.c_contiguous
    assert np.array_equal(as_fortran.forward(x).outputs, as_c.forward(x).outputs)


def test_forward_without_x_uses_the_input_values():
    net = mixed_network()
    net.set_input(1, 2.5)
    net.set_input(3, -1.0)
    assert np.array_equal(net.forward().outputs, net.forward([0.0, 2.5, 0.0, -1.0]).outputs)
    assert net.forward().activations[0].dtype == np.float64


@pytest.mark.parametrize(
    ("x", "shape"),
    [
        ([1.0, 2.0, 3.0], "(3,)"),
        (np.zeros((2, 5)), "(2, 5)"),
        (np.zeros((2, 2, 4)), "(2, 2, 4)"),
        (1.0, "()"),
    ],
)
def test_forward_refuses_wrong_shapes_naming_expected_and_given(x, shape):
    net = mixed_network()
    expected = rf"forward: expected inputs of shape \(4,\) or \(batch, 4\), got shape {re.escape(shape)}"
    with pytest.raises(ValueError, match=expected):
        net.forward(x)


def test_forward_refuses_text_inputs():
    with pytest.raises(ValueError, match="inputs must be numbers"):
        mixed_network().forward(["a", "b", "c", "d"])


def test_non_finite_inputs_give_nan_not_an_exception():
    net = Network.from_sizes([2, 3, 2], ["tanh", "softmax"])
    out = net.forward([np.inf, np.nan]).outputs
    assert np.isnan(out).all()


def test_propagation_arrays_are_read_only():
    p = mixed_network().forward([1.0, 2.0, 3.0, 4.0])
    assert isinstance(p, Propagation)
    with pytest.raises(ValueError):
        p.activations[2][0] = 1.0


# -- forward_from --------------------------------------------------------------------------------------------
@pytest.mark.parametrize("k", [1, 2, 3, 4, 5])
def test_forward_from_after_an_edit_in_layer_k_equals_a_full_forward(k):
    net = mixed_network(seed=6)
    net.set_input(0, 1.5)
    before = net.forward()
    net.set_weight(k, 0, 0, 0.75)
    net.set_bias(k, 1, -0.3)
    partial = net.forward_from(k, before)
    full = net.forward()
    for position in range(len(net.layers) + 1):
        assert np.array_equal(partial.activations[position], full.activations[position])
        assert np.array_equal(partial.pre_activations[position], full.pre_activations[position])
        assert np.array_equal(partial.derivatives[position], full.derivatives[position])
    for position in range(k):  # reused, not recomputed
        assert partial.activations[position] is before.activations[position]
    assert not np.array_equal(partial.outputs, before.outputs)


def test_forward_from_zero_uses_new_inputs():
    net = mixed_network()
    before = net.forward([0.0, 0.0, 0.0, 0.0])
    after = net.forward_from(0, before, [1.0, 2.0, 3.0, 4.0])
    assert np.array_equal(after.outputs, net.forward([1.0, 2.0, 3.0, 4.0]).outputs)


def test_forward_from_after_inserting_a_layer_equals_a_full_forward():
    net = mixed_network()
    before = net.forward([1.0, -1.0, 0.5, 2.0])
    net.insert_layer(3, 7, "sigmoid", seed=2)
    partial = net.forward_from(3, before)
    full = net.forward([1.0, -1.0, 0.5, 2.0])
    assert len(partial.activations) == len(net.layers) + 1
    for a, b in zip(partial.activations, full.activations, strict=True):
        assert np.array_equal(a, b)


def test_forward_from_refuses_a_propagation_that_does_not_fit():
    net = mixed_network()
    before = net.forward()
    net.resize_layer(1, 5)
    with pytest.raises(ValueError, match="position 1 of the previous propagation has 6 values, layer 2 reads 5"):
        net.forward_from(2, before)
    with pytest.raises(ValueError, match="between 0 and 5"):
        net.forward_from(6, before)
    with pytest.raises(ValueError, match="previous must be a Propagation, got list"):
        net.forward_from(2, [before])


# -- structural edits ----------------------------------------------------------------------------------------
def test_insert_layer_keeps_every_other_weight_and_redraws_the_next_fan_in():
    net = mixed_network()
    old = snapshot(net)
    net.insert_layer(2, 9, "tanh", seed=1)
    assert net.sizes == [4, 6, 9, 4, 3, 5, 3]
    new = net.layers[1]
    assert (new.name, new.activation, new.weights.shape) == ("hidden 2", "tanh", (6, 9))
    assert np.array_equal(new.biases, np.zeros(9))
    assert np.abs(new.weights).max() <= math.sqrt(6 / 15)  # glorot_uniform
    following = net.layers[2]
    assert following.weights.shape == (9, 4)
    assert np.array_equal(following.biases, old[1][1])  # biases stay
    for before, after in zip([old[0], *old[2:]], [net.layers[0], *net.layers[3:]], strict=True):
        assert np.array_equal(before[0], after.weights) and np.array_equal(before[1], after.biases)
    assert [layer.name for layer in net.layers] == [f"hidden {i}" for i in range(1, 6)] + ["output"]


def test_insert_layer_is_seeded():
    a, b = mixed_network(), mixed_network()
    a.insert_layer(1, 3, seed=5)
    b.insert_layer(1, 3, seed=5)
    assert all(np.array_equal(x.weights, y.weights) for x, y in zip(a.layers, b.layers, strict=True))


def test_insert_layer_keeps_custom_names_and_renumbers_default_ones():
    net = Network.from_sizes([2, 3, 3, 1])
    net.layers[0].name = "encoder"
    net.insert_layer(1, 2)
    assert [layer.name for layer in net.layers] == ["hidden 1", "encoder", "hidden 3", "output"]


@pytest.mark.parametrize("k", [0, 4, -1])
def test_insert_layer_positions_are_1_to_L(k):
    net = Network.from_sizes([2, 3, 3, 1])
    with pytest.raises(ValueError, match=f"insert_layer: position must be between 1 and 3, got {k}"):
        net.insert_layer(k, 2)


def test_insert_a_glu_layer_feeds_half_its_units_forward():
    net = Network.from_sizes([2, 3, 1])
    net.insert_layer(2, 8, "glu")
    assert net.sizes == [2, 3, 4, 1]
    assert net.layers[2].weights.shape == (4, 1)
    with pytest.raises(ValueError, match="glu needs an even number of units, got 3"):
        net.insert_layer(2, 3, "glu")
    net.insert_layer(1, 512, "glu")
    assert net.sizes == [2, 256, 3, 4, 1]
    with pytest.raises(ValueError, match="1 to 256 neurons, got 512"):
        net.insert_layer(1, 512, "relu")


def test_remove_layer_keeps_every_other_weight_and_redraws_the_next_fan_in():
    net = mixed_network()
    old = snapshot(net)
    net.remove_layer(2)
    assert net.sizes == [4, 6, 3, 5, 3]
    assert net.layers[1].weights.shape == (6, 6)  # the glu layer now reads the relu layer
    assert np.array_equal(net.layers[1].biases, old[2][1])
    for before, after in zip([old[0], *old[3:]], [net.layers[0], *net.layers[2:]], strict=True):
        assert np.array_equal(before[0], after.weights) and np.array_equal(before[1], after.biases)
    assert [layer.name for layer in net.layers] == ["hidden 1", "hidden 2", "hidden 3", "output"]


def test_remove_layer_refuses_the_input_and_output_layers():
    net = Network.from_sizes([2, 3, 3, 1])
    with pytest.raises(ValueError, match="between 1 and 2, got 3"):
        net.remove_layer(3)
    with pytest.raises(ValueError, match="between 1 and 2, got 0"):
        net.remove_layer(0)
    single = Network.from_sizes([2, 1])
    with pytest.raises(ValueError, match="no hidden layer"):
        single.remove_layer(1)


def test_resize_layer_keeps_the_overlapping_block():
    net = mixed_network()
    old = snapshot(net)
    net.resize_layer(4, 8, seed=3)  # the tanh layer: 5 → 8 units
    layer, following = net.layers[3], net.layers[4]
    assert layer.weights.shape == (3, 8) and following.weights.shape == (8, 3)
    assert np.array_equal(layer.weights[:, :5], old[3][0])
    assert np.array_equal(layer.biases[:5], old[3][1]) and np.array_equal(layer.biases[5:], np.zeros(3))
    assert np.array_equal(following.weights[:5], old[4][0])
    assert np.array_equal(following.biases, old[4][1])
    assert not np.array_equal(following.weights[5:], np.zeros((3, 3)))  # new rows are drawn, not zero
    for before, after in zip(old[:3], net.layers[:3], strict=True):
        assert np.array_equal(before[0], after.weights) and np.array_equal(before[1], after.biases)
    net.resize_layer(4, 2)
    assert np.array_equal(net.layers[3].weights, old[3][0][:, :2])
    assert np.array_equal(net.layers[4].weights, old[4][0][:2])


def test_resize_inputs_keeps_names_values_and_first_layer_rows():
    net = mixed_network()
    net.set_input_range(1, -1.0, 1.0)
    net.set_input(1, 0.5)
    net.input_names[0] = "age"
    old = snapshot(net)
    net.resize_layer(0, 6)
    assert net.input_names == ["age", "x2", "x3", "x4", "x5", "x6"]
    assert np.array_equal(net.input_values, [0, 0.5, 0, 0, 0, 0])
    assert net.input_ranges[1] == (-1.0, 1.0) and net.input_ranges[5] == (-5.0, 5.0)
    assert np.array_equal(net.layers[0].weights[:4], old[0][0])
    net.resize_layer(0, 2)
    assert net.input_names == ["age", "x2"] and net.sizes[0] == 2
    assert np.array_equal(net.layers[0].weights, old[0][0][:2])
    assert all(np.array_equal(b[0], a.weights) for b, a in zip(old[1:], net.layers[1:], strict=True))


def test_resizing_a_glu_layer_keeps_the_surviving_outputs():
    net = mixed_network()
    x = [0.3, -0.2, 1.0, 0.8]
    before = net.forward(x).activations[3]
    net.resize_layer(3, 10)  # 3 → 5 outputs; each half keeps its columns
    after = net.forward(x).activations[3]
    assert after.shape == (5,)
    np.testing.assert_array_equal(after[:3], before)
    net.resize_layer(3, 4)
    np.testing.assert_array_equal(net.forward(x).activations[3], before[:2])
    with pytest.raises(ValueError, match="even number of units, got 5"):
        net.resize_layer(3, 5)


def test_resizing_a_prelu_layer_resizes_its_alpha_vector():
    net = mixed_network()
    net.resize_layer(2, 6)
    assert np.array_equal(net.layers[1].params["alpha"], [0.1, 0.2, 0.3, 0.4, 0.25, 0.25])
    net.resize_layer(2, 2)
    assert np.array_equal(net.layers[1].params["alpha"], [0.1, 0.2])
    scalar = Network.from_sizes([2, 3, 1], [("prelu", {"alpha": 0.3}), "linear"])
    scalar.resize_layer(1, 5)
    assert scalar.layers[0].params["alpha"] == 0.3


# -- value edits ---------------------------------------------------------------------------------------------
def test_set_weight_and_bias_change_exactly_one_number():
    net = mixed_network()
    old = snapshot(net)
    net.set_weight(2, 5, 3, 1.25)
    net.set_bias(3, 4, -2.0)
    for k, (layer, (weights, biases)) in enumerate(zip(net.layers, old, strict=True), start=1):
        changed_w = np.argwhere(layer.weights != weights).tolist()
        changed_b = np.argwhere(layer.biases != biases).tolist()
        assert changed_w == ([[5, 3]] if k == 2 else [])
        assert changed_b == ([[4]] if k == 3 else [])
    assert net.layers[1].weights[5, 3] == 1.25 and net.layers[2].biases[4] == -2.0


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda n: n.set_weight(1, 4, 0, 1.0), "set_weight: i must be between 0 and 3, got 4"),
        (lambda n: n.set_weight(1, 0, 6, 1.0), "set_weight: j must be between 0 and 5, got 6"),
        (lambda n: n.set_weight(6, 0, 0, 1.0), "set_weight: position must be between 1 and 5, got 6"),
        (lambda n: n.set_weight(1, 0, 0, math.inf), "must be finite"),
        (lambda n: n.set_weight(1, 0, 0, "1"), "must be a number"),
        (lambda n: n.set_bias(1, -1, 0.0), "set_bias: j must be between 0 and 5, got -1"),
        (lambda n: n.set_bias(1, 0, math.nan), "must be finite"),
        (lambda n: n.set_bias(True, 0, 0.0), "whole number"),
    ],
)
def test_value_edits_refuse_bad_arguments(call, message):
    net = mixed_network()
    old = snapshot(net)
    with pytest.raises(ValueError, match=message):
        call(net)
    assert all(np.array_equal(b[0], a.weights) for b, a in zip(old, net.layers, strict=True))


def test_set_activation_validates_and_fills_defaults():
    net = mixed_network()
    old = snapshot(net)
    net.set_activation(4, "leaky_relu")
    assert net.layers[3].activation == "leaky_relu"
    assert net.layers[3].params == activations.get("leaky_relu").defaults()
    net.set_activation(1, "relu", max_value=6.0)
    assert net.layers[0].params == {"negative_slope": 0.0, "max_value": 6.0, "threshold": 0.0}
    assert all(np.array_equal(b[0], a.weights) for b, a in zip(old, net.layers, strict=True))
    with pytest.raises(ValueError, match="did you mean 'sigmoid'"):
        net.set_activation(1, "sigmod")
    with pytest.raises(ValueError, match="glu needs an even number of units, got 5"):
        net.set_activation(4, "glu")
    with pytest.raises(ValueError, match="alpha has 2 values but the layer has 5 neurons"):
        net.set_activation(4, "prelu", alpha=[0.1, 0.2])
    assert net.layers[0].activation == "relu" and net.layers[3].activation == "leaky_relu"


def test_set_activation_to_and_from_glu_adjusts_the_next_fan_in():
    net = Network.from_sizes([2, 4, 3, 1], ["relu", "tanh", "linear"])
    old = snapshot(net)
    net.set_activation(1, "glu")
    assert net.sizes == [2, 2, 3, 1]
    assert net.layers[1].weights.shape == (2, 3)
    assert np.array_equal(net.layers[1].biases, old[1][1])
    assert np.array_equal(net.layers[2].weights, old[2][0])
    net.set_activation(1, "sigmoid")
    assert net.sizes == [2, 4, 3, 1] and net.layers[1].weights.shape == (4, 3)


def test_set_params_changes_only_the_given_parameters():
    net = mixed_network()
    net.set_params(1, max_value=2.0)
    assert net.layers[0].params == {"negative_slope": 0.1, "max_value": 2.0, "threshold": -0.2}
    net.set_params(1, alpha=0.3)  # Keras 2's name for negative_slope
    assert net.layers[0].params["negative_slope"] == 0.3
    net.set_params(2, alpha=[1.0, 0.5, 0.25, 0.0])
    assert np.array_equal(net.layers[1].params["alpha"], [1.0, 0.5, 0.25, 0.0])
    with pytest.raises(ValueError, match="negative_slope"):
        net.set_params(1, negative_slope="steep")
    with pytest.raises(ValueError, match="unknown parameter 'beta'"):
        net.set_params(1, beta=1.0)
    assert net.layers[0].params["negative_slope"] == 0.3


def test_reinitialize_one_layer_leaves_the_others():
    net = mixed_network()
    old = snapshot(net)
    net.reinitialize(2, "ones", "ones")
    assert np.array_equal(net.layers[1].weights, np.ones((6, 4)))
    assert np.array_equal(net.layers[1].biases, np.ones(4))
    others = [i for i in range(5) if i != 1]
    assert all(np.array_equal(old[i][0], net.layers[i].weights) for i in others)
    assert all(np.array_equal(old[i][1], net.layers[i].biases) for i in others)


def test_reinitialize_all_reproduces_from_sizes():
    net = Network.from_sizes([3, 5, 2], seed=4, kernel_initializer="lecun_normal")
    net.reinitialize(None, "zeros")
    assert all(not layer.weights.any() for layer in net.layers)
    net.reinitialize(None, "lecun_normal", seed=4)
    fresh = Network.from_sizes([3, 5, 2], seed=4, kernel_initializer="lecun_normal")
    assert all(np.array_equal(a.weights, b.weights) for a, b in zip(net.layers, fresh.layers, strict=True))
    with pytest.raises(ValueError, match="unknown initializer 'glorot'"):
        net.reinitialize(1, "glorot")


def test_set_input_and_range():
    net = mixed_network()
    net.set_input(2, -4.5)
    assert net.input_values[2] == -4.5
    with pytest.raises(ValueError, match=r"set_input: 6.0 lies outside input 2's range \[-5.0, 5.0\]"):
        net.set_input(2, 6.0)
    net.set_input_range(2, -1.0, 3.0)
    assert net.input_ranges[2] == (-1.0, 3.0)
    assert net.input_values[2] == -1.0  # clamped into the new range
    net.set_input(2, 2.5)
    net.set_input_range(0, 0.1, 0.3)
    net.set_input(0, 0.1 + 0.2)  # 0.30000000000000004: a slider's rounding, clamped onto the end
    assert net.input_values[0] == 0.3
    with pytest.raises(ValueError, match="outside input 0's range"):
        net.set_input(0, 0.3001)
    with pytest.raises(ValueError, match="low must be below high"):
        net.set_input_range(2, 3.0, 3.0)
    with pytest.raises(ValueError, match="set_input_range: high: must be finite, got inf"):
        net.set_input_range(2, 0.0, math.inf)
    with pytest.raises(ValueError, match="set_input: i must be between 0 and 3, got 4"):
        net.set_input(4, 0.0)
    assert net.input_values[2] == 2.5 and net.input_ranges[2] == (-1.0, 3.0)


def test_copy_is_deep():
    net = mixed_network()
    twin = net.copy()
    twin.set_weight(1, 0, 0, 9.0)
    twin.set_params(2, alpha=[0.0, 0.0, 0.0, 0.0])
    twin.set_input(0, 1.0)
    twin.insert_layer(1, 2)
    assert net.layers[0].weights[0, 0] != 9.0
    assert np.array_equal(net.layers[1].params["alpha"], [0.1, 0.2, 0.3, 0.4])
    assert net.input_values[0] == 0.0 and len(net.layers) == 5


def test_repr_shows_shape_and_activations():
    assert repr(Network.from_sizes([3, 5, 2], ["tanh", "softmax"], name="demo")) == (
        "<Network 'demo' 3-5-2 tanh/softmax>"
    )


# -- non-finite inputs: a zero weight is no connection --------------------------------------------------------
def _identity_network(n: int) -> Network:
    layer = Layer("pass", np.eye(n), np.zeros(n), "linear", {})
    return Network([layer], input_ranges=[(-5.0, 5.0)] * n)


def test_an_identity_column_passes_infinities_and_nan_on_unchanged():
    """A Keras activation layer shown as a column of identity weights must not spread ∞ · 0 = NaN sideways."""
    net = _identity_network(4)
    x = np.array([np.inf, 1.5, -np.inf, np.nan])
    np.testing.assert_array_equal(net.forward(x).pre_activations[1], x)


def test_a_non_finite_input_reaches_only_the_neurons_it_is_connected_to():
    layer = Layer("out", np.array([[2.0, 0.0, 1.0], [1.0, 1.0, 1.0]]), np.zeros(3), "linear", {})
    net = Network([layer], input_ranges=[(-5.0, 5.0)] * 2)
    z = net.forward([np.inf, 3.0]).pre_activations[1]
    np.testing.assert_array_equal(z, [np.inf, 3.0, np.inf])
    z = net.forward([np.nan, 3.0]).pre_activations[1]
    assert np.isnan(z[0]) and z[1] == 3.0 and np.isnan(z[2])
    z = net.forward([np.inf, -np.inf]).pre_activations[1]  # both reach neurons 0 and 2: ∞ − ∞
    assert np.isnan(z[0]) and z[1] == -np.inf and np.isnan(z[2])


def test_a_batch_with_non_finite_rows_equals_its_rows_one_by_one():
    net = Network.from_sizes([3, 5, 4, 2], activations=["relu", "tanh", "softmax"], seed=3)
    batch = np.array([[np.inf, 1.0, -2.0], [0.5, -1.0, 2.0], [np.nan, -np.inf, 1.0], [1e300, -1e300, 1e300]])
    together = net.forward(batch)
    for i, row in enumerate(batch):
        alone = net.forward(row)
        for k in range(len(alone.activations)):
            np.testing.assert_array_equal(together.pre_activations[k][i], alone.pre_activations[k])
            np.testing.assert_array_equal(together.activations[k][i], alone.activations[k])


def test_the_input_layers_derivative_keeps_no_memory_after_a_sweep():
    """It used to be cached per shape, so every sweep of 100,000 steps kept its array of ones alive."""
    import gc
    import weakref

    net = Network.from_sizes([3, 2], seed=0)
    ones = net.forward(np.zeros((1000, 3))).derivatives[0]
    assert ones.shape == (1000, 3) and np.all(ones == 1.0) and not ones.flags.writeable
    kept = weakref.ref(ones.base if ones.base is not None else ones)
    del ones
    gc.collect()
    assert kept() is None or kept().nbytes <= 8
