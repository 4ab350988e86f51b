"""Pictures of the graph: the offline HTML map (map_html), the slide diagram (diagram), its
editable PowerPoint slides (slides) and the view they draw (view); the positions (layout),
colours and shapes (style) and display text (text) that the exports use too."""

from stakeholder_graph.graph.errors import MissingDependency

# the choices `map` and `diagram` offer (here, so that the CLI can name them without importing
# the drawing code)
LAYOUTS = ("force", "geo", "pathway")
COLOR_BY = ("sector", "kind", "country")
SIZE_BY = ("degree", "betweenness")


def require(module: str):
    """Import a library of the `maps` extra (numpy, matplotlib), or say how to install it."""
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError:
        raise MissingDependency(
            f"drawing needs {module.split('.')[0]}: pip install 'stakeholder-graph[maps]'"
        ) from None
