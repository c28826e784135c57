"""Where an archive lives on disk.

One data folder holds the store and the index. `ingest.py` and the web app
find it the same way: an explicit folder, else `$ARCHIVE_DATA`, else the
`instance/` folder of the project (Flask's instance folder for `web`).
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SAMPLES_DIR = Path(__file__).resolve().parent / "samples"
DATA_FILES = Path(__file__).resolve().parent / "data"
ENV_VAR = "ARCHIVE_DATA"


def data_lines(name: str) -> list[str]:
    """The entries of a word or pattern list under archive/data/: one per line, '#' comments skipped."""
    text = (DATA_FILES / name).read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")]


@dataclass(frozen=True)
class DataDir:
    root: Path

    @classmethod
    def resolve(cls, explicit: str | os.PathLike | None = None) -> "DataDir":
        chosen = explicit or os.environ.get(ENV_VAR) or PROJECT_ROOT / "instance"
        return cls(Path(chosen).expanduser().absolute())

    @property
    def store_path(self) -> Path:
        return self.root / "archive.sqlite3"

    @property
    def index_root(self) -> Path:
        return self.root / "index"

    @property
    def lock_path(self) -> Path:
        return self.root / "write.lock"
