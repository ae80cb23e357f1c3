# -*- coding: utf-8 -*-
# Copyright (c) runcloud.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""API v3 WordPress: site create, RunCloud Hub and RunCache, staging, general settings and wp-config,
and cloning a web app. Most writes acknowledge first and land later."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from sim_testlib import assert_invalid, eventually

SITE = {"name": "blog", "domainName": "blog.example.com", "siteTitle": "My blog", "adminUsername": "admin", "password": "s3cret-pass",
        "adminEmail": "admin@example.com", "dbName": "blog_db", "dbUser": "blog_user", "dbPassword": "db-s3cret", "dbPrefix": "wp_",
        "publicPath": None, "phpVersion": "php82rc", "stack": "hybrid", "stackMode": "production"}


@pytest.fixture(name="site")
def fixture_site(api, api3, server_id):
    """A WordPress site made through v3; its API path."""
    user = api.system_user(server_id, "blog")
    site = api3.ok("POST", "/servers/%d/webapps/wordpress" % server_id, dict(SITE, user=user["id"]))
    return "/servers/%d/webapps/%d" % (server_id, site["id"])


def test_a_wordpress_site_comes_with_its_database_user_and_grant(api, api3, server_id, site):
    app = api.ok("GET", site)
    assert (app["type"], app["phpVersion"], app["stack"]) == ("wordpress", "php82rc", "hybrid")
    assert api.ok("GET", site + "/installer")["name"] == "wordpress"
    databases = api.ok("GET", "/servers/%d/databases" % server_id)["data"]
    assert [database["name"] for database in databases] == ["blog_db"]
    grants = api.ok("GET", "/servers/%d/databases/%d/grant" % (server_id, databases[0]["id"]))["data"]
    assert [grant["username"] for grant in grants] == ["blog_user"]
    assert api3.ok("GET", site + "/wordpress/general") == {"home": "http://blog.example.com", "siteurl": "http://blog.example.com"}
    user_id = app["server_user_id"]
    again = api3.post("/servers/%d/webapps/wordpress" % server_id, dict(SITE, user=user_id, domainName="other.example.com"))
    assert_invalid(again, "name")
    taken = api3.post("/servers/%d/webapps/wordpress" % server_id, dict(SITE, user=user_id, name="blog2", domainName="blog2.example.com"))
    assert_invalid(taken, "dbName")
    assert_invalid(api3.post("/servers/%d/webapps/wordpress" % server_id, {"name": "x"}),
                   "domainName", "user", "phpVersion", "stack", "siteTitle", "adminUsername", "password", "adminEmail", "dbName",
                   "dbUser", "dbPassword")


def test_wordpress_endpoints_refuse_other_web_apps(api3, app_path):
    assert_invalid(api3.post(app_path + "/runcloudhub", {"cacheType": "native"}), "webApplication")
    assert_invalid(api3.get(app_path + "/wordpress/config"), "webApplication")


def test_runcloud_hub_installs_updates_and_goes_away_later(api, api3, site):
    api.control("POST", "/v3", {"land_delay": 0.2})
    assert api3.ok("POST", site + "/runcloudhub", {"cacheType": "native", "cacheFolderSize": 64}) == {
        "message": "Installation will begin shortly"}
    assert api3.get(site + "/runcloudhub").status_code == 404, "not installed yet"
    hub = eventually(lambda: api3.get(site + "/runcloudhub").status_code == 200 and api3.ok("GET", site + "/runcloudhub"))
    assert (hub["nginxCacheType"], hub["cacheFolderSize"], hub["cacheValidMinute"], hub["status"]) == ("native", 64, 480, "Completed")
    assert_invalid(api3.post(site + "/runcloudhub", {"cacheType": "native"}), "cacheType")
    assert api3.ok("PATCH", site + "/runcloudhub", {"nginxCacheType": "redis", "cacheValidMinute": 60}) == {
        "message": "RunCloud Hub has been updated."}
    eventually(lambda: api3.ok("GET", site + "/runcloudhub")["cacheValidMinute"] == 60)
    assert api3.ok("DELETE", site + "/runcloudhub") == {"message": "Configuration will be removed shortly"}
    eventually(lambda: api3.get(site + "/runcloudhub").status_code == 404)


def test_runcache_upgrade_settings_and_rollback(api3, site):
    assert api3.get(site + "/runcache").status_code == 404
    api3.ok("POST", site + "/runcloudhub", {"cacheType": "native"})
    eventually(lambda: api3.get(site + "/runcloudhub").status_code == 200)
    assert api3.ok("POST", site + "/runcache/upgrade", {}) == {"message": "Installation will begin shortly"}
    runcache = eventually(lambda: api3.get(site + "/runcache").status_code == 200 and api3.ok("GET", site + "/runcache"))
    assert runcache["cacheSettings"]["cache_settings"] == {"enable": True, "page_cache_type": "runcloud-native"}
    assert api3.get(site + "/runcloudhub").status_code == 404, "RunCache replaced the Hub"
    assert api3.ok("PATCH", site + "/runcache", {"objectCacheEnabled": True}) == {"message": "Runcache has been updated."}
    assert api3.ok("GET", site + "/runcache")["cacheSettings"]["object_cache_settings"]["enable"] is True
    assert api3.ok("POST", site + "/runcache/rollback") == {"message": "Rollback to RunCloud Hub will begin shortly"}
    eventually(lambda: api3.get(site + "/runcloudhub").status_code == 200)


