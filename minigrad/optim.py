"""Placeholder: being written (see CONTRIBUTING.md)."""
