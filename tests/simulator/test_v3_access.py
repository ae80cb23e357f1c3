# -*- coding: utf-8 -*-
# Copyright (c) runcloud.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""API v3 access: Bearer JWTs with exp, the IP allow-list, the monthly quota, rate-limit headers, the
request log, faults, and the command line."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import base64
import json
import os
import subprocess
import sys
import time

import pytest
import requests

import sim_v3_access
from sim_testlib import Api

HERE = os.path.dirname(os.path.abspath(__file__))
INVALID = {"message": "Invalid API Token."}


def bearer(token):
    return {"Authorization": "Bearer " + token, "Accept": "application/json"}


def claims_of(token):
    payload = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))


def last_log_entry(api):
    return api.control("GET", "/requests")["requests"][-1]


def test_the_default_v3_token_is_a_jwt_with_the_claims_runcloud_uses(sim, api3):
    assert sim.token_v3.count(".") == 2
    assert sorted(claims_of(sim.token_v3)) == ["exp", "unique_identifier", "user_id", "workspace_id"]
    assert claims_of(sim.token_v3)["exp"] > time.time() + 50 * 365 * 86400
    assert api3.ok("GET", "/ping") == {"message": "pong"}


def test_v3_is_bearer_only(sim, api):
    for response in (Api(sim, auth="basic", version=3).get("/ping"), requests.get(sim.url_v3 + "/ping", timeout=5)):
        assert (response.status_code, response.json()) == (401, {"message": "Missing API Token."})
    assert last_log_entry(api)["refused"] == "missing"


def test_a_token_that_is_no_jwt_of_this_account_is_refused(sim, api):
    foreign = sim_v3_access.mint_jwt("another-secret", time.time() + 3600)
    tampered = sim.token_v3[:-2] + ("AA" if not sim.token_v3.endswith("AA") else "BB")
    for token in (sim.token, "not-a-jwt", foreign, tampered, "a.b.c"):
        response = requests.get(sim.url_v3 + "/ping", headers=bearer(token), timeout=5)
        assert (response.status_code, response.json()) == (401, INVALID), token
        assert last_log_entry(api)["refused"] == "invalid"


def test_an_expired_token_is_refused_like_a_wrong_one_and_the_log_says_why(sim, api):
    expired = api.control("POST", "/tokens", {"expires_in": -60})
    assert expired["exp"] < time.time() and claims_of(expired["token"])["exp"] == expired["exp"]
    response = requests.get(sim.url_v3 + "/servers", headers=bearer(expired["token"]), timeout=5)
    assert (response.status_code, response.json()) == (401, INVALID)
    assert last_log_entry(api)["refused"] == "expired"
    assert requests.get(sim.url + "/servers", headers=bearer(expired["token"]), timeout=5).status_code == 401
    fresh = api.control("POST", "/tokens", {"exp": int(time.time()) + 120, "user_id": 7})
    assert claims_of(fresh["token"])["user_id"] == 7
    assert requests.get(sim.url_v3 + "/servers", headers=bearer(fresh["token"]), timeout=5).status_code == 200


def test_a_token_expiring_during_the_run_stops_working(sim, api):
    token = sim.mint_token(time.time() + 1)
    assert requests.get(sim.url_v3 + "/ping", headers=bearer(token), timeout=5).status_code == 200
    time.sleep(1.1)
    assert requests.get(sim.url_v3 + "/ping", headers=bearer(token), timeout=5).status_code == 401


def test_one_account_the_v3_token_works_on_v2_and_the_v2_token_not_on_v3(sim, api, api3):
    server = api3.server()
    assert requests.get(sim.url + "/servers/%d" % server["id"], headers=bearer(sim.token_v3), timeout=5).json() == server
    assert api.ok("GET", "/servers/%d" % server["id"]) == server
    assert requests.get(sim.url_v3 + "/ping", headers=bearer(sim.token), timeout=5).status_code == 401


def test_an_address_outside_the_allow_list_gets_401(sim, api, api3):
    api.control("POST", "/v3", {"allowed_ips": ["192.0.2.0/24", "2001:db8::1"]})
    response = api3.get("/ping")
    assert (response.status_code, response.json()) == (401, INVALID)
    assert last_log_entry(api)["refused"] == "address"
    assert api.get("/ping").status_code == 200, "the allow-list is one of the v3 key"
    api.control("POST", "/v3", {"allowed_ips": ["127.0.0.0/8"]})
    assert api3.get("/ping").status_code == 200
    bad = requests.post(sim.control_url + "/v3", json={"allowed_ips": ["nonsense"]}, timeout=5)
    assert bad.status_code == 400 and "nonsense" in bad.json()["message"]


