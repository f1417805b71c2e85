"""Network files: exact round trips, strict validation with useful messages, atomic saves, examples."""

import copy
import itertools
import json
import os
import runpy
import stat
import subprocess
import sys
import threading
from pathlib import Path

import numpy as np
import pytest

from neuroviz.model import Layer, Network, NetworkFileError, files


def rich_network():
    """Every kind of value the format carries: params, per-neuron alpha, awkward floats, unicode names."""
    layers = [
        Layer(
            "encoder",
            np.array([[0.1 + 0.2, -1e-300, 5e-324], [np.nextafter(1.0, 2.0), -0.0, 1 / 3]]),
            np.array([123456789.123456789, -2.5e-17, 7.0]),
            "relu",
            {"negative_slope": 0.1, "max_value": 6.0, "threshold": -0.5},
        ),
        Layer("per-neuron", np.full((3, 4), 0.7), np.zeros(4), "prelu", {"alpha": [0.1, 0.2, 0.3, 1 / 7]}),
        Layer("gate", np.arange(24.0).reshape(4, 6) / 9, np.linspace(-1, 1, 6), "glu"),
        Layer("output", np.ones((3, 2)) * np.pi, np.array([np.e, -np.e]), "softmax"),
    ]
    return Network(
        layers,
        input_names=["température", "x₂"],
        input_values=[0.1, -3.0],
        input_ranges=[(-1.0, 1.0), (-3.0, 2.0e-5)],
        name="Réseau ✓",
        description="line one\nline two",
    )


def assert_same_network(a, b):
    assert files.to_dict(a) == files.to_dict(b)
    assert a.input_names == b.input_names and a.input_ranges == b.input_ranges
    assert a.input_values.tobytes() == b.input_values.tobytes()
    for x, y in zip(a.layers, b.layers, strict=True):
        assert (x.name, x.activation) == (y.name, y.activation)
        assert x.weights.tobytes() == y.weights.tobytes()  # bit for bit, signed zero and subnormals included
        assert x.biases.tobytes() == y.biases.tobytes()
        assert x.params.keys() == y.params.keys()
        for key in x.params:
            assert np.array_equal(x.params[key], y.params[key]) or x.params[key] is y.params[key] is None


# -- round trip ----------------------------------------------------------------------------------------------
def test_save_and_load_round_trip_bit_for_bit(tmp_path):
    net = rich_network()
    path = tmp_path / "net.json"
    net.save(path)
    loaded = Network.load(path)
    assert_same_network(net, loaded)
    assert loaded.name == "Réseau ✓" and loaded.description == "line one\nline two"
    assert isinstance(loaded.layers[1].params["alpha"], np.ndarray)
    assert loaded.layers[0].weights[0, 0] == 0.1 + 0.2 != 0.3
    assert np.signbit(loaded.layers[0].weights[1, 1])
    assert np.array_equal(loaded.forward([0.5, -1.0]).outputs, net.forward([0.5, -1.0]).outputs)


def test_the_saved_file_is_the_documented_readable_utf8_json(tmp_path):
    path = tmp_path / "net.json"
    files.save(rich_network(), path)
    text = path.read_bytes().decode("utf-8")
    data = json.loads(text)
    assert data["format"] == "neuroviz-network" and data["version"] == 1
    assert data["inputs"][0] == {"name": "température", "value": 0.1, "min": -1.0, "max": 1.0}
    layer = data["layers"][1]
    assert layer["units"] == 4 and layer["activation"] == "prelu"
    assert layer["params"] == {"alpha": [0.1, 0.2, 0.3, 1 / 7]}
    assert layer["weights"] == [[0.7] * 4] * 3
    assert "température" in text  # written as UTF-8, not \u escapes
    assert "\n        [0.7, 0.7, 0.7, 0.7],\n" in text  # one line per weight row


def test_from_dict_and_to_dict_round_trip():
    net = rich_network()
    assert_same_network(net, files.from_dict(copy.deepcopy(files.to_dict(net))))


