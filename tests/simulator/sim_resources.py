# -*- coding: utf-8 -*-
# Copyright (c) runcloud.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The RunCloud API v2 resources: the in-memory store, one handler per endpoint and the route table.

Store layout (plain JSON so it can be dumped and persisted): every collection is a dict keyed by the
id as a string, holding records whose public fields are exactly the API object; keys starting with '_'
are bookkeeping the API never shows (children of a server or web app, passwords, firewall deploy state).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import hmac
import secrets

import sim_data as data
from sim_core import (DEFAULT_PER_PAGE, MAX_PER_PAGE, VALIDATION_MESSAGE, ApiError, invalid, not_found, now_timestamp, paginate, public,
                      search_filter, validate)

HOSTNAME = r"(\*\.)?([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}"
TIMEZONE = r"[A-Za-z]+(/[A-Za-z0-9_+-]+)*"
LINUX_NAME = r"[a-z_][a-z0-9_-]{0,31}"
SQL_NAME = r"[A-Za-z0-9_]+"
CRON_FIELD = r"[A-Za-z0-9*/,-]+"
PORT_OR_RANGE = r"\d{1,5}(-\d{1,5})?"
PUBLIC_KEY = r"(ssh-rsa|ssh-ed25519|ssh-dss|ecdsa-sha2-nistp\d+|sk-\S+) [A-Za-z0-9+/=]+( .*)?"
PEM = r"(?s)\s*-----BEGIN [A-Z ]+-----.+-----END [A-Z ]+-----\s*"


def one_of(values):
    """The Laravel `in:` rule for a list of allowed values."""
    return "in:" + ",".join(values)


def new_state():
    return {"counters": {}, "servers": {}, "externalapi": {}, "seedSequence": 0}


class Store:
    """The simulator's data plus the few operations every resource needs (ids, creation, logging)."""

    def __init__(self, state=None):
        self.state = state if state is not None else new_state()

    def next_id(self, kind):
        counters = self.state["counters"]
        counters[kind] = counters.get(kind, 0) + 1
        return counters[kind]

    def new_record(self, kind, fields):
        record = {"id": self.next_id(kind)}
        record.update(fields)
        record.setdefault("created_at", now_timestamp())
        return record

    def add(self, collection, kind, fields):
        record = self.new_record(kind, fields)
        collection[str(record["id"])] = record
        return record


def log_event(record, kind, content):
    """Appends to a server's or web app's activity log (kept oldest first, listed newest first)."""
    record["_log"].append({"kind": kind, "content": content, "created_at": now_timestamp()})


def find(collection, item_id, resource):
    record = collection.get(str(item_id))
    if record is None:
        raise not_found(resource)
    return record


def find_by(collection, field, value):
    for record in collection.values():
        if record.get(field) == value:
            return record
    return None


def ensure_unique(collection, field, value, message_field=None):
    if find_by(collection, field, value) is not None:
        raise invalid(message_field or field, "The %s has already been taken." % (message_field or field))


class Context:
    """One API request as the handlers see it."""

    def __init__(self, store, params, body, query, page_url, root_url="", method=None):
        self.store = store
        self.method = method
        self._update_checked = False
        self.root_url = root_url
        self.params = params
        self.body = body
        self.query = query
        self.page_url = page_url
        # Set per endpoint where an API version documents other page sizes (v3).
        self.default_per_page = DEFAULT_PER_PAGE
        self.max_per_page = MAX_PER_PAGE
        # Effects that land after the answer (writes that only acknowledge); run by the simulator.
        self.deferred = []

    def later(self, effect, after="landing"):
        """Applies `effect()` after the answer was sent: once the simulator's landing delay has passed, or
        after="temporary-key" once a temporary SSH key's lifetime is over."""
        self.deferred.append((after, effect))

    def validate(self, schema):
        if self.method == "PATCH" and not self._update_checked:
            # An update whose fields are all optional would change nothing: say so rather than answer 200.
            # (Where a field is required, its own 422 says it.)
            self._update_checked = True
            optional_only = not any(part.startswith("required") for rule in schema.values() for part in rule.split("|"))
            if optional_only and not any(field in self.body for field in schema):
                raise ApiError(422, VALIDATION_MESSAGE, {"fields": [
                    "The request holds none of the fields this endpoint updates: %s." % ", ".join(sorted(schema))]})
        return validate(self.body, schema)

    def server(self):
        return find(self.store.state["servers"], self.params["serverId"], "Server")

    def webapp(self):
        return find(self.server()["_webapps"], self.params["webAppId"], "Web application")

    def domain(self):
        return find(self.webapp()["_domains"], self.params["domainId"], "Domain")

    def page(self, items, *search_fields, view=public):
        """A list page of the records; `view` makes each record's API object (default: its public fields)."""
        if search_fields:
            items = search_filter(items, self.query, *search_fields)
        return paginate(items, self.query, self.page_url, self.default_per_page, self.max_per_page, view)


