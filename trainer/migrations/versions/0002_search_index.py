"""search index over manual pages and scenarios

Revision ID: 0002_search
Revises: 0001_initial
"""
from alembic import op
import sqlalchemy as sa

revision = "0002_search"
down_revision = "0001_initial"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "search_documents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("lang", sa.String(length=8), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("lemmas", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute("CREATE INDEX ix_search_documents_tsv ON search_documents "
                   "USING gin (to_tsvector('simple', lemmas))")
    else:
        op.execute("CREATE VIRTUAL TABLE search_fts USING fts5(lemmas)")


def downgrade():
    if op.get_bind().dialect.name != "postgresql":
        op.execute("DROP TABLE search_fts")
    op.drop_table("search_documents")
