"""Renderers: documents (plain dicts) to the terminal (Rich) or to markdown (Jinja2)."""
