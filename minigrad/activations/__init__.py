"""The activation catalog (placeholder: being written)."""
