"""The model must work without Qt (a notebook, a server): importing and using it loads no Qt module."""

import json
import subprocess
import sys

SCRIPT = """
import json, sys

attempts = []


class BlockQt:
    # As if Qt were not installed: any attempt is recorded and fails.
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in ("PySide6", "shiboken6", "pyqtgraph"):
            attempts.append(name)
            raise ImportError(f"{name} is blocked by the test")
        return None


sys.meta_path.insert(0, BlockQt())
import neuroviz.model
from neuroviz.model import Network, activations, files

net = files.load_example("default")
p = net.forward()
Network.from_sizes([3, 4, 2], ["tanh", "softmax"]).forward([[1.0, 2.0, 3.0]])
loaded = [m for m in sys.modules if m.split(".")[0] in ("PySide6", "shiboken6", "pyqtgraph")]
report = {"qt": loaded, "attempts": attempts, "outputs": p.outputs.tolist(), "names": activations.names()}
print(json.dumps(report))
"""


def test_importing_and_running_the_model_loads_no_qt():
    result = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["qt"] == [] and report["attempts"] == []
    assert len(report["outputs"]) == 3 and abs(sum(report["outputs"]) - 1.0) < 1e-12  # the forward pass ran
    assert "relu" in report["names"]
