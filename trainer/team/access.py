"""Who may see whose data.

A trainee sees only their own attempts; a supervisor sees the trainees of the cohorts they
supervise; an admin sees everyone. Every supervisor page goes through these functions, so
the rule lives in one place and a URL naming someone else's trainee gets a 404.

A blocked account (someone who left the centre) stays visible in history and exports, but
is not among the people a supervisor picks or counts now (``members_of``, ``cohort_trainees``).
"""
from __future__ import annotations

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session, aliased

from ..collation import person_key
from ..models import Cohort, CohortMember, User


def supervised_cohort_ids(viewer: User) -> Select:
    """The ids of the cohorts ``viewer`` supervises (all cohorts for an admin)."""
    if viewer.role == "admin":
        return select(Cohort.id)
    return select(CohortMember.cohort_id).where(
        CohortMember.user_id == viewer.id, CohortMember.role == "supervisor")


def supervised_count(session: Session, viewer: User) -> int:
    """How many cohorts ``viewer`` supervises (every cohort for an admin; none for a trainee)."""
    if viewer.role not in ("supervisor", "admin"):
        return 0
    return session.scalar(select(func.count()).select_from(supervised_cohort_ids(viewer).subquery())) or 0


def visible_cohorts(session: Session, viewer: User) -> list[Cohort]:
    if viewer.role not in ("supervisor", "admin"):
        return []
    return list(session.scalars(
        select(Cohort).where(Cohort.id.in_(supervised_cohort_ids(viewer))).order_by(Cohort.name)))


def can_see_cohort(session: Session, viewer: User, cohort_id: int) -> bool:
    if viewer.role == "admin":
        return session.get(Cohort, cohort_id) is not None
    if viewer.role != "supervisor":
        return False
    return session.scalar(select(CohortMember.cohort_id).where(
        CohortMember.cohort_id == cohort_id, CohortMember.user_id == viewer.id,
        CohortMember.role == "supervisor")) is not None


def members_of(cohort_id: int, include_blocked: bool = False) -> Select:
    """The ids of a cohort's trainees, as a subquery.

    Blocked accounts (people who left the centre) are left out unless ``include_blocked``:
    dashboards, completion and assignment targets count the people who are still there,
    while history and exports (``include_blocked=True``) keep everything they did.
    """
    return _trainees((CohortMember.user_id,), CohortMember.cohort_id == cohort_id, include_blocked)


def memberships(cohort_ids: list[int], include_blocked: bool = False) -> Select:
    """(cohort_id, user_id) for the trainees of each of ``cohort_ids``, counted as
    ``members_of`` counts them: for figures grouped by cohort."""
    return _trainees((CohortMember.cohort_id, CohortMember.user_id), CohortMember.cohort_id.in_(cohort_ids),
                     include_blocked)


def _trainees(columns: tuple, cohorts, include_blocked: bool) -> Select:
    query = select(*columns).where(cohorts, CohortMember.role == "trainee")
    if not include_blocked:
        # An alias keeps this subquery's users apart from those of the query around it
        # (a rater, a trainee), whatever SQLAlchemy would otherwise correlate.
        person = aliased(User)
        query = query.join(person, person.id == CohortMember.user_id).where(person.blocked_at.is_(None))
    return query


def users_in_order(session: Session, ids: list[int]) -> list[User]:
    """The users with ``ids``, in that order (one query): a page of people sorted in Python,
    which the database cannot sort in Ukrainian alphabet order (``collation.person_key``)."""
    loaded = {u.id: u for u in session.scalars(select(User).where(User.id.in_(ids)))} if ids else {}
    return [loaded[i] for i in ids]


def visible_trainee_ids(viewer: User) -> Select:
    """Users whose training data ``viewer`` may read, as a subquery."""
    if viewer.role == "admin":
        return select(User.id)
    if viewer.role == "supervisor":
        return select(CohortMember.user_id).where(
            CohortMember.cohort_id.in_(supervised_cohort_ids(viewer)), CohortMember.role == "trainee")
    return select(User.id).where(User.id == viewer.id)


def can_see_user(session: Session, viewer: User, user_id: int) -> bool:
    if viewer.id == user_id:
        return True
    return session.scalar(select(User.id).where(User.id == user_id, User.id.in_(visible_trainee_ids(viewer)))) is not None


def _cohort_people(session: Session, cohort_id: int, role: str, include_blocked: bool) -> list[User]:
    """A cohort's people with ``role``, by name in Ukrainian alphabet order (sorted here: the
    database's order puts І, Є and Ї before А)."""
    query = (select(User).join(CohortMember, CohortMember.user_id == User.id)
             .where(CohortMember.cohort_id == cohort_id, CohortMember.role == role))
    if not include_blocked:
        query = query.where(User.blocked_at.is_(None))
    return sorted(session.scalars(query), key=lambda u: person_key(u.display_name, u.username))


def cohort_trainees(session: Session, cohort_id: int, include_blocked: bool = False) -> list[User]:
    """A cohort's trainees, by name; blocked accounts only when asked for (the admin's cohort page)."""
    return _cohort_people(session, cohort_id, "trainee", include_blocked)


def cohort_supervisors(session: Session, cohort_id: int, include_blocked: bool = False) -> list[User]:
    return _cohort_people(session, cohort_id, "supervisor", include_blocked)