def server_collection(collection, param, resource, search_fields, on_delete=None):
    """List/get/delete handlers for a simple collection nested under a server."""

    def list_items(ctx):
        return ctx.page(list(ctx.server()[collection].values()), *search_fields)

    def get_item(ctx):
        return public(find(ctx.server()[collection], ctx.params[param], resource))

    def delete_item(ctx):
        server = ctx.server()
        record = find(server[collection], ctx.params[param], resource)
        if on_delete is not None:
            on_delete(server, record)
        del server[collection][str(record["id"])]
        log_event(server, resource.lower(), "Deleted %s %s" % (resource.lower(), record.get("label") or record.get("name") or record["id"]))
        return public(record)

    return list_items, get_item, delete_item


# ---------------------------------------------------------------------------
# Ping, static data

def ping(_ctx):
    return {"message": "pong"}


def static_collations(_ctx):
    return list(data.COLLATIONS)


def static_timezones(_ctx):
    return list(data.TIMEZONES)


def static_installers(_ctx):
    return list(data.INSTALLERS)


def static_ssl_protocols(ctx):
    web_server = ctx.query.get("webServer") or ctx.body.get("webServer") or "nginx"
    if web_server != "nginx":
        raise invalid("webServer", "The selected webServer is invalid.")
    return [dict(protocol) for protocol in data.SSL_PROTOCOLS]


# ---------------------------------------------------------------------------
# Servers

# Where installation scripts report back (outside /api/v2: it is the agent's channel, not the API's).
AGENT_PREFIX = "/__agent__"

SERVER_CREATE = {
    "name": "required|string|max:255", "ipAddress": "required|ip", "provider": "nullable|string|max:255",
    "webServerType": "nullable|string", "installationType": "nullable|string",
}


def add_server(store, name, ip_address, provider=None, web_server="nginx", created_at=None):
    server = store.add(store.state["servers"], "server", {
        "name": name, "provider": provider, "ipAddress": ip_address, "os": "Ubuntu", "osVersion": None,
        "connected": False, "online": False, "agentVersion": None, "phpCLIVersion": data.DEFAULT_PHP_CLI,
        "softwareUpdate": False, "securityUpdate": True, "transferStatus": "AVAILABLE", "stack": web_server,
        "country_iso_code": None, "tags": [], "created_at": created_at or now_timestamp(),
    })
    server.update({
        "_shared": False, "_ssh": {"passwordlessLogin": False, "useDns": False, "preventRootLogin": False},
        "_hardware": data.new_hardware_info(server["id"]), "_health": data.new_health(), "_services": data.new_services(),
        "_phpVersions": list(data.PHP_VERSIONS), "_users": {}, "_sshcredentials": {}, "_webapps": {}, "_databases": {},
        "_databaseusers": {}, "_cronjobs": {}, "_supervisors": {}, "_firewalls": {},
        "_firewall": {"pending": False, "deployedAt": None, "deployedRuleIds": []}, "_blockedIps": [], "_log": [],
    })
    add_system_user(store, server, "runcloud", deleteable=False)
    log_event(server, "server", "Server %s added" % name)
    return server


def set_connection(server, connected=None, online=None):
    """What the agent installation does: once connected the server reports its OS and agent version."""
    if connected is not None:
        server["connected"] = bool(connected)
    if online is not None:
        server["online"] = bool(online)
    if server["connected"]:
        server["osVersion"] = server["osVersion"] or "22.04"
        server["agentVersion"] = server["agentVersion"] or data.AGENT_VERSION
    return server


def agent_token(server):
    """The secret the installation script authenticates with; made when the script is first fetched."""
    if not server.get("_agentToken"):
        server["_agentToken"] = secrets.token_hex(16)
    return server["_agentToken"]


def agent_token_matches(server, body):
    token = body.get("token")
    return bool(server.get("_agentToken")) and isinstance(token, str) and hmac.compare_digest(token, server["_agentToken"])


