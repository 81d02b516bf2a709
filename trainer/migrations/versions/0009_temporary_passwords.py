"""temporary passwords

- ``users.password_temporary``: an administrator set this account's password (a new
  account, an import, «New password»), so its owner chooses their own at the next login.
  Accounts stored before this revision keep the passwords they have: false.

Revision ID: 0009_temporary_passwords
Revises: 0008_written_answers
"""
import sqlalchemy as sa
from alembic import op

revision = "0009_temporary_passwords"
down_revision = "0008_written_answers"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("users") as batch_op:
        batch_op.add_column(sa.Column("password_temporary", sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade():
    with op.batch_alter_table("users") as batch_op:
        batch_op.drop_column("password_temporary")
