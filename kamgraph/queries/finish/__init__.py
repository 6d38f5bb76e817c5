"""Python finishing steps of queries, one module per query, registered with ``@post_processor``.

Every module in this package is imported by :func:`load_all`; a module registers its step for
the query of the same name. Keep them to what portable Cypher can't do well.
"""

from __future__ import annotations

import importlib
import pkgutil
from functools import lru_cache


@lru_cache(maxsize=1)
def load_all() -> None:
    for info in pkgutil.iter_modules(__path__):
        importlib.import_module(f"{__name__}.{info.name}")
