"""Where the files shipped with PlainDesk live: the default config and the data/ folder."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent
_CHECKOUT = _PACKAGE.parent


def data_dir() -> Path:
    """The data/ folder: inside an installed wheel, or beside the package in a source checkout."""
    bundled = _PACKAGE / "_data"
    return bundled if bundled.is_dir() else _CHECKOUT / "data"


def default_config_path() -> Path:
    """The documented default config.yaml."""
    bundled = _PACKAGE / "_data" / "config.yaml"
    return bundled if bundled.is_file() else _CHECKOUT / "config.yaml"
