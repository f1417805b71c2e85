"""Issue 10 item 4: a PNG too large for the picture writer is refused from the arguments alone, before the network
is read or anything is laid out, with exit status 2 and one line."""

import pytest

from neuroviz import cli_export
from neuroviz.cli_export import USAGE_ERROR, run_export


def test_size_times_scale_beyond_the_png_limit_is_refused_before_loading_or_drawing(tmp_path, capsys, monkeypatch):
    loaded = []
    monkeypatch.setattr(cli_export, "load_network", lambda spec: loaded.append(spec))  # must not be reached
    out = tmp_path / "big.png"
    code = run_export(["example:default", "-o", str(out), "--size", "8000x8000", "--scale", "4"])
    err = capsys.readouterr().err
    assert code == USAGE_ERROR
    assert loaded == [] and not out.exists()
    assert err.count("\n") == 1
    assert "32000x32000" in err and "16384" in err and "--scale" in err


@pytest.mark.parametrize("args", [["--size", "8000x4000", "--scale", "2"], ["--size", "4096x4096", "--scale", "4"]])
def test_sizes_within_the_limit_pass_the_check(tmp_path, capsys, monkeypatch, args):
    class Stop(Exception):
        pass

    def reached(spec):
        raise Stop

    monkeypatch.setattr(cli_export, "load_network", reached)
    with pytest.raises(Stop):
        run_export(["example:default", "-o", str(tmp_path / "ok.png"), *args])


def test_an_svg_is_not_limited_by_the_png_scale(tmp_path, capsys, monkeypatch):
    """--scale does not apply to SVG: the same arguments are not refused for .svg."""

    class Stop(Exception):
        pass

    def reached(spec):
        raise Stop

    monkeypatch.setattr(cli_export, "load_network", reached)
    with pytest.raises(Stop):
        run_export(["example:default", "-o", str(tmp_path / "big.svg"), "--size", "8000x8000", "--scale", "4"])
