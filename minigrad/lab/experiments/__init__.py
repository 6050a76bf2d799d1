"""One runner per book experiment."""
