"""Sweep tables are computed and written in chunks of steps: the streamed CSV is the one a single batch
gives, and memory stays of the order of one chunk however many steps are swept (issue 10 item 3: 100,000
steps of a 16 × 256 network peaked at 10.7 GB)."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import numpy as np
import pytest

from neuroviz.model import Network, tables


def _network() -> Network:
    return Network.from_sizes([3, 7, 5, 2], activations=["tanh", "softplus", "softmax"], seed=11)


def _one_batch_rows(net: Network, index: int, low: float, high: float, steps: int) -> list[list[float]]:
    """The rows as the whole sweep in one forward pass computes them (what sweep_table did before)."""
    batch = np.repeat(net.input_values[None, :], steps, axis=0)
    batch[:, index] = np.linspace(low, high, steps)
    outputs = net.forward(batch).activations[-1]
    return [[x, *ys] for x, ys in zip(batch[:, index].tolist(), outputs.tolist(), strict=True)]


@pytest.mark.parametrize("chunk_steps", [1, 3, 7, 256])
def test_a_streamed_sweep_writes_the_very_csv_of_one_batch(tmp_path, chunk_steps):
    net = _network()
    streamed, reference = tmp_path / "streamed.csv", tmp_path / "reference.csv"
    header, rows = tables.sweep_rows(net, 1, -2.0, 3.0, 17, chunk_steps=chunk_steps)
    tables.write_csv(streamed, header, rows)
    tables.write_csv(reference, ["x2", "y1", "y2"], _one_batch_rows(net, 1, -2.0, 3.0, 17))
    assert streamed.read_bytes() == reference.read_bytes()


def test_sweep_table_holds_the_rows_sweep_rows_streams():
    net = _network()
    header, rows = tables.sweep_rows(net, 0, -1.0, 1.0, 600)
    assert tables.sweep_table(net, 0, -1.0, 1.0, 600) == (header, list(rows))


def test_bad_arguments_are_refused_before_anything_is_written(tmp_path):
    with pytest.raises(ValueError, match="steps must be between 2 and 100000, got 100001"):
        tables.sweep_rows(_network(), 0, -1.0, 1.0, 100_001)
    with pytest.raises(ValueError, match="chunk_steps must be a whole number ≥ 1, got 0"):
        tables.sweep_rows(_network(), 0, -1.0, 1.0, 10, chunk_steps=0)


def test_a_failure_part_way_through_a_stream_keeps_the_old_file(tmp_path):
    path = tmp_path / "sweep.csv"
    path.write_bytes(b"old table")

    def rows():
        yield [1.0, 2.0]
        raise OSError(28, "No space left on device")

    with pytest.raises(tables.ExportError, match=r"sweep\.csv: No space left on device"):
        tables.write_csv(path, ["x", "y"], rows())
    assert path.read_bytes() == b"old table"
    assert [p.name for p in tmp_path.iterdir()] == ["sweep.csv"]


PEAK = """
import sys, tracemalloc
from neuroviz.model import Network, tables
net = Network.from_sizes([16] + [128] * 8 + [16], activations=["tanh"] * 8 + ["sigmoid"], seed=0)
steps = int(sys.argv[1])
tracemalloc.start()
tables.write_csv(sys.argv[2], *tables.sweep_rows(net, 0, -5.0, 5.0, steps))
print(tracemalloc.get_traced_memory()[1])
"""


def _peak_bytes(steps: int, path) -> int:
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(PEAK), str(steps), str(path)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return int(done.stdout)


def test_a_large_sweep_takes_the_memory_of_one_chunk(tmp_path):
    """8 hidden layers of 128 (measured: one batch of 10,000 steps peaked at 269 MB, in chunks at 7 MB)."""
    small = _peak_bytes(500, tmp_path / "small.csv")
    large = _peak_bytes(5_000, tmp_path / "large.csv")
    assert large < 16 * 1024**2, f"peak {large / 1e6:.1f} MB for 5,000 steps"
    assert large < 1.5 * small, f"peak grew from {small / 1e6:.1f} MB to {large / 1e6:.1f} MB with 10× the steps"
    assert (tmp_path / "large.csv").read_text(encoding="utf-8").count("\n") == 5_001
