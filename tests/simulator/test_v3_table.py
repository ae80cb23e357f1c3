# -*- coding: utf-8 -*-
# Copyright (c) runcloud.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The v3 reference's section 3, row by row: every v2 endpoint that v3 keeps answers at the same path
under /api/v3, the moved ones (SSH keys, typed collations) at their new path, and one account is seen
through both versions."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

import pytest

from sim_testlib import PEM_CERTIFICATE, PEM_KEY, PUBLIC_KEY
from test_protocol import REFERENCE_ENDPOINTS

S = "/servers/{serverId}"
V3_SSH = S + "/ssh/credentials"

# Section 3 rows 27-30 and 105: v2 endpoint -> its v3 endpoint(s). Every other row keeps method and path.
MOVED_IN_V3 = {
    ("POST", S + "/sshcredentials"): [("POST", V3_SSH)],
    ("GET", S + "/sshcredentials"): [("GET", V3_SSH)],
    ("GET", S + "/sshcredentials/{sshKeyId}"): [("GET", V3_SSH + "/{sshKeyId}")],
    ("DELETE", S + "/sshcredentials/{sshKeyId}"): [("DELETE", V3_SSH + "/{sshKeyId}")],
    ("GET", "/static/databases/collations"): [("GET", "/static/databases/collations/mysql"),
                                              ("GET", "/static/databases/collations/mariadb")],
}
SECTION_3 = [(row, MOVED_IN_V3.get(row, [row])) for row in REFERENCE_ENDPOINTS]


def test_section_3_has_108_rows_103_kept_5_moved():
    assert len(SECTION_3) == 108
    assert sum(1 for row, v3 in SECTION_3 if v3 == [row]) == 103
    assert set(MOVED_IN_V3) <= set(REFERENCE_ENDPOINTS)


def test_v3_serves_every_row_at_its_v3_path_and_no_moved_row_at_its_v2_path(sim):
    served = set(sim.v3_router.endpoints())
    missing = [v3 for dummy, targets in SECTION_3 for v3 in targets if v3 not in served]
    assert missing == []
    assert [row for row in MOVED_IN_V3 if row in served] == []


def _fill(template, ids):
    return re.sub(r"\{(\w+)\}", lambda match: str(ids[match.group(1)]), template)


@pytest.fixture(name="account")
def fixture_account(api, sim):
    """A seeded account with one of everything the v2 endpoints read, and the ids to reach it."""
    server_id = api.control("POST", "/seed", {"servers": 1, "fixtures": True})["servers"][0]
    server = sim.state["servers"][str(server_id)]
    app = next(iter(server["_webapps"].values()))
    app_path = "/servers/%d/webapps/%d" % (server_id, app["id"])
    certificate = {"provider": "custom", "enableHttp": True, "enableHsts": False, "privateKey": PEM_KEY, "certificate": PEM_CERTIFICATE}
    ssl = api.ok("POST", app_path + "/ssl", certificate)
    api.ok("POST", app_path + "/ssl/advanced", {"advancedSSL": True})  # so that the domain-SSL reads answer too
    git = api.ok("POST", app_path + "/git", {"provider": "github", "repository": "owner/repo", "branch": "main"})
    installer = api.ok("POST", app_path + "/installer", {"name": "phpMyAdmin"})
    key = api.ok("POST", "/servers/%d/sshcredentials" % server_id, {"label": "laptop", "username": "app", "publicKey": PUBLIC_KEY})
    external = api.ok("POST", "/settings/externalapi", {"label": "dns", "service": "cloudflare", "username": "me@example.com", "secret": "s3cret-key"})
    collections = ("_users", "_databases", "_databaseusers", "_cronjobs", "_supervisors", "_firewalls")
    first = {collection: int(next(iter(server[collection]))) for collection in collections}
    return {
        "serverId": server_id, "webAppId": app["id"], "domainId": int(next(iter(app["_domains"]))), "sslId": ssl["id"],
        "gitId": git["id"], "installerId": installer["id"], "sshKeyId": key["id"], "apiId": external["id"],
        "userId": first["_users"], "databaseId": first["_databases"], "databaseUserId": first["_databaseusers"],
        "cronJobId": first["_cronjobs"], "supervisorId": first["_supervisors"], "firewallId": first["_firewalls"],
    }


def _ids_of(body):
    """What identifies an answer for the comparison: the ids of a list page or an object, else the body."""
    if isinstance(body, dict) and isinstance(body.get("data"), list):
        return sorted(item.get("id") for item in body["data"])
    if isinstance(body, dict) and "id" in body:
        return body["id"]
    return body


# Reads whose v3 answer has another documented shape (section 3 Fields≠), compared by status only.
RESHAPED_READS = {("GET", S + "/stats"), ("GET", S + "/logs"), ("GET", S + "/webapps/{webAppId}/log")}


def test_every_read_answers_the_same_account_through_both_versions(api, api3, account):
    for (method, v2_template), targets in SECTION_3:
        if method != "GET":
            continue
        v2 = api.get(_fill(v2_template, account))
        assert v2.status_code == 200, (v2_template, v2.text)
        for dummy, v3_template in targets:
            v3 = api3.get(_fill(v3_template, account))
            assert v3.status_code == 200, (v3_template, v3.text)
            if (method, v2_template) in RESHAPED_READS or (method, v2_template) in MOVED_IN_V3:
                continue
            assert _ids_of(v3.json()) == _ids_of(v2.json()), v3_template


def test_every_write_reaches_its_v3_handler(api3, account):
    """With unknown ids (and no body) each write gets a resource-level answer, never the router's 404 or a 405."""
    unknown = {name: 99999 for name in account}
    for (method, dummy), targets in SECTION_3:
        if method == "GET":
            continue
        for dummy, v3_template in targets:
            response = api3.request(method, _fill(v3_template, unknown))
            assert response.status_code in (404, 422), (method, v3_template, response.status_code, response.text)
            assert response.json() != {"message": "Not found"}, (method, v3_template)


def test_moved_rows_are_not_found_at_their_v2_path_on_v3(api3, account):
    for method, template in MOVED_IN_V3:
        response = api3.request(method, _fill(template, account), {"label": "x"} if method == "POST" else None)
        assert (response.status_code, response.json()) == (404, {"message": "Not found"}), template


def test_ssh_keys_of_v2_are_read_at_the_v3_path_in_the_v3_shape(api3, account):
    key = api3.ok("GET", "/servers/%d/ssh/credentials/%d" % (account["serverId"], account["sshKeyId"]))
    assert key == {"id": account["sshKeyId"], "label": "laptop", "user": "app", "publicKey": PUBLIC_KEY, "temporary": False,
                   "created_at": key["created_at"]}
