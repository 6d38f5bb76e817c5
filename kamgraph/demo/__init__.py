"""Demo data: a deterministic sample CRM portfolio for trying kamgraph without real exports."""

from __future__ import annotations

from kamgraph.demo.generate import DemoManifest, generate_demo

__all__ = ["DemoManifest", "generate_demo"]