def agent_connect(server, body):
    """What RunCloud records once the agent reported (OS version, agent version): the server is connected."""
    server["osVersion"] = str(body.get("osVersion") or "") or None
    server["agentVersion"] = str(body.get("agentVersion") or "") or None
    set_connection(server, connected=True, online=True)
    log_event(server, "agent", "RunCloud agent connected")
    return server


def create_server(ctx):
    fields = ctx.validate(SERVER_CREATE)
    return public(add_server(ctx.store, fields["name"], fields["ipAddress"], fields.get("provider"), fields.get("webServerType") or "nginx"))


def list_servers(ctx):
    servers = [server for server in ctx.store.state["servers"].values() if not server["_shared"]]
    return ctx.page(servers, "name", "ipAddress")


def list_shared_servers(ctx):
    servers = [server for server in ctx.store.state["servers"].values() if server["_shared"]]
    return ctx.page(servers, "name", "ipAddress")


def get_server(ctx):
    return public(ctx.server())


def delete_server(ctx):
    server = ctx.server()
    del ctx.store.state["servers"][str(server["id"])]
    return public(server)


def installation_script(ctx):
    server = ctx.server()
    agent_url = "%s%s/servers/%d/connect" % (ctx.root_url, AGENT_PREFIX, server["id"])
    return {"script": data.installation_script(server["id"], agent_url, agent_token(server))}


def server_stats(ctx):
    server = ctx.server()
    return {
        "stats": {
            "webApplication": len(server["_webapps"]), "database": len(server["_databases"]),
            "cronJob": len(server["_cronjobs"]), "supervisor": len(server["_supervisors"]),
        },
        "geoRecord": data.geo_record(server["provider"]),
    }


def hardware_info(ctx):
    return dict(ctx.server()["_hardware"])


def php_versions(ctx):
    return list(ctx.server()["_phpVersions"])


def change_php_cli(ctx):
    server = ctx.server()
    fields = ctx.validate({"phpVersion": "required|string|" + one_of(server["_phpVersions"])})
    server["phpCLIVersion"] = fields["phpVersion"]
    log_event(server, "php", "PHP-CLI version changed to %s" % fields["phpVersion"])
    return public(server)


def update_meta(ctx):
    server = ctx.server()
    fields = ctx.validate({"name": "required|string|max:255", "provider": "nullable|string|max:255"})
    server["name"] = fields["name"]
    if "provider" in fields:
        server["provider"] = fields["provider"]
    log_event(server, "server", "Server details updated")
    return public(server)


SSH_SETTINGS = {"passwordlessLogin": "boolean", "useDns": "boolean", "preventRootLogin": "boolean"}


def get_ssh_settings(ctx):
    return dict(ctx.server()["_ssh"])


def update_ssh_settings(ctx):
    # Tolerant: any subset of the three flags is accepted and merged.
    server = ctx.server()
    server["_ssh"].update(ctx.validate(SSH_SETTINGS))
    log_event(server, "ssh", "SSH settings updated")
    return dict(server["_ssh"])


def update_autoupdate(ctx):
    server = ctx.server()
    server.update(ctx.validate({"softwareUpdate": "boolean", "securityUpdate": "boolean"}))
    log_event(server, "server", "Auto update settings changed")
    return public(server)


def health_latest(ctx):
    return dict(ctx.server()["_health"])


def disk_cleaner(ctx):
    server = ctx.server()
    log_event(server, "health", "Disk cleaner executed")
    return {"message": "Disk cleaner has been executed."}


def server_log(ctx):
    return ctx.page(list(reversed(ctx.server()["_log"])), "content")


# ---------------------------------------------------------------------------
# Services

def get_services(ctx):
    return {key: dict(service) for key, service in ctx.server()["_services"].items()}


def control_service(ctx):
    server = ctx.server()
    fields = ctx.validate({"action": "required|string|" + one_of(data.SERVICE_ACTIONS), "realName": "required|string"})
    service = find_by(server["_services"], "realName", fields["realName"])
    if service is None:
        raise invalid("realName", "The selected realName is invalid.")
    if fields["action"] == "stop":
        service.update({"running": False, "memory": data.STOPPED, "cpu": data.STOPPED})
    else:
        service.update({"running": True, "memory": "12.4 MB", "cpu": "0.0000%"})
    log_event(server, "service", "%s %s" % (fields["action"].capitalize(), fields["realName"]))
    return get_services(ctx)


# ---------------------------------------------------------------------------
# System users and SSH keys

