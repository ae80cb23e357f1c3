# -*- coding: utf-8 -*-
# Copyright (c) runcloud.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""API v3 backups: workspace-level backup policies of a web app and/or a database, their snapshots and
restores (runcloud-api-v3 §2.28). Stored in state["backups"], keyed by id like every collection."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import sim_resources as res
from sim_core import invalid, now_timestamp, public, validate

BACKUP_TYPES = {"full": "full backup", "incremental": "incremental backup"}
STORAGES = ["runcloud", "local"]
FORMATS = ["tar", "tar.gz"]
PERIOD = r"\d{1,3} (hour|day|week|month)s?"
SORT_COLUMNS = ["id", "label", "storage", "status", "created_at"]

BACKUP_SETTINGS = {
    "format": "nullable|string|" + res.one_of(FORMATS), "excludeDevelopmentFiles": "nullable|boolean",
    "excludeWordpressCacheFiles": "nullable|boolean", "successNotification": "nullable|boolean", "failNotification": "nullable|boolean",
    "excludeFile": "nullable|array", "excludeTable": "nullable|array",
}
BACKUP_CREATE = dict({
    "name": "required|string|max:255", "webApplicationId": "nullable|integer", "databaseId": "nullable|integer",
    "backupType": "required|string|" + res.one_of(BACKUP_TYPES), "storage": "required|string|" + res.one_of(STORAGES),
    "frequency": "required|string|regex:" + PERIOD, "retention": "required|string|regex:" + PERIOD,
}, **BACKUP_SETTINGS)
BACKUP_UPDATE = dict({"name": "string|max:255", "frequency": "string|regex:" + PERIOD, "retention": "string|regex:" + PERIOD},
                     **{field: rule.replace("nullable|", "") for field, rule in BACKUP_SETTINGS.items()})
LISTS = ("excludeFile", "excludeTable")


def backups(store):
    return store.state.setdefault("backups", {})


def _string_lists(fields):
    """excludeFile and excludeTable (validated arrays): arrays of strings, [] when null or empty."""
    lists = {}
    for field in LISTS:
        if field in fields:
            value = fields.pop(field) or []
            if not all(isinstance(item, str) and item for item in value):
                raise invalid(field, "The %s must be an array of strings." % field)
            lists[field] = value
    return lists


def _find_webapp(store, app_id):
    for server in store.state["servers"].values():
        app = server["_webapps"].get(str(app_id))
        if app is not None:
            return server, app
    return None, None


def _find_database(store, database_id, server=None):
    for candidate in [server] if server is not None else store.state["servers"].values():
        database = candidate["_databases"].get(str(database_id))
        if database is not None:
            return candidate, database
    return None, None


def _backup_view(record):
    view = public(record)
    view["items"] = dict(record["items"])
    return view


def _backup(ctx):
    return res.find(backups(ctx.store), ctx.params["backupId"], "Backup")


def add_snapshot(store, record, status="COMPLETED"):
    """One run of the policy: a snapshot of what the backup covers."""
    snapshot = {"id": store.next_id("backupsnapshot"), "runDate": now_timestamp(), "backupId": record["id"], "status": status,
                "type": record["_backupType"], "size": {}}
    if record["items"]["webApplicationId"] is not None:
        snapshot["size"]["WebApplication"] = "%.2fMB" % (40 + record["id"] % 50 + len(record["_snapshots"]) * 0.37)
    if record["items"]["databaseId"] is not None:
        snapshot["size"]["Database"] = "%dkB" % (64 + len(record["_snapshots"]) * 3)
    record["_snapshots"].append(snapshot)
    return snapshot


def create_backup(ctx):
    fields = ctx.validate(BACKUP_CREATE)
    lists = _string_lists(fields)
    if fields.get("webApplicationId") is None and fields.get("databaseId") is None:
        raise invalid("webApplicationId", "The webApplicationId field is required when databaseId is not present.")
    server = None
    if fields.get("webApplicationId") is not None:
        server, app = _find_webapp(ctx.store, fields["webApplicationId"])
        if app is None:
            raise invalid("webApplicationId", "The selected webApplicationId is invalid.")
        if any(other["items"]["webApplicationId"] == app["id"] for other in backups(ctx.store).values()):
            raise invalid("webApplicationId", "The web application already has a backup.")
    if fields.get("databaseId") is not None:
        server, database = _find_database(ctx.store, fields["databaseId"], server)
        if database is None:
            raise invalid("databaseId", "The selected databaseId is invalid.")
        if any(other["items"]["databaseId"] == database["id"] for other in backups(ctx.store).values()):
            raise invalid("databaseId", "The database already has a backup.")
    record = ctx.store.add(backups(ctx.store), "backup", {
        "label": fields["name"], "items": {"webApplicationId": fields.get("webApplicationId"), "databaseId": fields.get("databaseId")},
        "storage": fields["storage"], "type": BACKUP_TYPES[fields["backupType"]], "frequency": fields["frequency"], "size": "0B",
        "status": "active",
    })
    record.update({"_serverId": server["id"], "_backupType": fields["backupType"], "_snapshots": [], "_settings": {
        "format": fields.get("format") or "tar.gz", "retention": fields["retention"],
        "excludeDevelopmentFiles": bool(fields.get("excludeDevelopmentFiles")),
        "excludeWordpressCacheFiles": bool(fields.get("excludeWordpressCacheFiles")),
        "successNotification": bool(fields.get("successNotification")), "failNotification": fields.get("failNotification") is not False,
        "excludeFile": lists.get("excludeFile", []), "excludeTable": lists.get("excludeTable", []),
    }})
    # The first run starts right after the policy is made; its snapshot shows once it finished.
    ctx.later(lambda: add_snapshot(ctx.store, record) if str(record["id"]) in backups(ctx.store) else None)
    return {"message": "Backup instance has been successfully created.", "backup": _backup_view(record)}


