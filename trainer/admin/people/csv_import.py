"""Admin page for the users CSV import: a dry run that checks every row, then an import
only of a clean file, with the generated passwords offered once as a download."""
from __future__ import annotations

import base64
import binascii

from flask import current_app, flash, render_template, request
from flask_babel import get_locale, gettext as _, ngettext
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from ...auth import throttle
from ...auth.access import roles_required
from ...extensions import db
from ...models import User, utcnow
from ...team import people, people_import
from ...uploads import MAX_CSV_BYTES, in_megabytes
from ...web import ROLE_LABELS, local_today
from ..forms import ImportForm
from ..views import bp


def _csv_from_request(form: ImportForm) -> tuple[bytes | None, str | None]:
    """The CSV bytes: a fresh upload, or the checked file carried in the confirmation form."""
    carried = request.form.get("content")
    if carried:
        try:
            return base64.b64decode(carried, validate=True), None
        except (binascii.Error, ValueError):
            return None, _("The checked file was damaged in transit; choose it again.")
    upload = form.file.data
    if upload is None or not getattr(upload, "filename", ""):
        return None, _("Choose a CSV file.")
    if not upload.filename.lower().endswith((".csv", ".txt")):
        return None, _("“%(name)s” is not a CSV file. %(how)s", name=upload.filename,
                       how=people_import.SAVE_AS_CSV_UTF8)
    data = upload.read(MAX_CSV_BYTES + 1)
    if len(data) > MAX_CSV_BYTES:
        return None, _("The file is larger than %(size)s MB; split it into smaller files.", size=in_megabytes(MAX_CSV_BYTES))
    # Its encoding and contents are people_import.plan_import's to check (UTF-16 has NUL bytes).
    return data, None


def _credentials_url(created: list[tuple[User, str | None]]) -> str | None:
    """The generated passwords as a CSV file in a data: URL, for a download link on the page.

    The file is built into the page the passwords are shown on, so the server stores no
    plaintext password and has no URL that would give them out again."""
    rows = [[user.username, user.display_name, str(ROLE_LABELS[user.role]), password]
            for user, password in created if password]
    if not rows:
        return None
    header = [_("User name"), _("Full name"), _("Role"), _("Password")]
    decimal_comma = get_locale().number_symbols["latn"]["decimal"] == ","
    data = people_import.credentials_csv(header, rows, delimiter=";" if decimal_comma else ",")
    return "data:text/csv;charset=utf-8;base64," + base64.b64encode(data).decode("ascii")


@bp.route("/users/import", methods=["GET", "POST"])
@roles_required("admin")
def import_users():
    """Check a users CSV (dry run), then import it only when every row is clean."""
    form = ImportForm()
    plan = created = content = None
    if request.method == "POST":
        # CSRFProtect has checked the token already; the file is checked here by hand
        # because a confirmed import carries it in a hidden field instead of an upload.
        data, error = _csv_from_request(form)
        if error:
            form.file.errors = [error]
        else:
            try:
                plan = people_import.plan_import(db.session, data)
            except people.PeopleError as exc:
                form.file.errors = [str(exc)]
        confirmed = request.form.get("confirm") == "1"
        if confirmed and plan is not None and people_import.already_imported(db.session, plan):
            return _imported_twice(form)
        if plan is not None and plan.ok and confirmed:
            try:
                created = people_import.run_import(db.session, plan, actor=current_user)
                # As for an account created on its own page: failed logins with a name
                # tried before it existed must not lock the new person out of their first.
                throttle.lift_locks(db.session, current_app.config, (user.username for user, _password in created),
                                    utcnow())
                db.session.commit()
            except (people.PeopleError, IntegrityError) as exc:
                # The check passed, but the accounts were created since: most likely by this
                # same import, pressed twice while the first press was hashing passwords.
                db.session.rollback()
                if people_import.already_imported(db.session, plan):
                    return _imported_twice(form)
                form.file.errors = [_("%(problem)s Nothing was imported; check the file again.",
                                      problem=_problem(exc))]
                plan = created = None
            else:
                flash(ngettext("%(num)d account imported.", "%(num)d accounts imported.", len(created)), "success")
        elif plan is not None and plan.ok:
            content = base64.b64encode(data).decode()
    status = 422 if form.file.errors or (plan is not None and not plan.ok) else 200
    return render_template("admin/import.html", form=form, plan=plan, created=created, content=content,
                           credentials_url=_credentials_url(created) if created else None, today=local_today(),
                           imported_twice=False), status


def _imported_twice(form: ImportForm):
    """409: the confirmed file's accounts exist already, so its generated passwords went to
    the press that created them; say where to set new ones."""
    return render_template("admin/import.html", form=form, plan=None, created=None, content=None,
                           imported_twice=True), 409


def _problem(exc: Exception) -> str:
    if isinstance(exc, people.PeopleError):
        return str(exc)
    return _("Another change to the same people or cohorts was saved at the same moment.")
