"""Custom formula activations inside a Network and its files: exact values, edits, round trips, hostile files."""

import builtins
import codecs
import json
import sys

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from neuroviz.model import Layer, Network, NetworkFileError, activations, files, formula, network
from neuroviz.model.formula import FormulaError

SWISH = "x * sigmoid(beta * x)"
X = np.random.default_rng(7).uniform(-4.0, 4.0, size=(6, 3))


def swish_network(beta=1.5):
    """3-5-4-2: relu, then the custom swish, then softmax; non-zero biases so every term matters."""
    net = Network.from_sizes([3, 5, 4, 2], activations=["relu", "tanh", "softmax"], seed=3)
    net.reinitialize(None, "glorot_uniform", "random_normal", seed=4)
    net.set_custom_activation(2, SWISH, beta=beta)
    return net


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def reference(net, x, beta):
    """The forward pass written out with NumPy, swish with ``beta`` in layer 2."""
    w1, w2, w3 = (layer.weights for layer in net.layers)
    b1, b2, b3 = (layer.biases for layer in net.layers)
    z1 = x @ w1 + b1
    a1 = np.maximum(z1, 0.0)
    z2 = a1 @ w2 + b2
    a2 = z2 * sigmoid(beta * z2)
    d2 = sigmoid(beta * z2) + beta * z2 * sigmoid(beta * z2) * (1.0 - sigmoid(beta * z2))
    z3 = a2 @ w3 + b3
    e = np.exp(z3 - z3.max(axis=-1, keepdims=True))
    return z2, a2, d2, e / e.sum(axis=-1, keepdims=True)


# -- the layer ---------------------------------------------------------------------------------------------
def test_a_custom_layer_holds_its_formula_and_parameter_values():
    net = swish_network(beta=1.5)
    layer = net.layers[1]
    assert (layer.activation, layer.formula, layer.params) == ("custom", SWISH, {"beta": 1.5})
    assert (layer.name, layer.units, net.sizes) == ("hidden 2", 4, [3, 5, 4, 2])
    assert net.layers[0].formula is None and net.layers[2].formula is None
    assert "custom" in repr(net)


def test_layer_function_is_the_registry_activation_or_the_parsed_formula():
    net = swish_network(beta=1.5)
    assert net.layers[0].function is activations.get("relu")
    function = net.layers[1].function
    assert function.name == "custom" and function.formula == SWISH
    assert function.defaults() == {"beta": 1.5}  # a formula's only defaults are the layer's values
    z = np.linspace(-3, 3, 7)
    expected = formula.from_formula(SWISH, beta=1.5)
    np.testing.assert_array_equal(function(z), expected(z))
    np.testing.assert_array_equal(function.derivative(z, beta=2.0), expected.derivative(z, beta=2.0))


def test_forward_equals_the_numpy_reference():
    net = swish_network(beta=1.5)
    z2, a2, _, out = reference(net, X, 1.5)
    p = net.forward(X)
    np.testing.assert_allclose(p.pre_activations[2], z2, rtol=1e-13, atol=1e-15)
    np.testing.assert_allclose(p.activations[2], a2, rtol=1e-13, atol=1e-15)
    np.testing.assert_allclose(p.outputs, out, rtol=1e-12)
    assert np.all(p.activations[2][p.pre_activations[2] < 0] < 0)  # swish lets small negatives through


def test_derivatives_are_the_exact_ones():
    net = swish_network(beta=1.5)
    _, _, d2, _ = reference(net, X, 1.5)
    np.testing.assert_allclose(net.forward(X).derivatives[2], d2, rtol=1e-12, atol=1e-15)


