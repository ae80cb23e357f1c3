# -*- coding: utf-8 -*-
# Copyright (c) runcloud.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Cron jobs (5), supervisor jobs (8), firewall and Fail2Ban (7), 3rd-party API keys (5), static data (4)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from sim_testlib import assert_invalid, assert_not_found, assert_page

CRON = {"label": "backup", "username": "runcloud", "command": "/bin/bash /home/runcloud/backup.sh",
        "minute": "0", "hour": "*/2", "dayOfMonth": "*", "month": "*", "dayOfWeek": "*"}
SUPERVISOR = {"label": "queue", "username": "runcloud", "numprocs": 2, "command": "/home/runcloud/queue.php",
              "binary": "/RunCloud/Packages/php81rc/bin/php"}


def test_cron_job_lifecycle(api, server):
    job = api.ok("POST", server + "/cronjobs", CRON)
    assert job == {"id": job["id"], "label": "backup", "username": "runcloud", "time": "0 */2 * * *",
                   "command": "/bin/bash /home/runcloud/backup.sh", "created_at": job["created_at"]}
    assert api.ok("GET", server + "/cronjobs/%d" % job["id"]) == job
    assert_page(api.ok("GET", server + "/cronjobs", search="BACK"), total=1, count=1)
    assert "message" in api.ok("POST", server + "/cronjobs/rebuild")
    assert api.ok("DELETE", server + "/cronjobs/%d" % job["id"]) == job
    assert_not_found(api.get(server + "/cronjobs/%d" % job["id"]), "Cron job not found")


def test_cron_job_validation(api, server):
    assert_invalid(api.post(server + "/cronjobs", {}), "label", "username", "command", "minute", "hour", "dayOfMonth", "month", "dayOfWeek")
    assert_invalid(api.post(server + "/cronjobs", dict(CRON, username="nobody")), "username")
    assert_invalid(api.post(server + "/cronjobs", dict(CRON, minute="every minute")), "minute")
    assert api.ok("POST", server + "/cronjobs", dict(CRON, username="root"))["username"] == "root"


def test_supervisor_lifecycle(api, server):
    binaries = api.ok("GET", server + "/supervisors/binaries")
    assert binaries[0] == "" and "/usr/bin/node" in binaries and "/RunCloud/Packages/php81rc/bin/php" in binaries
    job = api.ok("POST", server + "/supervisors", SUPERVISOR)
    assert job == {"id": job["id"], "label": "queue", "username": "runcloud", "numprocs": 2, "autoStart": True, "autoRestart": True,
                   "directory": "/", "command": "/RunCloud/Packages/php81rc/bin/php /home/runcloud/queue.php", "created_at": job["created_at"]}
    assert api.ok("GET", server + "/supervisors/%d" % job["id"]) == job
    assert_page(api.ok("GET", server + "/supervisors", search="que"), total=1, count=1)
    status = api.ok("GET", server + "/supervisors/status")
    assert [row["name"] for row in status] == ["queue:queue_00", "queue:queue_01"]
    assert "message" in api.ok("POST", server + "/supervisors/rebuild")
    assert api.ok("POST", server + "/supervisors/%d/reload" % job["id"]) == job
    assert api.ok("DELETE", server + "/supervisors/%d" % job["id"]) == job
    assert_not_found(api.post(server + "/supervisors/%d/reload" % job["id"]), "Supervisor job not found")


def test_supervisor_validation(api, server):
    assert_invalid(api.post(server + "/supervisors", {}), "label", "username", "numprocs", "command")
    assert_invalid(api.post(server + "/supervisors", dict(SUPERVISOR, numprocs="many")), "numprocs")
    assert_invalid(api.post(server + "/supervisors", dict(SUPERVISOR, binary="/bin/evil")), "binary")
    assert_invalid(api.post(server + "/supervisors", dict(SUPERVISOR, autoStart="sometimes")), "autoStart")
    job = api.ok("POST", server + "/supervisors", dict(SUPERVISOR, binary="", numprocs="3", autoRestart=False, directory="/srv"))
    assert (job["command"], job["numprocs"], job["autoRestart"], job["directory"]) == ("/home/runcloud/queue.php", 3, False, "/srv")


def test_firewall_rules_and_deploy(api, sim, server):
    rule = {"type": "rich", "port": 9000, "protocol": "tcp", "ipAddress": "192.168.43.0/24", "firewallAction": "accept"}
    rich = api.ok("POST", server + "/security/firewalls", rule)
    assert rich == {"id": rich["id"], "type": "rich", "port": "9000", "protocol": "tcp", "ipAddress": "192.168.43.0/24",
                    "firewallAction": "accept", "created_at": rich["created_at"]}
    glob = api.ok("POST", server + "/security/firewalls", {"type": "global", "port": "8000-8999", "protocol": "udp", "firewallAction": "reject"})
    assert (glob["port"], glob["ipAddress"], glob["firewallAction"]) == ("8000-8999", None, None)
    server_record = sim.state["servers"][server.split("/")[-1]]
    assert server_record["_firewall"]["pending"] is True
    assert "message" in api.ok("PUT", server + "/security/firewalls")
    assert server_record["_firewall"] == {"pending": False, "deployedAt": server_record["_firewall"]["deployedAt"],
                                          "deployedRuleIds": [rich["id"], glob["id"]]}
    assert api.ok("GET", server + "/security/firewalls/%d" % rich["id"]) == rich
    assert_page(api.ok("GET", server + "/security/firewalls"), total=2, count=2)
    assert api.ok("DELETE", server + "/security/firewalls/%d" % rich["id"]) == rich
    assert server_record["_firewall"]["pending"] is True
    assert_not_found(api.get(server + "/security/firewalls/%d" % rich["id"]), "Firewall rule not found")


