# -*- coding: utf-8 -*-
# Copyright (c) runcloud.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Endpoints v2 and v3 share, in their v3 shape: pages, moved SSH keys, typed collations, cron jobs and
domains updated in place, answers that differ, writes that land later, variants."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re
import time

import requests

from sim_testlib import PUBLIC_KEY, assert_invalid, assert_page, eventually

ISO = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.000000Z$")
CRON = {"label": "nightly", "username": "runcloud", "command": "php artisan backup", "minute": "0", "hour": "3",
        "dayOfMonth": "*", "month": "*", "dayOfWeek": "*"}


def test_pages_have_the_v3_default_sizes_and_links_next_on_v3(api, api3, server_id, sim):
    user = api.system_user(server_id)
    for number in range(23):
        api.webapp(server_id, name="app%02d" % number, domain="app%02d.example.com" % number, user_id=user["id"])
    first = api3.ok("GET", "/servers/%d/webapps" % server_id)
    pagination = assert_page(first, total=23, count=20, per_page=20)
    assert pagination["links"] == {"next": sim.url_v3 + "/servers/%d/webapps?page=2" % server_id}
    assert_page(api.ok("GET", "/servers/%d/webapps" % server_id), total=23, count=15), "v2 keeps 15"
    assert_page(api3.ok("GET", "/servers/%d/webapps" % server_id, perPage=40), total=23, count=23, per_page=40)
    assert_page(api3.ok("GET", "/servers/%d/webapps" % server_id, perPage=100), total=23, count=23, per_page=40)
    assert api3.ok("GET", "/servers/%d/users" % server_id)["meta"]["pagination"]["per_page"] == 15
    assert_invalid(api3.get("/servers/%d/webapps" % server_id, perPage="0"), "perPage")


def test_web_apps_sort_on_v3(api, api3, server_id):
    user = api.system_user(server_id)
    for name in ("beta", "alpha", "gamma"):
        api.webapp(server_id, name=name, domain=name + ".example.com", user_id=user["id"])
    path = "/servers/%d/webapps" % server_id
    names = [app["name"] for app in api3.ok("GET", path, sortColumn="name", sortDirection="desc")["data"]]
    assert names == ["gamma", "beta", "alpha"]
    assert [app["name"] for app in api3.ok("GET", path, sortColumn="name", sortDirection="asc", search="a")["data"]] == ["alpha", "beta", "gamma"]
    assert_invalid(api3.get(path, sortColumn="password"), "sortColumn")


def test_resource_404s_say_resources_not_found_on_v3(api3):
    assert api3.get("/servers/424242").json() == {"message": "Resources not found."}
    assert api3.get("/no/such/route").json() == {"message": "Not found"}


def test_stats_name_the_country_and_logs_use_iso_timestamps(api3, server_id):
    stats = api3.ok("GET", "/servers/%d/stats" % server_id)
    assert stats["country"] == "United States" and "geoRecord" not in stats
    entries = api3.ok("GET", "/servers/%d/logs" % server_id)["data"]
    assert entries and all(ISO.match(entry["created_at"]) for entry in entries)


def test_ssh_keys_live_at_ssh_credentials_with_user_and_temporary(api, api3, server, sim):
    api.control("POST", "/v3", {"temporary_key_lifetime": 0.3})
    kept = api3.ok("POST", server + "/ssh/credentials", {"label": "laptop", "username": "runcloud", "publicKey": PUBLIC_KEY})
    temporary = api3.ok("POST", server + "/ssh/credentials",
                        {"label": "support", "username": "runcloud", "publicKey": PUBLIC_KEY, "temporary": True})
    assert (kept["user"], kept["temporary"], temporary["temporary"]) == ("runcloud", False, True)
    assert set(kept) == {"id", "label", "user", "publicKey", "temporary", "created_at"}
    listed = api3.ok("GET", server + "/ssh/credentials")
    assert_page(listed, total=2, count=2)
    assert set(listed["data"][0]) == {"id", "label", "user", "publicKey", "created_at"}
    assert api3.ok("GET", server + "/ssh/credentials/%d" % temporary["id"])["temporary"] is True
    assert [key["user_id"] for key in api.ok("GET", server + "/sshcredentials")["data"]] == [1, 1], "v2 sees them its way"
    assert_invalid(api3.post(server + "/ssh/credentials", {"label": "laptop", "username": "runcloud", "publicKey": PUBLIC_KEY}), "label")
    assert_invalid(api3.post(server + "/ssh/credentials", {"label": "x", "username": "runcloud", "publicKey": PUBLIC_KEY,
                                                           "temporary": "maybe"}), "temporary")
    eventually(lambda: [key["id"] for key in api3.ok("GET", server + "/ssh/credentials")["data"]] == [kept["id"]])
    assert api3.delete(server + "/ssh/credentials/%d" % kept["id"]).json()["label"] == "laptop"
    assert api3.ok("GET", server + "/ssh/credentials")["data"] == []


