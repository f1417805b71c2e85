"""PNG and SVG pictures go through the one atomic writer: a link stays a link, permissions stay."""

import os
import stat

import pytest
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QLabel

from neuroviz.views.export import save_png, save_svg


@pytest.fixture
def label(qtbot):
    widget = QLabel("linked picture")
    widget.resize(120, 40)
    qtbot.addWidget(widget)
    widget.show()
    return widget


@pytest.mark.parametrize("suffix", [".png", ".svg"])
def test_a_picture_saved_through_a_link_replaces_the_target_and_keeps_the_link(tmp_path, label, suffix):
    target = tmp_path / "slides" / f"figure{suffix}"
    target.parent.mkdir()
    target.write_bytes(b"old picture")
    target.chmod(0o640)
    link = tmp_path / f"figure{suffix}"
    link.symlink_to(target)
    (save_png if suffix == ".png" else save_svg)(label, link)
    assert link.is_symlink()
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    if suffix == ".png":
        image = QImage(str(target))
        assert (image.width(), image.height()) == (120, 40)
    else:
        assert b"<svg" in target.read_bytes()
    assert os.listdir(target.parent) == [target.name]