def test_unknown_extra_keys_are_ignored_and_optional_fields_default():
    data = {
        "format": "neuroviz-network",
        "version": 1,
        "made_with": "a future tool",
        "inputs": [{"name": "a", "colour": "red"}],
        "layers": [{"activation": "relu", "weights": [[2]], "biases": [1], "comment": "hi"}],
    }
    net = files.from_dict(data)
    assert net.name == "untitled" and net.description == ""
    assert net.input_values.tolist() == [0.0] and net.input_ranges == [(-5.0, 5.0)]
    assert net.layers[0].name == "output" and net.layers[0].params["negative_slope"] == 0.0
    assert net.forward([1.5]).outputs.tolist() == [4.0]


def test_a_utf8_byte_order_mark_is_accepted(tmp_path):
    path = tmp_path / "bom.json"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps(files.to_dict(rich_network())).encode())
    assert Network.load(path).name == "Réseau ✓"


def test_non_finite_numbers_are_never_written(tmp_path):
    net = rich_network()
    net.layers[0].weights[0, 0] = np.nan  # bypassing set_weight, which refuses it
    path = tmp_path / "nan.json"
    with pytest.raises(NetworkFileError, match="cannot be saved") as caught:
        net.save(path)
    assert caught.value.path == str(path)
    assert os.listdir(tmp_path) == []


# -- malformed files -----------------------------------------------------------------------------------------
def valid_data():
    """2 inputs → relu(3) → softmax(2), as plain data."""
    return files.to_dict(Network.from_sizes([2, 3, 2], ["relu", "softmax"], seed=1, bias_initializer="random_normal"))


def edited(change):
    def text():
        data = valid_data()
        change(data)
        return json.dumps(data)

    return text


def deep(data, path, value):
    *parents, last = path
    for key in parents:
        data = data[key]
    data[last] = value


def raw(text):
    return lambda: text


def _nan_weight_text():
    data = valid_data()
    data["layers"][0]["weights"][1][2] = "__NAN__"
    return json.dumps(data).replace('"__NAN__"', "NaN")


def _huge_bias_text():
    data = valid_data()
    data["layers"][1]["biases"][1] = "__HUGE__"
    return json.dumps(data).replace('"__HUGE__"', "1e999")


