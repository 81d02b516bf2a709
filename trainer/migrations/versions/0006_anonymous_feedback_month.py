"""anonymous feedback keeps only the month it was sent

The survey promises that an anonymous response keeps no name, no attempt and no time of
sending finer than the month; since this revision the app stores the month's first day
for new ones (``trainer.feedback.service.sent_month``). Responses stored before it still
have their day, so this migration rounds them down to the first of their month.

The days cannot be restored: the downgrade changes nothing.

Revision ID: 0006_anonymous_month
Revises: 0005_blocking_cancelling
"""
import sqlalchemy as sa
from alembic import op

revision = "0006_anonymous_month"
down_revision = "0005_blocking_cancelling"
branch_labels = None
depends_on = None

responses = sa.table("survey_responses", sa.column("id", sa.Integer), sa.column("user_id", sa.Integer),
                     sa.column("created_on", sa.Date))


def upgrade():
    bind = op.get_bind()
    # Rounded in Python: SQLite and PostgreSQL have no common "first day of the month".
    rows = bind.execute(sa.select(responses.c.id, responses.c.created_on).where(responses.c.user_id.is_(None)))
    for row_id, day in rows.all():
        if day.day != 1:
            bind.execute(responses.update().where(responses.c.id == row_id).values(created_on=day.replace(day=1)))


def downgrade():
    pass
