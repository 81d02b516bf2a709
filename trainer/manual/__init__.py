"""The manual inside the trainer: pages, coverage and search."""