def test_firewall_validation(api, server):
    path = server + "/security/firewalls"
    assert_invalid(api.post(path, {}), "type", "port", "protocol")
    assert_invalid(api.post(path, {"type": "rich", "port": 22, "protocol": "tcp"}), "ipAddress", "firewallAction")
    assert_invalid(api.post(path, {"type": "global", "port": "http", "protocol": "tcp"}), "port")
    assert_invalid(api.post(path, {"type": "global", "port": 70000, "protocol": "tcp"}), "port")
    assert_invalid(api.post(path, {"type": "global", "port": 22, "protocol": "icmp"}), "protocol")
    assert_invalid(api.post(path, {"type": "rich", "port": 22, "protocol": "tcp", "ipAddress": "300.1.1.1", "firewallAction": "accept"}), "ipAddress")


def test_fail2ban_blocked_ips(api, server):
    server_id = int(server.split("/")[-1])
    assert api.ok("GET", server + "/security/fail2ban/blockedip") == []
    api.control("POST", "/servers/%d/blockedips" % server_id, {"ips": ["203.0.113.9", "198.51.100.4"]})
    assert api.ok("GET", server + "/security/fail2ban/blockedip") == ["203.0.113.9", "198.51.100.4"]
    assert "message" in api.ok("DELETE", server + "/security/fail2ban/blockedip", {"ip": "203.0.113.9"})
    assert api.ok("GET", server + "/security/fail2ban/blockedip") == ["198.51.100.4"]
    assert_invalid(api.delete(server + "/security/fail2ban/blockedip", {"ip": "203.0.113.9"}), "ip")
    assert_invalid(api.delete(server + "/security/fail2ban/blockedip", {}), "ip")


def test_control_sets_the_health_sample(api, server):
    server_id = int(server.split("/")[-1])
    sample = api.control("POST", "/servers/%d/health" % server_id, {"usedDiskSpace": 40000.0, "availableDiskSpace": 1555.52})
    assert (sample["usedDiskSpace"], sample["availableDiskSpace"], sample["totalDiskSpace"]) == (40000.0, 1555.52, 41555.52)
    assert api.ok("GET", server + "/health/latest") == sample
    wrong = api.session.request("POST", api.sim.control_url + "/servers/%d/health" % server_id, json={"cpu": 1}, timeout=10)
    assert wrong.status_code == 400


def test_external_api_keys(api):
    key = api.ok("POST", "/settings/externalapi", {"label": "Testing", "service": "digitalocean", "secret": "k2jh4g5f6d7s8"})
    assert key == {"id": key["id"], "label": "Testing", "username": None, "secret": "k2jh...", "service": "Digital Ocean",
                   "created_at": key["created_at"]}
    for slug, human in (("cloudflare", "Cloudflare"), ("linode", "Linode"), ("vultr", "Vultr"), ("upcloud", "UpCloud")):
        body = {"label": slug, "service": slug, "secret": "secret-" + slug, "username": "ops@example.com"}
        assert api.ok("POST", "/settings/externalapi", body)["service"] == human
    assert api.ok("GET", "/settings/externalapi/%d" % key["id"]) == key
    assert_page(api.ok("GET", "/settings/externalapi"), total=5, count=5)
    assert [item["label"] for item in api.ok("GET", "/settings/externalapi", search="TEST")["data"]] == ["Testing"]
    assert api.ok("GET", "/settings/externalapi", search="TEST")["data"][0]["secret"] == "k2jh..."
    updated = api.ok("PATCH", "/settings/externalapi/%d" % key["id"], {"label": "Renamed", "secret": "zzzz9999"})
    assert (updated["label"], updated["secret"]) == ("Renamed", "zzzz...")
    assert api.ok("DELETE", "/settings/externalapi/%d" % key["id"])["label"] == "Renamed"
    assert_not_found(api.get("/settings/externalapi/%d" % key["id"]), "External API not found")


def test_external_api_validation(api):
    assert_invalid(api.post("/settings/externalapi", {}), "label", "service", "secret")
    assert_invalid(api.post("/settings/externalapi", {"label": "x", "service": "aws", "secret": "s"}), "service")
    assert_invalid(api.post("/settings/externalapi", {"label": "x", "service": "cloudflare", "secret": "s"}), "username")


def test_static_data(api):
    collations = api.ok("GET", "/static/databases/collations")
    assert "utf8mb4_unicode_ci" in collations and all(isinstance(name, str) for name in collations)
    assert "UTC" in api.ok("GET", "/static/timezones")
    assert "wordpress" in api.ok("GET", "/static/webapps/installers")
    protocols = api.ok("GET", "/static/ssl/protocols", webServer="nginx")
    assert protocols == [{"id": 1, "name": "TLSv1.1"}, {"id": 2, "name": "TLSv1.2"}, {"id": 3, "name": "TLSv1.3"}]
    assert api.ok("GET", "/static/ssl/protocols") == protocols
    assert_invalid(api.get("/static/ssl/protocols", webServer="apache"), "webServer")
