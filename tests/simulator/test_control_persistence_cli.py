# -*- coding: utf-8 -*-
# Copyright (c) runcloud.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Control API, seeding, persistence, the command line and the 1000-server list."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import ipaddress
import json
import os
import subprocess
import sys

import pytest
import requests

from runcloud_sim import Simulator
from sim_testlib import Api

HERE = os.path.dirname(os.path.abspath(__file__))


def test_request_log_and_counters(api):
    api.control("DELETE", "/requests")
    api.get("/servers", search="x")
    api.post("/servers", {"name": "a", "ipAddress": "192.0.2.1"})
    api.delete("/servers/77")
    log = api.control("GET", "/requests")
    assert [(entry["method"], entry["path"], entry["status"]) for entry in log["requests"]] == [
        ("GET", "/servers", 200), ("POST", "/servers", 200), ("DELETE", "/servers/77", 404)]
    assert log["requests"][0]["query"] == {"search": "x"}
    assert log["requests"][1]["body"] == {"name": "a", "ipAddress": "192.0.2.1"}
    assert all(entry["duration_ms"] >= 0 and entry["time"] > 0 for entry in log["requests"])
    assert log["counters"] == {"total": 3, "by_method": {"GET": 1, "POST": 1, "DELETE": 1}, "by_status": {"200": 2, "404": 1}, "writes": 2,
                               "faults": {}}
    api.control("DELETE", "/requests")
    empty = {"total": 0, "by_method": {}, "by_status": {}, "writes": 0, "faults": {}}
    assert api.control("GET", "/requests") == {"requests": [], "counters": empty}


def test_reset_wipes_state_faults_and_limits(api, sim):
    api.server()
    api.control("POST", "/ratelimit", {"limit": 1, "window": 60})
    api.control("POST", "/faults", {"rules": [{"path": ".*", "status": 500, "count": 10}]})
    api.control("POST", "/reset")
    assert sim.state["servers"] == {}
    assert api.get("/ping").status_code == 200
    assert api.get("/ping").headers["X-RateLimit-Limit"] == "6000"
    assert api.control("GET", "/requests")["counters"]["total"] == 2


def test_seed_is_deterministic_realistic_and_unique(api, sim):
    ids = api.control("POST", "/seed", {"servers": 800, "fixtures": False})["servers"]
    servers = [sim.state["servers"][str(server_id)] for server_id in ids]
    assert servers[0]["name"] == "web-01" and servers[-1]["name"] == "web-800"
    assert len({server["ipAddress"] for server in servers}) == 800
    networks = [ipaddress.ip_network(net) for net in ("192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24", "198.18.0.0/15")]
    assert all(any(ipaddress.ip_address(server["ipAddress"]) in net for net in networks) for server in servers)
    assert {server["provider"] for server in servers} == {"DigitalOcean", "Vultr", "Linode", "AWS", "Hetzner"}
    assert all(server["connected"] for server in servers)
    assert 0.8 < sum(server["online"] for server in servers) / 800.0 < 1
    assert len({server["phpCLIVersion"] for server in servers}) > 1
    snapshot = json.dumps(api.ok("GET", "/servers", perPage=40, page=3)["data"])
    api.control("POST", "/reset")
    api.control("POST", "/seed", {"servers": 800})
    assert json.dumps(api.ok("GET", "/servers", perPage=40, page=3)["data"]) == snapshot


def test_seed_fixtures_and_disconnected_servers(api):
    server_id = api.control("POST", "/seed", {"servers": 1, "fixtures": True, "connected": False, "name_prefix": "srv"})["servers"][0]
    server = api.ok("GET", "/servers/%d" % server_id)
    assert (server["name"], server["connected"], server["online"]) == ("srv-01", False, False)
    base = "/servers/%d" % server_id
    for path in ("/users", "/webapps", "/databases", "/databaseusers", "/cronjobs", "/supervisors", "/security/firewalls"):
        assert api.ok("GET", base + path)["meta"]["pagination"]["total"] >= 1, path
    app_id = api.ok("GET", base + "/webapps")["data"][0]["id"]
    assert api.ok("GET", base + "/webapps/%d/domains" % app_id)["meta"]["pagination"]["total"] == 2
    database_id = api.ok("GET", base + "/databases")["data"][0]["id"]
    assert api.ok("GET", base + "/databases/%d/grant" % database_id)["data"][0]["username"] == "app_user"


def test_marking_a_server_connected(api):
    server = api.server()
    marked = api.control("POST", "/servers/%d/state" % server["id"], {"connected": True, "online": True})
    assert (marked["connected"], marked["online"]) == (True, True)
    assert marked["agentVersion"] and marked["osVersion"]
    assert api.ok("GET", "/servers/%d" % server["id"])["online"] is True
    assert api.control("POST", "/servers/%d/state" % server["id"], {"online": False})["online"] is False
    assert requests.post(api.sim.control_url + "/servers/999/state", json={}, timeout=5).status_code == 404


def test_state_dump_and_endpoint_list(api):
    server = api.server()
    state = api.control("GET", "/state")
    assert state["servers"][str(server["id"])]["name"] == server["name"]
    assert len(api.control("GET", "/endpoints")["endpoints"]) == 108


def test_state_file_round_trip(tmp_path):
    state_file = str(tmp_path / "state.json")
    with Simulator(state_file=state_file) as first:
        api = Api(first)
        server_id = api.server()["id"]
        api.ok("POST", "/servers/%d/databases" % server_id, {"name": "kept"})
        api.ok("POST", "/settings/externalapi", {"label": "k", "service": "linode", "secret": "abcdefgh"})
    assert not [name for name in os.listdir(str(tmp_path)) if name != "state.json"], "no temporary files left behind"
    with Simulator(state_file=state_file) as second:
        api = Api(second)
        assert [db["name"] for db in api.ok("GET", "/servers/%d/databases" % server_id)["data"]] == ["kept"]
        assert api.ok("GET", "/settings/externalapi")["data"][0]["secret"] == "abcd..."
        assert api.server("next", "192.0.2.77")["id"] == server_id + 1


def test_only_loopback_addresses_are_accepted():
    with pytest.raises(ValueError):
        Simulator(host="0.0.0.0")


def test_cli_prints_the_url_first_and_stops_cleanly_on_sigterm():
    process = subprocess.Popen([sys.executable, os.path.join(HERE, "runcloud_sim.py"), "--port", "0", "--token", "cli-token"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, universal_newlines=True)
    try:
        line = process.stdout.readline().strip()
        assert line.startswith("RUNCLOUD_API_URL=http://127.0.0.1:") and line.endswith("/api/v2")
        url = line.split("=", 1)[1]
        response = requests.get(url + "/ping", headers={"Authorization": "Bearer cli-token", "Accept": "application/json"}, timeout=5)
        assert response.json() == {"message": "pong"}
    finally:
        process.terminate()
        assert process.wait(timeout=10) == 0
        process.stdout.close()
        process.stderr.close()


def test_a_thousand_servers_list_completely_in_pages_of_40(api):
    api.control("POST", "/seed", {"servers": 1000})
    seen = []
    page = 1
    while True:
        body = api.ok("GET", "/servers", perPage=40, page=page)
        seen.extend(server["id"] for server in body["data"])
        if page >= body["meta"]["pagination"]["total_pages"]:
            break
        page += 1
    assert page == 25
    assert len(seen) == len(set(seen)) == 1000
