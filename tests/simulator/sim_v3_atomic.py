# -*- coding: utf-8 -*-
# Copyright (c) runcloud.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""API v3 atomic deployment (runcloud-api-v3 §2.29): workspace-level projects made from a web app's git
repository, their deployments and log, the web apps they deploy to, symlinks and deployment scripts.
Stored in state["atomic"]. The paths to list, create and read scripts and to read or delete a symlink
were not in the reference's pages: scripts are made through the control API (add_script). A deployment
releases the head of the project's branch: a push (the control API's push_commit) moves the head, and
it can make the next deployment fail (a failed build, with its log)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import datetime

import sim_data as data
import sim_resources as res
from sim_core import invalid, now_timestamp, public, validate

P = "/atomic/{atomicProjectId}"
SYMLINK_TYPES = ["config", "directory"]
SCRIPT_ACTIONS = ["clone", "composer", "activate", "make-live", "purge"]
SCRIPT_LOCATIONS = ["before", "after"]

PROJECT_CREATE = {"name": "required|string|max:255", "autoDeploy": "nullable|boolean", "webApplication": "required|integer"}
SYMLINK_FIELDS = {"type": "string|" + res.one_of(SYMLINK_TYPES), "linkFrom": "string|max:255", "linkTo": "string|max:255",
                  "secretKey": "nullable|string|max:255", "content": "nullable|string", "webApplications": "nullable|array"}
SCRIPT_FIELDS = {"name": "string|max:255", "scriptAction": "string|" + res.one_of(SCRIPT_ACTIONS),
                 "location": "string|" + res.one_of(SCRIPT_LOCATIONS), "username": "string|max:64", "script": "string",
                 "webApplications": "nullable|array"}


def projects(store):
    return store.state.setdefault("atomic", {})


def _required(schema, *fields):
    return dict(schema, **{field: "required|" + schema[field] for field in fields})


def _iso_now():
    return datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.000000Z")


def _log(project, kind, content, performed_by="RunCloud API"):
    project["_log"].append({"performedBy": performed_by, "kind": kind, "content": content, "created_at": _iso_now()})


def _find_webapp(store, app_id):
    for server in store.state["servers"].values():
        app = server["_webapps"].get(str(app_id))
        if app is not None:
            return app
    return None


def _project(ctx):
    return res.find(projects(ctx.store), ctx.params["atomicProjectId"], "Atomic project")


def _project_view(project):
    view = public(project)
    view["repositoryData"] = dict(project["repositoryData"])
    view["latestDeployment"] = dict(project["_deployments"][-1]) if project["_deployments"] else None
    return view


def _web_application_ids(project, fields):
    """webApplications (a validated array): ids of web apps the project deploys to."""
    ids = fields.pop("webApplications", None) or []
    if not all(isinstance(item, int) and not isinstance(item, bool) for item in ids):
        raise invalid("webApplications", "The webApplications must be an array of web application ids.")
    if set(ids) - set(project["_webapps"]):
        raise invalid("webApplications", "The selected webApplications is invalid.")
    return list(ids)


def create_project(ctx):
    """POST /atomic makes a project of a web app that deploys with git; the answer is only a message."""
    fields = ctx.validate(PROJECT_CREATE)
    app = _find_webapp(ctx.store, fields["webApplication"])
    if app is None:
        raise invalid("webApplication", "The selected webApplication is invalid.")
    git = app["_git"]
    if git is None:
        raise invalid("webApplication", "The web application has no git repository.")
    if git["atomic"]:
        raise invalid("webApplication", "The web application already belongs to an atomic project.")
    res.ensure_unique(projects(ctx.store), "name", fields["name"])
    url = git["repositoryData"]["url"]
    project = ctx.store.add(projects(ctx.store), "atomicproject", {
        "name": fields["name"], "active": True, "provider": git["provider"], "repository": url.split("/", 3)[3], "branch": git["branch"],
        "autoDeploy": bool(fields.get("autoDeploy")), "composerInstall": False, "composerInstallDev": False, "totalCompleted": 0,
        "totalFailed": 0, "completedNotification": False, "failedNotification": True, "pullKey1": None, "pullKey2": None,
        "repositoryData": dict(git["repositoryData"]),
    })
    del project["created_at"]  # the reference's project object has no timestamps
    project["pullKey1"] = data.fingerprint("atomic1", project["id"])[:32]
    project["pullKey2"] = data.fingerprint("atomic2", project["id"])[:32]
    head = data.fingerprint("commit", project["id"])[:40]
    project.update({"_webapps": [app["id"]], "_deployments": [], "_log": [], "_symlinks": {}, "_scripts": {},
                    "_head": {"hash": head, "message": "Initial commit", "committer": "runcloud-sim"}, "_fail_next": False})
    git.update({"atomic": True, "atomic_project_id": project["id"]})
    _log(project, "Info", "Project %s created" % project["name"])
    return {"message": "Project %s has been successfully added." % project["name"]}


