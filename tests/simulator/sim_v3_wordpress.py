# -*- coding: utf-8 -*-
# Copyright (c) runcloud.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""API v3 WordPress (site create, RunCloud Hub and RunCache, staging, general settings and wp-config)
and web-app cloning (runcloud-api-v3 §2.18, §2.22, §2.24-2.26).

Most of these writes only acknowledge ("... will begin shortly", `{}`); their effect lands later
(ctx.later). Validation happens before the acknowledgement, so a refused request answers 422 at once.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import sim_data as data
import sim_resources as res
import sim_webapps as apps
from sim_core import ApiError, invalid, not_found, now_timestamp, public, validate

S = "/servers/{serverId}"
W = S + "/webapps/{webAppId}"
URL = r"https?://[A-Za-z0-9.-]+(:\d+)?(/\S*)?"
EMAIL = r"[^@\s]+@[^@\s]+\.[A-Za-z]{2,63}"
CACHE_TYPES = ["native", "redis"]
WORDPRESS_STACKS = ["hybrid", "nativenginx"]

WORDPRESS_CREATE = {
    "name": apps.CREATE_SCHEMA["name"], "domainName": apps.CREATE_SCHEMA["domainName"], "user": "required|integer",
    "phpVersion": apps.CREATE_SCHEMA["phpVersion"], "publicPath": apps.SETTINGS_SCHEMA["publicPath"],
    "stack": "required|string|" + res.one_of(WORDPRESS_STACKS), "stackMode": "nullable|string|" + res.one_of(data.STACK_MODES),
    "siteTitle": "required|string|max:255", "adminUsername": "required|string|max:60", "password": "required|string|min:8",
    "adminEmail": "required|string|max:255|regex:" + EMAIL, "dbName": "required|string|max:64|regex:" + res.SQL_NAME,
    "dbUser": "required|string|max:32|regex:" + res.SQL_NAME, "dbPassword": "required|string|min:6",
    "dbPrefix": "nullable|string|max:20|regex:[A-Za-z0-9_]+",
}


def _new_app_fields(fields, source_settings=None):
    """The create fields of a web app made by v3 (WordPress site, staging copy, clone)."""
    settings = dict(data.NEW_APP_SETTINGS)
    settings.update(source_settings or {})
    settings.update({key: value for key, value in fields.items() if value is not None})
    return settings


def _wordpress(app):
    """The site's WordPress settings; apps that became WordPress through the v2 script installer get defaults."""
    primary = next((domain["name"] for domain in app["_domains"].values() if domain["type"] == "primary"), app["name"])
    return app.setdefault("_wordpress", {"home": "http://" + primary, "siteurl": "http://" + primary,
                                         "disableWpCron": False, "wpDebug": False})


def _wordpress_app(ctx):
    app = ctx.webapp()
    if app["type"] != "wordpress":
        raise invalid("webApplication", "This web application is not a WordPress site.")
    return app


def create_wordpress(ctx):
    """POST /webapps/wordpress: the web app, its database, database user and grant, WordPress installed."""
    server = ctx.server()
    fields = ctx.validate(WORDPRESS_CREATE)
    apps.check_new_app(server, fields)
    res.ensure_unique(server["_databases"], "name", fields["dbName"], "dbName")
    res.ensure_unique(server["_databaseusers"], "username", fields["dbUser"], "dbUser")
    app = apps.add_webapp(ctx.store, server, _new_app_fields({
        key: fields.get(key) for key in ("name", "domainName", "user", "phpVersion", "publicPath", "stack", "stackMode")}))
    app["type"] = "wordpress"
    app["_installer"] = ctx.store.new_record("installer", {"name": "wordpress", "realName": data.INSTALLERS["wordpress"]})
    database = res.add_database(ctx.store, server, fields["dbName"], "utf8mb4_unicode_ci")
    database_user = res.add_database_user(ctx.store, server, fields["dbUser"], fields["dbPassword"])
    database["_grants"].append(database_user["id"])
    _wordpress(app).update({"siteTitle": fields["siteTitle"], "adminUsername": fields["adminUsername"],
                            "adminEmail": fields["adminEmail"], "dbPrefix": fields.get("dbPrefix") or "wp_"})
    res.log_event(server, "webapp", "Created WordPress site %s" % app["name"])
    view = public(app)
    view["defaultApp"] = None  # as in the reference's example of this answer
    return view


