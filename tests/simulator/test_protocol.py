# -*- coding: utf-8 -*-
# Copyright (c) runcloud.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Transport rules: the endpoint table, authentication, error shapes."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

import pytest
import requests

from sim_testlib import Api

S = "/servers/{serverId}"
W = S + "/webapps/{webAppId}"

# Section 4 of the API reference, in its order: the 108 endpoints the simulator must answer.
REFERENCE_ENDPOINTS = [
    ("GET", "/ping"),
    ("POST", "/servers"), ("GET", "/servers"), ("GET", "/servers/shared"), ("GET", S), ("DELETE", S),
    ("GET", S + "/installationscript"), ("GET", S + "/stats"), ("GET", S + "/hardwareinfo"), ("GET", S + "/php/version"),
    ("PATCH", S + "/php/cli"), ("PATCH", S + "/settings/meta"), ("GET", S + "/settings/ssh"), ("PATCH", S + "/settings/ssh"),
    ("PATCH", S + "/settings/autoupdate"), ("GET", S + "/health/latest"), ("POST", S + "/health/diskcleaner"), ("GET", S + "/logs"),
    ("GET", S + "/services"), ("PATCH", S + "/services"),
    ("POST", S + "/users"), ("GET", S + "/users"), ("GET", S + "/users/{userId}"), ("PATCH", S + "/users/{userId}/password"),
    ("PATCH", S + "/users/{userId}/deploymentkey"), ("DELETE", S + "/users/{userId}"),
    ("POST", S + "/sshcredentials"), ("GET", S + "/sshcredentials"), ("GET", S + "/sshcredentials/{sshKeyId}"),
    ("DELETE", S + "/sshcredentials/{sshKeyId}"),
    ("POST", S + "/webapps/custom"), ("GET", S + "/webapps"), ("GET", W), ("DELETE", W), ("POST", W + "/default"),
    ("DELETE", W + "/default"), ("POST", W + "/rebuild"), ("POST", W + "/alias"), ("GET", W + "/settings"),
    ("PATCH", W + "/settings/php"), ("PATCH", W + "/settings/fpmnginx"), ("GET", W + "/log"),
    ("POST", W + "/domains"), ("GET", W + "/domains"), ("GET", W + "/domains/{domainId}"), ("DELETE", W + "/domains/{domainId}"),
    ("POST", W + "/ssl"), ("GET", W + "/ssl"), ("PATCH", W + "/ssl/{sslId}"), ("PUT", W + "/ssl/{sslId}"), ("DELETE", W + "/ssl/{sslId}"),
    ("GET", W + "/ssl/advanced"), ("POST", W + "/ssl/advanced"), ("POST", W + "/domains/{domainId}/ssl"),
    ("GET", W + "/domains/{domainId}/ssl"), ("PATCH", W + "/domains/{domainId}/ssl/{sslId}"),
    ("PUT", W + "/domains/{domainId}/ssl/{sslId}"), ("DELETE", W + "/domains/{domainId}/ssl/{sslId}"),
    ("POST", W + "/git"), ("GET", W + "/git"), ("PATCH", W + "/git/{gitId}/branch"), ("PATCH", W + "/git/{gitId}/script"),
    ("PUT", W + "/git/{gitId}/script"), ("DELETE", W + "/git/{gitId}"),
    ("POST", W + "/installer"), ("GET", W + "/installer"), ("DELETE", W + "/installer/{installerId}"),
    ("POST", S + "/databases"), ("GET", S + "/databases"), ("GET", S + "/databases/{databaseId}"), ("DELETE", S + "/databases/{databaseId}"),
    ("POST", S + "/databases/{databaseId}/grant"), ("GET", S + "/databases/{databaseId}/grant"), ("DELETE", S + "/databases/{databaseId}/grant"),
    ("POST", S + "/databaseusers"), ("GET", S + "/databaseusers"), ("GET", S + "/databaseusers/{databaseUserId}"),
    ("PATCH", S + "/databaseusers/{databaseUserId}"), ("DELETE", S + "/databaseusers/{databaseUserId}"),
    ("POST", S + "/cronjobs"), ("GET", S + "/cronjobs"), ("GET", S + "/cronjobs/{cronJobId}"), ("POST", S + "/cronjobs/rebuild"),
    ("DELETE", S + "/cronjobs/{cronJobId}"),
    ("GET", S + "/supervisors/binaries"), ("POST", S + "/supervisors"), ("GET", S + "/supervisors"), ("GET", S + "/supervisors/status"),
    ("POST", S + "/supervisors/rebuild"), ("GET", S + "/supervisors/{supervisorId}"), ("POST", S + "/supervisors/{supervisorId}/reload"),
    ("DELETE", S + "/supervisors/{supervisorId}"),
    ("POST", S + "/security/firewalls"), ("GET", S + "/security/firewalls"), ("GET", S + "/security/firewalls/{firewallId}"),
    ("PUT", S + "/security/firewalls"), ("DELETE", S + "/security/firewalls/{firewallId}"),
    ("GET", S + "/security/fail2ban/blockedip"), ("DELETE", S + "/security/fail2ban/blockedip"),
    ("POST", "/settings/externalapi"), ("GET", "/settings/externalapi"), ("GET", "/settings/externalapi/{apiId}"),
    ("PATCH", "/settings/externalapi/{apiId}"), ("DELETE", "/settings/externalapi/{apiId}"),
    ("GET", "/static/databases/collations"), ("GET", "/static/timezones"), ("GET", "/static/webapps/installers"), ("GET", "/static/ssl/protocols"),
]


