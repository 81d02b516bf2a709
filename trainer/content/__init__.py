"""The manual inside the trainer: its table of contents and pages (no Flask import)."""