# ---------------------------------------------------------------------------
# RunCloud Hub and RunCache: one cache plugin per site, `_hub["_kind"]` says which

HUB_INSTALL = {"cacheType": "required|string|" + res.one_of(CACHE_TYPES), "redisObjectCache": "nullable|boolean",
               "cacheFolderSize": "nullable|integer|min:1", "cacheValidMinute": "nullable|integer|min:1"}
HUB_UPDATE = {"nginxCacheType": "string|" + res.one_of(CACHE_TYPES), "redisObjectCache": "boolean",
              "cacheFolderSize": "integer|min:1", "cacheValidMinute": "integer|min:1"}
RUNCACHE_UPDATE = {"pageCacheType": "string|max:64", "pageCacheEnabled": "boolean", "cdnEnabled": "boolean", "objectCacheEnabled": "boolean"}


def _hub(ctx, kind):
    app = ctx.webapp()
    hub = app.get("_hub")
    if hub is None or hub["_kind"] != kind:
        raise not_found("RunCloud Hub" if kind == "hub" else "RunCache")
    return app, hub


def install_hub(ctx):
    app = _wordpress_app(ctx)
    fields = ctx.validate(HUB_INSTALL)
    if app.get("_hub") is not None:
        raise invalid("cacheType", "RunCloud Hub is already installed.")

    def land():
        if app.get("_hub") is not None:
            return
        stamp = now_timestamp()
        app["_hub"] = {
            "id": ctx.store.next_id("runcloudhub"), "web_application_id": app["id"], "nginxCacheType": fields["cacheType"],
            "cacheFolderPath": "/var/cache/nginx-rc/%s" % app["name"], "cacheFolderSize": fields.get("cacheFolderSize") or 50,
            "cacheHeaderName": "RunCloud-SRCache", "cacheValidMinute": fields.get("cacheValidMinute") or 480, "status": "Completed",
            "apiKey": data.fingerprint("hub-key", app["id"])[:32], "apiSecret": data.fingerprint("hub-secret", app["id"])[:40],
            "created_at": stamp, "updated_at": stamp,
            "_kind": "hub", "_redisObjectCache": bool(fields.get("redisObjectCache")),
            "_runcache": {"pageCacheType": "runcloud-native", "pageCacheEnabled": True, "cdnEnabled": False, "objectCacheEnabled": False},
        }
        res.log_event(app, "runcloudhub", "RunCloud Hub installed")

    ctx.later(land)
    return {"message": "Installation will begin shortly"}


def get_hub(ctx):
    return public(_hub(ctx, "hub")[1])


def update_hub(ctx):
    app, hub = _hub(ctx, "hub")
    fields = ctx.validate(HUB_UPDATE)

    def land():
        if "redisObjectCache" in fields:
            hub["_redisObjectCache"] = fields.pop("redisObjectCache")
        hub.update(fields)
        hub["updated_at"] = now_timestamp()
        res.log_event(app, "runcloudhub", "RunCloud Hub updated")

    ctx.later(land)
    return {"message": "RunCloud Hub has been updated."}


def remove_hub(ctx):
    app, hub = _hub(ctx, "hub")

    def land():
        if app.get("_hub") is hub:
            app["_hub"] = None
            res.log_event(app, "runcloudhub", "RunCloud Hub removed")

    ctx.later(land)
    return {"message": "Configuration will be removed shortly"}


