"""The command line's commands, one module per family (records, coordination, interchange,
maps, neo4j), and what they share: the data (context), options, output formats and the
rendering of query answers (answers). cli.py lists the commands.

Heavy imports (networkx, openpyxl, matplotlib, the neo4j driver) stay inside the command
bodies, so that `stakeholder-graph --help` stays fast.
"""
