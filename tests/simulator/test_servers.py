# -*- coding: utf-8 -*-
# Copyright (c) runcloud.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Servers (17 endpoints) and services (2 endpoints)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import re
import shutil
import subprocess
import sys
import time

import requests
from sim_testlib import assert_invalid, assert_not_found, assert_page

SERVER_FIELDS = {"id", "name", "provider", "ipAddress", "os", "osVersion", "connected", "online", "agentVersion", "phpCLIVersion",
                 "softwareUpdate", "securityUpdate", "transferStatus", "created_at", "stack", "country_iso_code", "tags"}
TIMESTAMP = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$")


def test_create_server_returns_a_disconnected_server_object(api):
    server = api.server(name="My First Server", ip_address="192.0.2.5", provider="Localhost")
    assert set(server) == SERVER_FIELDS
    assert isinstance(server["id"], int)
    assert (server["name"], server["ipAddress"], server["provider"]) == ("My First Server", "192.0.2.5", "Localhost")
    assert (server["connected"], server["online"], server["agentVersion"], server["osVersion"]) == (False, False, None, None)
    assert server["transferStatus"] == "AVAILABLE"
    assert TIMESTAMP.match(server["created_at"])
    assert api.ok("GET", "/servers/%d" % server["id"]) == server


def test_create_server_validation(api):
    assert_invalid(api.post("/servers", {}), "name", "ipAddress")
    assert_invalid(api.post("/servers", {"name": "x", "ipAddress": "not-an-ip"}), "ipAddress")
    assert_invalid(api.post("/servers", {"name": 5, "ipAddress": "192.0.2.1"}), "name")


def test_new_server_has_builtin_runcloud_user_and_services(api):
    server = api.server()
    users = api.ok("GET", "/servers/%d/users" % server["id"])["data"]
    assert [(user["username"], user["deleteable"]) for user in users] == [("runcloud", False)]
    services = api.ok("GET", "/servers/%d/services" % server["id"])
    assert sorted(services) == ["beanstalk", "httpd", "mariadb", "memcached", "nginx", "redis", "supervisor"]
    assert services["nginx"]["realName"] == "nginx-rc"
    assert set(services["nginx"]) == {"realName", "name", "memory", "cpu", "running", "version"}


def test_list_and_search_servers(api):
    api.server("alpha", "192.0.2.1")
    api.server("beta", "198.51.100.7")
    body = api.ok("GET", "/servers")
    assert_page(body, total=2, count=2)
    assert [server["name"] for server in api.ok("GET", "/servers", search="ALP")["data"]] == ["alpha"]
    assert [server["name"] for server in api.ok("GET", "/servers", search="198.51")["data"]] == ["beta"]


def test_shared_servers_are_listed_separately(api):
    api.server("own")
    api.control("POST", "/seed", {"servers": 2, "shared": True, "name_prefix": "shared"})
    assert [server["name"] for server in api.ok("GET", "/servers")["data"]] == ["own"]
    shared = api.ok("GET", "/servers/shared")
    assert_page(shared, total=2, count=2)
    assert api.ok("GET", "/servers/shared", search="shared-02")["data"][0]["name"] == "shared-02"


def test_get_and_delete_server(api):
    server = api.server()
    assert api.ok("DELETE", "/servers/%d" % server["id"]) == server
    assert_not_found(api.get("/servers/%d" % server["id"]), "Server not found")
    assert_not_found(api.delete("/servers/%d" % server["id"]), "Server not found")


def test_installation_script_stats_hardware_health(api):
    server_id = api.server()["id"]
    assert api.ok("GET", "/servers/%d/installationscript" % server_id)["script"].startswith("export DEBIAN_FRONTEND=noninteractive\n")
    api.webapp(server_id)
    stats = api.ok("GET", "/servers/%d/stats" % server_id)
    assert stats["stats"] == {"webApplication": 1, "database": 0, "cronJob": 0, "supervisor": 0}
    assert set(stats["geoRecord"]) == {"country", "subdivision", "latitude", "longitude"}
    hardware = api.ok("GET", "/servers/%d/hardwareinfo" % server_id)
    assert set(hardware) == {"kernelVersion", "processorName", "totalCPUCore", "totalMemory", "freeMemory", "diskTotal", "diskFree", "loadAvg", "uptime"}
    health = api.ok("GET", "/servers/%d/health/latest" % server_id)
    assert set(health) == {"totalMemory", "availableMemory", "usedMemory", "totalDiskSpace", "availableDiskSpace", "usedDiskSpace",
                           "loadAverage", "updated_at"}
    assert "message" in api.ok("POST", "/servers/%d/health/diskcleaner" % server_id)


