"""CSV tables: the numbers a teacher puts in a handout are the numbers the network computed, bit for bit."""

import csv
import errno
import locale
import math
import os
import shutil
import subprocess

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from neuroviz.model import activations, tables
from neuroviz.model.network import Network
from neuroviz.model.tables import (
    ExportError,
    activations_table,
    curve_table,
    layer_curve_table,
    sweep_table,
    weights_table,
    write_csv,
)


@pytest.fixture
def net():
    net = Network.from_sizes([3, 5, 4, 2], activations=["relu", "tanh", "softmax"], seed=3)
    for i, value in enumerate([0.7, -1.3, 2.1]):
        net.set_input(i, value)
    return net


def read_csv(path):
    with open(path, newline="", encoding="utf-8") as file:
        rows = list(csv.reader(file))
    return rows[0], rows[1:]


def number(cell):
    return float(cell)


def leftovers(folder, keep):
    return sorted(name for name in os.listdir(folder) if name not in keep)


# -- activations_table ---------------------------------------------------------------------------------------
def test_activations_csv_matches_forward_exactly(net, tmp_path):
    prop = net.forward()
    path = tmp_path / "activations.csv"
    write_csv(path, *activations_table(net, prop))

    header, rows = read_csv(path)
    assert header == ["layer", "layer_name", "neuron", "pre_activation", "activation", "derivative"]
    assert len(rows) == 3 + 5 + 4 + 2
    names = ["input", "hidden 1", "hidden 2", "output"]
    index = 0
    for k, size in enumerate(net.sizes):
        for j in range(size):
            layer, name, neuron, pre, act, der = rows[index]
            assert (int(layer), name, int(neuron)) == (k, names[k], j + 1)
            assert number(pre) == prop.pre_activations[k][j]
            assert number(act) == prop.activations[k][j]
            assert number(der) == prop.derivatives[k][j]
            index += 1
    # the input rows carry the slider values and derivative 1; softmax outputs are probabilities
    assert [number(r[4]) for r in rows[:3]] == [0.7, -1.3, 2.1]
    assert [number(r[5]) for r in rows[:3]] == [1.0, 1.0, 1.0]
    assert math.fsum(number(r[4]) for r in rows[-2:]) == pytest.approx(1.0, abs=1e-15)


def test_activations_table_defaults_to_the_current_inputs(net):
    _, rows = activations_table(net)
    assert rows == activations_table(net, net.forward())[1]
    assert [row[3] for row in rows[:3]] == [0.7, -1.3, 2.1]


def test_glu_layer_lists_all_pre_activations_and_blank_gate_outputs(tmp_path):
    net = Network.from_sizes([2, 6, 1], activations=["glu", "linear"], seed=1)
    net.set_input(0, 1.5)
    net.set_input(1, -0.5)
    prop = net.forward()
    path = tmp_path / "glu.csv"
    write_csv(path, *activations_table(net, prop))
    _, rows = read_csv(path)

    glu_rows = [r for r in rows if r[0] == "1"]
    assert [r[2] for r in glu_rows] == ["1", "2", "3", "4", "5", "6"]
    assert [number(r[3]) for r in glu_rows] == list(prop.pre_activations[1])
    assert [number(r[4]) for r in glu_rows[:3]] == list(prop.activations[1])
    assert [r[4] for r in glu_rows[3:]] == ["", "", ""]
    a, b = prop.pre_activations[1][:3], prop.pre_activations[1][3:]
    np.testing.assert_allclose([number(r[4]) for r in glu_rows[:3]], a / (1 + np.exp(-b)), rtol=1e-14)
    assert [number(r[5]) for r in glu_rows] == list(prop.derivatives[1])
    # the layer after the GLU reads its 3 outputs
    assert [r[2] for r in rows if r[0] == "2"] == ["1"]