def get_runcache(ctx):
    hub = _hub(ctx, "runcache")[1]
    settings = hub["_runcache"]
    return {"id": hub["id"], "status": hub["status"], "apiKey": hub["apiKey"], "apiSecret": hub["apiSecret"], "cacheSettings": {
        "cache_settings": {"enable": settings["pageCacheEnabled"], "page_cache_type": settings["pageCacheType"]},
        "cdn_settings": {"enable": settings["cdnEnabled"], "cdn_type": "cloudflare" if settings["cdnEnabled"] else None},
        "object_cache_settings": {"enable": settings["objectCacheEnabled"], "object_cache_type": "redis" if settings["objectCacheEnabled"] else None},
    }}


def update_runcache(ctx):
    app, hub = _hub(ctx, "runcache")
    hub["_runcache"].update(ctx.validate(RUNCACHE_UPDATE))
    res.log_event(app, "runcache", "RunCache settings updated")
    return {"message": "Runcache has been updated."}


def _switch_cache(ctx, source_kind, target_kind, message):
    app, hub = _hub(ctx, source_kind)

    def land():
        if hub["_kind"] == source_kind:
            hub["_kind"] = target_kind
            hub["updated_at"] = now_timestamp()
            res.log_event(app, "runcache", message)

    ctx.later(land)


def upgrade_runcache(ctx):
    _switch_cache(ctx, "hub", "runcache", "Upgraded RunCloud Hub to RunCache")
    return {"message": "Installation will begin shortly"}


def rollback_runcache(ctx):
    _switch_cache(ctx, "runcache", "hub", "Rolled back RunCache to RunCloud Hub")
    return {"message": "Rollback to RunCloud Hub will begin shortly"}


# ---------------------------------------------------------------------------
# Staging: a copy of the site as another web app of the same server

STAGING_CREATE = {
    "url": "required|string|max:253|regex:" + res.HOSTNAME, "enableAuth": "nullable|boolean",
    "username": "required_if:enableAuth,1,true,True|nullable|string|max:64",
    "password": "required_if:enableAuth,1,true,True|nullable|string|min:6",
    "discourageSearchEngine": "nullable|boolean", "enableCache": "nullable|boolean", "enableHttp": "nullable|boolean",
    "enableHsts": "nullable|boolean", "http2": "nullable|boolean", "brotli": "nullable|boolean",
    "dnsProvider": "nullable|string|in:none,cloudflare", "cfApiKeyId": "required_if:dnsProvider,cloudflare|integer",
    "www": "nullable|boolean", "redirection": "nullable|string|" + res.one_of(data.REDIRECTIONS),
}
STAGING_UPDATE = {"enableCache": "boolean", "enableAuth": "boolean", "username": "nullable|string|max:64", "password": "string|min:6"}


def _check_cloudflare_key(ctx, fields):
    if fields.get("dnsProvider") == "cloudflare" and str(fields["cfApiKeyId"]) not in ctx.store.state["externalapi"]:
        raise invalid("cfApiKeyId", "The selected cfApiKeyId is invalid.")


def _free_name(server, name):
    candidate, number = name, 1
    while res.find_by(server["_webapps"], "name", candidate) is not None:
        number += 1
        candidate = "%s%d" % (name, number)
    return candidate


def _has_staging(server, app):
    """Whether the site's staging copy still exists (deleting its web app removes it)."""
    return str(app.get("_staging")) in server["_webapps"]


def create_staging(ctx):
    server, app = ctx.server(), _wordpress_app(ctx)
    fields = ctx.validate(STAGING_CREATE)
    if _has_staging(server, app):
        raise invalid("url", "This web application already has a staging site.")
    if app.get("_stagingOf") is not None:
        raise invalid("url", "A staging site cannot have a staging site.")
    if apps.domain_taken(server, fields["url"].lower()):
        raise invalid("url", "The url has already been taken.")
    _check_cloudflare_key(ctx, fields)

    def land():
        if _has_staging(server, app) or str(app["id"]) not in server["_webapps"]:
            return
        staging = apps.add_webapp(ctx.store, server, _new_app_fields({
            "name": _free_name(server, app["name"][:52] + "-staging"), "domainName": fields["url"], "user": app["server_user_id"],
            "phpVersion": app["phpVersion"], "stack": app["stack"], "stackMode": app["stackMode"]}, app["_settings"]))
        staging.update({"type": "wordpress", "_stagingOf": app["id"], "_wordpress": dict(_wordpress(app)), "_password": fields.get("password"),
                        "_stagingSettings": {"enableCache": bool(fields.get("enableCache")), "enableAuth": bool(fields.get("enableAuth")),
                                             "username": fields.get("username")}})
        app["_staging"] = staging["id"]
        res.log_event(app, "staging", "Staging site %s created" % fields["url"])

    ctx.later(land)
    return {}


