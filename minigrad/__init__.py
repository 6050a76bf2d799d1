"""minigrad: a tiny, readable autograd engine for learning about activation functions."""
