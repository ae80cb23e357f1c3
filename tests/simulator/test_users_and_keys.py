# -*- coding: utf-8 -*-
# Copyright (c) runcloud.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""System users (6 endpoints) and SSH keys (4 endpoints)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from sim_testlib import PUBLIC_KEY, assert_invalid, assert_not_found, assert_page


def test_create_get_list_system_user(api):
    server_id = api.server()["id"]
    user = api.system_user(server_id, "deploy")
    assert set(user) == {"id", "username", "deploymentKey", "deleteable", "created_at"}
    assert (user["username"], user["deploymentKey"], user["deleteable"]) == ("deploy", None, True)
    assert "password" not in user
    assert api.ok("GET", "/servers/%d/users/%d" % (server_id, user["id"])) == user
    assert_page(api.ok("GET", "/servers/%d/users" % server_id), total=2, count=2)
    assert [found["username"] for found in api.ok("GET", "/servers/%d/users" % server_id, search="DEP")["data"]] == ["deploy"]


def test_system_user_validation_and_uniqueness(api):
    server_id = api.server()["id"]
    path = "/servers/%d/users" % server_id
    assert_invalid(api.post(path, {}), "username")
    assert_invalid(api.post(path, {"username": "Bad Name"}), "username")
    assert_invalid(api.post(path, {"username": "runcloud"}), "username")
    assert_invalid(api.post(path, {"username": "root"}), "username")
    api.system_user(server_id, "twin")
    assert_invalid(api.post(path, {"username": "twin"}), "username")
    other_server = api.server("other", "192.0.2.99")["id"]
    api.system_user(other_server, "twin")


def test_password_and_deployment_key(api):
    server_id = api.server()["id"]
    user_id = api.system_user(server_id)["id"]
    base = "/servers/%d/users/%d" % (server_id, user_id)
    assert api.ok("PATCH", base + "/password", {"password": "another-secret"})["id"] == user_id
    assert_invalid(api.patch(base + "/password", {}), "password")
    key = api.ok("PATCH", base + "/deploymentkey")["deploymentKey"]
    assert key.startswith("ssh-rsa ")
    assert api.ok("GET", base)["deploymentKey"] == key
    assert api.ok("PATCH", base + "/deploymentkey")["deploymentKey"] != key


def test_delete_system_user(api):
    server_id = api.server()["id"]
    user = api.system_user(server_id)
    assert api.ok("DELETE", "/servers/%d/users/%d" % (server_id, user["id"])) == user
    assert_not_found(api.get("/servers/%d/users/%d" % (server_id, user["id"])), "System user not found")


def test_builtin_runcloud_user_cannot_be_deleted(api):
    server_id = api.server()["id"]
    runcloud = api.ok("GET", "/servers/%d/users" % server_id, search="runcloud")["data"][0]
    assert_invalid(api.delete("/servers/%d/users/%d" % (server_id, runcloud["id"])), "user")


def test_user_owning_web_apps_cannot_be_deleted(api):
    server_id = api.server()["id"]
    user_id = api.system_user(server_id, "owner")["id"]
    app = api.webapp(server_id, user_id=user_id)
    assert_invalid(api.delete("/servers/%d/users/%d" % (server_id, user_id)), "user")
    api.ok("DELETE", "/servers/%d/webapps/%d" % (server_id, app["id"]))
    api.ok("DELETE", "/servers/%d/users/%d" % (server_id, user_id))


def test_ssh_key_lifecycle(api):
    server_id = api.server()["id"]
    user_id = api.system_user(server_id, "dev")["id"]
    path = "/servers/%d/sshcredentials" % server_id
    key = api.ok("POST", path, {"label": "laptop", "username": "dev", "publicKey": PUBLIC_KEY})
    assert key == {"id": key["id"], "label": "laptop", "user_id": user_id, "publicKey": PUBLIC_KEY, "created_at": key["created_at"]}
    assert api.ok("GET", "%s/%d" % (path, key["id"])) == key
    assert_page(api.ok("GET", path, search="LAP"), total=1, count=1)
    assert_page(api.ok("GET", path, search="desktop"), total=0, count=0)
    assert api.ok("DELETE", "%s/%d" % (path, key["id"])) == key
    assert_not_found(api.get("%s/%d" % (path, key["id"])), "SSH key not found")


def test_ssh_key_validation(api):
    server_id = api.server()["id"]
    path = "/servers/%d/sshcredentials" % server_id
    assert_invalid(api.post(path, {}), "label", "username", "publicKey")
    assert_invalid(api.post(path, {"label": "x", "username": "ghost", "publicKey": PUBLIC_KEY}), "username")
    assert_invalid(api.post(path, {"label": "x", "username": "runcloud", "publicKey": "not a key"}), "publicKey")
    api.ok("POST", path, {"label": "x", "username": "runcloud", "publicKey": PUBLIC_KEY})
    assert_invalid(api.post(path, {"label": "x", "username": "runcloud", "publicKey": PUBLIC_KEY}), "label")
