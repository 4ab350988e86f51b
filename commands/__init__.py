"""Command families beyond the core ones in cli.py, one module each (maps, neo4j, export).

Each module defines click commands and keeps heavy imports inside the command bodies, so that
`stakeholder-graph --help` stays fast.
"""
