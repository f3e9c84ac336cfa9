"""The LanceDB vector index: one row per chunk, with the chunk's ids and its embedding."""

from __future__ import annotations

from pathlib import Path

import lancedb
import numpy as np
import pyarrow as pa

from .output import VECTORS_TABLE
from .records import Chunk


def write_vectors(path: Path, chunks: list[Chunk], vectors: np.ndarray) -> None:
    dimension = vectors.shape[1]
    table = pa.table({
        "id": [c.id for c in chunks],
        "article_id": [c.article_id for c in chunks],
        "position": pa.array([c.position for c in chunks], pa.int32()),
        "vector": pa.FixedSizeListArray.from_arrays(pa.array(vectors.reshape(-1), pa.float32()), dimension),
    })
    lancedb.connect(str(path)).create_table(VECTORS_TABLE, data=table)