def test_activations_table_rejects_a_batch_and_a_foreign_propagation(net):
    batch = net.forward(np.zeros((4, 3)))
    with pytest.raises(ValueError, match=r"one input, not a batch"):
        activations_table(net, batch)
    single = activations_table(net, net.forward(np.zeros((1, 3))))[1]
    assert len(single) == 14
    other = Network.from_sizes([3, 2], seed=0)
    with pytest.raises(ValueError, match=r"has 2 layers but the network has 4"):
        activations_table(net, other.forward())


# -- weights_table -------------------------------------------------------------------------------------------
def test_weights_csv_is_complete_and_exact(net, tmp_path):
    net.set_weight(2, 3, 1, 0.125)
    net.set_bias(3, 1, -0.75)
    path = tmp_path / "weights.csv"
    write_csv(path, *weights_table(net))
    header, rows = read_csv(path)

    assert header == ["layer", "layer_name", "from", "to", "weight"]
    expected_count = sum(layer.weights.size + layer.biases.size for layer in net.layers)
    assert len(rows) == expected_count == 3 * 5 + 5 + 5 * 4 + 4 + 4 * 2 + 2
    seen = set()
    for layer_text, name, source, to, value in rows:
        k, j = int(layer_text), int(to)
        layer = net.layers[k - 1]
        assert name == layer.name
        if source == "bias":
            assert number(value) == layer.biases[j - 1]
        else:
            assert number(value) == layer.weights[int(source) - 1, j - 1]
        seen.add((k, source, j))
    assert len(seen) == expected_count
    assert ["2", "hidden 2", "4", "2", "0.125"] in rows
    assert ["3", "output", "bias", "2", "-0.75"] in rows


# -- curve_table ---------------------------------------------------------------------------------------------
def test_curve_csv_equals_the_activation_and_its_derivative(tmp_path):
    x = np.linspace(-5, 5, 101)
    params = {"negative_slope": 0.1, "max_value": 3.0, "threshold": -1.0}
    path = tmp_path / "relu.csv"
    write_csv(path, *curve_table("relu", params, x))
    header, rows = read_csv(path)

    relu = activations.get("relu")
    assert header == ["x", "f(x)", "f'(x)"]
    assert [number(r[0]) for r in rows] == list(x)
    assert [number(r[1]) for r in rows] == list(relu(x, **params))
    assert [number(r[2]) for r in rows] == list(relu.derivative(x, **params))
    assert number(rows[-1][1]) == 3.0  # clipped at max_value
    assert number(rows[0][1]) == pytest.approx(-0.4)  # 0.1 · (-5 - (-1))


def test_curve_table_writes_non_finite_values_as_nan_and_inf(tmp_path):
    path = tmp_path / "exp.csv"
    write_csv(path, *curve_table("exponential", None, [-np.inf, 0.0, 800.0, np.nan]))
    text = path.read_bytes().decode("utf-8")
    assert text.split("\r\n")[:-1] == [
        "x,f(x),f'(x)",
        "-inf,0.0,0.0",
        "0.0,1.0,1.0",
        "800.0,inf,inf",
        "nan,nan,nan",
    ]


def test_curve_table_bad_input_says_what_is_wrong():
    with pytest.raises(ValueError, match=r"softmax acts on a whole layer"):
        curve_table("softmax", None, [0.0, 1.0])
    with pytest.raises(ValueError, match=r"parameter 'alpha' holds one value per neuron"):
        curve_table("prelu", {"alpha": [0.1, 0.2]}, [0.0, 1.0])
    with pytest.raises(ValueError, match=r"unknown activation 'rleu'.*'relu'"):
        curve_table("rleu", None, [0.0])
    with pytest.raises(ValueError, match=r"negative_slope"):
        curve_table("relu", {"negative_slope": "steep"}, [0.0])
    with pytest.raises(ValueError, match=r"non-empty 1-D"):
        curve_table("relu", None, [[0.0, 1.0]])


def test_layer_curve_of_an_elementwise_layer_is_the_activation_curve(net):
    header, rows = layer_curve_table(net, None, 2, samples=51)
    x = np.array([row[0] for row in rows])
    assert header == ["x", "f(x)", "f'(x)"] and len(rows) == 51
    assert rows == curve_table("tanh", net.layers[1].params, x)[1]
    z = net.forward().pre_activations[2]
    assert x[0] <= min(z.min(), -4.0) and x[-1] >= max(z.max(), 4.0)  # spans every neuron's z


