"""Every preference neuroviz stores, typed, in one place (a wrapper over QSettings).

A value the settings file holds in a bad form (edited by hand, written by another version) reads as the default.
The Export dialog keeps its own last choice under ``export/...`` through :attr:`Preferences.settings`.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings

from neuroviz.views.theme import THEME_CHOICES

EDGE_MODES = ("weight", "signal", "gradient")
MAX_RECENT = 8

THEME = "view/theme"  # "view/dark" of earlier versions was stored on every start: it says nothing, not read
SHOW_VALUES = "view/show_values"
EDGE_MODE = "view/edge_mode"
NEURON_MAPS = "view/neuron_maps"
RECENT_FILES = "files/recent"
LAST_DIR = "files/last_dir"
EXPORT_DIR = "export/last_dir"
OUTPUT_MAP_TEST_DATA = "maps/show_test_data"
OUTPUT_MAP_DISCRETE = "maps/discretize"
ANIMATION = "animation/"  # File ▸ Export ▸ Animation…'s last choice, one key per field
LESSON_STARTED = "lessons/started"  # a lesson was opened once: the first-run offer stops
GEOMETRY = "window/geometry"
STATE = "window/state"


class Preferences:
    """Typed access to the user's QSettings (or a test's own file)."""

    def __init__(self, settings: QSettings) -> None:
        self.settings = settings

    @property
    def theme(self) -> str:
        """ "system", "light" or "dark"."""
        choice = str(self.settings.value(THEME, "system"))
        return choice if choice in THEME_CHOICES else "system"

    @theme.setter
    def theme(self, choice: str) -> None:
        self.settings.setValue(THEME, choice)

    @property
    def show_values(self) -> bool:
        return str(self.settings.value(SHOW_VALUES, "false")).lower() in ("true", "1")

    @show_values.setter
    def show_values(self, on: bool) -> None:
        self.settings.setValue(SHOW_VALUES, bool(on))

    @property
    def lesson_started(self) -> bool:
        """Whether a lesson was ever opened (until then the window offers "Start with a lesson")."""
        return str(self.settings.value(LESSON_STARTED, "false")).lower() in ("true", "1")

    @lesson_started.setter
    def lesson_started(self, on: bool) -> None:
        self.settings.setValue(LESSON_STARTED, bool(on))

    @property
    def neuron_maps(self) -> bool:
        """View ▸ Neuron Maps: each neuron drawn as a picture of its response map."""
        return str(self.settings.value(NEURON_MAPS, "false")).lower() in ("true", "1")

    @neuron_maps.setter
    def neuron_maps(self, on: bool) -> None:
        self.settings.setValue(NEURON_MAPS, bool(on))

    @property
    def output_map_options(self) -> tuple[bool, bool]:
        """The Output Map's (Show test data, Discretize output), both off until chosen."""
        return tuple(  # type: ignore[return-value]
            str(self.settings.value(key, "false")).lower() in ("true", "1")
            for key in (OUTPUT_MAP_TEST_DATA, OUTPUT_MAP_DISCRETE)
        )

    @output_map_options.setter
    def output_map_options(self, options: tuple[bool, bool]) -> None:
        self.settings.setValue(OUTPUT_MAP_TEST_DATA, bool(options[0]))
        self.settings.setValue(OUTPUT_MAP_DISCRETE, bool(options[1]))

    @property
    def edge_mode(self) -> str:
        mode = str(self.settings.value(EDGE_MODE, "weight"))
        return mode if mode in EDGE_MODES else "weight"

    @edge_mode.setter
    def edge_mode(self, mode: str) -> None:
        self.settings.setValue(EDGE_MODE, mode)

    @property
    def recent_files(self) -> list[str]:
        """Most recent first; QSettings may hand back one entry as a plain string."""
        recent = self.settings.value(RECENT_FILES) or []
        if isinstance(recent, str):
            recent = [recent]
        return [str(p) for p in recent if p]

    def remember_file(self, path: str) -> None:
        """``path`` was opened or saved: first in the recent list, its folder the next dialog's start."""
        recent = [p for p in self.recent_files if p != path]
        self.settings.setValue(RECENT_FILES, [path, *recent][:MAX_RECENT])
        self.settings.setValue(LAST_DIR, str(Path(path).parent))

    @property
    def last_dir(self) -> str:
        return str(self.settings.value(LAST_DIR, str(Path.home())))

    @property
    def export_dir(self) -> str:
        return str(self.settings.value(EXPORT_DIR, str(Path.home())))

    @export_dir.setter
    def export_dir(self, folder: str) -> None:
        self.settings.setValue(EXPORT_DIR, folder)

    @property
    def last_export_dir(self) -> str:
        """The folder of the last export, "" when nothing was exported yet (``export_dir`` then says home)."""
        return str(self.settings.value(EXPORT_DIR, ""))

    def window_layout(self) -> tuple[QByteArray | None, QByteArray | None]:
        """The saved window geometry and dock state (None when never saved)."""
        return self.settings.value(GEOMETRY), self.settings.value(STATE)

    def save_window_layout(self, geometry: QByteArray, state: QByteArray) -> None:
        self.settings.setValue(GEOMETRY, geometry)
        self.settings.setValue(STATE, state)

    def animation_choice(self) -> dict[str, str]:
        """The Animation dialog's last choice, field → text as stored (the dialog checks each value)."""
        self.settings.beginGroup(ANIMATION.rstrip("/"))
        try:
            return {key: str(self.settings.value(key)) for key in self.settings.childKeys()}
        finally:
            self.settings.endGroup()

    def remember_animation_choice(self, fields: dict[str, object]) -> None:
        for key, value in fields.items():
            self.settings.setValue(ANIMATION + key, value)
