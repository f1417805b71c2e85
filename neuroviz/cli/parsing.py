"""Argument parsing shared by the ``neuroviz`` command and its subcommands."""

from __future__ import annotations

import argparse

from neuroviz.version import __version__


class OneLineParser(argparse.ArgumentParser):
    """argparse that reports a bad argument as one line (no usage dump) and exit status 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(2, f"{self.prog}: {message} (see {self.prog} --help)\n")


def gui_parser() -> argparse.ArgumentParser:
    parser = OneLineParser(
        prog="neuroviz",
        description="Watch a small neural network fire: move its inputs, choose each layer's activation, "
        "see the function and its derivative. Subcommand: `neuroviz export --help` writes PNG/SVG/CSV files.",
    )
    parser.add_argument(
        "file",
        nargs="?",
        help="a neuroviz network (.json) or a Keras model (.keras, legacy .h5) to open; default: the example network",
    )
    parser.add_argument("--version", action="version", version=f"neuroviz {__version__}")
    return parser