MALFORMED = {
    # name: (file text maker, expected where, expected words in the message)
    "not json": (
        raw('{"format": "neuroviz-network",\n  "version": 1,\n  oops}'),
        "line 3, column 3",
        "bad JSON",
    ),
    "empty file": (raw(""), "line 1, column 1", "bad JSON: Expecting value"),
    "top level list": (raw("[1, 2]"), "", "expected a JSON object at the top level, got a list of 2 items"),
    "no format": (edited(lambda d: d.pop("format")), "format", "not a neuroviz network file"),
    "other format": (edited(lambda d: deep(d, ["format"], "keras")), "format", "expected 'neuroviz-network'"),
    "newer version": (edited(lambda d: deep(d, ["version"], 2)), "version", "made by a newer neuroviz"),
    "version as text": (
        edited(lambda d: deep(d, ["version"], "1")),
        "version",
        "whole number ≥ 1, got text '1'",
    ),
    "no inputs": (edited(lambda d: d.pop("inputs")), "inputs", "missing"),
    "inputs not a list": (edited(lambda d: deep(d, ["inputs"], {"x": 1})), "inputs", "expected a list"),
    "input without name": (edited(lambda d: d["inputs"][1].pop("name")), "inputs[1].name", "missing"),
    "input value as text": (
        edited(lambda d: deep(d, ["inputs", 0, "value"], "0.5")),
        "inputs[0].value",
        "expected a number, got text '0.5'",
    ),
    "value outside range": (
        edited(lambda d: deep(d, ["inputs", 0, "value"], 7.5)),
        "inputs[0].value",
        "7.5 lies outside its range [-5.0, 5.0]",
    ),
    "min not below max": (
        edited(lambda d: deep(d, ["inputs", 1, "min"], 5.0)),
        "inputs[1]",
        "min must be below max",
    ),
    "too few inputs for the weights": (
        edited(lambda d: d["inputs"].pop()),
        "layers[0].weights",
        "expected 1×3, got 2×3",
    ),
    "no layers": (edited(lambda d: deep(d, ["layers"], [])), "layers", "at least its output layer"),
    "layer not an object": (
        edited(lambda d: deep(d, ["layers", 1], "softmax")),
        "layers[1]",
        "expected an object",
    ),
    "weights wrong shape": (
        edited(lambda d: deep(d, ["layers", 1, "weights"], [[0.1, 0.2]] * 4)),
        "layers[1].weights",
        "expected 3×2, got 4×2",
    ),
    "ragged weights": (
        edited(lambda d: deep(d, ["layers", 0, "weights", 1], [0.5, 0.5])),
        "layers[0].weights[1]",
        "expected 3 numbers like the rows before, got 2",
    ),
    "weight as text": (
        edited(lambda d: deep(d, ["layers", 0, "weights", 0, 2], "0.5")),
        "layers[0].weights[0][2]",
        "expected a number, got text '0.5'",
    ),
    "weight true": (
        edited(lambda d: deep(d, ["layers", 0, "weights", 1, 0], True)),
        "layers[0].weights[1][0]",
        "expected a number, got true",
    ),
    "weights missing": (edited(lambda d: d["layers"][0].pop("weights")), "layers[0].weights", "missing"),
    "biases not a list": (
        edited(lambda d: deep(d, ["layers", 1, "biases"], 0.0)),
        "layers[1].biases",
        "expected a list of numbers",
    ),
    "NaN weight": (_nan_weight_text, "layers[0].weights[1][2]", "must be finite, got nan"),
    "Infinity bias": (
        edited(lambda d: deep(d, ["layers", 1, "biases", 0], float("inf"))),
        "layers[1].biases[0]",
        "must be finite, got inf",
    ),
    "huge number": (_huge_bias_text, "layers[1].biases[1]", "must be finite, got inf"),
    "unknown activation": (
        edited(lambda d: deep(d, ["layers", 0, "activation"], "rleu")),
        "layers[0].activation",
        "unknown activation 'rleu'; did you mean 'relu'",
    ),
    "bad parameter value": (
        edited(lambda d: deep(d, ["layers", 0, "params", "negative_slope"], -1.0)),
        "layers[0].params",
        "negative_slope",
    ),
    "unknown parameter": (
        edited(lambda d: deep(d, ["layers", 0, "params", "slope"], 1.0)),
        "layers[0].params",
        "unknown parameter 'slope'",
    ),
    "params not an object": (
        edited(lambda d: deep(d, ["layers", 0, "params"], [1, 2])),
        "layers[0].params",
        "expected an object of parameter values",
    ),
    "softmax over another axis": (
        edited(lambda d: deep(d, ["layers", 1, "params"], {"axis": 0})),
        "layers[1].params",
        "axis must be -1",
    ),
    "prelu alpha of the wrong length": (
        edited(
            lambda d: deep(d, ["layers", 0], {**d["layers"][0], "activation": "prelu", "params": {"alpha": [1, 2]}})
        ),
        "layers[0].params",
        "alpha has 2 values but the layer has 3 neurons",
    ),
    "glu with odd units": (
        edited(lambda d: deep(d, ["layers", 0, "activation"], "glu")),
        "layers[0]",
        "glu needs an even number of units, got 3",
    ),
    "units disagree with biases": (
        edited(lambda d: deep(d, ["layers", 0, "units"], 4)),
        "layers[0].units",
        "4 does not match the 3 biases",
    ),
    "layer name not text": (
        edited(lambda d: deep(d, ["layers", 0, "name"], 7)),
        "layers[0].name",
        "expected text",
    ),
    "too many layers": (
        edited(
            lambda d: deep(
                d,
                ["layers"],
                [d["layers"][0]] + [{"activation": "relu", "weights": [[1.0] * 3] * 3, "biases": [0.0] * 3}] * 17,
            )
        ),
        "layers",
        "at most 16 hidden layers are supported, got 17",
    ),
    "too many neurons": (
        edited(
            lambda d: deep(
                d, ["layers"], [{"activation": "linear", "weights": [[0.0] * 300] * 2, "biases": [0.0] * 300}]
            )
        ),
        "layers[0]",
        "a layer holds 1 to 256 neurons, got 300",
    ),
}


