# -*- coding: utf-8 -*-
# Copyright (c) runcloud.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""HTTP helper and resource builders shared by the simulator's tests."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import time

import requests

VALID_MESSAGE = "The given data was invalid."

APP_SETTINGS = {
    "stack": "hybrid", "stackMode": "production", "clickjackingProtection": True, "xssProtection": True,
    "mimeSniffingProtection": True, "processManager": "ondemand", "processManagerMaxChildren": 50,
    "processManagerMaxRequests": 500, "timezone": "UTC", "maxExecutionTime": 30, "maxInputTime": 60,
    "maxInputVars": 1000, "memoryLimit": 256, "postMaxSize": 256, "uploadMaxFilesize": 256,
    "sessionGcMaxlifetime": 1440, "allowUrlFopen": True,
}

PEM_CERTIFICATE = "-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIU\n-----END CERTIFICATE-----\n"
PEM_KEY = "-----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMGByqGSM49\n-----END PRIVATE KEY-----\n"
PUBLIC_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIG4rT3vTt99Ox5kndS4HmgTrKBT8SKzhK4rhGkEVGlCI dev@laptop"


class Api:
    """A tiny RunCloud client: JSON in, requests.Response out, Bearer auth unless told otherwise.
    version=3 talks to /api/v3 with the simulator's v3 token (a JWT)."""

    def __init__(self, sim, auth="bearer", version=2):
        self.sim = sim
        self.base_url = sim.api_url(version)
        self.session = requests.Session()
        self.session.headers.update({"Accept": "application/json"})
        if auth == "bearer":
            self.session.headers["Authorization"] = "Bearer " + (sim.token_v3 if version == 3 else sim.token)
        elif auth == "basic":
            self.session.auth = (sim.api_key, sim.api_secret)

    def request(self, method, path, body=None, **params):
        return self.session.request(method, self.base_url + path, json=body, params=params or None, timeout=10)

    def get(self, path, **params):
        return self.request("GET", path, **params)

    def post(self, path, body=None):
        return self.request("POST", path, body)

    def patch(self, path, body=None):
        return self.request("PATCH", path, body)

    def put(self, path, body=None):
        return self.request("PUT", path, body)

    def delete(self, path, body=None):
        return self.request("DELETE", path, body)

    def ok(self, method, path, body=None, **params):
        """Sends a request that must succeed; returns the decoded JSON."""
        response = self.request(method, path, body, **params)
        assert response.status_code == 200, (method, path, response.status_code, response.text)
        return response.json()

    def control(self, method, path, body=None):
        response = self.session.request(method, self.sim.control_url + path, json=body, timeout=10)
        assert response.status_code == 200, response.text
        return response.json()

    # -- builders ---------------------------------------------------------

    def server(self, name="srv-1", ip_address="192.0.2.10", provider="DigitalOcean"):
        return self.ok("POST", "/servers", {"name": name, "ipAddress": ip_address, "provider": provider})

    def system_user(self, server_id, username="deploy"):
        return self.ok("POST", "/servers/%d/users" % server_id, {"username": username, "password": "s3cret-pass"})

    def webapp(self, server_id, name="shop", domain="shop.example.com", user_id=None, **overrides):
        if user_id is None:
            user_id = self.system_user(server_id, "u" + name.replace("-", ""))["id"]
        body = dict(APP_SETTINGS, name=name, domainName=domain, user=user_id, phpVersion="php81rc")
        body.update(overrides)
        return self.ok("POST", "/servers/%d/webapps/custom" % server_id, body)


def eventually(read, timeout=5.0, interval=0.02):
    """Polls `read()` until it returns something truthy (a v3 write that only acknowledged has landed)."""
    deadline = time.monotonic() + timeout
    while True:
        result = read()
        if result or time.monotonic() > deadline:
            assert result, "nothing landed within %.1f s" % timeout
            return result
        time.sleep(interval)


def assert_invalid(response, *fields):
    """A Laravel validation failure naming exactly these fields."""
    assert response.status_code == 422, response.text
    body = response.json()
    assert body["message"] == VALID_MESSAGE
    assert sorted(body["errors"]) == sorted(fields), body["errors"]
    for messages in body["errors"].values():
        assert messages and all(isinstance(text, str) for text in messages)


def assert_not_found(response, message):
    assert response.status_code == 404, response.text
    assert response.json() == {"message": message}


def assert_page(body, total, count, per_page=15, current_page=1):
    pagination = body["meta"]["pagination"]
    assert len(body["data"]) == count
    assert (pagination["total"], pagination["count"], pagination["per_page"], pagination["current_page"]) == (total, count, per_page, current_page)
    return pagination
