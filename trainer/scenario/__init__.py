"""Scenario domain: the file format, loading, validation, analysis and the play engine.

Nothing in this package imports Flask; it is tested without an app.
"""
