"""one active attempt per scenario and assignment, one attempt per assessment

Two clicks on "start" at the same moment (two tabs, a resent form, a slow server) each
found no unfinished attempt and each started one; for an assessment both could be played
to the end. Partial unique indexes now allow, per person:
- one active attempt at a scenario in self-study (``uq_attempts_active_self_study``);
- one active attempt per assignment (``uq_attempts_active_assigned``);
- one attempt per assessment assignment that is not set aside (``uq_attempts_one_assessment``).

Existing duplicates are set aside first (status 'abandoned', as "start again" does), so
that the indexes can be built; their steps, scores and timestamps are kept:
- Of several attempts at one assessment, the one finished first is kept: it is the one
  attempt the assessment allowed, and a later one could be the better of two tries. With
  none finished, the newest is kept.
- Of several active attempts at one scenario (self-study) or one assignment, the newest
  is kept: it is the one "start again" would have set aside next.
A finished attempt set aside this way keeps its scores, but the trainee's history lists it
as set aside and its debrief is no longer offered to them.

The downgrade drops the indexes; it cannot know which attempts were set aside, so they
stay set aside.

Revision ID: 0004_one_attempt
Revises: 0003_supervision
"""
import logging

import sqlalchemy as sa
from alembic import op

revision = "0004_one_attempt"
down_revision = "0003_supervision"
branch_labels = None
depends_on = None

log = logging.getLogger("alembic.env")

ACTIVE_SELF_STUDY = "status = 'active' AND assignment_id IS NULL"
ACTIVE_ASSIGNED = "status = 'active' AND assignment_id IS NOT NULL"
ASSESSMENT = "mode = 'assessment' AND status != 'abandoned' AND assignment_id IS NOT NULL"

# The first finished attempt of each (person, assessment), else the newest.
SET_ASIDE_EXTRA_ASSESSMENTS = f"""
UPDATE attempts SET status = 'abandoned'
WHERE {ASSESSMENT} AND id NOT IN (
    SELECT COALESCE(MIN(CASE WHEN status = 'finished' THEN id END), MAX(id)) FROM attempts
    WHERE {ASSESSMENT} GROUP BY user_id, assignment_id)
"""
# The newest active attempt of each (person, scenario, assignment or self-study).
SET_ASIDE_EXTRA_ACTIVE = """
UPDATE attempts SET status = 'abandoned'
WHERE status = 'active' AND id NOT IN (
    SELECT MAX(id) FROM attempts WHERE status = 'active'
    GROUP BY user_id, scenario_id, COALESCE(assignment_id, 0))
"""


def _where(condition: str) -> dict:
    return {"sqlite_where": sa.text(condition), "postgresql_where": sa.text(condition)}


def upgrade():
    bind = op.get_bind()
    assessments = bind.execute(sa.text(SET_ASIDE_EXTRA_ASSESSMENTS)).rowcount
    active = bind.execute(sa.text(SET_ASIDE_EXTRA_ACTIVE)).rowcount
    if assessments or active:
        log.warning("Set aside %s duplicate assessment attempt(s) and %s duplicate active attempt(s) "
                    "(status 'abandoned'); see migration 0004_one_attempt.", assessments, active)
    op.create_index("uq_attempts_active_self_study", "attempts", ["user_id", "scenario_id"], unique=True,
                    **_where(ACTIVE_SELF_STUDY))
    op.create_index("uq_attempts_active_assigned", "attempts", ["user_id", "scenario_id", "assignment_id"],
                    unique=True, **_where(ACTIVE_ASSIGNED))
    op.create_index("uq_attempts_one_assessment", "attempts", ["user_id", "assignment_id"], unique=True,
                    **_where(ASSESSMENT))


def downgrade():
    op.drop_index("uq_attempts_one_assessment", table_name="attempts")
    op.drop_index("uq_attempts_active_assigned", table_name="attempts")
    op.drop_index("uq_attempts_active_self_study", table_name="attempts")