def add_system_user(store, server, username, password=None, deleteable=True):
    user = store.add(server["_users"], "user", {"username": username, "deploymentKey": None, "deleteable": deleteable})
    user["_password"] = password
    return user


def create_system_user(ctx):
    server = ctx.server()
    fields = ctx.validate({"username": "required|string|regex:" + LINUX_NAME, "password": "nullable|string|min:8"})
    if fields["username"] == "root":
        raise invalid("username", "The username has already been taken.")
    ensure_unique(server["_users"], "username", fields["username"])
    user = add_system_user(ctx.store, server, fields["username"], fields.get("password"))
    log_event(server, "user", "Added system user %s" % user["username"])
    return public(user)


def _system_user(ctx):
    return find(ctx.server()["_users"], ctx.params["userId"], "System user")


def change_system_user_password(ctx):
    user = _system_user(ctx)
    user["_password"] = ctx.validate({"password": "required|string|min:8"})["password"]
    return public(user)


def generate_deployment_key(ctx):
    user = _system_user(ctx)
    user["deploymentKey"] = data.fake_public_key("%s@runcloud" % user["username"], user["id"], user["deploymentKey"])
    return public(user)


def before_system_user_delete(server, user):
    if not user["deleteable"]:
        raise invalid("user", "The %s user cannot be deleted." % user["username"])
    if find_by(server["_webapps"], "server_user_id", user["id"]) is not None:
        raise invalid("user", "The system user still owns web applications.")
    for key_id in [key_id for key_id, key in server["_sshcredentials"].items() if key["user_id"] == user["id"]]:
        del server["_sshcredentials"][key_id]


def create_ssh_key(ctx):
    server = ctx.server()
    fields = ctx.validate({"label": "required|string|max:255", "username": "required|string", "publicKey": "required|string|regex:" + PUBLIC_KEY})
    user = find_by(server["_users"], "username", fields["username"])
    if user is None:
        raise invalid("username", "The selected username is invalid.")
    ensure_unique(server["_sshcredentials"], "label", fields["label"])
    key = ctx.store.add(server["_sshcredentials"], "sshkey", {"label": fields["label"], "user_id": user["id"], "publicKey": fields["publicKey"].strip()})
    log_event(server, "sshkey", "Added SSH key %s" % key["label"])
    return public(key)


# ---------------------------------------------------------------------------
# Databases, database users, grants

def add_database(store, server, name, collation=None):
    database = store.add(server["_databases"], "database", {"name": name, "collation": collation})
    database["_grants"] = []
    return database


def add_database_user(store, server, username, password):
    user = store.add(server["_databaseusers"], "databaseuser", {"username": username})
    user["_password"] = password
    return user


def create_database(ctx):
    server = ctx.server()
    fields = ctx.validate({"name": "required|string|max:64|regex:" + SQL_NAME, "collation": "nullable|string|" + one_of(data.ALL_COLLATIONS)})
    ensure_unique(server["_databases"], "name", fields["name"])
    database = add_database(ctx.store, server, fields["name"], fields.get("collation"))
    log_event(server, "database", "Created database %s" % database["name"])
    return public(database)


def _database(ctx):
    return find(ctx.server()["_databases"], ctx.params["databaseId"], "Database")


def delete_database(ctx):
    server = ctx.server()
    database = _database(ctx)
    if validate(ctx.body, {"deleteUser": "nullable|boolean"}).get("deleteUser"):
        for user_id in database["_grants"]:
            forget_database_user(server, user_id)
            server["_databaseusers"].pop(str(user_id), None)
    del server["_databases"][str(database["id"])]
    log_event(server, "database", "Deleted database %s" % database["name"])
    return public(database)


def forget_database_user(server, user_id):
    for database in server["_databases"].values():
        if user_id in database["_grants"]:
            database["_grants"].remove(user_id)


def _grant_target(ctx):
    fields = ctx.validate({"id": "required|integer"})
    user = ctx.server()["_databaseusers"].get(str(fields["id"]))
    if user is None:
        raise invalid("id", "The selected id is invalid.")
    return user


def grant_database_user(ctx):
    database, user = _database(ctx), _grant_target(ctx)
    if user["id"] in database["_grants"]:
        raise invalid("id", "The database user already has access to this database.")
    database["_grants"].append(user["id"])
    log_event(ctx.server(), "database", "Granted %s on %s" % (user["username"], database["name"]))
    return public(user)


