"""``neuroviz export FILE --animate training|sweep -o OUT``: an animated GIF (or numbered PNG frames) of a view
while the network trains or while one input sweeps its range, drawn offscreen without a display.

``neuroviz export`` hands its arguments here when they contain ``--animate``. The data and training options are
``neuroviz train``'s own (:mod:`neuroviz.cli_train`), so the same seed gives the same training; pictures come from
the same offscreen window ``neuroviz export`` draws (:mod:`neuroviz.animation`). Every argument is checked before
anything is drawn, and the file is written only once every frame is drawn (atomically), so an error writes
nothing: one line on stderr, exit status 2 for a bad command line or data that does not fit, 1 for files.
"""

from __future__ import annotations

import argparse
import math
import os
import sys
import time
from collections.abc import Sequence

from neuroviz import exports
from neuroviz.cli import training_options
from neuroviz.cli.parsing import OneLineParser
from neuroviz.cli_export import FILE_ERROR, USAGE_ERROR, UsageError, load_network, parse_size, quiet_qt
from neuroviz.model import animation
from neuroviz.model.animation import AnimationError

MODES = ("training", "sweep")
MAX_SIDE = 4000

HELP_EPILOG = f"""\
what is written
  -o OUT.gif     one animated GIF that loops, --fps frames per second, all frames on one shared palette
  -o FOLDER/     numbered PNG pictures FOLDER/frame-0001.png, frame-0002.png, ... (a path that ends in /
                 or names an existing folder; the folder is made when its parent exists; frames of an
                 earlier, longer run that would follow them are removed)
  Each frame is --view drawn at --size (a caption strip under it says the epoch and loss, or the input's value).

--animate training
  Trains FILE on --data exactly as `neuroviz train` does with the same options and --seed (the file itself is
  not changed). Frames show epoch 0 (before training), then every --every epochs, and the last epoch; by
  default --every is chosen so there are at most {animation.DEFAULT_MAX_FRAMES} frames. The default view is decision
  (the output map with the data) for a network over the plane (two inputs, or Playground's input features)
  on 2-D data, else network.

--animate sweep
  Moves input --sweep-input from the low end of its slider range to the high end in --frames frames, the other
  inputs at the values saved in FILE. --data (optional) draws a data set on --view decision.

exit status
  0 written; 1 FILE could not be read, OUT could not be written, or training diverged; 2 bad arguments or data
  that does not fit the network. On an error one line goes to stderr and nothing is written.

examples
  neuroviz export net.json --animate training --data spiral --epochs 200 -o run.gif
  neuroviz export example:xor --animate training --data xor --epochs 100 --view network -o frames/
  neuroviz export net.json --animate sweep --sweep-input 2 --frames 60 --view outputs -o sweep.gif"""


