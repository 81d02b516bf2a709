"""cohorts assignments ratings reviews feedback xapi throttling

Revision ID: 0003_supervision
Revises: 0002_search
Create Date: 2026-11-21 10:34:27.620724

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0003_supervision'
down_revision = '0002_search'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('cohorts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('name')
    )
    op.create_table('login_failures',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('username', sa.String(length=80), nullable=False),
    sa.Column('address', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('login_failures', schema=None) as batch_op:
        batch_op.create_index('ix_login_failures_addr_time', ['address', 'created_at'], unique=False)
        batch_op.create_index('ix_login_failures_user_time', ['username', 'created_at'], unique=False)

    op.create_table('assignments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('scenario_id', sa.String(length=64), nullable=False),
    sa.Column('cohort_id', sa.Integer(), nullable=True),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('mode', sa.String(length=16), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=True),
    sa.Column('time_limit', sa.Integer(), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('created_by', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['cohort_id'], ['cohorts.id'], ),
    sa.ForeignKeyConstraint(['created_by'], ['users.id'], ),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('assignments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_assignments_cohort_id'), ['cohort_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_assignments_scenario_id'), ['scenario_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_assignments_user_id'), ['user_id'], unique=False)

    op.create_table('cohort_members',
    sa.Column('cohort_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.ForeignKeyConstraint(['cohort_id'], ['cohorts.id'], ),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], ),
    sa.PrimaryKeyConstraint('cohort_id', 'user_id')
    )
    with op.batch_alter_table('cohort_members', schema=None) as batch_op:
        batch_op.create_index('ix_cohort_members_user', ['user_id', 'role'], unique=False)

    op.create_table('review_cards',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('scenario_id', sa.String(length=64), nullable=False),
    sa.Column('card', sa.JSON(), nullable=False),
    sa.Column('due_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], ),
    sa.PrimaryKeyConstraint('user_id', 'scenario_id')
    )
    with op.batch_alter_table('review_cards', schema=None) as batch_op:
        batch_op.create_index('ix_review_cards_user_due', ['user_id', 'due_at'], unique=False)

    op.create_table('attempt_scores',
    sa.Column('attempt_id', sa.Integer(), nullable=False),
    sa.Column('competency', sa.String(length=64), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('scenario_id', sa.String(length=64), nullable=False),
    sa.Column('points', sa.Integer(), nullable=False),
    sa.Column('max_points', sa.Integer(), nullable=False),
    sa.Column('percent', sa.Float(), nullable=False),
    sa.Column('finished_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['attempt_id'], ['attempts.id'], ),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], ),
    sa.PrimaryKeyConstraint('attempt_id', 'competency')
    )
    with op.batch_alter_table('attempt_scores', schema=None) as batch_op:
        batch_op.create_index('ix_attempt_scores_user_comp', ['user_id', 'competency'], unique=False)

    op.create_table('self_ratings',
    sa.Column('attempt_id', sa.Integer(), nullable=False),
    sa.Column('competency', sa.String(length=64), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('rating', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['attempt_id'], ['attempts.id'], ),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], ),
    sa.PrimaryKeyConstraint('attempt_id', 'competency')
    )
    with op.batch_alter_table('self_ratings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_self_ratings_user_id'), ['user_id'], unique=False)

    op.create_table('supervisor_ratings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('attempt_id', sa.Integer(), nullable=False),
    sa.Column('rater_id', sa.Integer(), nullable=False),
    sa.Column('competency', sa.String(length=64), nullable=False),
    sa.Column('rating', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['attempt_id'], ['attempts.id'], ),
    sa.ForeignKeyConstraint(['rater_id'], ['users.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('supervisor_ratings', schema=None) as batch_op:
        batch_op.create_index('ix_supervisor_ratings_attempt', ['attempt_id', 'competency'], unique=False)
        batch_op.create_index(batch_op.f('ix_supervisor_ratings_rater_id'), ['rater_id'], unique=False)

    op.create_table('survey_responses',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('scenario_id', sa.String(length=64), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('attempt_id', sa.Integer(), nullable=True),
    sa.Column('usefulness', sa.Integer(), nullable=True),
    sa.Column('realism', sa.Integer(), nullable=True),
    sa.Column('comment', sa.Text(), nullable=False),
    sa.Column('created_on', sa.Date(), nullable=False),
    sa.Column('addressed_at', sa.DateTime(), nullable=True),
    sa.Column('addressed_by', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['addressed_by'], ['users.id'], ),
    sa.ForeignKeyConstraint(['attempt_id'], ['attempts.id'], ),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('attempt_id')
    )
    with op.batch_alter_table('survey_responses', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_survey_responses_scenario_id'), ['scenario_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_survey_responses_user_id'), ['user_id'], unique=False)

    op.create_table('xapi_statements',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('statement_id', sa.String(length=36), nullable=False),
    sa.Column('attempt_id', sa.Integer(), nullable=False),
    sa.Column('verb', sa.String(length=32), nullable=False),
    sa.Column('body', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('sent_at', sa.DateTime(), nullable=True),
    sa.Column('tries', sa.Integer(), nullable=False),
    sa.Column('last_error', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['attempt_id'], ['attempts.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('statement_id')
    )
    with op.batch_alter_table('xapi_statements', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_xapi_statements_attempt_id'), ['attempt_id'], unique=False)
        batch_op.create_index('ix_xapi_statements_pending', ['sent_at', 'id'], unique=False)

    op.create_table('free_text_reviews',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('step_id', sa.Integer(), nullable=False),
    sa.Column('reviewer_id', sa.Integer(), nullable=False),
    sa.Column('agrees', sa.Boolean(), nullable=False),
    sa.Column('found', sa.JSON(), nullable=True),
    sa.Column('comment', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['reviewer_id'], ['users.id'], ),
    sa.ForeignKeyConstraint(['step_id'], ['steps.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('free_text_reviews', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_free_text_reviews_step_id'), ['step_id'], unique=False)

    op.create_table('step_comments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('step_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], ),
    sa.ForeignKeyConstraint(['step_id'], ['steps.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('step_comments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_step_comments_step_id'), ['step_id'], unique=False)

    op.create_table('survey_replies',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('response_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], ),
    sa.ForeignKeyConstraint(['response_id'], ['survey_responses.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('survey_replies', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_survey_replies_response_id'), ['response_id'], unique=False)

    with op.batch_alter_table('attempts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('assignment_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('mode', sa.String(length=16), nullable=False, server_default='practice'))
        batch_op.add_column(sa.Column('time_limit', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('time_extensions', sa.Integer(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('decision_extensions', sa.Integer(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('time_limit_off_at', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_attempts_assignment_id'), ['assignment_id'], unique=False)
        batch_op.create_foreign_key('fk_attempts_assignment_id', 'assignments', ['assignment_id'], ['id'])

    with op.batch_alter_table('steps', schema=None) as batch_op:
        batch_op.add_column(sa.Column('seconds', sa.Float(), nullable=True))
        batch_op.add_column(sa.Column('late', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('extensions', sa.Integer(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('free_text', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('rubric_result', sa.JSON(), nullable=True))



def downgrade():
    with op.batch_alter_table('steps', schema=None) as batch_op:
        batch_op.drop_column('rubric_result')
        batch_op.drop_column('free_text')
        batch_op.drop_column('extensions')
        batch_op.drop_column('late')
        batch_op.drop_column('seconds')

    with op.batch_alter_table('attempts', schema=None) as batch_op:
        batch_op.drop_constraint('fk_attempts_assignment_id', type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_attempts_assignment_id'))
        batch_op.drop_column('time_limit_off_at')
        batch_op.drop_column('decision_extensions')
        batch_op.drop_column('time_extensions')
        batch_op.drop_column('time_limit')
        batch_op.drop_column('mode')
        batch_op.drop_column('assignment_id')

    with op.batch_alter_table('survey_replies', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_survey_replies_response_id'))

    op.drop_table('survey_replies')
    with op.batch_alter_table('step_comments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_step_comments_step_id'))

    op.drop_table('step_comments')
    with op.batch_alter_table('free_text_reviews', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_free_text_reviews_step_id'))

    op.drop_table('free_text_reviews')
    with op.batch_alter_table('xapi_statements', schema=None) as batch_op:
        batch_op.drop_index('ix_xapi_statements_pending')
        batch_op.drop_index(batch_op.f('ix_xapi_statements_attempt_id'))

    op.drop_table('xapi_statements')
    with op.batch_alter_table('survey_responses', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_survey_responses_user_id'))
        batch_op.drop_index(batch_op.f('ix_survey_responses_scenario_id'))

    op.drop_table('survey_responses')
    with op.batch_alter_table('supervisor_ratings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_supervisor_ratings_rater_id'))
        batch_op.drop_index('ix_supervisor_ratings_attempt')

    op.drop_table('supervisor_ratings')
    with op.batch_alter_table('self_ratings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_self_ratings_user_id'))

    op.drop_table('self_ratings')
    with op.batch_alter_table('attempt_scores', schema=None) as batch_op:
        batch_op.drop_index('ix_attempt_scores_user_comp')

    op.drop_table('attempt_scores')
    with op.batch_alter_table('review_cards', schema=None) as batch_op:
        batch_op.drop_index('ix_review_cards_user_due')

    op.drop_table('review_cards')
    with op.batch_alter_table('cohort_members', schema=None) as batch_op:
        batch_op.drop_index('ix_cohort_members_user')

    op.drop_table('cohort_members')
    with op.batch_alter_table('assignments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_assignments_user_id'))
        batch_op.drop_index(batch_op.f('ix_assignments_scenario_id'))
        batch_op.drop_index(batch_op.f('ix_assignments_cohort_id'))

    op.drop_table('assignments')
    with op.batch_alter_table('login_failures', schema=None) as batch_op:
        batch_op.drop_index('ix_login_failures_user_time')
        batch_op.drop_index('ix_login_failures_addr_time')

    op.drop_table('login_failures')
    op.drop_table('cohorts')