def list_database_grants(ctx):
    database = _database(ctx)
    users = ctx.server()["_databaseusers"]
    return ctx.page([users[str(user_id)] for user_id in database["_grants"]], "username")


def revoke_database_user(ctx):
    database, user = _database(ctx), _grant_target(ctx)
    if user["id"] not in database["_grants"]:
        raise invalid("id", "The database user has no access to this database.")
    database["_grants"].remove(user["id"])
    log_event(ctx.server(), "database", "Revoked %s on %s" % (user["username"], database["name"]))
    return public(user)


def create_database_user(ctx):
    server = ctx.server()
    fields = ctx.validate({"username": "required|string|max:32|regex:" + SQL_NAME, "password": "required|string|min:6"})
    ensure_unique(server["_databaseusers"], "username", fields["username"])
    user = add_database_user(ctx.store, server, fields["username"], fields["password"])
    log_event(server, "databaseuser", "Created database user %s" % user["username"])
    return public(user)


def change_database_user_password(ctx):
    user = find(ctx.server()["_databaseusers"], ctx.params["databaseUserId"], "Database user")
    user["_password"] = ctx.validate({"password": "required|string|min:6"})["password"]
    return public(user)


# ---------------------------------------------------------------------------
# Cron jobs and supervisor jobs

CRON_CREATE = dict(
    {"label": "required|string|max:255", "username": "required|string", "command": "required|string"},
    **{field: "required|string|regex:" + CRON_FIELD for field in ("minute", "hour", "dayOfMonth", "month", "dayOfWeek")}
)


def check_job_user(server, username):
    # Jobs may run as root or as any system user of the server.
    if username != "root" and find_by(server["_users"], "username", username) is None:
        raise invalid("username", "The selected username is invalid.")


def cron_time(fields):
    return " ".join(fields[part] for part in ("minute", "hour", "dayOfMonth", "month", "dayOfWeek"))


def add_cron_job(store, server, fields):
    return store.add(server["_cronjobs"], "cronjob", {"label": fields["label"], "username": fields["username"], "time": cron_time(fields),
                                                      "command": fields["command"]})


def create_cron_job(ctx):
    server = ctx.server()
    fields = ctx.validate(CRON_CREATE)
    check_job_user(server, fields["username"])
    job = add_cron_job(ctx.store, server, fields)
    log_event(server, "cronjob", "Created cron job %s" % job["label"])
    return public(job)


def rebuild_cron_jobs(ctx):
    log_event(ctx.server(), "cronjob", "Crontab rebuilt")
    return {"message": "Cron jobs have been rebuilt."}


def supervisor_binaries(ctx):
    return [""] + ["/RunCloud/Packages/%s/bin/php" % version for version in ctx.server()["_phpVersions"]] + ["/usr/bin/node"]


SUPERVISOR_CREATE = {
    "label": "required|string|max:255", "username": "required|string", "numprocs": "required|integer|min:1",
    "command": "required|string", "autoRestart": "nullable|boolean", "autoStart": "nullable|boolean",
    "binary": "nullable|string", "directory": "nullable|string",
}


def add_supervisor(store, server, fields):
    command = fields["command"]
    if fields.get("binary"):
        command = fields["binary"] + " " + command
    return store.add(server["_supervisors"], "supervisor", {
        "label": fields["label"], "username": fields["username"], "numprocs": fields["numprocs"],
        "autoStart": fields.get("autoStart") is not False, "autoRestart": fields.get("autoRestart") is not False,
        "directory": fields.get("directory") or "/", "command": command,
    })


def create_supervisor(ctx):
    server = ctx.server()
    fields = ctx.validate(SUPERVISOR_CREATE)
    check_job_user(server, fields["username"])
    if fields.get("binary") and fields["binary"] not in supervisor_binaries(ctx):
        raise invalid("binary", "The selected binary is invalid.")
    job = add_supervisor(ctx.store, server, fields)
    log_event(server, "supervisor", "Created supervisor job %s" % job["label"])
    return public(job)


def supervisor_status(ctx):
    rows = []
    for job in ctx.server()["_supervisors"].values():
        for process in range(job["numprocs"]):
            rows.append({
                "supervisorId": job["id"], "name": "%s:%s_%02d" % (job["label"], job["label"], process),
                "state": "RUNNING", "description": "pid %d, uptime 1:02:03" % (1000 + job["id"] * 10 + process),
            })
    return rows


def rebuild_supervisors(ctx):
    log_event(ctx.server(), "supervisor", "Supervisor configuration rebuilt")
    return {"message": "Supervisor jobs have been rebuilt."}


