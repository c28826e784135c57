"""Stable article ids and slugs.

An id must survive re-ingesting the same article (so links and exports stay
valid), and must be a slug so that it is safe in URLs and file names. Where
the source gives an outlet and a news ID, those two identify the article;
otherwise its title plus a short content hash does.
"""
from __future__ import annotations

import hashlib

from slugify import slugify

TITLE_SLUG_LENGTH = 60
HASH_LENGTH = 10


def article_slug(title: str) -> str:
    """A readable slug of the title, never empty."""
    return slugify(title or "", max_length=TITLE_SLUG_LENGTH, word_boundary=True) or "untitled"


def outlet_slug(name: str | None) -> str | None:
    return slugify(name) or None if name else None


def article_id(title: str, content_hash: str, outlet_slug: str | None = None,
               news_id: str | None = None) -> str:
    """The stable id of an article (see the module docstring)."""
    if outlet_slug and news_id:
        nid = slugify(news_id)
        if nid:
            if nid == outlet_slug or nid.startswith(outlet_slug + "-"):
                return nid
            return f"{outlet_slug}-{nid}"
    return f"{article_slug(title)}-{content_hash[:HASH_LENGTH]}"


def disambiguate(article_id_: str, provenance: str) -> str:
    """A second id for an article whose id is taken by another source's copy.

    Exact copies of one text in two files share title and content hash; each
    copy is still kept, under the id extended by a digest of where it came
    from, which is as stable as the file's place.
    """
    digest = hashlib.blake2b(provenance.encode("utf-8", "surrogatepass"), digest_size=4).hexdigest()
    return f"{article_id_}-{digest}"
