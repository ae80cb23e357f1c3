# -*- coding: utf-8 -*-
# Copyright (c) runcloud.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Web applications (12 endpoints) and domain names (4 endpoints)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from sim_testlib import APP_SETTINGS, assert_invalid, assert_not_found, assert_page

APP_FIELDS = {"id", "server_user_id", "name", "rootPath", "publicPath", "phpVersion", "stack", "stackMode", "type", "defaultApp",
              "alias", "pullKey1", "pullKey2", "created_at"}


def test_create_custom_app_paths_and_primary_domain(api, server_id):
    user_id = api.system_user(server_id, "shopper")["id"]
    app = api.webapp(server_id, user_id=user_id, publicPath="public")
    assert set(app) == APP_FIELDS
    assert app["rootPath"] == "/home/shopper/webapps/shop"
    assert app["publicPath"] == "/home/shopper/webapps/shop/public"
    assert (app["server_user_id"], app["type"], app["alias"], app["defaultApp"]) == (user_id, "custom", None, False)
    domains = api.ok("GET", "/servers/%d/webapps/%d/domains" % (server_id, app["id"]))["data"]
    assert [(domain["name"], domain["type"], domain["www"], domain["wildcard"]) for domain in domains] == [("shop.example.com", "primary", 0, 0)]
    assert api.ok("GET", "/servers/%d/webapps/%d" % (server_id, app["id"])) == app


def test_public_path_defaults_to_root(api, server_id):
    app = api.webapp(server_id)
    assert app["publicPath"] == app["rootPath"]


def test_create_validation(api, server_id):
    path = "/servers/%d/webapps/custom" % server_id
    response = api.post(path, {})
    assert response.status_code == 422
    assert {"name", "domainName", "user", "phpVersion", "stack", "timezone", "allowUrlFopen"} <= set(response.json()["errors"])
    user_id = api.system_user(server_id)["id"]
    base = dict(APP_SETTINGS, name="ok", domainName="ok.example.com", user=user_id, phpVersion="php81rc")
    for field, value in (("stack", "apache"), ("stackMode", "debug"), ("processManager", "lazy"), ("phpVersion", "php74"),
                         ("xssProtection", "yes"), ("memoryLimit", "lots"), ("domainName", "not a domain"), ("user", 999),
                         ("phpVersion", "php56rc")):
        assert_invalid(api.post(path, dict(base, **{field: value})), field)
    assert_invalid(api.post(path, dict(base, processManager="dynamic")),
                   "processManagerStartServers", "processManagerMinSpareServers", "processManagerMaxSpareServers")
    api.ok("POST", path, dict(base, memoryLimit="512", xssProtection=0))
    assert_invalid(api.post(path, dict(base, domainName="other.example.com")), "name")
    assert_invalid(api.post(path, dict(base, name="second", domainName="OK.example.com")), "domainName")


def test_settings_round_trip_and_partial_fpmnginx_update(api, server_id):
    app = api.webapp(server_id, publicPath="/public")
    base = "/servers/%d/webapps/%d" % (server_id, app["id"])
    settings = api.ok("GET", base + "/settings")
    for field, value in APP_SETTINGS.items():
        assert settings[field] == value
    assert settings["publicPath"] == "/public"
    assert settings["openBasedir"] == "/home/ushop/webapps/shop:/var/lib/php/session:/tmp"
    updated = api.ok("PATCH", base + "/settings/fpmnginx", {"stack": "nativenginx", "memoryLimit": 512, "publicPath": "/web"})
    assert (updated["stack"], updated["publicPath"]) == ("nativenginx", app["rootPath"] + "/web")
    settings = api.ok("GET", base + "/settings")
    assert (settings["stack"], settings["memoryLimit"], settings["timezone"]) == ("nativenginx", 512, "UTC")
    full = dict(settings, stackMode="development")
    assert api.ok("PATCH", base + "/settings/fpmnginx", full)["stackMode"] == "development"
    assert_invalid(api.patch(base + "/settings/fpmnginx", {"stack": "iis"}), "stack")
    assert_invalid(api.patch(base + "/settings/fpmnginx", {"processManager": "dynamic", "processManagerMaxSpareServers": "x"}),
                   "processManagerMaxSpareServers")