def test_php_versions_is_a_bare_array_and_cli_can_change(api):
    server_id = api.server()["id"]
    versions = api.ok("GET", "/servers/%d/php/version" % server_id)
    assert versions == ["php72rc", "php73rc", "php74rc", "php80rc", "php81rc", "php82rc", "php83rc"]
    assert api.ok("PATCH", "/servers/%d/php/cli" % server_id, {"phpVersion": "php83rc"})["phpCLIVersion"] == "php83rc"
    assert_invalid(api.patch("/servers/%d/php/cli" % server_id, {"phpVersion": "php56rc"}), "phpVersion")
    assert_invalid(api.patch("/servers/%d/php/cli" % server_id, {}), "phpVersion")


def test_meta_renames_and_relabels(api):
    server_id = api.server()["id"]
    server = api.ok("PATCH", "/servers/%d/settings/meta" % server_id, {"name": "renamed", "provider": "Vultr"})
    assert (server["name"], server["provider"]) == ("renamed", "Vultr")
    assert_invalid(api.patch("/servers/%d/settings/meta" % server_id, {"provider": "x"}), "name")


def test_ssh_settings_read_and_partial_update(api):
    server_id = api.server()["id"]
    path = "/servers/%d/settings/ssh" % server_id
    assert api.ok("GET", path) == {"passwordlessLogin": False, "useDns": False, "preventRootLogin": False}
    assert api.ok("PATCH", path, {"preventRootLogin": True, "useDns": 0}) == {"passwordlessLogin": False, "useDns": False, "preventRootLogin": True}
    assert api.ok("GET", path)["preventRootLogin"] is True
    assert_invalid(api.patch(path, {"useDns": "yes"}), "useDns")


def test_autoupdate_changes_server_flags(api):
    server_id = api.server()["id"]
    server = api.ok("PATCH", "/servers/%d/settings/autoupdate" % server_id, {"softwareUpdate": True, "securityUpdate": False})
    assert (server["softwareUpdate"], server["securityUpdate"]) == (True, False)


def test_server_log_lists_newest_first_and_searches(api):
    server_id = api.server()["id"]
    api.system_user(server_id, "logme")
    log = api.ok("GET", "/servers/%d/logs" % server_id)
    assert set(log["data"][0]) == {"kind", "content", "created_at"}
    assert "logme" in log["data"][0]["content"]
    assert [entry["content"] for entry in api.ok("GET", "/servers/%d/logs" % server_id, search="LOGME")["data"]] == ["Added system user logme"]


def test_service_actions_change_running_state(api):
    server_id = api.server()["id"]
    path = "/servers/%d/services" % server_id
    services = api.ok("PATCH", path, {"action": "stop", "realName": "redis-server"})
    assert services["redis"]["running"] is False
    assert services["redis"]["memory"] == services["redis"]["cpu"] == "Service stopped"
    for action in ("start", "restart", "reload"):
        assert api.ok("PATCH", path, {"action": action, "realName": "redis-server"})["redis"]["running"] is True
    assert_invalid(api.patch(path, {"action": "explode", "realName": "redis-server"}), "action")
    assert_invalid(api.patch(path, {"action": "start", "realName": "nope"}), "realName")
    assert_invalid(api.patch(path, {}), "action", "realName")


def test_unknown_server_is_404_everywhere(api):
    for path in ("/servers/42", "/servers/42/services", "/servers/42/users", "/servers/42/webapps/1"):
        assert_not_found(api.get(path), "Server not found")