def test_layer_curve_of_softmax_sweeps_one_neuron_with_the_others_fixed(net):
    prop = net.forward()
    z = prop.pre_activations[3]
    _, rows = layer_curve_table(net, prop, 3, neuron=1, samples=41)
    x = np.array([row[0] for row in rows])
    f = np.array([row[1] for row in rows])
    d = np.array([row[2] for row in rows])
    batch = np.repeat(z[None, :], 41, axis=0)
    batch[:, 1] = x
    assert f.tolist() == activations.get("softmax")(batch)[:, 1].tolist()
    np.testing.assert_allclose(d, f * (1 - f), rtol=1e-12, atol=1e-15)  # diagonal of the softmax Jacobian
    assert np.all(np.diff(f) > 0)  # a neuron's own probability grows with its logit
    assert np.interp(z[1], x, f) == pytest.approx(prop.activations[3][1], abs=2e-3)  # the neuron sits on it


def test_layer_curve_of_prelu_uses_the_chosen_neurons_slope():
    net = Network.from_sizes([2, 3, 1], activations=["relu", "linear"], seed=0)
    net.set_activation(1, "prelu", alpha=[0.1, 0.2, 0.3])
    _, rows = layer_curve_table(net, None, 1, neuron=2, samples=11)
    negative = [row for row in rows if row[0] < 0]
    assert negative and all(row[1] == pytest.approx(0.3 * row[0], rel=1e-15) for row in negative)
    assert all(row[2] == 0.3 for row in negative)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"k": 0}, r"k must be a layer position from 1 to 3, got 0"),
        ({"k": 4}, r"k must be a layer position from 1 to 3, got 4"),
        ({"neuron": 5}, r"neuron must be from 0 to 4 \(layer 1 has 5 units\), got 5"),
        ({"samples": 1}, r"samples must be between 2 and 100000"),
    ],
)
def test_layer_curve_bad_input_says_what_is_wrong(net, kwargs, message):
    with pytest.raises(ValueError, match=message):
        layer_curve_table(net, None, **{"k": 1, **kwargs})


# -- sweep_table ---------------------------------------------------------------------------------------------
def test_sweep_equals_forwards_row_by_row(net, tmp_path):
    path = tmp_path / "sweep.csv"
    write_csv(path, *sweep_table(net, 1, -4.0, 4.0, 9, base_inputs=[0.5, 0.0, -1.0]))
    header, rows = read_csv(path)

    assert header == ["x2", "y1", "y2"]
    assert [number(r[0]) for r in rows] == [-4.0, -3.0, -2.0, -1.0, 0.0, 1.0, 2.0, 3.0, 4.0]
    for row in rows:
        expected = net.forward([0.5, number(row[0]), -1.0]).outputs
        np.testing.assert_allclose([number(v) for v in row[1:]], expected, rtol=1e-13, atol=1e-15)
    batch = np.column_stack([np.full(9, 0.5), np.linspace(-4, 4, 9), np.full(9, -1.0)])
    assert [[number(v) for v in row[1:]] for row in rows] == net.forward(batch).outputs.tolist()
    # the two softmax outputs are probabilities that move as x2 sweeps
    assert all(math.fsum(number(v) for v in row[1:]) == pytest.approx(1.0, abs=1e-15) for row in rows)
    assert rows[0][1] != rows[-1][1]


def test_sweep_holds_the_other_inputs_at_the_current_values(net):
    header, rows = sweep_table(net, 0, 1.0, 2.0, 3)
    assert header == ["x1", "y1", "y2"]
    assert [row[0] for row in rows] == [1.0, 1.5, 2.0]
    batch = [[1.0, -1.3, 2.1], [1.5, -1.3, 2.1], [2.0, -1.3, 2.1]]
    assert [row[1:] for row in rows] == net.forward(batch).outputs.tolist()


