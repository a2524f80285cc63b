"""real_estate subgraph: the Natural Resources Bureau's registry, reached over its legacy JSON API."""

__all__: list[str] = []
