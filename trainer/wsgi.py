"""WSGI entry point for gunicorn: ``gunicorn trainer.wsgi:app``."""
from .app import create_app

app = create_app()
