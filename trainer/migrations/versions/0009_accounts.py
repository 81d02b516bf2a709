"""accounts: temporary passwords and the last login

- ``users.password_temporary``: an administrator set this account's password (a new
  account, an import, «New password»), so its owner chooses their own at the next login.
  Accounts stored before this revision keep the passwords they have: false.
- ``users.last_login_at``: when the person last logged in (UTC), for the admin's list of
  people; empty for accounts stored before this revision, which the page calls unknown
  rather than never.

Revision ID: 0009_accounts
Revises: 0008_written_answers
"""
import sqlalchemy as sa
from alembic import op

revision = "0009_accounts"
down_revision = "0008_written_answers"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("users") as batch_op:
        batch_op.add_column(sa.Column("password_temporary", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column("last_login_at", sa.DateTime(), nullable=True))


def downgrade():
    with op.batch_alter_table("users") as batch_op:
        batch_op.drop_column("last_login_at")
        batch_op.drop_column("password_temporary")
