"""The archive: reading, extracting, storing and covering news articles.

Importing it holds OpenBLAS (numpy's BLAS, which spaCy's matrix products run
on) to one thread unless the user chose otherwise, before numpy is loaded.
The products are small, and `add` already runs one entity worker per core:
OpenBLAS's own threads only competed with them. Set after loading, the limit
(`entities.extractor.one_blas_thread`) was not enough: 600 Reuters articles
took 0.0958 CPU-s per 1,000 words in one process and 0.0946 in two, and
0.0781 / 0.0767 with the thread count set before loading (10,437 -> 12,804
words/s in one process, 20,424 -> 25,394 in two; same entity lists).
"""
import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
