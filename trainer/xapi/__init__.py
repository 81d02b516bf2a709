"""xAPI (Experience API 1.0.3) statements for attempts, and sending them to a Learning Record Store."""
