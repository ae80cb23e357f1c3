# -*- coding: utf-8 -*-
# Copyright (c) runcloud.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Pagination, rate limiting, latency and fault injection."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import time

import pytest
import requests

from sim_testlib import Api, assert_invalid, assert_page


def test_default_page_size_is_15_and_links_follow_fractal(api, sim):
    api.control("POST", "/seed", {"servers": 32})
    first = api.ok("GET", "/servers")
    pagination = assert_page(first, total=32, count=15)
    assert pagination["total_pages"] == 3
    assert pagination["links"] == {"next": sim.url + "/servers?page=2"}
    middle = api.ok("GET", "/servers", page=2)
    assert set(middle["meta"]["pagination"]["links"]) == {"previous", "next"}
    last = api.ok("GET", "/servers", page=3)
    assert_page(last, total=32, count=2, current_page=3)
    assert last["meta"]["pagination"]["links"] == {"previous": sim.url + "/servers?page=2"}
    assert_page(api.ok("GET", "/servers", page=9), total=32, count=0, current_page=9)


def test_per_page_is_capped_at_40_and_links_keep_the_query(api, sim):
    api.control("POST", "/seed", {"servers": 45})
    body = api.ok("GET", "/servers", perPage=100)
    assert_page(body, total=45, count=40, per_page=40)
    assert body["meta"]["pagination"]["links"] == {"next": sim.url + "/servers?perPage=100&page=2"}
    assert_page(api.ok("GET", "/servers", perPage=5, page=2), total=45, count=5, per_page=5, current_page=2)


def test_single_page_has_empty_links(api):
    api.server()
    assert api.ok("GET", "/servers")["meta"]["pagination"]["links"] == {}
    assert api.ok("GET", "/servers", search="nothing-matches")["meta"]["pagination"]["total_pages"] == 1


@pytest.mark.parametrize("params", [{"perPage": "0"}, {"perPage": "ten"}, {"page": "0"}, {"page": "-1"}])
def test_invalid_page_parameters_are_422(api, params):
    assert_invalid(api.get("/servers", **params), list(params)[0])


def test_rate_limit_headers_and_429(api, sim):
    api.control("POST", "/ratelimit", {"limit": 3, "window": 30})
    remaining = [api.get("/ping").headers["X-RateLimit-Remaining"] for dummy in range(3)]
    assert remaining == ["2", "1", "0"]
    response = api.get("/ping")
    assert response.status_code == 429
    assert response.json() == {"message": "Too Many Attempts."}
    assert response.headers["X-RateLimit-Limit"] == "3"
    assert 1 <= int(response.headers["Retry-After"]) <= 30
    assert Api(sim, auth="basic").get("/ping").status_code == 200, "each credential has its own window"
    assert requests.get(sim.control_url + "/state", timeout=5).status_code == 200, "the control API is never limited"


def test_rate_limit_window_resets(api):
    api.control("POST", "/ratelimit", {"limit": 1, "window": 0.2})
    assert api.get("/ping").status_code == 200
    limited = api.get("/ping")
    assert limited.status_code == 429 and limited.headers["Retry-After"] == "1"
    time.sleep(0.25)
    assert api.get("/ping").status_code == 200


def test_status_fault_hits_count_matching_requests_without_applying(api, sim):
    api.control("POST", "/faults", {"rules": [{"method": "POST", "path": r"^/servers$", "count": 2, "action": "status",
                                               "status": 503, "retry_after": 2}]})
    for dummy in range(2):
        response = api.post("/servers", {"name": "x", "ipAddress": "192.0.2.1"})
        assert response.status_code == 503
        assert response.headers["Retry-After"] == "2"
        assert response.json() == {"message": "Service Unavailable"}
    assert api.ok("GET", "/servers")["data"] == []
    api.server()
    assert len(sim.state["servers"]) == 1


