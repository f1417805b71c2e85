"""README's commands are the ones CI runs: keep them true."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _bash_blocks(text: str) -> list[str]:
    return [block.strip() for block in re.findall(r"```bash\n(.*?)```", text, flags=re.S)]


def test_ci_runs_the_readme_test_command():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = _bash_blocks(readme)
    test_command = next(b for b in blocks if "pytest" in b)
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert test_command in ci.splitlines()


def test_readme_launch_command_uses_the_installed_entry_point():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    launch = _bash_blocks(readme)[0]
    assert launch.endswith(".venv/bin/neuroviz")
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert 'neuroviz = "neuroviz.app:main"' in pyproject


def test_readme_screenshot_exists():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    images = re.findall(r"!\[[^\]]*\]\(([^)]+)\)", readme)
    assert images, "README shows a screenshot"
    for image in images:
        assert (ROOT / image).is_file(), image
