"""Python finishing steps for queries, registered by name (kept small on purpose)."""

from __future__ import annotations
