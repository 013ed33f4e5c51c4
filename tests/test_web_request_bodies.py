"""Request bodies at the served desk (issue #14, items 4 and 6): without a login no request
may send more than a small body (refused from its headers, before a byte of it is read);
a signed-in user may upload up to the upload limit; an upload is only taken by the request,
the bot does the work."""

from __future__ import annotations

import http.client
import re
import time
from urllib.parse import urlsplit

from tests.test_web_support import PASSWORD, served_desk

pytest_plugins = ["tests.desk_fixtures"]
BIG = 8 * 1024 * 1024


def _connection(base: str) -> http.client.HTTPConnection:
    parts = urlsplit(base)
    return http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)


def _headers_only(base: str, path: str, length: int, cookie: str = "") -> int:
    """Send a POST's headers announcing `length` bytes and no body; the status answered."""
    connection = _connection(base)
    connection.putrequest("POST", path)
    connection.putheader("Content-Type", "application/x-www-form-urlencoded")
    connection.putheader("Content-Length", str(length))
    if cookie:
        connection.putheader("Cookie", cookie)
    connection.endheaders()
    started = time.monotonic()
    status = connection.getresponse().status
    assert time.monotonic() - started < 5  # answered at once, not after a body
    connection.close()
    return status


def _login(base: str, name: str) -> str:
    connection = _connection(base)
    connection.request("GET", "/anmelden")
    response = connection.getresponse()
    cookie = response.getheader("Set-Cookie").split(";")[0]
    token = re.search(r'name="csrf_token" value="([^"]+)"', response.read().decode()).group(1)
    body = f"username={name}&password={PASSWORD}&csrf_token={token}".encode()
    connection.request("POST", "/anmelden", body=body, headers={
        "Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie})
    response = connection.getresponse()
    response.read()
    assert response.status == 303
    return response.getheader("Set-Cookie").split(";")[0]


def _upload(base: str, cookie: str, data: bytes) -> int:
    connection = _connection(base)
    connection.request("GET", "/hochladen", headers={"Cookie": cookie})
    page = connection.getresponse().read().decode()
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    boundary = "grenze1234"
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\n"
            f"{token}\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"files\"; "
            f"filename=\"gross.pdf\"\r\nContent-Type: application/pdf\r\n\r\n").encode() \
        + data + f"\r\n--{boundary}--\r\n".encode()
    connection.request("POST", "/hochladen", body=body, headers={
        "Cookie": cookie, "Content-Type": f"multipart/form-data; boundary={boundary}"})
    response = connection.getresponse()
    response.read()
    return response.status


def test_large_bodies_only_for_uploads_of_signed_in_users(own_desk):
    config, _ = own_desk
    with served_desk(config) as base:
        assert _headers_only(base, "/anmelden", BIG) == 413
        assert _headers_only(base, "/hochladen", BIG) == 413  # no login
        assert _headers_only(base, "/hochladen", BIG, "rb_session=forged.value") == 413
        cookie = _login(base, "anna")
        assert _headers_only(base, "/anmelden", BIG, cookie) == 413  # not the upload page
        started = time.monotonic()
        assert _upload(base, cookie, b"%PDF-1.4\n" + b"0" * BIG) == 303
        assert time.monotonic() - started < 20  # taken, not processed, in the request
        connection = _connection(base)
        connection.request("GET", "/hochladen", headers={"Cookie": cookie})
        assert "Wartet auf den Bot." in connection.getresponse().read().decode()