def list_backups(ctx):
    filters = validate(ctx.query, {"server_id": "nullable|integer", "storage": "nullable|string", "status": "nullable|string",
                                   "sort_column": "nullable|string|" + res.one_of(SORT_COLUMNS), "sort_direction": "nullable|string|in:asc,desc"})

    def matches(record):
        pairs = (("server_id", record["_serverId"]), ("storage", record["storage"]), ("status", record["status"]))
        return all(filters.get(key) in (None, value) for key, value in pairs)

    items = [record for record in backups(ctx.store).values() if matches(record)]
    if filters.get("sort_column"):
        items.sort(key=lambda record: record[filters["sort_column"]], reverse=filters.get("sort_direction") == "desc")
    return ctx.page(items, "label", view=_backup_view)


def get_backup(ctx):
    return _backup_view(_backup(ctx))


def update_backup(ctx):
    record = _backup(ctx)
    fields = ctx.validate(BACKUP_UPDATE)
    fields.update(_string_lists(fields))
    if "name" in fields:
        record["label"] = fields.pop("name")
    if "frequency" in fields:
        record["frequency"] = fields.pop("frequency")
    record["_settings"].update(fields)
    return {"message": "Backup settings have been successfully updated.", "backup": _backup_view(record)}


def delete_backup(ctx):
    record = _backup(ctx)
    del backups(ctx.store)[str(record["id"])]
    return {"message": "Backup instance has been successfully deleted."}


def list_snapshots(ctx):
    return [dict(snapshot, size=dict(snapshot["size"])) for snapshot in reversed(_backup(ctx)["_snapshots"])]


def _snapshot(ctx):
    record = _backup(ctx)
    for snapshot in record["_snapshots"]:
        if snapshot["id"] == ctx.params["backupSnapshotId"]:
            return record, snapshot
    raise res.not_found("Backup snapshot")


def delete_snapshot(ctx):
    record, snapshot = _snapshot(ctx)
    record["_snapshots"].remove(snapshot)
    return {"message": "Snapshot deleted"}


RESTORE = {"restoreTarget": "required|string|in:current,other", "clearFiles": "nullable|boolean",
           "webapp": "nullable|integer", "database": "nullable|integer"}


def restore_snapshot(ctx):
    """Restores into the backed-up web app and database (`current`) or into others (`other`, ids as strings)."""
    record, snapshot = _snapshot(ctx)
    fields = ctx.validate(RESTORE)
    if fields["restoreTarget"] == "current":
        app_id, database_id = record["items"]["webApplicationId"], record["items"]["databaseId"]
    else:
        app_id, database_id = fields.get("webapp"), fields.get("database")
        if app_id is None and database_id is None:
            raise invalid("webapp", "The webapp field is required when restoreTarget is other.")
    app = _find_webapp(ctx.store, app_id)[1] if app_id is not None else None
    if app_id is not None and app is None:
        raise invalid("webapp", "The selected webapp is invalid.")
    if database_id is not None and _find_database(ctx.store, database_id)[1] is None:
        raise invalid("database", "The selected database is invalid.")

    def land():
        if app is not None:
            res.log_event(app, "backup", "Restored from backup snapshot %d%s" % (snapshot["id"], " (files cleared)" if fields.get("clearFiles") else ""))

    ctx.later(land)
    return {"message": "Backup restore process will begin shortly"}


B = "/backups/{backupId}"
ROUTES = [
    ("GET", "/backups", list_backups),
    ("POST", "/backups", create_backup),
    ("GET", B, get_backup),
    ("PATCH", B, update_backup),
    ("DELETE", B, delete_backup),
    ("GET", B + "/snapshots", list_snapshots),
    ("DELETE", B + "/snapshots/{backupSnapshotId}", delete_snapshot),
    ("POST", B + "/snapshots/{backupSnapshotId}/restore", restore_snapshot),
]
