"""Population subgraph: the household register of the Public Security Bureau."""
