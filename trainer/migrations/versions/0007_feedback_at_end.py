"""practice without hints: feedback only at the end

- ``attempts.feedback_at_end``: the trainee started this self-study attempt choosing "no
  hints". It stays a practice attempt, but like an assessment it shows no feedback after
  each answer, only the debrief at the end. Attempts stored before this revision showed
  feedback as they went, so they get false.

Revision ID: 0007_feedback_at_end
Revises: 0006_anonymous_month
"""
import sqlalchemy as sa
from alembic import op

revision = "0007_feedback_at_end"
down_revision = "0006_anonymous_month"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("attempts") as batch_op:
        batch_op.add_column(sa.Column("feedback_at_end", sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade():
    with op.batch_alter_table("attempts") as batch_op:
        batch_op.drop_column("feedback_at_end")