def list_projects(ctx):
    return ctx.page(list(projects(ctx.store).values()), "name", view=_project_view)


def get_project(ctx):
    return _project_view(_project(ctx))


def delete_project(ctx):
    project = _project(ctx)
    ctx.validate({"deleteType": "nullable|string|max:64"})
    for app_id in project["_webapps"]:
        app = _find_webapp(ctx.store, app_id)
        if app is not None and app["_git"] is not None and app["_git"]["atomic_project_id"] == project["id"]:
            app["_git"].update({"atomic": False, "atomic_project_id": None})
    del projects(ctx.store)[str(project["id"])]
    return {}


def force_deploy(ctx):
    """PUT forcedeploy: a deployment of the branch's head starts now (DEPLOYING) and completes (or fails,
    after a push_commit with fail_next) once the landing delay passed."""
    project = _project(ctx)
    started = now_timestamp()
    release = started.replace("-", "").replace(":", "").replace(" ", "") + "%02d" % (len(project["_deployments"]) % 100)
    head = project["_head"]
    deployment = {
        "id": ctx.store.next_id("atomicdeployment"), "hash": head["hash"], "hashShort": head["hash"][:7],
        "url": "%s/commit/%s" % (project["repositoryData"]["url"], head["hash"]), "branch": project["branch"],
        "message": head["message"], "committer": head["committer"], "releaseName": release, "status": "DEPLOYING",
        "startTime": started, "endTime": None,
    }
    fails, project["_fail_next"] = project["_fail_next"], False
    project["_deployments"].append(deployment)
    _log(project, "Info", "Deployment %s started" % release)

    def land():
        deployment.update({"status": "FAILED" if fails else "COMPLETED", "endTime": now_timestamp()})
        if fails:
            project["totalFailed"] += 1
            _log(project, "Error", "Deployment %s failed: composer install exited with code 1" % release)
        else:
            project["totalCompleted"] += 1
            _log(project, "Info", "Deployment %s completed" % release)

    ctx.later(land)
    return {"message": "Deployment %s will start in a moment" % release}


def push_commit(project, body):
    """A push to the project's branch (control API): the next deployment releases this commit; with
    fail_next it fails."""
    fields = validate(body, {"hash": "required|string|max:40", "message": "nullable|string|max:255",
                             "committer": "nullable|string|max:255", "fail_next": "nullable|boolean"})
    project["_head"] = {"hash": fields["hash"], "message": fields.get("message") or "Commit %s" % fields["hash"][:7],
                        "committer": fields.get("committer") or "runcloud-sim"}
    project["_fail_next"] = bool(fields.get("fail_next"))
    return dict(project["_head"], fail_next=project["_fail_next"])


def list_deployments(ctx):
    return ctx.page(list(reversed(_project(ctx)["_deployments"])))


def get_deployment(ctx):
    for deployment in _project(ctx)["_deployments"]:
        if deployment["id"] == ctx.params["atomicDeploymentId"]:
            return dict(deployment)
    raise res.not_found("Atomic deployment")


def list_logs(ctx):
    return ctx.page(list(reversed(_project(ctx)["_log"])), "content")


def list_project_webapps(ctx):
    project = _project(ctx)
    return ctx.page([app for app in (_find_webapp(ctx.store, app_id) for app_id in project["_webapps"]) if app is not None], "name")


def add_project_webapp(ctx):
    project = _project(ctx)
    app_id = ctx.validate({"webApplicationId": "required|integer"})["webApplicationId"]
    if _find_webapp(ctx.store, app_id) is None:
        raise invalid("webApplicationId", "The selected webApplicationId is invalid.")
    if app_id in project["_webapps"]:
        raise invalid("webApplicationId", "The web application is already part of this project.")
    project["_webapps"].append(app_id)
    _log(project, "Info", "Web application %d added" % app_id)
    return {}


