"""Authentication: log in and out, language choice, role checks."""