def test_set_params_changes_beta_and_the_output():
    net = swish_network(beta=1.5)
    before = net.forward(X).outputs
    net.set_params(2, beta=4.0)
    assert net.layers[1].params == {"beta": 4.0} and net.layers[1].formula == SWISH
    after = net.forward(X)
    assert not np.allclose(after.outputs, before)
    _, a2, d2, out = reference(net, X, 4.0)
    np.testing.assert_allclose(after.activations[2], a2, rtol=1e-13, atol=1e-15)
    np.testing.assert_allclose(after.derivatives[2], d2, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(after.outputs, out, rtol=1e-12)


def test_set_params_only_knows_the_declared_names_and_checks_values():
    net = swish_network(beta=1.5)
    with pytest.raises(ValueError, match=r"unknown parameter 'gamma' \(its parameters: beta\)"):
        net.set_params(2, gamma=1.0)
    with pytest.raises(ValueError, match="'beta' must be finite"):
        net.set_params(2, beta=float("nan"))
    with pytest.raises(ValueError, match="'beta' must be a number"):
        net.set_params(2, beta="2")
    assert net.layers[1].params == {"beta": 1.5}  # refused edits change nothing


def test_parameters_may_be_called_k_or_formula():
    net = swish_network()
    net.set_custom_activation(2, "k * x + formula", k=2.0, formula=-1.0)
    net.set_params(2, k=3.0)
    assert net.layers[1].params == {"k": 3.0, "formula": -1.0}
    np.testing.assert_allclose(net.forward(X).activations[2], 3.0 * net.forward(X).pre_activations[2] - 1.0)


#: Names of the arguments of the functions and methods a formula's parameters pass through as keywords.
ARGUMENT_NAMES = ["text", "params", "validated", "formula", "k", "name", "values", "args", "kwargs"]


@pytest.mark.parametrize("name", ARGUMENT_NAMES)
def test_a_parameter_may_share_its_name_with_an_argument_of_the_api(name, tmp_path):
    """Every path a parameter travels as a keyword: from_formula, the Activation's methods, the layer edits,
    the forward pass and the file (from_formula("x*text", text=1.0) raised TypeError)."""
    x = np.array([1.0, -3.0])
    np.testing.assert_array_equal(formula.from_formula(f"x * {name}", **{name: 2.0})(x), [2.0, -6.0])
    act = formula.from_formula(f"x * {name}", **{name: 2.0})
    np.testing.assert_array_equal(act(x, **{name: 3.0}), [3.0, -9.0])
    np.testing.assert_array_equal(act.derivative(x, **{name: 3.0}), [3.0, 3.0])
    np.testing.assert_array_equal(act.jvp(x, np.ones(2), **{name: 3.0}), [3.0, 3.0])
    assert act.validate(**{name: 3.0}) == {name: 3.0}
    value, slope = act.value_and_derivative(x, {name: 3.0})
    np.testing.assert_array_equal(value, [3.0, -9.0])
    np.testing.assert_array_equal(slope, [3.0, 3.0])
    net = swish_network()
    net.set_custom_activation(2, f"x * {name}", **{name: 2.0})
    net.set_params(2, **{name: 4.0})
    p = net.forward(X)
    np.testing.assert_array_equal(p.activations[2], 4.0 * p.pre_activations[2])
    net.save(tmp_path / "net.json")
    assert Network.load(tmp_path / "net.json").layers[1].params == {name: 4.0}


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("self", "'self' is reserved: an activation's methods take 'self' themselves"),
        ("v", "'v' is reserved: an activation's methods take 'v' themselves"),
        ("x", "'x' is the input and cannot be a parameter name"),
    ],
)
def test_names_the_activation_methods_take_themselves_are_refused_saying_so(name, message):
    with pytest.raises(FormulaError, match=message):
        formula.from_formula(f"x + {name}", **{name: 1.0})
    with pytest.raises(FormulaError, match=message):
        swish_network().set_custom_activation(2, f"x + {name}", **{name: 1.0})


