# -*- coding: utf-8 -*-
# Copyright (c) runcloud.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""API v3 workspace-level resources: backup policies with snapshots and restores, atomic deployment
projects with deployments, logs, web apps, symlinks and scripts."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

import pytest

from sim_testlib import assert_invalid, assert_page, eventually

POLICY = {"name": "shop nightly", "backupType": "incremental", "storage": "runcloud", "format": "tar.gz", "frequency": "1 day",
          "retention": "1 month", "excludeDevelopmentFiles": True, "excludeFile": ["node_modules"], "excludeTable": []}


@pytest.fixture(name="shop")
def fixture_shop(api, server_id):
    """A web app with a database and a git repository: (web app, database)."""
    app = api.webapp(server_id)
    api.ok("POST", "/servers/%d/webapps/%d/git" % (server_id, app["id"]), {"provider": "github", "repository": "acme/shop", "branch": "main"})
    database = api.ok("POST", "/servers/%d/databases" % (server_id), {"name": "shop_db"})
    return app, database


def test_a_backup_policy_covers_a_web_app_and_database(api, api3, server_id, shop):
    app, database = shop
    created = api3.ok("POST", "/backups", dict(POLICY, webApplicationId=app["id"], databaseId=database["id"]))
    assert created["message"] == "Backup instance has been successfully created."
    backup = created["backup"]
    assert backup["items"] == {"webApplicationId": app["id"], "databaseId": database["id"]}
    assert (backup["label"], backup["type"], backup["storage"], backup["status"]) == ("shop nightly", "incremental backup", "runcloud", "active")
    assert api3.ok("GET", "/backups/%d" % backup["id"]) == backup
    listed = api3.ok("GET", "/backups", server_id=str(server_id))
    assert_page(listed, total=1, count=1, per_page=20)
    assert api3.ok("GET", "/backups", server_id="999")["data"] == []
    updated = api3.ok("PATCH", "/backups/%d" % backup["id"], {"name": "shop hourly", "frequency": "1 hour"})
    assert (updated["backup"]["label"], updated["backup"]["frequency"]) == ("shop hourly", "1 hour")
    assert_invalid(api3.post("/backups", dict(POLICY, webApplicationId=app["id"])), "webApplicationId")
    assert_invalid(api3.post("/backups", dict(POLICY)), "webApplicationId")
    assert_invalid(api3.post("/backups", dict(POLICY, databaseId=database["id"], frequency="daily")), "frequency")
    assert_invalid(api3.patch("/backups/%d" % backup["id"], {"excludeFile": "node_modules"}), "excludeFile")
    assert api3.ok("DELETE", "/backups/%d" % backup["id"])["message"].startswith("Backup instance")
    assert api3.get("/backups/%d" % backup["id"]).status_code == 404


def test_snapshots_come_from_runs_and_restore_lands_later(api, api3, server_id, shop):
    app, database = shop
    backup = api3.ok("POST", "/backups", dict(POLICY, webApplicationId=app["id"], databaseId=database["id"]))["backup"]
    first = eventually(lambda: api3.ok("GET", "/backups/%d/snapshots" % backup["id"]))
    assert first[0]["status"] == "COMPLETED" and set(first[0]["size"]) == {"WebApplication", "Database"}
    api.control("POST", "/backups/%d/snapshots" % backup["id"], {})
    snapshots = api3.ok("GET", "/backups/%d/snapshots" % backup["id"])
    assert len(snapshots) == 2 and snapshots[0]["id"] > snapshots[1]["id"], "newest first"
    restore = "/backups/%d/snapshots/%d/restore" % (backup["id"], snapshots[1]["id"])
    assert api3.ok("POST", restore, {"restoreTarget": "current", "clearFiles": True}) == {"message": "Backup restore process will begin shortly"}
    log_path = "/servers/%d/webapps/%d/log" % (server_id, app["id"])
    eventually(lambda: any("Restored from backup snapshot" in entry["content"] for entry in api3.ok("GET", log_path)["data"]))
    assert_invalid(api3.post(restore, {"restoreTarget": "other", "webapp": "99999"}), "webapp")
    assert_invalid(api3.post(restore, {"restoreTarget": "elsewhere"}), "restoreTarget")
    assert api3.ok("DELETE", "/backups/%d/snapshots/%d" % (backup["id"], snapshots[0]["id"])) == {"message": "Snapshot deleted"}
    assert len(api3.ok("GET", "/backups/%d/snapshots" % backup["id"])) == 1
    assert api3.delete("/backups/%d/snapshots/99999" % backup["id"]).status_code == 404


