"""WSGI entry point for gunicorn: ``gunicorn trainer.wsgi:app``."""
from .app import create_app
from .search.lemmas import lemma_set

app = create_app()
# Load the morphology dictionary now, so the first written answer a worker scores does
# not wait the best part of a second for it.
lemma_set("плакати")
