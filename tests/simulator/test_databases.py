# -*- coding: utf-8 -*-
# Copyright (c) runcloud.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Databases and grants (7 endpoints), database users (5 endpoints)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from sim_testlib import assert_invalid, assert_not_found, assert_page


def _database(api, server_id, name="shop_db", collation=None):
    body = {"name": name}
    if collation:
        body["collation"] = collation
    return api.ok("POST", "/servers/%d/databases" % server_id, body)


def _db_user(api, server_id, username="shop_user"):
    return api.ok("POST", "/servers/%d/databaseusers" % server_id, {"username": username, "password": "pa55word"})


def test_database_lifecycle(api, server_id):
    database = _database(api, server_id, collation="utf8mb4_unicode_ci")
    assert set(database) == {"id", "name", "collation", "created_at"}
    assert (database["name"], database["collation"]) == ("shop_db", "utf8mb4_unicode_ci")
    assert _database(api, server_id, "plain")["collation"] is None
    assert api.ok("GET", "/servers/%d/databases/%d" % (server_id, database["id"])) == database
    assert_page(api.ok("GET", "/servers/%d/databases" % server_id), total=2, count=2)
    assert [db["name"] for db in api.ok("GET", "/servers/%d/databases" % server_id, search="SHOP")["data"]] == ["shop_db"]
    assert api.ok("DELETE", "/servers/%d/databases/%d" % (server_id, database["id"])) == database
    assert_not_found(api.get("/servers/%d/databases/%d" % (server_id, database["id"])), "Database not found")


def test_database_validation(api, server_id):
    path = "/servers/%d/databases" % server_id
    assert_invalid(api.post(path, {}), "name")
    assert_invalid(api.post(path, {"name": "bad-name!"}), "name")
    assert_invalid(api.post(path, {"name": "ok", "collation": "klingon_ci"}), "collation")
    _database(api, server_id, "taken")
    assert_invalid(api.post(path, {"name": "taken"}), "name")


def test_database_user_lifecycle(api, server_id):
    user = _db_user(api, server_id)
    assert set(user) == {"id", "username", "created_at"}
    path = "/servers/%d/databaseusers/%d" % (server_id, user["id"])
    assert api.ok("GET", path) == user
    assert api.ok("PATCH", path, {"password": "n3w-password"}) == user
    assert_invalid(api.patch(path, {}), "password")
    assert_page(api.ok("GET", "/servers/%d/databaseusers" % server_id, search="shop"), total=1, count=1)
    assert api.ok("DELETE", path) == user
    assert_not_found(api.get(path), "Database user not found")


def test_database_user_validation(api, server_id):
    path = "/servers/%d/databaseusers" % server_id
    assert_invalid(api.post(path, {}), "username", "password")
    _db_user(api, server_id, "dup")
    assert_invalid(api.post(path, {"username": "dup", "password": "pa55word"}), "username")


def test_grant_list_and_revoke(api, server_id):
    database = _database(api, server_id)
    user = _db_user(api, server_id)
    other = _db_user(api, server_id, "reporting")
    grant = "/servers/%d/databases/%d/grant" % (server_id, database["id"])
    assert api.ok("POST", grant, {"id": user["id"]}) == user
    assert api.ok("POST", grant, {"id": str(other["id"])}) == other
    assert_invalid(api.post(grant, {"id": user["id"]}), "id")
    assert_page(api.ok("GET", grant), total=2, count=2)
    assert [granted["username"] for granted in api.ok("GET", grant, search="REPORT")["data"]] == ["reporting"]
    assert api.ok("DELETE", grant, {"id": user["id"]}) == user
    assert_invalid(api.delete(grant, {"id": user["id"]}), "id")
    assert_invalid(api.post(grant, {"id": 999}), "id")
    assert_invalid(api.post(grant, {}), "id")
    assert_invalid(api.post(grant, {"id": "abc"}), "id")


def test_deleting_a_database_user_removes_its_grants(api, server_id):
    database = _database(api, server_id)
    user = _db_user(api, server_id)
    grant = "/servers/%d/databases/%d/grant" % (server_id, database["id"])
    api.ok("POST", grant, {"id": user["id"]})
    api.ok("DELETE", "/servers/%d/databaseusers/%d" % (server_id, user["id"]))
    assert_page(api.ok("GET", grant), total=0, count=0)


def test_delete_database_with_delete_user_drops_granted_users(api, server_id):
    kept_db, dropped_db = _database(api, server_id, "kept"), _database(api, server_id, "dropped")
    granted = _db_user(api, server_id, "granted")
    _db_user(api, server_id, "bystander")
    api.ok("POST", "/servers/%d/databases/%d/grant" % (server_id, dropped_db["id"]), {"id": granted["id"]})
    api.ok("POST", "/servers/%d/databases/%d/grant" % (server_id, kept_db["id"]), {"id": granted["id"]})
    api.ok("DELETE", "/servers/%d/databases/%d" % (server_id, dropped_db["id"]), {"deleteUser": True})
    users = [user["username"] for user in api.ok("GET", "/servers/%d/databaseusers" % server_id)["data"]]
    assert users == ["bystander"]
    assert_page(api.ok("GET", "/servers/%d/databases/%d/grant" % (server_id, kept_db["id"])), total=0, count=0)


def test_delete_database_without_flag_keeps_users(api, server_id):
    database = _database(api, server_id)
    user = _db_user(api, server_id)
    api.ok("POST", "/servers/%d/databases/%d/grant" % (server_id, database["id"]), {"id": user["id"]})
    api.ok("DELETE", "/servers/%d/databases/%d" % (server_id, database["id"]))
    assert api.ok("GET", "/servers/%d/databaseusers/%d" % (server_id, user["id"])) == user
