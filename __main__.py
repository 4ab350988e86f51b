"""`python -m stakeholder_graph` runs the command line, like `stakeholder-graph`."""
from stakeholder_graph.cli import main

main()