def test_sweep_uses_the_input_names(net):
    named = Network(net.layers, input_names=["température", "b", "c"])
    header, _ = sweep_table(named, 0, 0.0, 1.0, 2)
    assert header[0] == "température"


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"input_index": 3}, r"input_index 3 is out of range; the network has 3 inputs"),
        ({"input_index": -1}, r"input_index -1 is out of range"),
        ({"input_index": 1.0}, r"input_index must be an integer"),
        ({"low": math.nan}, r"low must be finite"),
        ({"high": "5"}, r"high must be a number"),
        ({"steps": 1}, r"steps must be between 2 and 100000, got 1"),
        ({"steps": 10**9}, r"steps must be between 2 and 100000"),
        ({"base_inputs": [1.0, 2.0]}, r"base_inputs must hold 3 values"),
    ],
)
def test_sweep_bad_input_says_what_is_wrong(net, kwargs, message):
    arguments = {"input_index": 0, "low": -1.0, "high": 1.0, "steps": 5, **kwargs}
    with pytest.raises(ValueError, match=message):
        sweep_table(net, **arguments)


# -- write_csv -----------------------------------------------------------------------------------------------
def test_write_csv_uses_repr_of_every_float(tmp_path):
    path = tmp_path / "t.csv"
    write_csv(
        path,
        ["a", "b", "c"],
        [[0.1, 1 / 3, -2.5e-300], [np.float64(1e22), np.int64(7), "text"], [True, None, 3]],
    )
    assert path.read_bytes() == (b"a,b,c\r\n0.1,0.3333333333333333,-2.5e-300\r\n1e+22,7,text\r\nTrue,,3\r\n")


def test_write_csv_quotes_commas_quotes_and_newlines(tmp_path):
    path = tmp_path / "q.csv"
    tricky = 'hidden, "one"\nsecond line'
    write_csv(path, ["name", "value"], [[tricky, 1.5], ["x²", -0.0]])
    header, rows = read_csv(path)
    assert header == ["name", "value"]
    assert rows == [[tricky, "1.5"], ["x²", "-0.0"]]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.floats(allow_nan=True, allow_infinity=True), min_size=1, max_size=20))
def test_every_float_reads_back_identically(tmp_path, values):
    path = tmp_path / "floats.csv"
    write_csv(path, ["v"], [[v] for v in values])
    _, rows = read_csv(path)
    back = [float(r[0]) for r in rows]
    assert len(back) == len(values)
    for original, read in zip(values, back, strict=True):
        if math.isnan(original):
            assert math.isnan(read)
        else:
            assert read == original and math.copysign(1, read) == math.copysign(1, original)


def _set_german_numbers(tmp_path, monkeypatch):
    """Switch LC_NUMERIC to de_DE.UTF-8 (decimal comma); build it with localedef if it is not installed."""
    try:
        locale.setlocale(locale.LC_NUMERIC, "de_DE.UTF-8")
        return
    except locale.Error:
        pass
    localedef = shutil.which("localedef")
    if localedef is None:
        pytest.skip("the de_DE.UTF-8 locale is not installed and localedef is not available to build it")
    built = subprocess.run(
        [localedef, "-i", "de_DE", "-f", "UTF-8", str(tmp_path / "de_DE.UTF-8")],
        capture_output=True,
        check=False,
    )
    monkeypatch.setenv("LOCPATH", str(tmp_path))  # glibc reads LOCPATH on every setlocale call
    try:
        locale.setlocale(locale.LC_NUMERIC, "de_DE.UTF-8")
    except locale.Error:
        pytest.skip(f"the de_DE.UTF-8 locale is not installed and localedef could not build it: {built.stderr!r}")


def test_write_csv_ignores_a_comma_decimal_locale(tmp_path, monkeypatch):
    old = locale.setlocale(locale.LC_NUMERIC)
    try:
        _set_german_numbers(tmp_path, monkeypatch)
        assert locale.localeconv()["decimal_point"] == ","
        assert locale.str(1.5) == "1,5"  # what a locale-aware writer would produce
        path = tmp_path / "de.csv"
        write_csv(path, *curve_table("linear", None, [1.5, -2.25e-7]))
        assert path.read_bytes() == b"x,f(x),f'(x)\r\n1.5,1.5,1.0\r\n-2.25e-07,-2.25e-07,1.0\r\n"
    finally:
        locale.setlocale(locale.LC_NUMERIC, old)