def _staging(ctx):
    server, app = ctx.server(), ctx.webapp()
    staging = server["_webapps"].get(str(app.get("_staging")))
    if staging is None:
        raise not_found("Staging")
    return app, staging


def get_staging(ctx):
    return public(_staging(ctx)[1])


def update_staging(ctx):
    staging = _staging(ctx)[1]
    fields = ctx.validate(STAGING_UPDATE)
    if "password" in fields:
        staging["_password"] = fields.pop("password")
    staging["_stagingSettings"].update(fields)
    return dict(staging["_stagingSettings"])


def push_staging(ctx):
    app, staging = _staging(ctx)
    tables = validate(ctx.body, {"syncTable": "nullable|array"}).get("syncTable") or []
    if not all(isinstance(table, str) and table for table in tables):
        raise invalid("syncTable", "The syncTable must be an array of table names.")

    def land():
        app["_wordpress"] = dict(staging.get("_wordpress") or _wordpress(app))
        res.log_event(app, "staging", "Staging pushed to live (%s)" % (", ".join(tables) or "files only"))

    ctx.later(land)
    return {}


# ---------------------------------------------------------------------------
# General settings (home, siteurl) and wp-config (WP_CRON, WP_DEBUG)

def _wordpress_settings(keys):
    def read(ctx):
        settings = _wordpress(_wordpress_app(ctx))
        return {key: settings[key] for key in keys}
    return read


def _wordpress_update(schema):
    def update(ctx):
        app = _wordpress_app(ctx)
        fields = ctx.validate(schema)

        def land():
            _wordpress(app).update(fields)
            res.log_event(app, "wordpress", "WordPress settings updated: %s" % ", ".join(sorted(fields)))

        ctx.later(land)
        return {"message": "Changes will be updated shortly"}
    return update


get_general = _wordpress_settings(("home", "siteurl"))
update_general = _wordpress_update({"home": "string|max:255|regex:" + URL, "siteurl": "string|max:255|regex:" + URL})
get_config = _wordpress_settings(("disableWpCron", "wpDebug"))
update_config = _wordpress_update({"disableWpCron": "boolean", "wpDebug": "boolean"})


# ---------------------------------------------------------------------------
# Cloning a web app (same or another server), optionally with its database

CLONE = {
    "destinationName": apps.CREATE_SCHEMA["name"], "domainName": apps.CREATE_SCHEMA["domainName"], "user": "required|integer",
    "serverDestinationId": "nullable|integer", "dnsProvider": "nullable|string|in:none,cloudflare",
    "cfApiKeyId": "required_if:dnsProvider,cloudflare|integer", "proxy": "nullable|boolean", "www": "nullable|boolean",
    "advancedSSL": "nullable|boolean", "autoSSL": "nullable|boolean", "databaseClone": "nullable|boolean",
    "sourceDatabaseId": "required_if:databaseClone,1,true,True|integer",
    "databaseDestinationName": "required_if:databaseClone,1,true,True|string|max:64|regex:" + res.SQL_NAME,
    "newDatabaseUsername": "nullable|string|max:32|regex:" + res.SQL_NAME, "cloneNginxConfig": "nullable|boolean",
    "cloneRuncloudHub": "nullable|boolean", "cloneBackup": "nullable|boolean", "cloneModsec": "nullable|boolean",
}