def test_staging_is_created_later_changed_and_pushed(api, api3, server_id, site):
    body = {"url": "staging.blog.example.com", "enableAuth": True, "username": "preview", "password": "preview-pass", "enableCache": False}
    assert api3.ok("POST", site + "/wordpress/staging", body) == {}
    staging = eventually(lambda: api3.get(site + "/wordpress/staging").status_code == 200 and api3.ok("GET", site + "/wordpress/staging"))
    assert (staging["name"], staging["type"]) == ("blog-staging", "wordpress")
    assert staging["id"] in [app["id"] for app in api.ok("GET", "/servers/%d/webapps" % server_id)["data"]]
    changed = api3.ok("PATCH", site + "/wordpress/staging", {"enableCache": True})
    assert changed == {"enableCache": True, "enableAuth": True, "username": "preview"}
    assert_invalid(api3.post(site + "/wordpress/staging", body), "url")
    assert api3.ok("PATCH", site + "/wordpress/staging/push", {"syncTable": ["wp_posts", "wp_options"]}) == {}
    eventually(lambda: any("Staging pushed" in entry["content"] for entry in api3.ok("GET", site + "/log")["data"]))
    assert_invalid(api3.patch(site + "/wordpress/staging/push", {"syncTable": "wp_posts"}), "syncTable")
    assert_invalid(api3.post(site + "/wordpress/staging", {"url": "x.example.com", "enableAuth": True}), "username", "password")


def test_a_deleted_staging_copy_is_gone_and_can_be_made_again(api, api3, server_id, site):
    body = {"url": "staging.blog.example.com"}
    api3.ok("POST", site + "/wordpress/staging", body)
    staging = eventually(lambda: api3.get(site + "/wordpress/staging").status_code == 200 and api3.ok("GET", site + "/wordpress/staging"))
    api.ok("DELETE", "/servers/%d/webapps/%d" % (server_id, staging["id"]))
    assert api3.get(site + "/wordpress/staging").status_code == 404
    assert api3.ok("POST", site + "/wordpress/staging", body) == {}
    eventually(lambda: api3.get(site + "/wordpress/staging").status_code == 200)


def test_general_settings_and_config_change_later(api3, site):
    assert api3.ok("GET", site + "/wordpress/config") == {"disableWpCron": False, "wpDebug": False}
    assert api3.ok("PATCH", site + "/wordpress/config", {"wpDebug": True}) == {"message": "Changes will be updated shortly"}
    eventually(lambda: api3.ok("GET", site + "/wordpress/config")["wpDebug"] is True)
    api3.ok("PATCH", site + "/wordpress/general", {"home": "https://blog.example.com", "siteurl": "https://blog.example.com"})
    eventually(lambda: api3.ok("GET", site + "/wordpress/general")["home"] == "https://blog.example.com")
    assert_invalid(api3.patch(site + "/wordpress/general", {"home": "not a url"}), "home")


def test_cloning_to_another_server_with_the_database_lands_later(api, api3, server_id, site, sim):
    target = api.server("srv-2", "192.0.2.11")
    owner = api.system_user(target["id"], "clone")
    source_db = api.ok("GET", "/servers/%d/databases" % server_id)["data"][0]
    body = {"destinationName": "blogcopy", "domainName": "copy.example.com", "user": owner["id"], "serverDestinationId": target["id"],
            "databaseClone": True, "sourceDatabaseId": source_db["id"], "databaseDestinationName": "copy_db",
            "newDatabaseUsername": "copy_user", "www": True}
    api.control("POST", "/v3", {"land_delay": 0.2})
    assert api3.ok("POST", site + "/clone", body) == {"message": "Web application cloning will begin shortly"}
    assert api.ok("GET", "/servers/%d/webapps" % target["id"])["data"] == []
    clones = eventually(lambda: api.ok("GET", "/servers/%d/webapps" % target["id"])["data"])
    assert [(clone["name"], clone["type"], clone["phpVersion"]) for clone in clones] == [("blogcopy", "wordpress", "php82rc")]
    assert [database["name"] for database in api.ok("GET", "/servers/%d/databases" % target["id"])["data"]] == ["copy_db"]
    domains = api.ok("GET", "/servers/%d/webapps/%d/domains" % (target["id"], clones[0]["id"]))["data"]
    assert [(domain["name"], domain["www"]) for domain in domains] == [("copy.example.com", 1)]
    assert_invalid(api3.post(site + "/clone", body), "destinationName")
    assert_invalid(api3.post(site + "/clone", dict(body, serverDestinationId=999)), "serverDestinationId")
    assert_invalid(api3.post(site + "/clone", {"destinationName": "x", "domainName": "x.example.com", "user": owner["id"],
                                               "databaseClone": True}), "sourceDatabaseId", "databaseDestinationName")
