"""Market regulation subgraph: the enterprise register and administrative penalties."""
