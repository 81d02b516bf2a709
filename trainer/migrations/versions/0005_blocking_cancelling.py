"""blocked accounts and cancelled assignments

- ``users.blocked_at``: when an admin blocked the account (someone who left the centre).
  A blocked person cannot log in and is left out of team lists; their attempts, scores
  and comments stay, because supervisors' reports and the centre's records need them.
- ``assignments.cancelled_at``: when a supervisor cancelled an assignment. It is no
  longer offered to trainees; attempts already made under it keep their link to it, so
  the row is kept rather than deleted.

Revision ID: 0005_blocking_cancelling
Revises: 0004_one_attempt
"""
import sqlalchemy as sa
from alembic import op

revision = "0005_blocking_cancelling"
down_revision = "0004_one_attempt"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("users") as batch_op:
        batch_op.add_column(sa.Column("blocked_at", sa.DateTime(), nullable=True))
    with op.batch_alter_table("assignments") as batch_op:
        batch_op.add_column(sa.Column("cancelled_at", sa.DateTime(), nullable=True))


def downgrade():
    with op.batch_alter_table("assignments") as batch_op:
        batch_op.drop_column("cancelled_at")
    with op.batch_alter_table("users") as batch_op:
        batch_op.drop_column("blocked_at")
