"""A trainee's pages laid out at 1280 px and on a phone (375 px).

The home page's Continue buttons stood at the right of a short row and under the text of a
long one; the radar's labels were drawn at about 8 px on a phone; the fifth face of a survey
scale fell onto a line of its own; the search page's button wrapped under its field.
"""
from __future__ import annotations

from .helpers import login

# A long title (its row wraps at 1280 px) and a short one.
UNFINISHED = ("referral-outside-competence", "crying-client")
FINISHED = "busy-queue"

_RESUME_ROWS = """() => [...document.querySelectorAll('li.resume')].map(li => {
  const text = li.firstElementChild.getBoundingClientRect(), button = li.querySelector('a.button').getBoundingClientRect();
  return {text: [text.left, text.top, text.bottom], button: [button.left, button.right, button.top, button.bottom],
          row: [li.getBoundingClientRect().left, li.getBoundingClientRect().right]};
})"""

# Each label's size as read on the screen (its font size times the drawing's scale) and
# whether it stays inside the drawing.
_RADAR_LABELS = """() => [...document.querySelectorAll('.radar-label')].map(label => {
  const svg = label.ownerSVGElement, drawing = svg.getBoundingClientRect(), box = label.getBoundingClientRect();
  return {size: parseFloat(getComputedStyle(label).fontSize) * drawing.width / svg.viewBox.baseVal.width,
          inside: box.left >= drawing.left - 1 && box.right <= drawing.right + 1
                  && box.top >= drawing.top - 1 && box.bottom <= drawing.bottom + 1,
          text: label.textContent};
})"""


def _trainee_with_attempts(server) -> tuple[str, int]:
    """A trainee with two conversations left halfway and one finished; the finished one's id."""
    from trainer import attempts
    from trainer.extensions import db
    from trainer.models import User

    name = server.make_user("trainee")
    with server.app.app_context():
        user = db.session.scalar(db.select(User).where(User.username == name))
        for scenario_id in UNFINISHED:
            attempts.start_or_resume(db.session, user, server.registry.latest(scenario_id))
        compiled = server.registry.latest(FINISHED)
        attempt = attempts.start_or_resume(db.session, user, compiled)
        db.session.commit()
        for step, (_node, choice) in enumerate(compiled.analysis.recommended_path):
            assert attempts.answer(db.session, attempt, compiled, step, choice).recorded
            db.session.commit()
        assert attempt.status == "finished"
        return name, attempt.id


def test_trainee_pages_line_up_at_1280_px_and_on_a_phone(page, live_server, snap):
    name, finished = _trainee_with_attempts(live_server)
    login(page, name)

    # Home, 1280 px: every Continue button at the right edge of its row, centred on its text.
    rows = page.evaluate(_RESUME_ROWS)
    assert len(rows) == 2
    for row in rows:
        left, right, top, bottom = row["button"]
        assert abs(right - row["row"][1]) <= 1, row
        assert abs((top + bottom) / 2 - (row["text"][1] + row["text"][2]) / 2) <= 2, row
    assert abs(rows[0]["button"][0] - rows[1]["button"][0]) <= 1  # one column of buttons
    snap("home-1280")

    page.goto(live_server.path("team.my_profile"))
    labels = page.evaluate(_RADAR_LABELS)
    assert len(labels) == 4 and all(label["inside"] for label in labels), labels
    assert min(label["size"] for label in labels) >= 13, labels

    page.set_viewport_size({"width": 375, "height": 800})
    labels = page.evaluate(_RADAR_LABELS)
    assert all(label["inside"] for label in labels), labels
    assert min(label["size"] for label in labels) >= 12, labels
    snap("profile-375")

    # Home, 375 px: each button under its text, lined up with it.
    page.goto(live_server.path("study.home"))
    for row in page.evaluate(_RESUME_ROWS):
        left, right, top, _bottom = row["button"]
        assert abs(left - row["text"][0]) <= 1 and top >= row["text"][2], row
        assert right <= 375, row
    snap("home-375")

    # The survey: the five faces of each question on one line.
    page.goto(live_server.path("play.debrief", attempt_id=finished))
    for scale in page.locator("fieldset.faces").all():
        tops = {round(face.bounding_box()["y"]) for face in scale.locator("label").all()}
        assert len(tops) == 1, tops
    # The self-rating's points are targets of 24 px and more (WCAG 2.5.8), not the browser's 13.
    points = [p.bounding_box() for p in page.locator("fieldset.scale input[type=radio]").all()]
    assert points and min(min(p["width"], p["height"]) for p in points) >= 22, points
    # At 1280 px "Practise again" and the way back to the scenarios share a line, centred on
    # each other (the link sat halfway up beside the "no hints" box).
    page.set_viewport_size({"width": 1280, "height": 800})
    button = page.locator("form.again button[type=submit]").bounding_box()
    back = page.locator("form.again .actions a").bounding_box()
    assert abs((button["y"] + button["height"] / 2) - (back["y"] + back["height"] / 2)) <= 2, (button, back)
    page.set_viewport_size({"width": 375, "height": 800})

    # Search: the field and its button side by side.
    page.goto(live_server.path("manual.search") + "?q=плаче")
    field, button = page.locator("#q").bounding_box(), page.locator("main form[role=search] button").bounding_box()
    assert abs(field["y"] - button["y"]) <= 1 and button["x"] > field["x"] + field["width"], (field, button)
    assert button["x"] + button["width"] <= 375
    snap("search-375")