def test_collations_are_per_engine_and_the_untyped_path_is_gone(api, api3, server):
    mysql = api3.ok("GET", "/static/databases/collations/mysql")
    mariadb = api3.ok("GET", "/static/databases/collations/mariadb")
    assert "utf8mb4_0900_ai_ci" in mysql and "utf8mb4_0900_ai_ci" not in mariadb
    assert "utf8mb4_uca1400_ai_ci" in mariadb and "utf8mb4_unicode_ci" in mysql and "utf8mb4_unicode_ci" in mariadb
    assert api3.get("/static/databases/collations").status_code == 404
    assert "utf8mb4_0900_ai_ci" not in api.ok("GET", "/static/databases/collations")
    assert api3.ok("POST", server + "/databases", {"name": "shop", "collation": "utf8mb4_0900_ai_ci"})["collation"] == "utf8mb4_0900_ai_ci"


def test_cron_jobs_carry_enabled_and_update_in_place(api, api3, server):
    job = api3.ok("POST", server + "/cronjobs", CRON)
    assert job["enabled"] == 1 and job["time"] == "0 3 * * *"
    path = server + "/cronjobs/%d" % job["id"]
    answer = api3.ok("PATCH", path, dict(CRON, hour="4", command="php artisan backup --full"))
    assert answer == {"message": "cron job nightly successfully updated."}
    assert (api3.ok("GET", path)["time"], api.ok("GET", path)["command"]) == ("0 4 * * *", "php artisan backup --full")
    assert "enabled" not in api.ok("GET", path), "v2 answers in its shape"
    assert [item["id"] for item in api3.ok("GET", server + "/cronjobs")["data"]] == [job["id"]]
    assert_invalid(api3.patch(path, {"hour": "5"}), "label", "username", "command", "minute", "dayOfMonth", "month", "dayOfWeek")
    assert "nightly" in api3.ok("POST", path + "/run")["message"]
    assert api3.post(server + "/cronjobs/999/run").status_code == 404


def test_domains_update_in_place_and_tell_their_dns_records(api, api3, app_path):
    domain = api.ok("POST", app_path + "/domains", {"name": "shop.example.org", "type": "alias"})
    path = app_path + "/domains/%d" % domain["id"]
    answer = api3.ok("PATCH", path + "/meta", {"type": "redirect", "redirection": "www", "www": True})
    assert answer == {"message": "Domain settings have been successfully updated."}
    updated = api3.ok("GET", path)
    assert (updated["type"], updated["redirection"], updated["www"], updated["id"]) == ("redirect", "www", 1, domain["id"])
    records = api3.ok("GET", path + "/dns")
    assert records == [{"type": "A", "hostname": "shop.example.org", "content": "192.0.2.10"},
                       {"type": "CNAME", "hostname": "www.shop.example.org", "content": "shop.example.org"}]
    assert_invalid(api3.patch(path + "/meta", {"type": "sideways"}), "type")
    api3.ok("PATCH", path + "/meta", {"type": "primary"})
    types = sorted(item["type"] for item in api3.ok("GET", app_path + "/domains")["data"])
    assert types == ["alias", "primary"], "the former primary domain became an alias"
    assert_invalid(api3.patch(path + "/meta", {"unknown": 1}), "fields")


def test_ssh_config_is_the_ssh_settings_as_a_record(api, api3, server, server_id):
    record = api3.ok("PATCH", server + "/ssh/config", {"passwordlessLogin": True, "preventRootLogin": True})
    assert (record["server_id"], record["passwordlessLogin"], record["preventRootLogin"], record["useDns"]) == (server_id, True, True, False)
    assert set(record) >= {"id", "created_at", "updated_at"}
    assert api.ok("GET", server + "/settings/ssh") == {"passwordlessLogin": True, "useDns": False, "preventRootLogin": True}


def test_answers_that_differ_from_v2(api, api3, server, app_path):
    rule = api3.ok("POST", server + "/security/firewalls", {"type": "global", "port": 9000, "protocol": "tcp"})
    assert isinstance(rule, list) and rule[0]["port"] == "9000"
    user = api.ok("POST", server + "/databaseusers", {"username": "shop", "password": "s3cret-pass"})
    assert api3.ok("PATCH", server + "/databaseusers/%d" % user["id"], {"password": "other-pass"}) == {}
    assert api3.ok("POST", server + "/supervisors/rebuild") == {}
    api.control("POST", "/servers/%d/blockedips" % int(server.split("/")[-1]), {"ips": ["198.51.100.7"]})
    assert api3.ok("DELETE", server + "/security/fail2ban/blockedip", {"ip": "198.51.100.7"}) == {
        "message": "198.51.100.7 has been successfully unbanned from SSH login"}
    storage = {"label": "storage", "service": "upcloudobjectstorage", "secret": "abcdefgh", "username": "key-id",
               "url": "https://objects.example.net"}
    created = api3.ok("POST", "/settings/externalapi", storage)
    assert set(created) == {"id", "label", "service", "secret", "created_at"} and created["service"] == "upcloudobjectstorage"
    assert api.ok("GET", "/settings/externalapi/%d" % created["id"])["service"] == "UpCloud Object Storage"
    assert_invalid(api3.post("/settings/externalapi", {"label": "s", "service": "sftp", "secret": "x"}), "url")
    assert api3.ok("PATCH", "/settings/externalapi/%d" % created["id"], {"region": "fi-hel2"})["label"] == "storage"