def remove_project_webapp(ctx):
    """DELETE webapps/{atomicWebappId}: the id is the web app's (the reference does not say otherwise)."""
    project = _project(ctx)
    app_id = ctx.params["atomicWebappId"]
    if app_id not in project["_webapps"]:
        raise res.not_found("Atomic web application")
    project["_webapps"].remove(app_id)
    for collection, key in (("_symlinks", "assignedWebApplicationIds"), ("_scripts", "webApplications")):
        for linked in project[collection].values():
            if app_id in linked[key]:
                linked[key].remove(app_id)
    _log(project, "Info", "Web application %d removed" % app_id)
    return {}


# ---------------------------------------------------------------------------
# Symlinks and scripts

SYMLINK_SAVED = "A new symlink has been successfully added. The config will be sync in a few moments"


def _symlink(ctx):
    return res.find(_project(ctx)["_symlinks"], ctx.params["atomicSymlinkId"], "Atomic symlink")


def _apply_symlink(project, record, fields):
    if "webApplications" in fields:
        record["assignedWebApplicationIds"] = _web_application_ids(project, fields)
    for hidden in ("secretKey", "content"):
        if hidden in fields:
            record["_" + hidden] = fields.pop(hidden)
    record.update(fields)


def list_symlinks(ctx):
    return ctx.page(list(_project(ctx)["_symlinks"].values()))


def create_symlink(ctx):
    project = _project(ctx)
    fields = ctx.validate(_required(SYMLINK_FIELDS, "type", "linkFrom", "linkTo"))
    record = ctx.store.add(project["_symlinks"], "atomicsymlink", {"atomic_project_id": project["id"], "type": fields["type"],
                                                                   "linkFrom": "", "linkTo": "", "assignedWebApplicationIds": []})
    del record["created_at"]  # the reference's symlink object has no timestamps
    _apply_symlink(project, record, fields)
    _log(project, "Info", "Symlink %s added" % record["linkFrom"])
    return {"message": SYMLINK_SAVED}


def update_symlink(ctx):
    project, record = _project(ctx), _symlink(ctx)
    fields = ctx.validate(SYMLINK_FIELDS)
    _apply_symlink(project, record, fields)
    _log(project, "Info", "Symlink %s updated" % record["linkFrom"])
    return {"message": SYMLINK_SAVED}


def add_script(store, project, body):
    """A deployment script (what the reference's unreached script-create page would do; control API)."""
    fields = validate(body, _required(SCRIPT_FIELDS, "name", "scriptAction", "location", "username", "script"))
    assigned = _web_application_ids(project, fields)
    record = store.add(project["_scripts"], "atomicscript", dict(fields, webApplications=assigned))
    del record["created_at"]
    return record


def _script(ctx):
    return res.find(_project(ctx)["_scripts"], ctx.params["atomicScriptId"], "Atomic script")


def update_script(ctx):
    project, record = _project(ctx), _script(ctx)
    fields = ctx.validate(SCRIPT_FIELDS)
    if "webApplications" in fields:
        fields["webApplications"] = _web_application_ids(project, dict(fields))
    record.update(fields)
    _log(project, "Info", "Script %s updated" % record["name"])
    return {"message": "Script %s has been updated" % record["name"]}


def delete_script(ctx):
    project, record = _project(ctx), _script(ctx)
    del project["_scripts"][str(record["id"])]
    _log(project, "Info", "Script %s deleted" % record["name"])
    return {"message": "Script %s has been deleted" % record["name"]}


ROUTES = [
    ("POST", "/atomic", create_project),
    ("GET", "/atomic", list_projects),
    ("GET", P, get_project),
    ("DELETE", P, delete_project),
    ("PUT", P + "/forcedeploy", force_deploy),
    ("GET", P + "/deployments", list_deployments),
    ("GET", P + "/deployments/{atomicDeploymentId}", get_deployment),
    ("GET", P + "/logs", list_logs),
    ("GET", P + "/webapps", list_project_webapps),
    ("POST", P + "/webapps", add_project_webapp),
    ("DELETE", P + "/webapps/{atomicWebappId}", remove_project_webapp),
    ("GET", P + "/symlinks", list_symlinks),
    ("POST", P + "/symlinks", create_symlink),
    ("PATCH", P + "/symlinks/{atomicSymlinkId}", update_symlink),
    ("PATCH", P + "/scripts/{atomicScriptId}", update_script),
    ("DELETE", P + "/scripts/{atomicScriptId}", delete_script),
]
