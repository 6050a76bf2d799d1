"""Book helpers: plots, widgets, experiment runners. Imports matplotlib/ipywidgets lazily."""