def test_drop_fault_closes_without_answer_and_applies_nothing(api, sim):
    api.control("POST", "/faults", {"rules": [{"path": "^/servers$", "method": "POST", "action": "drop"}]})
    with pytest.raises(requests.exceptions.ConnectionError):
        api.post("/servers", {"name": "x", "ipAddress": "192.0.2.1"})
    assert sim.state["servers"] == {}
    log = api.control("GET", "/requests")["requests"]
    assert (log[-1]["status"], log[-1]["fault"]) == (None, "drop")


def test_apply_and_drop_fault_applies_the_write(api, sim):
    api.control("POST", "/faults", {"rules": [{"path": "^/servers$", "method": "POST", "action": "apply_and_drop"}]})
    with pytest.raises(requests.exceptions.ConnectionError):
        api.post("/servers", {"name": "applied", "ipAddress": "192.0.2.1"})
    assert [server["name"] for server in api.ok("GET", "/servers")["data"]] == ["applied"]
    assert len(sim.state["servers"]) == 1


def test_delay_fault_and_latency(api):
    api.control("POST", "/faults", {"rules": [{"path": "^/ping$", "action": "delay", "delay_ms": 150}]})
    started = time.monotonic()
    assert api.ok("GET", "/ping") == {"message": "pong"}
    assert time.monotonic() - started >= 0.15
    api.control("POST", "/latency", {"ms": 100, "jitter_ms": 0})
    started = time.monotonic()
    api.ok("GET", "/ping")
    assert time.monotonic() - started >= 0.1


def test_fault_rules_can_be_listed_and_cleared(api):
    api.control("POST", "/faults", {"rules": [{"path": "^/ping$", "status": 500, "count": 5}]})
    assert api.control("GET", "/faults")["rules"][0]["remaining"] == 5
    assert api.get("/ping").status_code == 500
    api.control("DELETE", "/faults")
    assert api.get("/ping").status_code == 200
    response = requests.post(api.sim.control_url + "/faults", json={"rules": [{"action": "explode"}]}, timeout=5)
    assert response.status_code == 400


def test_random_faults_are_reproducible_with_a_seed(api):
    def run():
        api.control("POST", "/random_faults", {"rate": 0.5, "seed": 7, "statuses": [502, 503]})
        return [api.get("/ping").status_code for dummy in range(20)]

    first = run()
    assert first == run()
    assert {200, 502, 503} >= set(first) and 200 in first and set(first) - {200}
    api.control("POST", "/random_faults", {"rate": 0})
    assert all(api.get("/ping").status_code == 200 for dummy in range(10))


def test_random_faults_of_every_kind_spare_excluded_requests_and_are_counted(api):
    settings = {"rate": 1, "seed": 3, "actions": ["status", "delay"], "statuses": [500], "delay_ms": 10, "exclude": ["^GET /ping$"]}
    api.control("POST", "/random_faults", settings)
    assert all(api.get("/ping").status_code == 200 for dummy in range(5))
    statuses = [api.get("/servers").status_code for dummy in range(20)]
    assert set(statuses) == {200, 500}
    counters = api.control("GET", "/requests")["counters"]
    assert counters["faults"]["status 500"] == statuses.count(500)
    assert counters["faults"]["delay"] == statuses.count(200)
    response = requests.post(api.sim.control_url + "/random_faults", json={"rate": 0.1, "actions": ["explode"]}, timeout=5)
    assert response.status_code == 400
    api.control("POST", "/random_faults", {"rate": 0})


def test_a_delayed_write_lands_after_the_client_gave_up(api):
    api.control("POST", "/faults", {"rules": [{"method": "POST", "path": "^/servers$", "action": "delay", "delay_ms": 600}]})
    with pytest.raises(requests.exceptions.ReadTimeout):
        requests.post(api.sim.url + "/servers", json={"name": "late", "ipAddress": "192.0.2.9"},
                      headers=api.session.headers, timeout=0.2)
    assert [server["name"] for server in api.get("/servers").json()["data"]] == []
    time.sleep(0.8)
    assert [server["name"] for server in api.get("/servers").json()["data"]] == ["late"]
