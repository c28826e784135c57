"""Finding the files to read under the paths a user gave.

Folders are walked depth first in sorted order (so a run is repeatable) with
an explicit stack (so depth is not limited by recursion). Hidden files and
folders (names starting with ".") are skipped unless given explicitly.
Symbolic links to folders are followed, but each real folder is entered at
most once, so a link loop ends and a folder linked twice is read once; the
same holds for files reached through several links. Names that are not
valid UTF-8 stay usable: Python keeps their bytes as surrogate escapes.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Iterable, Iterator

from ..errors import UnreadableFile
from .sources import os_reason


def discover(paths: Iterable[os.PathLike | str]) -> Iterator[Path | UnreadableFile]:
    """Every file under the given paths, sorted, hidden files skipped.

    Yields an UnreadableFile (instead of raising) for a path that does not
    exist, a folder that cannot be listed, a broken link or a special file.
    """
    seen: set[str] = set()
    for given in paths:
        path = Path(given)
        if path.is_dir():
            yield from walk_folder(path, seen)
        elif path.is_file():
            if first_visit(path, seen):
                yield path
        elif path.is_symlink():
            yield UnreadableFile(str(path), "broken symbolic link")
        elif path.exists():
            yield UnreadableFile(str(path), "not a regular file")
        else:
            yield UnreadableFile(str(path), "no such file or folder")


def first_visit(path: Path, seen: set[str]) -> bool:
    """True the first time a real (link-resolved) path is met."""
    real = os.path.realpath(path)
    if real in seen:
        return False
    seen.add(real)
    return True


def walk_folder(root: Path, seen: set[str]) -> Iterator[Path | UnreadableFile]:
    """Files under `root` in sorted order, entering each real folder once."""
    if not first_visit(root, seen):
        return
    stack: list[Iterator[os.DirEntry]] = []
    listing = list_folder(root)
    if isinstance(listing, UnreadableFile):
        yield listing
        return
    stack.append(listing)
    while stack:
        entry = next(stack[-1], None)
        if entry is None:
            stack.pop()
            continue
        if entry.name.startswith("."):
            continue
        path = Path(entry.path)
        try:
            is_dir, is_file = entry.is_dir(), entry.is_file()
        except OSError as exc:
            yield UnreadableFile(str(path), os_reason(exc))
            continue
        if is_dir:
            if first_visit(path, seen):
                listing = list_folder(path)
                if isinstance(listing, UnreadableFile):
                    yield listing
                else:
                    stack.append(listing)
        elif is_file:
            if first_visit(path, seen):
                yield path
        elif entry.is_symlink():
            yield UnreadableFile(str(path), "broken symbolic link")
        else:
            yield UnreadableFile(str(path), "not a regular file")


def list_folder(folder: Path) -> Iterator[os.DirEntry] | UnreadableFile:
    """The folder's entries sorted by name, or why they cannot be listed."""
    try:
        with os.scandir(folder) as entries:
            return iter(sorted(entries, key=lambda e: e.name))
    except OSError as exc:
        return UnreadableFile(str(folder), f"cannot list folder: {os_reason(exc)}")
