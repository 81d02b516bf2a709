"""Week and month buckets of a timestamp, written once for SQLite and PostgreSQL.

Progress and trend tables group rows by period in SQL; these two functions compile to
each database's own date arithmetic and return a date (the period's first day).
"""
from __future__ import annotations

from sqlalchemy import Date
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement


class week_start(FunctionElement):
    """The Monday of a timestamp's week, as a date (SQLite and PostgreSQL)."""

    type = Date()
    name = "week_start"
    inherit_cache = True


class month_start(FunctionElement):
    """The first day of a timestamp's month, as a date (SQLite and PostgreSQL)."""

    type = Date()
    name = "month_start"
    inherit_cache = True


@compiles(week_start, "sqlite")
def _week_start_sqlite(element, compiler, **kw):
    # 'weekday 0' moves forward to Sunday (or stays on it); six days back is that week's Monday.
    return "date(%s, 'weekday 0', '-6 days')" % compiler.process(element.clauses, **kw)


@compiles(month_start, "sqlite")
def _month_start_sqlite(element, compiler, **kw):
    return "date(%s, 'start of month')" % compiler.process(element.clauses, **kw)


@compiles(week_start, "postgresql")
def _week_start_pg(element, compiler, **kw):
    return "CAST(date_trunc('week', %s) AS DATE)" % compiler.process(element.clauses, **kw)


@compiles(month_start, "postgresql")
def _month_start_pg(element, compiler, **kw):
    return "CAST(date_trunc('month', %s) AS DATE)" % compiler.process(element.clauses, **kw)
