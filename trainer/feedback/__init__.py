"""Trainees' feedback on scenarios (a mini-survey after each attempt) and authors' replies."""