def test_failed_replace_keeps_the_old_file_and_leaves_no_temp(tmp_path, monkeypatch):
    path = tmp_path / "out.csv"
    write_csv(path, ["v"], [[1.0]])
    old = path.read_bytes()

    def refuse(src, dst):
        raise OSError(errno.EXDEV, "Invalid cross-device link")

    monkeypatch.setattr(tables.os, "replace", refuse)
    with pytest.raises(ExportError, match=r"could not write .*out\.csv: Invalid cross-device link"):
        write_csv(path, ["v"], [[2.0]])
    assert path.read_bytes() == old == b"v\r\n1.0\r\n"
    assert leftovers(tmp_path, {"out.csv"}) == []


def test_disk_full_raises_export_error_and_cleans_up(tmp_path, monkeypatch):
    def full(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(tables.os, "fsync", full)
    path = tmp_path / "big.csv"
    with pytest.raises(ExportError, match=r"big\.csv: No space left on device") as info:
        write_csv(path, ["v"], [[1.0]])
    assert str(path) in str(info.value)
    assert os.listdir(tmp_path) == []


def test_missing_folder_names_the_file_and_the_folder(tmp_path):
    path = tmp_path / "nowhere" / "t.csv"
    with pytest.raises(ExportError, match=r"folder .*nowhere does not exist") as info:
        write_csv(path, ["v"], [[1.0]])
    assert str(path) in str(info.value)
    assert not path.parent.exists()


def test_parent_that_is_a_file_is_reported(tmp_path):
    (tmp_path / "plain").write_text("x")
    with pytest.raises(ExportError, match=r"plain is not a folder"):
        write_csv(tmp_path / "plain" / "t.csv", ["v"], [[1.0]])


def test_target_that_is_a_folder_is_reported(tmp_path):
    (tmp_path / "dir.csv").mkdir()
    with pytest.raises(ExportError, match=r"dir\.csv: it is a folder"):
        write_csv(tmp_path / "dir.csv", ["v"], [[1.0]])


def _refuses_new_files(folder):
    try:
        os.close(os.open(os.path.join(folder, ".neuroviz-probe"), os.O_WRONLY | os.O_CREAT, 0o600))
    except PermissionError:
        return True
    os.remove(os.path.join(folder, ".neuroviz-probe"))
    return False


@pytest.fixture
def unwritable_folder(tmp_path):
    """A read-only folder, or for root (who ignores permission bits) /sys, which refuses new files to all."""
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        for candidate in (str(folder), "/sys"):
            if os.path.isdir(candidate) and _refuses_new_files(candidate):
                yield candidate
                return
        pytest.skip("no folder on this machine refuses new files")
    finally:
        folder.chmod(0o700)


def test_unwritable_folder_raises_export_error_naming_the_path(unwritable_folder):
    path = os.path.join(unwritable_folder, "t.csv")
    with pytest.raises(ExportError, match=r"could not write .*t\.csv: Permission denied") as info:
        write_csv(path, ["v"], [[1.0]])
    assert path in str(info.value)
    assert not os.path.exists(path)
    assert [name for name in os.listdir(unwritable_folder) if name.startswith(".t.csv")] == []


def test_rows_that_do_not_fit_the_header_are_refused(tmp_path):
    path = tmp_path / "bad.csv"
    with pytest.raises(ExportError, match=r"bad\.csv: row 2 has 1 values, the header has 2"):
        write_csv(path, ["a", "b"], [[1.0, 2.0], [3.0]])
    with pytest.raises(ExportError, match=r"row 1 holds \[1.0\], which is not a number or text"):
        write_csv(path, ["a"], [[[1.0]]])
    assert not path.exists()