@pytest.mark.parametrize("case", sorted(MALFORMED))
def test_malformed_files_say_what_and_where(tmp_path, case):
    make_text, where, words = MALFORMED[case]
    path = tmp_path / "bad.json"
    path.write_text(make_text(), encoding="utf-8")
    with pytest.raises(NetworkFileError) as caught:
        files.load(path)
    error = caught.value
    assert isinstance(error, ValueError)
    assert error.path == str(path) and error.where == where
    assert words in error.reason
    assert str(error) == f"{path}: {where + ': ' if where else ''}{error.reason}"


def test_the_valid_base_of_the_malformed_cases_loads(tmp_path):
    path = tmp_path / "good.json"
    path.write_text(json.dumps(valid_data()), encoding="utf-8")
    assert files.load(path).sizes == [2, 3, 2]


def test_non_utf8_text_is_refused(tmp_path):
    path = tmp_path / "latin1.json"
    path.write_bytes(json.dumps(valid_data()).replace("x1", "é").encode("latin-1"))
    with pytest.raises(NetworkFileError, match=r"is not UTF-8 text \(invalid byte at offset \d+\)"):
        files.load(path)


def test_a_file_over_50_mb_is_refused_before_reading(tmp_path):
    path = tmp_path / "huge.json"
    with open(path, "wb") as stream:
        stream.truncate(files.MAX_FILE_BYTES + 1)  # sparse: nothing is really written
    with pytest.raises(NetworkFileError, match=r"is 52.4 MB; network files are at most 50 MB"):
        files.load(path)


def test_a_file_that_reports_a_wrong_size_is_still_refused_past_the_limit(monkeypatch):
    """At most limit + 1 bytes are read, whatever stat says: procfs files report 0 bytes but hold more."""
    lying = Path("/proc/self/maps")
    if not lying.is_file() or lying.stat().st_size != 0:
        pytest.skip("needs a procfs file that reports size 0")
    monkeypatch.setattr(files, "MAX_FILE_BYTES", 64)  # the real limit would need a 50 MB procfs file
    with pytest.raises(NetworkFileError, match=r"maps: is over \d+ MB; network files are at most \d+ MB$"):
        files.load(lying)


def _load_in_a_thread(path):
    """files.load(path) on a thread with a deadline; a reader stuck opening a FIFO is released by a writer."""
    outcome = {}

    def run():
        try:
            files.load(path)
        except NetworkFileError as error:
            outcome["error"] = error

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(timeout=10)
    if thread.is_alive():  # it blocked in open(): give it a writer and EOF so it ends, then fail
        os.close(os.open(path, os.O_WRONLY | os.O_NONBLOCK))
        thread.join(timeout=10)
        pytest.fail(f"loading {path} blocked")
    return outcome.get("error")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs (POSIX)")
def test_a_fifo_is_refused_without_opening_it(tmp_path):
    fifo = tmp_path / "net.json"
    os.mkfifo(fifo)
    error = _load_in_a_thread(fifo)
    assert (
        error is not None
        and str(error) == f"{fifo}: is not a regular file (a device, pipe or socket cannot hold a network)"
    )


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_an_endless_device_is_refused_without_reading_it():
    """In a child process whose memory is capped: should the loader ever read /dev/zero again, the child fails
    with MemoryError instead of eating the machine's memory."""
    resource = pytest.importorskip("resource")
    script = (
        "from neuroviz.model import Network, NetworkFileError\n"
        "try:\n    Network.load('/dev/zero')\nexcept NetworkFileError as error:\n    print(error)\n"
    )

    def cap_memory() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (2 * 1024**3, 2 * 1024**3))

    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120, preexec_fn=cap_memory, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("/dev/zero: is not a regular file")


def test_missing_file_and_folder_are_refused(tmp_path):
    with pytest.raises(NetworkFileError, match="cannot be opened: No such file or directory"):
        files.load(tmp_path / "absent.json")
    with pytest.raises(NetworkFileError, match="is a folder, not a network file"):
        files.load(tmp_path)