def reload_supervisor(ctx):
    server = ctx.server()
    job = find(server["_supervisors"], ctx.params["supervisorId"], "Supervisor job")
    log_event(server, "supervisor", "Reloaded supervisor job %s" % job["label"])
    return public(job)


# ---------------------------------------------------------------------------
# Firewall and Fail2Ban

FIREWALL_CREATE = {
    "type": "required|string|" + one_of(data.FIREWALL_TYPES), "port": "required|regex:" + PORT_OR_RANGE,
    "protocol": "required|string|" + one_of(data.FIREWALL_PROTOCOLS), "ipAddress": "required_if:type,rich|ip_or_cidr",
    "firewallAction": "required_if:type,rich|string|" + one_of(data.FIREWALL_ACTIONS),
}


def add_firewall_rule(store, server, fields):
    rich = fields["type"] == "rich"
    rule = store.add(server["_firewalls"], "firewall", {
        "type": fields["type"], "port": str(fields["port"]), "protocol": fields["protocol"],
        "ipAddress": fields.get("ipAddress") if rich else None, "firewallAction": fields.get("firewallAction") if rich else None,
    })
    server["_firewall"]["pending"] = True
    return rule


def create_firewall_rule(ctx):
    server = ctx.server()
    body = dict(ctx.body)
    if isinstance(body.get("port"), int) and not isinstance(body.get("port"), bool):
        body["port"] = str(body["port"])
    fields = validate(body, FIREWALL_CREATE)
    if any(not 1 <= int(port) <= 65535 for port in fields["port"].split("-")):
        raise invalid("port", "The port must be between 1 and 65535.")
    rule = add_firewall_rule(ctx.store, server, fields)
    log_event(server, "firewall", "Added firewall rule for port %s" % rule["port"])
    return public(rule)


def after_firewall_rule_delete(server, _rule):
    server["_firewall"]["pending"] = True


def deploy_firewall(ctx):
    server = ctx.server()
    server["_firewall"] = {"pending": False, "deployedAt": now_timestamp(), "deployedRuleIds": [int(key) for key in server["_firewalls"]]}
    log_event(server, "firewall", "Firewall rules deployed")
    return {"message": "Firewall rules have been deployed."}


def blocked_ips(ctx):
    return list(ctx.server()["_blockedIps"])


def unblock_ip(ctx):
    server = ctx.server()
    ip_address = ctx.validate({"ip": "required|ip"})["ip"]
    if ip_address not in server["_blockedIps"]:
        raise invalid("ip", "The selected ip is invalid.")
    server["_blockedIps"].remove(ip_address)
    log_event(server, "fail2ban", "Unblocked %s" % ip_address)
    return {"message": "IP address has been unblocked."}


# ---------------------------------------------------------------------------
# External (3rd-party) API keys

def _mask(secret):
    return secret[:4] + "..."


def external_api_view(record):
    view = public(record)
    view["secret"] = _mask(record["_secret"])
    return view


def create_external_api(ctx):
    fields = ctx.validate({
        "label": "required|string|max:255", "service": "required|string|" + one_of(data.EXTERNAL_API_SERVICES),
        "username": "required_if:service,cloudflare|nullable|string", "secret": "required|string",
    })
    record = ctx.store.add(ctx.store.state["externalapi"], "externalapi", {
        "label": fields["label"], "username": fields.get("username"), "secret": None,
        "service": data.EXTERNAL_API_SERVICES[fields["service"]],
    })
    record["_secret"] = fields["secret"]
    return external_api_view(record)


def _external_api(ctx):
    return find(ctx.store.state["externalapi"], ctx.params["apiId"], "External API")


def list_external_apis(ctx):
    page = ctx.page(list(ctx.store.state["externalapi"].values()), "label")
    for item in page["data"]:
        item["secret"] = _mask(ctx.store.state["externalapi"][str(item["id"])]["_secret"])
    return page


def get_external_api(ctx):
    return external_api_view(_external_api(ctx))


def update_external_api(ctx):
    record = _external_api(ctx)
    fields = ctx.validate({"label": "string|max:255", "secret": "string", "username": "nullable|string"})
    if "secret" in fields:
        record["_secret"] = fields.pop("secret")
    record.update(fields)
    return external_api_view(record)


def delete_external_api(ctx):
    record = _external_api(ctx)
    del ctx.store.state["externalapi"][str(record["id"])]
    return external_api_view(record)