def test_forward_from_after_a_custom_edit_equals_a_full_forward():
    net = swish_network(beta=1.5)
    previous = net.forward(X)
    net.set_params(2, beta=0.25)
    partial = net.forward_from(2, previous)
    full = net.forward(X)
    for k in range(4):
        np.testing.assert_array_equal(partial.pre_activations[k], full.pre_activations[k])
        np.testing.assert_array_equal(partial.activations[k], full.activations[k])
        np.testing.assert_array_equal(partial.derivatives[k], full.derivatives[k])
    net.set_custom_activation(3, "exp(-x ** 2)")
    np.testing.assert_array_equal(net.forward_from(3, full).outputs, net.forward(X).outputs)
    np.testing.assert_allclose(net.forward(X).outputs, np.exp(-(full.pre_activations[3] ** 2)))


def test_a_bad_formula_raises_the_parsers_error_and_leaves_the_layer_alone():
    net = Network.from_sizes([3, 5, 4, 2], activations=["relu", "tanh", "softmax"], seed=0)
    with pytest.raises(FormulaError, match="unknown name 'bta' at column 13") as caught:
        net.set_custom_activation(2, "x * sigmoid(bta * x)", beta=1.0)
    assert caught.value.column == 13 and "did you mean 'beta'" in str(caught.value)
    with pytest.raises(FormulaError, match="names may not contain '__'"):
        net.set_custom_activation(2, "__import__('os')")
    with pytest.raises(FormulaError, match="must be text"):
        net.set_custom_activation(2, 3.0)
    with pytest.raises(ValueError, match="'beta' must be finite"):
        net.set_custom_activation(2, SWISH, beta=float("inf"))
    assert (net.layers[1].activation, net.layers[1].formula, net.layers[1].params) == ("tanh", None, {})


def test_custom_needs_set_custom_activation():
    net = Network.from_sizes([3, 5, 4, 2], activations=["relu", "tanh", "softmax"], seed=0)
    with pytest.raises(ValueError, match="use set_custom_activation"):
        net.set_activation(2, "custom")
    with pytest.raises(ValueError, match="use set_custom_activation"):
        net.insert_layer(2, 3, activation="custom")
    with pytest.raises(ValueError, match="use set_custom_activation"):
        Network.from_sizes([2, 2], activations=["custom"])
    assert net.layers[1].activation == "tanh"


def test_switching_back_to_relu_clears_the_formula():
    net = swish_network(beta=1.5)
    net.set_activation(2, "relu", negative_slope=0.5)
    layer = net.layers[1]
    assert (layer.activation, layer.formula) == ("relu", None)
    assert layer.params == {"negative_slope": 0.5, "max_value": None, "threshold": 0.0}
    assert "formula" not in files.to_dict(net)["layers"][1]
    with pytest.raises(ValueError, match="unknown parameter 'beta'"):
        net.set_params(2, beta=1.0)


def test_a_custom_layer_after_glu_outputs_every_unit_and_the_next_layer_follows():
    net = Network.from_sizes([2, 4, 3], activations=["glu", "linear"], seed=0)
    assert net.sizes == [2, 2, 3]
    net.set_custom_activation(1, "x ** 2")
    assert net.sizes == [2, 4, 3] and net.layers[1].weights.shape == (4, 3)
    p = net.forward([1.0, -2.0])
    np.testing.assert_allclose(p.activations[1], p.pre_activations[1] ** 2)


def test_resizing_a_custom_layer_keeps_its_formula_and_values():
    net = swish_network(beta=0.75)
    net.resize_layer(2, 6)
    assert (net.layers[1].formula, net.layers[1].params, net.sizes) == (SWISH, {"beta": 0.75}, [3, 5, 6, 2])
    _, a2, _, _ = reference(net, X, 0.75)
    np.testing.assert_allclose(net.forward(X).activations[2], a2, rtol=1e-13, atol=1e-15)


