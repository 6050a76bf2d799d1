"""Placeholder: being written (see CONTRIBUTING.md)."""


class Value:
    pass