def test_from_dict_names_its_source():
    with pytest.raises(NetworkFileError, match=r"^<dict>: format: missing") as caught:
        files.from_dict({"version": 1})
    assert caught.value.path == "<dict>"


# -- atomic saves --------------------------------------------------------------------------------------------
def test_a_crash_in_replace_keeps_the_old_file_and_leaves_no_temporary(tmp_path, monkeypatch):
    path = tmp_path / "net.json"
    Network.from_sizes([2, 2], seed=0).save(path)
    before = path.read_bytes()

    def crash(*args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(NetworkFileError, match="cannot be saved: No space left on device"):
        rich_network().save(path)
    assert path.read_bytes() == before
    assert os.listdir(tmp_path) == ["net.json"]


def test_an_interrupt_while_writing_keeps_the_old_file_and_leaves_no_temporary(tmp_path, monkeypatch):
    path = tmp_path / "net.json"
    Network.from_sizes([2, 2], seed=0).save(path)
    before = path.read_bytes()

    def interrupted(descriptor):
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "fsync", interrupted)
    with pytest.raises(KeyboardInterrupt):
        rich_network().save(path)
    assert path.read_bytes() == before
    assert os.listdir(tmp_path) == ["net.json"]


def test_saving_over_a_file_keeps_its_permissions(tmp_path):
    path = tmp_path / "net.json"
    path.write_text("old")
    path.chmod(0o640)
    rich_network().save(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert Network.load(path).name == "Réseau ✓"


def test_a_missing_folder_is_refused(tmp_path):
    with pytest.raises(NetworkFileError, match=r"cannot write in the folder .*: No such file or directory"):
        rich_network().save(tmp_path / "absent" / "net.json")


def _read_only_folder(tmp_path):
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(0o500)
    return folder


@pytest.mark.parametrize("where", ["chmod", "sysfs"])
def test_an_unwritable_folder_is_refused(tmp_path, where):
    if where == "chmod":
        folder = _read_only_folder(tmp_path)
        if os.access(folder, os.W_OK):
            folder.chmod(0o700)
            pytest.skip("running as root: permissions do not stop writing")
    else:
        folder = Path("/sys")
        if not folder.is_dir() or (os.access(folder, os.W_OK) and not _sysfs_refuses()):
            pytest.skip("no read-only /sys here")
    try:
        with pytest.raises(NetworkFileError, match=r"cannot write in the folder .*: Permission denied") as caught:
            rich_network().save(folder / "net.json")
        assert caught.value.path == str(folder / "net.json")
        assert not (folder / "net.json").exists()
    finally:
        if where == "chmod":
            folder.chmod(0o700)


def _sysfs_refuses():
    try:
        descriptor = os.open("/sys/neuroviz-probe.json", os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except PermissionError:
        return True
    except OSError:
        return False
    os.close(descriptor)
    os.unlink("/sys/neuroviz-probe.json")
    return False


# -- shipped examples ----------------------------------------------------------------------------------------
def test_the_examples_are_listed_and_each_loads_with_a_name_and_description():
    assert files.example_names() == ["default", "softmax_classifier", "spiral", "vanishing_sigmoid", "xor"]
    for name in files.example_names():
        net = files.load_example(name)
        assert net.name and net.name != "untitled"
        assert len(net.description) > 80
        assert files.example_path(name).name == f"{name}.json"


def test_unknown_example_suggests_a_close_name():
    with pytest.raises(ValueError, match="no example network called 'xro'; did you mean 'xor'"):
        files.example_path("xro")


def test_make_examples_reproduces_the_shipped_files(tmp_path):
    script = files.example_path("xor").parent / "make_examples.py"
    examples = runpy.run_path(str(script))["EXAMPLES"]  # runs the script's code without writing bytecode
    for name, build in examples.items():
        files.save(build(), tmp_path / f"{name}.json")
        assert (tmp_path / f"{name}.json").read_bytes() == files.example_path(name).read_bytes(), name


def test_xor_example_solves_xor():
    net = files.load_example("xor")
    outputs = net.forward([[0, 0], [0, 1], [1, 0], [1, 1]]).outputs[:, 0]
    assert outputs.round().tolist() == [0.0, 1.0, 1.0, 0.0]
    assert outputs.min() > 0.0 and outputs.max() < 1.0
    assert [layer.activation for layer in net.layers] == ["relu", "sigmoid"]
    assert net.input_ranges == [(0.0, 1.0), (0.0, 1.0)]


def test_spiral_example_is_playgrounds_largest_network_and_separates_the_spiral():
    """resources/examples/train_spiral.py trained it; every point of Playground's spiral lands on its side of 0."""
    from neuroviz.model import datasets

    net = files.load_example("spiral")
    assert net.sizes == [7, 8, 8, 8, 8, 8, 8, 1] and net.input_features == datasets.FEATURES
    assert {layer.activation for layer in net.layers} == {"tanh"}
    data = datasets.generate("spiral", seed=11).with_features(datasets.FEATURES)  # other points than trained on
    outputs = net.forward(data.x).outputs[:, 0]
    labels = np.where(data.y == 1, 1.0, -1.0)
    assert np.mean(np.sign(outputs) == labels) > 0.9


def test_softmax_classifier_example_tells_the_three_species_apart():
    net = files.load_example("softmax_classifier")
    assert net.sizes[0] == 4 and net.n_outputs == 3 and net.layers[-1].activation == "softmax"
    typical = [
        [5.0, 3.4, 1.5, 0.25],
        [5.9, 2.8, 4.3, 1.3],
        [6.6, 3.0, 5.6, 2.0],
    ]  # setosa, versicolor, virginica
    probabilities = net.forward(typical).outputs
    assert probabilities.argmax(axis=1).tolist() == [0, 1, 2]
    np.testing.assert_allclose(probabilities.sum(axis=1), 1.0)
    assert net.forward().outputs.argmax() == 1  # opens on a versicolor
    sepal_width_moves = net.forward([[6.0, 2.0, 4.5, 1.4], [6.0, 4.5, 4.5, 1.4]]).outputs
    assert np.array_equal(sepal_width_moves[0], sepal_width_moves[1])  # as its description says


def test_vanishing_sigmoid_example_shrinks_the_gradient_layer_by_layer():
    net = files.load_example("vanishing_sigmoid")
    assert len(net.layers) == 7 and {layer.activation for layer in net.layers} == {"sigmoid"}
    p = net.forward()
    gradient = np.ones(1)  # d output / d output
    norms = []
    for k in range(len(net.layers), 0, -1):  # backpropagation through each sigmoid and weight matrix
        gradient = gradient * p.derivatives[k]
        norms.append(np.linalg.norm(gradient))
        gradient = net.layers[k - 1].weights @ gradient
    assert all(later < earlier / 3 for earlier, later in itertools.pairwise(norms))
    assert norms[-1] < norms[0] / 10_000
    assert max(d.max() for d in p.derivatives[1:]) <= 0.25
    grid = np.stack(np.meshgrid(np.linspace(-5, 5, 11), np.linspace(-5, 5, 11)), axis=-1).reshape(-1, 2)
    outputs = net.forward(grid).outputs
    assert outputs.max() - outputs.min() < 0.01 and abs(outputs.mean() - 0.35) < 0.01


def test_default_example_shows_dead_relus_saturated_tanhs_and_a_softmax():
    net = files.load_example("default")
    assert net.sizes == [3, 6, 5, 3]
    assert [layer.activation for layer in net.layers] == ["relu", "tanh", "softmax"]
    p = net.forward()
    dead = int((p.activations[1] == 0).sum())
    assert 1 <= dead <= 3
    assert (np.abs(p.activations[2]) > 0.95).any() and (np.abs(p.activations[2]) < 0.5).any()
    assert p.outputs.sum() == pytest.approx(1.0) and p.outputs.max() < 0.9
    woken = np.zeros(6, dtype=bool)  # "move x2 and x3 to wake them up"
    for x2 in np.linspace(*net.input_ranges[1], 11):
        for x3 in np.linspace(*net.input_ranges[2], 11):
            woken |= net.forward([net.input_values[0], x2, x3]).activations[1] > 0
    assert woken.all()