def test_copy_is_independent():
    net = swish_network(beta=1.5)
    twin = net.copy()
    assert (twin.layers[1].formula, twin.layers[1].params) == (SWISH, {"beta": 1.5})
    np.testing.assert_array_equal(twin.forward(X).outputs, net.forward(X).outputs)
    before = net.forward(X).outputs
    twin.set_params(2, beta=9.0)
    twin.set_custom_activation(1, "tanh(x) + c", c=0.5)
    assert (net.layers[1].formula, net.layers[1].params) == (SWISH, {"beta": 1.5})
    assert (net.layers[0].activation, net.layers[0].formula) == ("relu", None)
    np.testing.assert_array_equal(net.forward(X).outputs, before)
    assert not np.allclose(twin.forward(X).outputs, before)


def test_the_formula_is_parsed_once_not_on_every_forward_pass(monkeypatch):
    calls = []
    real_parse = formula.parse

    def counting_parse(text, params=None):
        calls.append(text)
        return real_parse(text, params)

    monkeypatch.setattr(formula, "parse", counting_parse)
    network._parsed_formula.cache_clear()
    net = swish_network(beta=1.5)
    for beta in (0.5, 1.0, 2.0, 3.0):
        net.set_params(2, beta=beta)
        net.forward(X)
    net.copy().forward(X)
    assert calls == [SWISH]
    net.set_custom_activation(2, SWISH + " + c", beta=1.0, c=0.0)  # new text and names: parsed once more
    net.forward(X)
    assert calls == [SWISH, SWISH + " + c"]


# -- files ---------------------------------------------------------------------------------------------------
def test_save_and_load_keep_formula_and_params_exactly(tmp_path):
    net = swish_network(beta=0.1 + 0.2)
    net.set_custom_activation(3, "where(x > shift, x, shift * exp(x - shift))", shift=-1.0e-17)
    path = tmp_path / "custom.json"
    net.save(path)
    data = json.loads(path.read_text(encoding="utf-8"))
    saved = data["layers"][1]
    assert list(saved)[:4] == ["name", "units", "activation", "formula"]
    assert (saved["activation"], saved["formula"], saved["params"]) == ("custom", SWISH, {"beta": 0.1 + 0.2})
    assert "formula" not in data["layers"][0] and data["version"] == 1
    loaded = Network.load(path)
    for original, again in zip(net.layers, loaded.layers, strict=True):
        assert (again.activation, again.formula, again.params) == (
            original.activation,
            original.formula,
            original.params,
        )
    assert loaded.layers[1].params["beta"] == 0.30000000000000004
    assert loaded.layers[2].params["shift"] == -1.0e-17
    assert loaded.forward(X).outputs.tobytes() == net.forward(X).outputs.tobytes()


@settings(max_examples=40, deadline=None)
@given(beta=st.floats(allow_nan=False, allow_infinity=False))
def test_any_finite_parameter_value_survives_the_format_bit_for_bit(beta):
    net = swish_network()
    net.set_custom_activation(2, "x * beta", beta=beta)
    loaded = files.from_dict(json.loads(json.dumps(files.to_dict(net), allow_nan=False)))
    assert np.float64(loaded.layers[1].params["beta"]).tobytes() == np.float64(beta).tobytes()


def custom_file_data():
    """A valid file whose layers[1] is custom: the base every malformed case edits."""
    return files.to_dict(swish_network(beta=1.5))


def with_layer(**changes):
    data = custom_file_data()
    for key, value in changes.items():
        if value is _DROP:
            del data["layers"][1][key]
        else:
            data["layers"][1][key] = value
    return data


_DROP = object()

