"""``python -m gateway`` is the ``govgraph`` command."""

from gateway.cli import main

main()
