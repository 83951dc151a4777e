"""The floor of the API benchmark (``../shared/FLOORS.md``, the HTTP row): a bare FastAPI app whose one async
endpoint returns one claim row of the same SQLite database by its key, as JSON. ``BENCH_DATABASE`` names the
file. Run by ``bench/api.py`` under uvicorn with one worker, as Krav is."""

from __future__ import annotations

import os
import sqlite3
from typing import Any

from fastapi import FastAPI, HTTPException

app = FastAPI()
_db = sqlite3.connect(os.environ.get("BENCH_DATABASE", ":memory:"), check_same_thread=False)
_db.row_factory = sqlite3.Row


@app.get("/claims/{collection_id}")
async def claim(collection_id: str) -> dict[str, Any]:
    row = _db.execute("select * from claim where collection_id = ?", (collection_id,)).fetchone()
    if row is None:
        raise HTTPException(404)
    return dict(row)