#: name -> (file data, where, words the message must contain)
MALFORMED = {
    "import escape": (
        with_layer(formula="__import__('os').system('touch pwned')"),
        "layers[1].formula",
        "'__import__' is not allowed: names may not contain '__' at column 1",
    ),
    "class escape": (with_layer(formula="().__class__"), "layers[1].formula", "no attribute access at column 3"),
    "dict escape": (with_layer(formula="x.__dict__"), "layers[1].formula", "no attribute access at column 2"),
    "subclasses walk": (
        with_layer(formula="x.__class__.__bases__[0].__subclasses__()"),
        "layers[1].formula",
        "column 2",
    ),
    "open a file": (
        with_layer(formula="open('/etc/passwd')"),
        "layers[1].formula",
        "quotes are not allowed: a formula has no strings at column 6",
    ),
    "eval call": (with_layer(formula="eval(x)"), "layers[1].formula", "unknown name 'eval' at column 1"),
    "lambda": (with_layer(formula="lambda: x"), "layers[1].formula", "keyword 'lambda' is not allowed"),
    "unknown name": (with_layer(formula="x * gamma"), "layers[1].formula", "unknown name 'gamma' at column 5"),
    "params missing a name": (with_layer(params={}), "layers[1].formula", "unknown name 'beta' at column 13"),
    "missing formula": (with_layer(formula=_DROP), "layers[1].formula", "missing"),
    "formula null": (with_layer(formula=None), "layers[1].formula", "expected text, got null"),
    "formula a number": (with_layer(formula=3.5), "layers[1].formula", "expected text, got 3.5"),
    "formula a list": (with_layer(formula=["x"]), "layers[1].formula", "expected text, got a list"),
    "too long": (
        with_layer(formula="x" + " + x" * 150),
        "layers[1].formula",
        "the formula is too long (601 characters; at most 500) at column 501",
    ),
    "empty formula": (with_layer(formula=""), "layers[1].formula", "the formula is empty at column 1"),
    "line break": (with_layer(formula="x\n+ 1"), "layers[1].formula", "line breaks are not allowed at column 2"),
    "formula on relu": (
        with_layer(activation="relu", formula="x", params={}),
        "layers[1].formula",
        "only a \"custom\" activation has a formula, this layer's is 'relu'",
    ),
    "param value text": (with_layer(params={"beta": "1.5"}), "layers[1].params", "'beta' must be a number"),
    "param value null": (with_layer(params={"beta": None}), "layers[1].params", "'beta' must be a number"),
    "param value NaN": (with_layer(params={"beta": float("nan")}), "layers[1].params", "'beta' must be finite"),
    "param value infinite": (
        with_layer(params={"beta": float("inf")}),
        "layers[1].params",
        "'beta' must be finite",
    ),
    "param name dunder": (
        with_layer(params={"beta": 1.0, "__class__": 1.0}),
        "layers[1].params",
        "parameter name '__class__' may not contain '__'",
    ),
    "param named x": (
        with_layer(params={"beta": 1.0, "x": 1.0}),
        "layers[1].params",
        "'x' is the input and cannot be a parameter name",
    ),
    "params a list": (with_layer(params=[1.5]), "layers[1].params", "expected an object of parameter values"),
}


def write(tmp_path, data, name="bad.json"):
    path = tmp_path / name
    path.write_text(json.dumps(data, allow_nan=True), encoding="utf-8")
    return path


def test_the_valid_base_of_the_malformed_cases_loads(tmp_path):
    loaded = files.load(write(tmp_path, custom_file_data()))
    assert (loaded.layers[1].formula, loaded.layers[1].params) == (SWISH, {"beta": 1.5})


@pytest.mark.parametrize("case", sorted(MALFORMED))
def test_malformed_formula_files_say_what_and_where(tmp_path, case):
    data, where, words = MALFORMED[case]
    path = write(tmp_path, data)
    with pytest.raises(NetworkFileError) as caught:
        files.load(path)
    error = caught.value
    assert error.where == where
    assert words in error.reason
    assert str(error) == f"{path}: {where}: {error.reason}"


# -- nothing in a hostile file executes ----------------------------------------------------------------------
#: Audit events (PEP 578) that running code from a file would raise: compiling or executing source, importing,
#: opening files, starting processes, loading libraries, touching sockets.
WATCHED_EVENTS = ("exec", "compile", "import", "open", "os.", "subprocess.", "ctypes.", "socket.", "shutil.")
_recorded: list | None = None  # a list while recording, None otherwise
_hook_installed = False