def test_the_simulator_serves_exactly_the_108_reference_endpoints(sim):
    assert len(REFERENCE_ENDPOINTS) == 108
    assert sorted(sim.router.endpoints()) == sorted(REFERENCE_ENDPOINTS)


def test_every_endpoint_is_routed_to_a_handler(api):
    """With unknown ids each call gets a resource-level answer, never the router's 404 or a 405."""
    for method, template in REFERENCE_ENDPOINTS:
        response = api.request(method, re.sub(r"\{\w+\}", "999", template))
        assert response.status_code != 405, (method, template)
        assert response.json() != {"message": "Not found"}, (method, template)
        assert response.status_code in (200, 404, 422), (method, template, response.status_code)


def test_ping_with_bearer_token(api):
    response = api.get("/ping")
    assert response.status_code == 200
    assert response.json() == {"message": "pong"}
    assert response.headers["Content-Type"] == "application/json"


def test_ping_with_basic_key_and_secret(sim):
    assert Api(sim, auth="basic").ok("GET", "/ping") == {"message": "pong"}


def test_missing_or_wrong_credentials_are_401(sim):
    expected = {"message": "Invalid credentials."}
    assert_401 = [
        requests.get(sim.url + "/ping", timeout=5),
        requests.get(sim.url + "/ping", headers={"Authorization": "Bearer wrong"}, timeout=5),
        requests.get(sim.url + "/ping", auth=("test-key", "wrong"), timeout=5),
        requests.get(sim.url + "/ping", headers={"Authorization": "Basic !!notbase64"}, timeout=5),
        requests.get(sim.url + "/servers", auth=("test-token", ""), timeout=5),
    ]
    for response in assert_401:
        assert response.status_code == 401
        assert response.json() == expected


def test_answers_json_even_without_accept_header(sim):
    response = requests.get(sim.url + "/servers/1", headers={"Authorization": "Bearer test-token"}, timeout=5)
    assert response.status_code == 404
    assert response.headers["Content-Type"] == "application/json"
    assert response.json() == {"message": "Server not found"}


def test_unknown_path_is_404_json(api, sim):
    assert api.get("/nothing/here").status_code == 404
    assert api.get("/nothing/here").json() == {"message": "Not found"}
    assert requests.get(sim.root_url + "/api/v1/ping", timeout=5).json() == {"message": "Not found"}


def test_non_numeric_id_is_404(api):
    assert api.get("/servers/abc").status_code == 404


def test_wrong_method_on_a_known_path_is_405(api):
    response = api.put("/servers")
    assert response.status_code == 405
    assert "message" in response.json()


@pytest.mark.parametrize("raw", ["null", "{not json", "[1, 2]", '"text"'])
def test_null_or_malformed_json_body_is_no_input_as_in_laravel(sim, raw):
    headers = {"Authorization": "Bearer test-token", "Content-Type": "application/json"}
    response = requests.get(sim.url + "/servers", data=raw, headers=headers, timeout=5)
    assert response.status_code == 200
    response = requests.post(sim.url + "/servers", data=raw, headers=headers, timeout=5)
    assert response.status_code == 422
    assert set(response.json()["errors"]) >= {"name", "ipAddress"}


def test_trailing_slash_is_tolerated(api):
    assert api.get("/ping/").json() == {"message": "pong"}
