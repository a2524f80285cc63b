"""Civil affairs subgraph: marriage registrations, dibao cases and elderly subsidies."""
