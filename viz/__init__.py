"""Pictures of the graph: the offline HTML map (map_html), the slide diagram (diagram), and
the view both draw (view)."""

# the choices `map` and `diagram` offer (here, so that the CLI can name them without importing
# the drawing code)
LAYOUTS = ("force", "geo", "pathway")
COLOR_BY = ("sector", "kind", "country")
SIZE_BY = ("degree", "betweenness")
