"""The OpenSearch (or Elasticsearch 8) engine: the archive's index on a cluster.

`mapping` declares the index (analysis as `index.schema`'s), `translate`
turns our parsed query language into DSL, `request` builds search bodies,
`hits` reads responses into our dataclasses, `indexing` loads and feeds
the index from the store, `client` reaches the cluster, and `service`
answers searches (`OpenSearchEngine`, an `index.engines.Engine`).
"""
from .client import ClusterUnavailable
from .service import OpenSearchEngine

__all__ = ["ClusterUnavailable", "OpenSearchEngine"]