def _parser() -> argparse.ArgumentParser:
    parser = OneLineParser(
        prog="neuroviz export",
        description="Write an animated GIF (or PNG frames) of a view while the network trains or one input sweeps.",
        epilog=HELP_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("file", metavar="FILE", help="a neuroviz network (.json), a Keras model, or example:NAME")
    parser.add_argument("-o", "--output", required=True, metavar="OUT", help="a .gif file, or a folder/ for PNGs")
    parser.add_argument("--animate", required=True, choices=MODES, help="what moves from frame to frame")
    parser.add_argument(
        "--view", choices=exports.ANIMATED_VIEWS, help="the view drawn (default: decision or network, see below)"
    )
    parser.add_argument("--size", metavar="WxH", help="frame size in pixels (default: the view's export size)")
    parser.add_argument("--theme", choices=("light", "dark"), default="light", help="colours (default: light)")
    parser.add_argument("--show-values", action="store_true", help="print each neuron's value on it")
    parser.add_argument("--maps", action="store_true", help="neurons drawn as their response maps (View ▸ Neuron Maps)")
    parser.add_argument(
        "--fps",
        type=float,
        default=animation.DEFAULT_FPS,
        help=f"frames per second, {animation.MIN_FPS} to {animation.MAX_FPS} (default {animation.DEFAULT_FPS})",
    )
    parser.add_argument("--every", type=int, metavar="K", help="training: epochs per frame (default: see below)")
    sweep = parser.add_argument_group("sweep")
    sweep.add_argument(
        "--sweep-input", "--input", type=int, default=None, metavar="I", help="the input swept, from 1 (default 1)"
    )
    sweep.add_argument(
        "--frames",
        type=int,
        metavar="N",
        help=f"frames of the sweep, 2 to {animation.MAX_FRAMES} (default {animation.DEFAULT_SWEEP_FRAMES})",
    )
    training_options.add_data_arguments(parser, required=False, standardize=False)
    training_options.add_fit_arguments(parser, epochs_default=100)
    return parser


def run_animate(argv: Sequence[str]) -> int:
    """Entry point of ``neuroviz export --animate``; returns the process exit code."""
    try:
        options = _parser().parse_args(list(argv))
    except SystemExit as stop:  # --help, or argparse refused an argument (it printed the line)
        return stop.code if isinstance(stop.code, int) else USAGE_ERROR
    from neuroviz.model import NetworkFileError
    from neuroviz.model.datasets import DatasetError
    from neuroviz.model.training import TrainingDiverged

    try:
        _check_arguments(options)
        animation.check_output(options.output)  # a missing folder is a file error, like the other exports'
        network = load_network(options.file)
        started = time.perf_counter()
        frames, record = _draw(options, network)
        written = animation.write_animation(options.output, frames, options.fps)
    except (UsageError, training_options.UsageError, DatasetError) as error:
        print(f"neuroviz export: {error}", file=sys.stderr)
        return USAGE_ERROR
    except TrainingDiverged as error:
        print(f"neuroviz export: {error}; nothing written", file=sys.stderr)
        return FILE_ERROR
    except (AnimationError, NetworkFileError, ValueError, OSError) as error:
        print(f"neuroviz export: {error}", file=sys.stderr)
        return FILE_ERROR
    seconds = len(frames) / options.fps
    numbers = "".join(f", {key} {value:.4f}" for key, value in record.items())
    print(
        f"wrote {options.output}: {len(frames)} frames of {options.width}x{options.height}, {seconds:.1f} s at "
        f"{options.fps:g} fps, {animation.size_text(written)} (drawn in {time.perf_counter() - started:.1f} s)"
        + (f"; after {options.epochs} epochs{numbers}" if record else "")
    )
    return 0


def _check_arguments(options: argparse.Namespace) -> None:
    """Everything that can be judged without the network: a typo costs no loading, training or drawing."""
    try:
        options.kind = animation.output_kind(options.output)
    except AnimationError as error:
        raise UsageError(str(error)) from None
    training = options.animate == "training"
    if training:
        if options.data is None:
            raise UsageError("--animate training needs --data: a Playground set (e.g. spiral), iris, or a CSV file")
        if options.frames is not None:
            raise UsageError("--frames is for --animate sweep; a training animation's frames follow --every")
        if options.sweep_input is not None:
            raise UsageError("--sweep-input is for --animate sweep")
        if not 1 <= options.epochs <= training_options.MAX_EPOCHS:
            raise UsageError(f"--epochs must be from 1 to {training_options.MAX_EPOCHS}, got {options.epochs}")
        if options.every is not None and options.every < 1:
            raise UsageError(f"--every must be 1 or more epochs per frame, got {options.every}")
        options.every = options.every or animation.default_every(options.epochs)
        count = len(animation.training_frame_epochs(options.epochs, options.every))
        if count > animation.MAX_FRAMES:
            raise UsageError(
                f"--epochs {options.epochs} with --every {options.every} makes {count} frames; at most "
                f"{animation.MAX_FRAMES}: raise --every"
            )
        if options.batch_size < 1:
            raise UsageError(f"--batch-size must be 1 or more, got {options.batch_size}")
        rate = options.learning_rate
        if rate is not None and not (math.isfinite(rate) and rate > 0):
            raise UsageError(f"--learning-rate must be a positive number, got {rate}")
        if options.train_share is not None and not 0.1 <= options.train_share <= 0.9:
            raise UsageError(f"--train-share must be from 0.1 to 0.9 for an animation, got {options.train_share}")
    else:
        if options.every is not None:
            raise UsageError("--every is for --animate training; a sweep's frames are --frames")
        if options.view and exports.animation_problem(options.view, options.animate):
            raise UsageError(f"--view {options.view}: {exports.animation_problem(options.view, options.animate)}")
        options.frames = animation.DEFAULT_SWEEP_FRAMES if options.frames is None else options.frames
        if not 2 <= options.frames <= animation.MAX_FRAMES:
            raise UsageError(f"--frames must be from 2 to {animation.MAX_FRAMES}, got {options.frames}")
        options.sweep_input = 1 if options.sweep_input is None else options.sweep_input
        count = options.frames
    if not (math.isfinite(options.fps) and animation.MIN_FPS <= options.fps <= animation.MAX_FPS):
        raise UsageError(f"--fps must be from {animation.MIN_FPS} to {animation.MAX_FPS}, got {options.fps:g}")
    if options.size is not None:
        width, height = parse_size(options.size, None)
        if max(width, height) > MAX_SIDE:
            raise UsageError(f"--size must be at most {MAX_SIDE}x{MAX_SIDE} for an animation, got {options.size}")
    options.frame_count = count
    try:
        animation.check_memory(count, *(parse_size(options.size, None) if options.size else (1400, 900)))
    except AnimationError as error:
        raise UsageError(str(error)) from None


def _draw(options: argparse.Namespace, network) -> tuple[list, dict[str, float]]:
    """Every frame (drawn before anything is written) and the last epoch's numbers (training)."""
    from PySide6.QtWidgets import QApplication

    if QApplication.instance() is None:
        os.environ["QT_QPA_PLATFORM"] = "offscreen"  # never show anything, never need a display
    from neuroviz.animation import Stage, StageSetup, SweepFrames, TrainingFrames
    from neuroviz.controller import Controller

    training = options.animate == "training"
    dataset, share, fits_plane = None, 0.5, False
    if training or options.data is not None:
        dataset, share, fits_plane = _display_data(options, network)
    if not training and not 1 <= options.sweep_input <= network.n_inputs:
        raise UsageError(f"--sweep-input must be between 1 and {network.n_inputs}, got {options.sweep_input}")
    view = options.view or ("decision" if training and fits_plane else "network")
    width, height = parse_size(options.size, view)
    options.width, options.height = width, height
    setup = StageSetup(
        view=view,
        width=width,
        height=height,
        theme=options.theme,
        show_values=options.show_values,
        neuron_maps=options.maps,
        dataset=dataset,
        train_share=share,
    )
    with quiet_qt():
        try:
            stage = Stage(network, setup, Controller)
        except ValueError as error:  # the size is too small for the view
            raise UsageError(f"--size {error}") from None
        try:
            if training:
                trainer, x_train = _trainer(options, stage.network)
                source = TrainingFrames(stage, trainer, options.epochs, options.every, x_train)
            else:
                source = SweepFrames(stage, options.sweep_input - 1, options.frames)
            frames = []
            for index in range(len(source)):
                frames.append(source.render(index))
                _say_progress(index + 1, len(source))
        finally:
            stage.close()
    return frames, (source.last_record if training else {})


def _display_data(options: argparse.Namespace, network):
    """(the data set as the output map draws it, its training share, whether it is 2-D and the network is over the
    plane); data that does not fit the network is a UsageError now."""
    from neuroviz.data_source import fit_problem, shuffled

    data, share, split_seed = training_options.load_data_set(options, network)
    if split_seed is not None:  # files are shuffled before the split, as `neuroviz train` splits them
        data = shuffled(data, split_seed)
    problem = fit_problem(data, network)
    if problem:
        raise UsageError(f"--data {options.data} does not fit this network: {problem}")
    plane = network.input_features is not None or network.n_inputs == 2
    return data, min(share, 0.9), plane and data.x.shape[1] == 2


def _trainer(options: argparse.Namespace, network):
    """A Trainer on ``network`` started as ``neuroviz train`` starts its own (same data, split, seed, batches), and
    the rows it trains on."""
    train, validation, _ = training_options.load_data(options, network)
    loss = options.loss or training_options.default_loss(network)
    trainer = training_options.make_trainer(network, options, loss)
    validation_data = (validation.x, validation.targets_for(network, loss)) if validation is not None else None
    trainer.start(
        train.x,
        train.targets_for(network, loss),
        batch_size=options.batch_size,
        shuffle=not options.no_shuffle,
        seed=options.seed,
        validation_data=validation_data,
    )
    return trainer, train.x


def _say_progress(done: int, total: int) -> None:
    """On a terminal, the frame counter rewritten in place."""
    if sys.stderr.isatty():
        sys.stderr.write(f"\rframe {done}/{total}" + ("\n" if done == total else ""))
        sys.stderr.flush()
