"""an assessment's pass mark on the overall score

- ``assignments.pass_mark``: the overall score, in %, an assessment's attempt must reach to
  pass, besides a good or mixed outcome (``trainer/passing.py``). Assignments stored before
  this revision passed on the outcome alone, so they get none (NULL), and keep that rule.

Revision ID: 0010_pass_mark
Revises: 0009_accounts
"""
import sqlalchemy as sa
from alembic import op

revision = "0010_pass_mark"
down_revision = "0009_accounts"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("assignments") as batch_op:
        batch_op.add_column(sa.Column("pass_mark", sa.Integer(), nullable=True))


def downgrade():
    with op.batch_alter_table("assignments") as batch_op:
        batch_op.drop_column("pass_mark")
