"""Self-study: what to do next (refreshers, weakest competency, progress) and the history."""