@pytest.fixture(name="project")
def fixture_project(api3, shop):
    """An atomic project made from the shop's git repository: its API path."""
    app = shop[0]
    assert api3.ok("POST", "/atomic", {"name": "shop", "autoDeploy": True, "webApplication": app["id"]}) == {
        "message": "Project shop has been successfully added."}
    return "/atomic/%d" % api3.ok("GET", "/atomic")["data"][0]["id"]


def test_an_atomic_project_comes_from_a_git_web_app(api, api3, server_id, shop, project):
    app = shop[0]
    body = api3.ok("GET", project)
    assert (body["name"], body["provider"], body["repository"], body["branch"], body["autoDeploy"]) == ("shop", "github", "acme/shop", "main", True)
    assert body["latestDeployment"] is None
    assert_page(api3.ok("GET", "/atomic"), total=1, count=1, per_page=21)
    git = api.ok("GET", "/servers/%d/webapps/%d/git" % (server_id, app["id"]))
    assert (git["atomic"], git["atomic_project_id"]) == (True, body["id"])
    assert_invalid(api3.post("/atomic", {"name": "again", "webApplication": app["id"]}), "webApplication")
    plain = api.webapp(server_id, name="plain", domain="plain.example.com")
    assert_invalid(api3.post("/atomic", {"name": "plain", "webApplication": plain["id"]}), "webApplication")
    assert api3.ok("DELETE", project, {"deleteType": "deleteGitOnly"}) == {}
    assert api.ok("GET", "/servers/%d/webapps/%d/git" % (server_id, app["id"]))["atomic"] is False
    assert api3.get(project).status_code == 404


def test_a_forced_deployment_completes_later_and_is_logged(api, api3, project):
    api.control("POST", "/v3", {"land_delay": 0.2})
    message = api3.ok("PUT", project + "/forcedeploy")["message"]
    release = re.match(r"^Deployment (\d+) will start in a moment$", message).group(1)
    deployments = api3.ok("GET", project + "/deployments")
    assert_page(deployments, total=1, count=1, per_page=15)
    deployment = deployments["data"][0]
    assert (deployment["releaseName"], deployment["status"], deployment["endTime"]) == (release, "DEPLOYING", None)
    done = eventually(lambda: api3.ok("GET", project + "/deployments/%d" % deployment["id"])["status"] == "COMPLETED"
                      and api3.ok("GET", project))
    assert done["totalCompleted"] == 1 and done["latestDeployment"]["status"] == "COMPLETED"
    logs = api3.ok("GET", project + "/logs")
    assert logs["meta"]["pagination"]["per_page"] == 30
    assert logs["data"][0]["content"] == "Deployment %s completed" % release and logs["data"][0]["created_at"].endswith("Z")
    assert api3.get(project + "/deployments/99999").status_code == 404