def test_a_spent_monthly_quota_refuses_every_request_and_is_not_the_rate_limit(sim, api, api3):
    api.control("POST", "/v3", {"monthly_quota": 3, "quota_used": 0})
    assert [api3.get("/ping").status_code for dummy in range(3)] == [200, 200, 200]
    for path in ("/ping", "/servers"):
        refused = api3.get(path)
        assert refused.status_code == 429
        assert refused.json() == {"message": sim_v3_access.QUOTA_MESSAGE}
        assert "Retry-After" not in refused.headers, "nothing to wait for within the minute"
        assert int(refused.headers["X-RateLimit-Remaining"]) > 0, "the rate limit is not what refused it"
    assert last_log_entry(api)["refused"] == "quota"
    assert api.get("/ping").status_code == 200, "v2 calls are not counted against the v3 quota"
    settings = api.control("POST", "/v3", {"quota_status": 403})
    assert (settings["quota_used"], settings["monthly_quota"]) == (3, 3)
    assert api3.get("/ping").status_code == 403
    api.control("POST", "/v3", {"quota_used": 0})
    assert api3.get("/ping").status_code == 200


def test_the_rate_limit_counts_a_credential_across_both_versions(sim, api, api3):
    api.control("POST", "/ratelimit", {"limit": 2, "window": 30})
    ok = api3.get("/ping")
    assert (ok.headers["X-RateLimit-Limit"], ok.headers["X-RateLimit-Remaining"]) == ("2", "1")
    assert requests.get(sim.url + "/ping", headers=bearer(sim.token_v3), timeout=5).status_code == 200
    limited = api3.get("/ping")
    assert (limited.status_code, limited.json()) == (429, {"message": "Too Many Attempts."})
    assert limited.headers["X-RateLimit-Remaining"] == "0" and int(limited.headers["Retry-After"]) >= 1


def test_faults_and_the_request_log_cover_v3_and_can_pick_a_version(sim, api, api3):
    api.control("POST", "/faults", {"rules": [{"path": "^/ping$", "status": 503, "version": 3, "count": 1}]})
    assert api.get("/ping").status_code == 200, "the rule is for v3 only"
    assert api3.get("/ping").status_code == 503
    assert api3.get("/ping").status_code == 200
    api.control("POST", "/faults", {"rules": [{"method": "POST", "path": "^/servers$", "action": "drop"}]})
    with pytest.raises(requests.exceptions.ConnectionError):
        api3.post("/servers", {"name": "x", "ipAddress": "192.0.2.1"})
    assert sim.state["servers"] == {}
    log = api.control("GET", "/requests")["requests"]
    assert [(entry["version"], entry["path"], entry["status"]) for entry in log] == [
        (2, "/ping", 200), (3, "/ping", 503), (3, "/ping", 200), (3, "/servers", None)]
    bad = requests.post(sim.control_url + "/faults", json={"rules": [{"version": 4}]}, timeout=5)
    assert bad.status_code == 400


def test_cli_mints_tokens_and_prints_the_v3_url_and_token():
    script = os.path.join(HERE, "runcloud_sim.py")
    token = subprocess.run([sys.executable, script, "--mint-token", "-30"], capture_output=True, text=True, timeout=30, check=True).stdout.strip()
    assert claims_of(token)["exp"] < time.time()
    absolute = subprocess.run([sys.executable, script, "--mint-token", "1767225600"], capture_output=True, text=True, timeout=30, check=True)
    assert claims_of(absolute.stdout.strip())["exp"] == 1767225600
    process = subprocess.Popen([sys.executable, script, "--port", "0", "--api-version", "3", "--land-delay", "0"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, universal_newlines=True)
    try:
        url = process.stdout.readline().strip()
        token_line = process.stdout.readline().strip()
        assert url.startswith("RUNCLOUD_API_URL=http://127.0.0.1:") and url.endswith("/api/v3")
        assert token_line.startswith("RUNCLOUD_API_TOKEN=")
        response = requests.get(url.split("=", 1)[1] + "/ping", headers=bearer(token_line.split("=", 1)[1]), timeout=5)
        assert response.json() == {"message": "pong"}
        expired = requests.get(url.split("=", 1)[1] + "/ping", headers=bearer(token), timeout=5)
        assert expired.status_code == 401
    finally:
        process.terminate()
        assert process.wait(timeout=10) == 0
        process.stdout.close()
        process.stderr.close()
