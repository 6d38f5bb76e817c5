"""``python -m kamgraph`` runs the CLI."""

from kamgraph.console import main

main()