def test_a_deployment_releases_the_branch_head_and_a_push_can_make_it_fail(api, api3, project):
    api.control("POST", "/v3", {"land_delay": 0})
    project_id = int(project.split("/")[-1])
    api3.ok("PUT", project + "/forcedeploy")
    api3.ok("PUT", project + "/forcedeploy")
    first, second = api3.ok("GET", project + "/deployments")["data"]
    assert first["hash"] == second["hash"], "no push in between: the same commit again"
    pushed = api.control("POST", "/atomic/%d/push" % project_id, {"hash": "a" * 40, "message": "Fix checkout", "fail_next": True})
    assert pushed == {"hash": "a" * 40, "message": "Fix checkout", "committer": "runcloud-sim", "fail_next": True}
    api3.ok("PUT", project + "/forcedeploy")
    failed = api3.ok("GET", project + "/deployments")["data"][0]
    assert (failed["hash"], failed["hashShort"], failed["message"], failed["status"]) == ("a" * 40, "aaaaaaa", "Fix checkout", "FAILED")
    assert api3.ok("GET", project + "/logs")["data"][0]["kind"] == "Error"
    assert api3.ok("GET", project)["totalFailed"] == 1
    assert "created_at" not in api3.ok("GET", project), "the reference's project object has no timestamps"
    api3.ok("PUT", project + "/forcedeploy")
    assert api3.ok("GET", project + "/deployments")["data"][0]["status"] == "COMPLETED", "only the next deployment fails"
    assert api.session.post(api.sim.control_url + "/atomic/99999/push", json={"hash": "b" * 40}, timeout=10).status_code == 404


def test_project_web_apps_symlinks_and_scripts(api, api3, server_id, shop, project):
    other = api.webapp(server_id, name="shop2", domain="shop2.example.com")
    assert api3.ok("POST", project + "/webapps", {"webApplicationId": other["id"]}) == {}
    assert_page(api3.ok("GET", project + "/webapps"), total=2, count=2, per_page=20)
    assert_invalid(api3.post(project + "/webapps", {"webApplicationId": other["id"]}), "webApplicationId")
    answer = api3.ok("POST", project + "/symlinks", {"type": "config", "linkFrom": ".env", "linkTo": "shared/.env", "secretKey": "k",
                                                     "content": "APP_ENV=production", "webApplications": [other["id"]]})
    assert answer["message"].startswith("A new symlink has been successfully added.")
    symlinks = api3.ok("GET", project + "/symlinks")
    assert symlinks["meta"]["pagination"]["per_page"] == 100
    symlink = symlinks["data"][0]
    assert symlink == {"id": symlink["id"], "atomic_project_id": int(project.split("/")[-1]), "type": "config", "linkFrom": ".env",
                       "linkTo": "shared/.env", "assignedWebApplicationIds": [other["id"]]}
    api3.ok("PATCH", project + "/symlinks/%d" % symlink["id"], {"linkTo": "shared/production.env"})
    assert api3.ok("GET", project + "/symlinks")["data"][0]["linkTo"] == "shared/production.env"
    assert_invalid(api3.post(project + "/symlinks", {"type": "file", "linkFrom": "a", "linkTo": "b"}), "type")
    assert_invalid(api3.patch(project + "/symlinks/%d" % symlink["id"], {"webApplications": [99999]}), "webApplications")
    script = api.control("POST", project + "/scripts",
                         {"name": "migrate", "scriptAction": "make-live", "location": "before", "username": "runcloud",
                          "script": "php artisan migrate --force", "webApplications": [shop[0]["id"]]})
    path = project + "/scripts/%d" % script["id"]
    assert api3.ok("PATCH", path, {"location": "after"}) == {"message": "Script migrate has been updated"}
    assert api.control("GET", "/state")["atomic"][project.split("/")[-1]]["_scripts"][str(script["id"])]["location"] == "after"
    assert api3.ok("DELETE", path) == {"message": "Script migrate has been deleted"}
    assert api3.patch(path, {"location": "after"}).status_code == 404
    assert api3.ok("DELETE", project + "/webapps/%d" % other["id"]) == {}
    assert api3.ok("GET", project + "/symlinks")["data"][0]["assignedWebApplicationIds"] == []
    assert api3.delete(project + "/webapps/%d" % other["id"]).status_code == 404
