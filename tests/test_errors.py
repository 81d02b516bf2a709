"""Error pages use the site's layout and the reader's language."""
from __future__ import annotations

from html import unescape


def test_not_found_is_a_ukrainian_page_with_the_menu(client, auth):
    auth.login()
    response = client.get("/no/such/page")
    html = unescape(response.get_data(as_text=True))
    assert response.status_code == 404
    assert "Сторінку не знайдено" in html and 'id="main"' in html and "Перейти на головну сторінку" in html


def test_forbidden_says_why(client, auth):
    auth.login()
    response = client.get("/admin/scenarios")
    assert response.status_code == 403
    assert "Ця сторінка не для вашої ролі" in unescape(response.get_data(as_text=True))


def test_anonymous_visitors_get_the_error_page_too(client):
    response = client.get("/static/no-such-file.css")
    assert response.status_code == 404 and "Сторінку не знайдено" in unescape(response.get_data(as_text=True))