def _clone_target(ctx, server, fields):
    """The destination server, after every check a clone must pass there."""
    destination = server
    if fields.get("serverDestinationId") is not None:
        destination = ctx.store.state["servers"].get(str(fields["serverDestinationId"]))
        if destination is None:
            raise invalid("serverDestinationId", "The selected serverDestinationId is invalid.")
    apps.check_new_app(destination, {"name": fields["destinationName"], "domainName": fields["domainName"], "user": fields["user"],
                                     "phpVersion": ctx.webapp()["phpVersion"]}, name_field="destinationName")
    if fields.get("databaseClone"):
        if str(fields["sourceDatabaseId"]) not in server["_databases"]:
            raise invalid("sourceDatabaseId", "The selected sourceDatabaseId is invalid.")
        res.ensure_unique(destination["_databases"], "name", fields["databaseDestinationName"], "databaseDestinationName")
        if fields.get("newDatabaseUsername"):
            res.ensure_unique(destination["_databaseusers"], "username", fields["newDatabaseUsername"], "newDatabaseUsername")
    return destination


def clone_webapp(ctx):
    server, app = ctx.server(), ctx.webapp()
    fields = ctx.validate(CLONE)
    _check_cloudflare_key(ctx, fields)
    destination = _clone_target(ctx, server, fields)

    def land():
        try:
            _clone_target(ctx, server, fields)
        except ApiError:
            return  # something took the name, domain or database in the meantime: the clone fails
        clone = apps.add_webapp(ctx.store, destination, _new_app_fields({
            "name": fields["destinationName"], "domainName": fields["domainName"], "user": fields["user"],
            "phpVersion": app["phpVersion"], "stack": app["stack"], "stackMode": app["stackMode"]}, app["_settings"]))
        clone["type"] = app["type"]
        if fields.get("www"):
            for domain in clone["_domains"].values():
                domain["www"] = 1
        if fields.get("cloneRuncloudHub") and app.get("_hub"):
            clone["_hub"] = dict(app["_hub"], id=ctx.store.next_id("runcloudhub"), web_application_id=clone["id"],
                                 _runcache=dict(app["_hub"]["_runcache"]))
        if fields.get("databaseClone"):
            source = server["_databases"][str(fields["sourceDatabaseId"])]
            database = res.add_database(ctx.store, destination, fields["databaseDestinationName"], source["collation"])
            if fields.get("newDatabaseUsername"):
                user = res.add_database_user(ctx.store, destination, fields["newDatabaseUsername"], data.fingerprint("clone", clone["id"])[:16])
                database["_grants"].append(user["id"])
        res.log_event(app, "webapp", "Cloned to %s" % clone["name"])
        res.log_event(destination, "webapp", "Created web application %s (clone of %s)" % (clone["name"], app["name"]))

    ctx.later(land)
    return {"message": "Web application cloning will begin shortly"}


ROUTES = [
    ("POST", S + "/webapps/wordpress", create_wordpress),
    ("POST", W + "/runcloudhub", install_hub),
    ("GET", W + "/runcloudhub", get_hub),
    ("PATCH", W + "/runcloudhub", update_hub),
    ("DELETE", W + "/runcloudhub", remove_hub),
    ("GET", W + "/runcache", get_runcache),
    ("PATCH", W + "/runcache", update_runcache),
    ("POST", W + "/runcache/upgrade", upgrade_runcache),
    ("POST", W + "/runcache/rollback", rollback_runcache),
    ("POST", W + "/wordpress/staging", create_staging),
    ("GET", W + "/wordpress/staging", get_staging),
    ("PATCH", W + "/wordpress/staging", update_staging),
    ("PATCH", W + "/wordpress/staging/push", push_staging),
    ("GET", W + "/wordpress/general", get_general),
    ("PATCH", W + "/wordpress/general", update_general),
    ("GET", W + "/wordpress/config", get_config),
    ("PATCH", W + "/wordpress/config", update_config),
    ("POST", W + "/clone", clone_webapp),
]
