"""Admin pages for people: accounts, the users CSV import and cohorts.

Importing this package adds their routes to the admin blueprint (``admin.views.bp``).
"""
from __future__ import annotations

from . import accounts, cohorts, csv_import  # noqa: F401  (each adds its pages to admin_bp)
