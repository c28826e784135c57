"""Plain text files: one article per file, in whatever encoding it came."""
from __future__ import annotations

from typing import Iterator

from ..document import RawDocument
from ..errors import UnreadableFile
from . import encoding
from .options import ReadOptions
from .sources import Source, binary_kind


def read_text(source: Source, options: ReadOptions) -> Iterator[RawDocument]:
    """The whole file as one article; binary content is refused."""
    data = source.read_all(options.max_article_bytes)
    if binary_kind(data[:8192]):
        raise UnreadableFile(str(source.path), "binary file, not text")
    text = encoding.repair_mojibake(encoding.decode(data))
    if not text.strip():
        raise UnreadableFile(str(source.path), "empty file (only whitespace)")
    yield RawDocument(path=str(source.path), record=None, fmt="txt", text=text,
                      hints=source.folder_hint())
