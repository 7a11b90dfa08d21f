"""Requests above the size limit are refused from their Content-Length, before their body is read
(issue 16, Hardening): 413, a page for the browser, the API's JSON error under /api/."""

from __future__ import annotations

import io

import pytest

from pil_tracker.request_limit import declared_length


class _Unreadable(io.RawIOBase):
    """A request body that fails the test if anything reads it."""

    def readable(self):
        return True

    def read(self, size=-1):
        raise AssertionError("the body of an oversized request was read")

    readinto = read
    readline = read


@pytest.fixture
def limit(settings):
    settings.UPLOAD_MAX_BYTES = 1024
    settings.REQUEST_MAX_BYTES = 2048
    return settings.REQUEST_MAX_BYTES


def _post(client, path, length, **extra):
    return client.generic(
        "POST",
        path,
        b"",
        content_type="multipart/form-data; boundary=xyz",
        CONTENT_LENGTH=str(length),
        **{"wsgi.input": _Unreadable()},
        **extra,
    )


def test_an_oversized_upload_page_gets_413_without_its_body_being_read(client, world, limit):
    client.force_login(world.procurator)
    response = _post(client, "/cases/1/attachments/", limit + 1)
    assert response.status_code == 413
    assert response["Content-Type"].startswith("text/html")
    page = response.content.decode()
    assert "请求过大" in page
    assert response["Connection"] == "close"


def test_the_page_is_in_the_readers_language(client, world, limit):
    client.force_login(world.procurator)
    client.cookies["django_language"] = "en"
    response = _post(client, "/login/", limit + 1)
    assert response.status_code == 413
    assert "Request too large" in response.content.decode()


def test_an_oversized_api_request_gets_the_json_error(client, world, limit):
    response = _post(client, "/api/v1/auth/token/", 10**12, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 413
    body = response.json()
    assert body["code"] == "request_too_large"
    assert body["fields"] == {}
    assert "Request too large" in body["message"]


def test_anonymous_login_post_is_refused_too(client, db, limit):
    # Before the CSRF check, which would read the form.
    response = _post(client, "/login/", limit + 1)
    assert response.status_code == 413
    assert "Content-Security-Policy" in response  # the outer security headers still apply


def test_a_request_at_the_limit_reaches_the_view(client, db, limit):
    body = b"username=a&password=b".ljust(limit, b"x")
    response = client.generic(
        "POST", "/login/", body, content_type="application/x-www-form-urlencoded", CONTENT_LENGTH=str(limit)
    )
    assert response.status_code != 413  # the CSRF check or the login form answers


@pytest.mark.parametrize(("header", "expected"), [("", None), ("abc", None), ("-1", None), ("0", 0), ("42", 42)])
def test_declared_length(rf, header, expected):
    request = rf.get("/")
    request.META["CONTENT_LENGTH"] = header
    assert declared_length(request) == expected


def test_the_default_limit_is_one_upload_and_its_form(settings):
    assert settings.REQUEST_MAX_BYTES == settings.UPLOAD_MAX_BYTES + settings.DATA_UPLOAD_MAX_MEMORY_SIZE
