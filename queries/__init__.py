"""Pure query functions over a StakeholderGraph: they return plain data with evidence and
sources, and never print or touch files."""
