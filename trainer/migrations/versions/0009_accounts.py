"""accounts: temporary passwords, the last login and each account's history

- ``users.password_temporary``: an administrator set this account's password (a new
  account, an import, «New password»), so its owner chooses their own at the next login.
  Accounts stored before this revision keep the passwords they have: false.
- ``users.last_login_at``: when the person last logged in (UTC), for the admin's list of
  people; empty for accounts stored before this revision, which the page calls unknown
  rather than never.
- ``account_events``: what was done to an account, by whom (empty for the command line) and
  when; append-only. Nothing is known of accounts' history before this revision.

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
    op.create_table(
        "account_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("action", sa.String(length=32), nullable=False),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["actor_id"], ["users.id"]),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_account_events_user_id", "account_events", ["user_id"], unique=False)


def downgrade():
    op.drop_index("ix_account_events_user_id", table_name="account_events")
    op.drop_table("account_events")
    with op.batch_alter_table("users") as batch_op:
        batch_op.drop_column("last_login_at")
        batch_op.drop_column("password_temporary")