def run_installation_script(script, path=None):
    environment = dict(os.environ, PATH=path) if path else None
    return subprocess.run(["/bin/sh", "-s"], input=script, capture_output=True, text=True, timeout=60, env=environment, check=False)


def test_installation_script_connects_the_server(api):
    server_id = api.ok("POST", "/servers", {"name": "new-01", "ipAddress": "203.0.113.77"})["id"]
    script = api.ok("GET", "/servers/%d/installationscript" % server_id)["script"]
    assert api.ok("GET", "/servers/%d/installationscript" % server_id)["script"] == script
    done = run_installation_script(script)
    assert done.returncode == 0, done.stderr
    assert "server %d reported connected" % server_id in done.stdout
    server = api.ok("GET", "/servers/%d" % server_id)
    assert server["connected"] is True and server["online"] is True
    assert server["agentVersion"] == "2.9.4" and server["osVersion"]


def test_installation_script_works_with_python3_alone(api, tmp_path):
    server_id = api.ok("POST", "/servers", {"name": "new-02", "ipAddress": "203.0.113.78"})["id"]
    script = api.ok("GET", "/servers/%d/installationscript" % server_id)["script"]
    for tool, target in (("python3", sys.executable), ("tr", shutil.which("tr"))):
        (tmp_path / tool).symlink_to(target)
    done = run_installation_script(script, path=str(tmp_path))
    assert done.returncode == 0, done.stderr
    assert api.ok("GET", "/servers/%d" % server_id)["connected"] is True


def test_installation_script_fails_without_curl_or_python3(api, tmp_path):
    server_id = api.ok("POST", "/servers", {"name": "new-03", "ipAddress": "203.0.113.79"})["id"]
    script = api.ok("GET", "/servers/%d/installationscript" % server_id)["script"]
    (tmp_path / "tr").symlink_to(shutil.which("tr"))
    done = run_installation_script(script, path=str(tmp_path))
    assert done.returncode == 1 and "needs curl or python3" in done.stderr
    assert api.ok("GET", "/servers/%d" % server_id)["connected"] is False


def test_agent_endpoint_needs_the_script_token(api, sim):
    server_id = api.ok("POST", "/servers", {"name": "new-04", "ipAddress": "203.0.113.80"})["id"]
    agent_url = "%s/__agent__/servers/%d/connect" % (sim.root_url, server_id)
    assert requests.post(agent_url, json={"token": "guess"}, timeout=10).status_code == 403
    script = api.ok("GET", "/servers/%d/installationscript" % server_id)["script"]
    token = re.search(r"agent_token='([0-9a-f]+)'", script).group(1)
    assert requests.get(agent_url, timeout=10).status_code == 405
    assert requests.post("%s/__agent__/servers/999999/connect" % sim.root_url, json={"token": token}, timeout=10).status_code == 404
    answer = requests.post(agent_url, json={"token": token, "osVersion": "24.04", "agentVersion": "3.0.0"}, timeout=10)
    assert answer.status_code == 200
    assert (answer.json()["connected"], answer.json()["osVersion"], answer.json()["agentVersion"]) == (True, "24.04", "3.0.0")
    logged = sim.handle_control("GET", "/requests", "").body["requests"]
    assert [entry["path"] for entry in logged if "connect" in entry["path"]] == []


def test_agent_connect_delay_holds_the_connection_back(api, sim):
    sim.handle_control("POST", "/agent", '{"connect_delay": 0.3}')
    server_id = api.ok("POST", "/servers", {"name": "new-05", "ipAddress": "203.0.113.81"})["id"]
    done = run_installation_script(api.ok("GET", "/servers/%d/installationscript" % server_id)["script"])
    assert done.returncode == 0, done.stderr
    assert api.ok("GET", "/servers/%d" % server_id)["connected"] is False
    for dummy in range(50):
        if api.ok("GET", "/servers/%d" % server_id)["connected"]:
            break
        time.sleep(0.1)
    assert api.ok("GET", "/servers/%d" % server_id)["connected"] is True
    sim.handle_control("POST", "/reset", "")
    assert sim.agent_connect_delay == 0.0
