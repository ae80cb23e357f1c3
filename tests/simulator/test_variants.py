# -*- coding: utf-8 -*-
# Copyright (c) runcloud.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Variant answers (docs/simulator.md) and the Laravel-like defaults next to them."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest
import requests

import sim_variants


def use(api, *variants):
    return api.control("POST", "/variants", {"variants": list(variants)})


def git_app(api, server_id):
    app = api.webapp(server_id)
    path = "/servers/%d/webapps/%d/git" % (server_id, app["id"])
    api.ok("POST", path, {"provider": "github", "repository": "owner/repo", "branch": "main"})
    return path


def test_variants_are_listed_set_and_reset(sim, api):
    assert api.control("GET", "/variants")["variants"] == []
    assert set(api.control("GET", "/variants")["known"]) == set(sim_variants.VARIANTS)
    assert use(api, "bare-lists", "timestamps")["variants"] == ["timestamps", "bare-lists"]
    response = requests.post(sim.control_url + "/variants", json={"variants": ["bare-lists", "laravel-pagination"]}, timeout=5)
    assert response.status_code == 400 and "exclude each other" in response.json()["message"]
    response = requests.post(sim.control_url + "/variants", json={"variants": ["no-such"]}, timeout=5)
    assert response.status_code == 400 and "unknown variant" in response.json()["message"]
    sim.handle_control("POST", "/reset", "")
    assert api.control("GET", "/variants")["variants"] == []


def test_list_shapes(api):
    for number in range(20):
        api.server(name="s%02d" % number)
    use(api, "bare-lists")
    assert isinstance(api.ok("GET", "/servers"), list)
    use(api, "no-pagination-meta")
    assert set(api.ok("GET", "/servers")) == {"data"}
    use(api, "laravel-pagination")
    body = api.ok("GET", "/servers", page=2, perPage=8)
    assert body["meta"]["last_page"] == 3 and body["meta"]["current_page"] == 2 and "pagination" not in body["meta"]
    use(api, "fixed-page-size")
    assert len(api.ok("GET", "/servers", perPage=40)["data"]) == 15


def test_object_shapes(api, server_id):
    path = git_app(api, server_id)
    use(api, "flatten-nested")
    git = api.ok("GET", path)
    assert "repositoryData" not in git and git["repository"].endswith("owner/repo.git")
    use(api, "omit-optional")
    git = api.ok("GET", path)
    assert "repositoryData" not in git and "gitHost" not in git
    use(api, "string-scalars", "empty-for-null", "timestamps", "extra-fields")
    server = api.ok("GET", "/servers/%d" % server_id)
    assert server["id"] == server_id and server["connected"] in (0, 1)
    assert server["created_at"].endswith("Z") and "T" in server["created_at"]
    assert server["simExtraNote"] and all(value is not None for value in server.values())
    use(api, "null-for-empty")
    users = api.ok("GET", "/servers/%d/users" % server_id)["data"]
    assert all(value != "" for user in users for value in user.values())


def test_errors_are_not_rewritten(api, server_id):
    use(api, "bare-lists", "string-scalars")
    response = api.get("/servers/%d/webapps/999" % server_id)
    assert response.status_code == 404 and response.json() == {"message": "Web application not found"}


def test_form_encoded_bodies_are_read_as_laravel_does(sim, api, server_id):
    response = requests.post(sim.url + "/servers/%d/users" % server_id, data={"username": "formuser", "password": "s3cret-pass"},
                             headers={"Authorization": "Bearer " + sim.token, "Accept": "application/json"}, timeout=5)
    assert response.status_code == 200 and response.json()["username"] == "formuser"


def test_an_update_with_no_known_field_is_refused(api, server_id):
    response = api.patch("/servers/%d/settings/ssh" % server_id, {"passwordLogin": True})
    assert response.status_code == 422 and "passwordlessLogin" in response.json()["errors"]["fields"][0]
    assert api.patch("/servers/%d/settings/ssh" % server_id, {"useDns": True}).status_code == 200


def test_unauthenticated_message(sim):
    response = requests.get(sim.url + "/ping", headers={"Authorization": "Bearer wrong", "Accept": "application/json"}, timeout=5)
    assert response.status_code == 401 and response.json() == {"message": "Invalid credentials."}


@pytest.mark.parametrize("names", [["timestamps"], "bare-lists,timestamps"])
def test_checked_variants_accepts_lists_and_strings(names):
    assert "timestamps" in sim_variants.checked_variants(names)


def test_scalar_spellings(api, server_id):
    app = api.webapp(server_id)
    use(api, "string-ids", "string-flags", "dotted-php")
    server = api.ok("GET", "/servers/%d" % server_id)
    assert server["id"] == str(server_id) and server["connected"] in ("0", "1") and server["phpCLIVersion"] == "8.1"
    web_app = api.ok("GET", "/servers/%d/webapps/%d" % (server_id, app["id"]))
    assert web_app["server_user_id"] == str(app["server_user_id"]) and web_app["phpVersion"] == "8.1"
    assert web_app["defaultApp"] in ("0", "1")
    assert all(version[0].isdigit() and "." in version for version in api.ok("GET", "/servers/%d/php/version" % server_id))
    use(api, "word-booleans", "enum-case")
    web_app = api.ok("GET", "/servers/%d/webapps/%d" % (server_id, app["id"]))
    assert web_app["defaultApp"] in ("true", "false") and web_app["stack"] == "Hybrid" and web_app["stackMode"] == "Production"
    assert web_app["phpVersion"] == "php81rc" and isinstance(web_app["id"], int)
    rule = api.ok("POST", "/servers/%d/security/firewalls" % server_id, {"type": "global", "port": 8080, "protocol": "tcp"})
    assert rule["type"] == "Global" and rule["protocol"] == "TCP"
    response = requests.post(api.sim.control_url + "/variants", json={"variants": ["string-flags", "word-booleans"]}, timeout=5)
    assert response.status_code == 400 and "exclude each other" in response.json()["message"]


def test_single_objects_in_a_data_envelope(api, server_id):
    use(api, "data-envelope")
    server = api.ok("GET", "/servers/%d" % server_id)
    assert set(server) == {"data"} and server["data"]["id"] == server_id
    assert set(api.ok("GET", "/servers/%d/installationscript" % server_id)) == {"data"}
    assert "pagination" in api.ok("GET", "/servers")["meta"]
    assert isinstance(api.ok("GET", "/servers/%d/php/version" % server_id), list)


def test_lists_paged_by_links_only(api):
    for number in range(24):
        api.server(name="l%02d" % number, ip_address="192.0.2.%d" % (number + 1))
    use(api, "links-pagination")
    first = api.ok("GET", "/servers", perPage=40)
    assert set(first) == {"data", "links"} and len(first["data"]) == 20 and "page=2" in first["links"]["next"]
    second = api.ok("GET", "/servers", page=2, perPage=40)
    assert len(second["data"]) == 4 and second["links"]["next"] is None


@pytest.mark.parametrize("variant,shape", [("errors-list", list), ("errors-string", str)])
def test_validation_errors_in_other_shapes(api, server_id, variant, shape):
    use(api, variant)
    api.system_user(server_id, "taken")
    response = api.post("/servers/%d/users" % server_id, {"username": "taken", "password": "s3cret-pass"})
    body = response.json()
    assert response.status_code == 422 and isinstance(body["errors"], shape)
    assert "taken" in (body["errors"] if shape is str else " ".join(body["errors"]))