def test_change_php_version(api, server_id):
    app = api.webapp(server_id)
    path = "/servers/%d/webapps/%d/settings/php" % (server_id, app["id"])
    assert api.ok("PATCH", path, {"phpVersion": "php83rc"})["phpVersion"] == "php83rc"
    assert_invalid(api.patch(path, {"phpVersion": "php99rc"}), "phpVersion")


def test_default_rebuild_alias_and_delete(api, server_id):
    first, second = api.webapp(server_id), api.webapp(server_id, name="blog", domain="blog.example.com")
    base = "/servers/%d/webapps/" % server_id
    assert api.ok("POST", base + "%d/default" % first["id"])["defaultApp"] is True
    assert api.ok("POST", base + "%d/default" % second["id"])["defaultApp"] is True
    assert api.ok("GET", base + "%d" % first["id"])["defaultApp"] is False
    assert api.ok("DELETE", base + "%d/default" % second["id"])["defaultApp"] is False
    assert api.ok("POST", base + "%d/rebuild" % first["id"]) == api.ok("GET", base + "%d" % first["id"])
    body = dict(APP_SETTINGS, name="shop-alias", domainName="alias.example.com", user=first["server_user_id"], phpVersion="php82rc")
    alias = api.ok("POST", base + "%d/alias" % first["id"], body)
    assert (alias["alias"], alias["type"], alias["name"]) == (first["id"], "custom", "shop-alias")
    assert_invalid(api.post(base + "%d/alias" % first["id"], dict(body, name="shop-alias-2", domainName="shop.example.com")), "domainName")
    assert_not_found(api.post(base + "999/alias", body), "Web application not found")


def test_delete_app(api, server_id):
    app = api.webapp(server_id)
    path = "/servers/%d/webapps/%d" % (server_id, app["id"])
    assert api.ok("DELETE", path)["id"] == app["id"]
    assert_not_found(api.get(path), "Web application not found")


def test_list_and_search_apps(api, server_id):
    api.webapp(server_id)
    api.webapp(server_id, name="blog", domain="blog.example.com")
    assert_page(api.ok("GET", "/servers/%d/webapps" % server_id), total=2, count=2)
    assert [app["name"] for app in api.ok("GET", "/servers/%d/webapps" % server_id, search="BLO")["data"]] == ["blog"]


def test_log_is_newest_first_and_searchable(api, server_id):
    app = api.webapp(server_id)
    base = "/servers/%d/webapps/%d" % (server_id, app["id"])
    api.ok("PATCH", base + "/settings/php", {"phpVersion": "php82rc"})
    log = api.ok("GET", base + "/log")
    assert log["data"][0]["content"] == "PHP version changed to php82rc"
    assert set(log["data"][0]) == {"kind", "content", "created_at"}
    assert_page(api.ok("GET", base + "/log", search="php82"), total=1, count=1)


def test_domain_lifecycle(api, server_id):
    app = api.webapp(server_id)
    path = "/servers/%d/webapps/%d/domains" % (server_id, app["id"])
    domain = api.ok("POST", path, {"name": "www.shop.example.com", "www": True, "redirection": "non-www", "type": "alias"})
    assert domain == {"id": domain["id"], "name": "www.shop.example.com", "type": "alias", "www": 1, "redirection": "non-www",
                      "wildcard": 0, "dns_integration": "none", "status": None, "created_at": domain["created_at"]}
    assert api.ok("POST", path, {"name": "*.shop.example.net"})["wildcard"] == 1
    assert api.ok("GET", "%s/%d" % (path, domain["id"])) == domain
    assert_page(api.ok("GET", path), total=3, count=3)
    assert api.ok("DELETE", "%s/%d" % (path, domain["id"])) == domain
    assert_not_found(api.get("%s/%d" % (path, domain["id"])), "Domain not found")


def test_domain_validation_and_uniqueness_across_apps(api, server_id):
    first = api.webapp(server_id)
    second = api.webapp(server_id, name="blog", domain="blog.example.com")
    path = "/servers/%d/webapps/%d/domains" % (server_id, second["id"])
    assert_invalid(api.post(path, {}), "name")
    assert_invalid(api.post(path, {"name": "shop.example.com"}), "name")
    assert_invalid(api.post(path, {"name": "x.example.com", "type": "main"}), "type")
    assert_invalid(api.post(path, {"name": "x.example.com", "redirection": "sideways"}), "redirection")
    assert_invalid(api.post(path, {"name": "x.example.com", "www": "maybe"}), "www")
    assert first["id"] != second["id"]