def _audit(event, args):
    if _recorded is not None and event.startswith(WATCHED_EVENTS):
        _recorded.append((event, args[:1]))


class Recorder:
    """Records audit events and calls of the builtins that run or reach outside code, except reading ``allowed``."""

    def __init__(self, allowed=None):
        self.patch = pytest.MonkeyPatch()
        self.allowed = None if allowed is None else str(allowed)
        self.calls = []
        self.active = False

    def __enter__(self):
        global _hook_installed, _recorded
        if not _hook_installed:  # audit hooks cannot be removed; this one is inert outside a Recorder
            sys.addaudithook(_audit)
            _hook_installed = True
        for name in ("eval", "exec", "compile", "__import__", "open", "breakpoint", "input"):
            self.patch.setattr(builtins, name, self._recording(name, getattr(builtins, name)))
        codecs.lookup("utf-8-sig")  # load() decodes with it; its first use imports a codec module
        _recorded = []
        self.active = True
        return self

    def __exit__(self, *exc_info):
        global _recorded
        self.active = False
        events, _recorded = _recorded, None
        self.patch.undo()
        self.events = [
            (event, args) for event, args in events if not (event == "open" and str(args[0]) == self.allowed)
        ]
        return False

    def _recording(self, name, real):
        def record(*args, **kwargs):
            reads_allowed = name == "open" and args and self.allowed is not None and str(args[0]) == self.allowed
            if self.active and not reads_allowed:
                self.calls.append((name, args[:1]))
            return real(*args, **kwargs)

        return record


def test_the_recorder_would_notice_code_running(tmp_path):
    """The control: eval, imports and opening a file are all seen, so an empty record means something."""
    secret = tmp_path / "secret.txt"
    secret.write_text("s", encoding="utf-8")
    real_eval = builtins.eval
    with Recorder() as recorder:
        eval("__import__('json')")
        with open(secret, encoding="utf-8") as stream:
            stream.read()
    assert [name for name, _ in recorder.calls] == ["eval", "__import__", "open"]
    assert ("compile", (b"__import__('json')",)) in recorder.events
    assert ("open", (str(secret),)) in recorder.events
    assert builtins.eval is real_eval  # restored


@pytest.mark.parametrize("case", sorted(MALFORMED))
def test_loading_a_hostile_file_executes_nothing(tmp_path, monkeypatch, case):
    data = MALFORMED[case][0]
    path = write(tmp_path, data)
    monkeypatch.chdir(tmp_path)  # "touch pwned" would land here
    with Recorder(allowed=path) as recorder, pytest.raises(NetworkFileError):
        files.load(path)
    assert recorder.calls == []
    assert recorder.events == []
    assert not (tmp_path / "pwned").exists()


def test_loading_and_running_a_valid_custom_file_executes_nothing(tmp_path):
    path = write(tmp_path, custom_file_data(), "good.json")
    files.load(path).forward(X)  # once unrecorded: NumPy imports numpy._core._methods lazily, on first use
    network._parsed_formula.cache_clear()  # parse inside the recorder, not from the cache
    with Recorder(allowed=path) as recorder:
        net = files.load(path)
        outputs = net.forward(X).outputs
    assert recorder.calls == [] and recorder.events == []
    np.testing.assert_allclose(outputs.sum(axis=1), 1.0)


def test_a_custom_layer_built_by_hand_is_validated_like_a_file():
    weights, biases = np.ones((2, 2)), np.zeros(2)
    with pytest.raises(ValueError, match=r"layers\[0\]\.formula: missing"):
        Network([Layer("h", weights, biases, "custom", {})])
    with pytest.raises(ValueError, match=r"layers\[0\]\.params: .*'beta' must be finite"):
        Network([Layer("h", weights, biases, "custom", {"beta": np.inf}, SWISH)])
    net = Network([Layer("h", weights, biases, "custom", {"beta": np.float32(2.0)}, SWISH)])
    assert net.layers[0].params == {"beta": 2.0} and type(net.layers[0].params["beta"]) is float
