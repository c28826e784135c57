"""Coverage: the same story across outlets, and who cites whom.

- `signatures`: a stored MinHash signature per article (`signature`).
- `storyindex`: LSH over signatures, so a new article meets its candidates only.
- `groups`: exact verification, link kinds, story groups.
- `passages` / `align`: text two articles share, with positions, for a compare view.
- `attribution` / `sources`: the sources an article cites, and what they are.
"""
from .align import Alignment, Row, Segment, align
from .attribution import Citation, article_citations, attributions, cited_sources
from .groups import (DUPLICATE, GROUP_JACCARD, REPOST, REWRITE, SHARED_WIRE_TEXT, StoryGroup,
                     StoryLink, StoryLinker, link, overlap, story_groups)
from .passages import Passage, shared_passages
from .signatures import Signature, signature, signature_bytes
from .sources import Source
from .storyindex import StoryIndex

__all__ = ["Alignment", "Row", "Segment", "align", "Citation", "article_citations", "attributions",
           "cited_sources", "DUPLICATE", "GROUP_JACCARD", "REPOST", "REWRITE", "SHARED_WIRE_TEXT",
           "StoryGroup", "StoryLink", "StoryLinker", "link", "overlap", "story_groups", "Passage",
           "shared_passages", "Signature", "signature", "signature_bytes", "Source", "StoryIndex"]
