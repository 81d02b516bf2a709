"""Administration: the health of the scenario library."""
