"""Frontline Trainer: a practice platform for front-desk staff of Ukraine's legal aid system."""