def test_firewall_deploy_acknowledges_and_lands_later(api, api3, server, sim):
    api.control("POST", "/v3", {"land_delay": 0.3})
    api3.ok("POST", server + "/security/firewalls", {"type": "global", "port": 9000, "protocol": "tcp"})
    server_record = sim.state["servers"][server.split("/")[-1]]
    assert api3.ok("PUT", server + "/security/firewalls") == {"message": "Deploying rules to server"}
    assert server_record["_firewall"]["pending"] is True, "not yet"
    eventually(lambda: server_record["_firewall"]["pending"] is False)
    assert api.control("GET", "/v3")["landed"] == 1


def test_domain_ssl_answers_empty_and_the_certificate_shows_later(api, api3, app_path):
    domain = api.ok("POST", app_path + "/domains", {"name": "secure.example.org", "type": "alias"})
    path = app_path + "/domains/%d/ssl" % domain["id"]
    body = {"provider": "letsencrypt", "enableHttp": True, "enableHsts": False, "authorizationMethod": "http-01",
            "advancedSSL": True, "autoSSL": False}
    api.control("POST", "/v3", {"land_delay": 0.3})
    assert api3.ok("POST", path, body) == {}
    assert api3.ok("GET", path) == {"message": "SSL not installed!"}
    certificate = eventually(lambda: api3.ok("GET", path).get("id") and api3.ok("GET", path))
    assert api.ok("GET", app_path + "/ssl/advanced")["advancedSSL"] is True, "the body switched advanced SSL on"
    assert api3.ok("PATCH", path + "/%d" % certificate["id"], {"enableHsts": True}) == {}
    eventually(lambda: api3.ok("GET", path)["enableHsts"] is True)
    assert_invalid(api3.post(path, body), "provider")
    other = api.ok("POST", app_path + "/domains", {"name": "plain.example.org", "type": "alias"})
    api.ok("POST", app_path + "/ssl/advanced", {"advancedSSL": False})
    assert_invalid(api3.post(app_path + "/domains/%d/ssl" % other["id"], dict(body, provider="none")), "provider")
    assert api.ok("GET", app_path + "/ssl/advanced")["advancedSSL"] is False, "a refused request changes nothing"


def test_pending_landings_are_dropped_by_a_reset(api, api3, server, sim):
    api.control("POST", "/v3", {"land_delay": 0.2})
    api3.ok("PUT", server + "/security/firewalls")
    assert api.control("GET", "/v3")["pending_landings"] == 1
    sim.handle_control("POST", "/reset", "")
    assert api.control("GET", "/v3")["pending_landings"] == 0
    time.sleep(0.3)
    assert api.control("GET", "/v3")["landed"] == 0


def test_shared_variants_apply_to_v3_and_v3_variants_to_v3_only(api, api3, server):
    api.control("POST", "/variants", {"variants": ["bare-lists", "v3-created-201", "v3-v2-paths"]})
    assert isinstance(api3.ok("GET", "/servers"), list)
    created = api3.post("/servers", {"name": "late", "ipAddress": "192.0.2.77"})
    assert created.status_code == 201 and created.json()["name"] == "late"
    assert api.post("/servers", {"name": "v2", "ipAddress": "192.0.2.78"}).status_code == 200, "v2 keeps 200"
    assert api3.post(server + "/security/firewalls", {"type": "global", "port": 81, "protocol": "tcp"}).status_code == 201
    assert api3.post(server + "/cronjobs/rebuild").status_code == 200, "not a creation"
    key = api3.post(server + "/sshcredentials", {"label": "old-path", "username": "runcloud", "publicKey": PUBLIC_KEY})
    assert key.status_code == 201 and key.json()["user"] == "runcloud"
    assert "utf8mb4_unicode_ci" in api3.ok("GET", "/static/databases/collations")
    listed = api.control("GET", "/variants")
    assert listed["variants"] == ["bare-lists", "v3-v2-paths", "v3-created-201"] and "v3-v2-paths" in listed["known_v3"]
    response = requests.post(api.sim.control_url + "/variants", json={"variants": ["v3-nothing"]}, timeout=5)
    assert response.status_code == 400
