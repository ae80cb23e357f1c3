# -*- coding: utf-8 -*-
# Copyright (c) runcloud.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""API v3 on the v2 store: the route table of /api/v3 and the endpoints whose v3 shape differs.

One account seen through both versions: the handlers read and write the same store as /api/v2. Of
the 108 v2 endpoints, v3 keeps 103 at their path (some with another answer shape, below), moves the
four SSH-key endpoints to /servers/{id}/ssh/credentials and splits the collations per engine
(runcloud-api-v3 §3). The v3-only groups live in sim_v3_wordpress, sim_v3_backups and sim_v3_atomic.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import sim_api
import sim_data as data
import sim_resources as res
import sim_v3_atomic as atomic
import sim_v3_backups as backups
import sim_v3_wordpress as wordpress
import sim_webapps as apps
from sim_core import MAX_PER_PAGE, ApiError, now_timestamp, public, validate

S = sim_api.S
W = sim_api.W
C = S + "/ssh/credentials"

RESOURCES_NOT_FOUND = "Resources not found."  # v3's 404 body, recorded live for an unknown server id

# v3 services of 3rd-party keys: v2's plus the object storages and SFTP of the backup feature.
EXTERNAL_API_SERVICES = dict(data.EXTERNAL_API_SERVICES, upcloudobjectstorage="UpCloud Object Storage", sftp="SFTP")

COLLATIONS_BY_ENGINE = {"mysql": data.MYSQL_COLLATIONS, "mariadb": data.MARIADB_COLLATIONS}


def iso_timestamp(value):
    """Log entries in v3 carry ISO-8601 with microseconds and Z (`2024-07-16T06:38:12.000000Z`)."""
    if isinstance(value, str) and len(value) == 19 and value[10] == " ":
        return "%sT%s.000000Z" % (value[:10], value[11:])
    return value


def _iso_log(handler):
    def handle(ctx):
        page = handler(ctx)
        for entry in page["data"]:
            entry["created_at"] = iso_timestamp(entry["created_at"])
        return page
    return handle


# ---------------------------------------------------------------------------
# Servers, logs, SSH config

def server_stats(ctx):
    answer = res.server_stats(ctx)
    answer["country"] = answer.pop("geoRecord")["country"]
    return answer


def ssh_config_view(server):
    meta = server.setdefault("_sshConfig", {"id": server["id"], "created_at": server["created_at"], "updated_at": server["created_at"]})
    view = {"id": meta["id"], "server_id": server["id"]}
    view.update(server["_ssh"])
    view.update({"created_at": meta["created_at"], "updated_at": meta["updated_at"]})
    return view


def update_ssh_config(ctx):
    """PATCH ssh/config: the same three flags as settings/ssh (one setting, two endpoints), as a record."""
    server = ctx.server()
    server["_ssh"].update(ctx.validate(res.SSH_SETTINGS))
    ssh_config_view(server)
    server["_sshConfig"]["updated_at"] = now_timestamp()
    res.log_event(server, "ssh", "SSH config updated")
    return ssh_config_view(server)


# ---------------------------------------------------------------------------
# SSH keys, moved to /ssh/credentials: `user` is the username, `temporary` keys expire

def _ssh_key_view(server, record, with_temporary=True):
    user = server["_users"].get(str(record["user_id"]))
    view = {"id": record["id"], "label": record["label"], "user": user["username"] if user else None, "publicKey": record["publicKey"]}
    if with_temporary:
        view["temporary"] = bool(record.get("_temporary"))
    view["created_at"] = record["created_at"]
    return view


def create_ssh_key(ctx):
    temporary = validate(ctx.body, {"temporary": "nullable|boolean"}).get("temporary") is True
    server = ctx.server()
    key = res.create_ssh_key(ctx)
    record = server["_sshcredentials"][str(key["id"])]
    record["_temporary"] = temporary
    if temporary:
        ctx.later(lambda: server["_sshcredentials"].pop(str(record["id"]), None), after="temporary-key")
    return _ssh_key_view(server, record)


def list_ssh_keys(ctx):
    server = ctx.server()
    # The v3 list example shows no `temporary`; the single-key read does.
    return ctx.page(list(server["_sshcredentials"].values()), "label", view=lambda record: _ssh_key_view(server, record, with_temporary=False))


def get_ssh_key(ctx):
    server = ctx.server()
    return _ssh_key_view(server, res.find(server["_sshcredentials"], ctx.params["sshKeyId"], "SSH key"))


def delete_ssh_key(ctx):
    server = ctx.server()
    record = res.find(server["_sshcredentials"], ctx.params["sshKeyId"], "SSH key")
    view = _ssh_key_view(server, record)
    sim_api.delete_ssh_key(ctx)
    return view


# ---------------------------------------------------------------------------
# Web applications and domains

SORT_COLUMNS = ("id", "name", "phpVersion", "stack", "created_at")


def list_webapps(ctx):
    """v3 adds sortColumn and sortDirection to the web-app list."""
    fields = validate(ctx.query, {"sortColumn": "nullable|string|in:" + ",".join(SORT_COLUMNS),
                                  "sortDirection": "nullable|string|in:asc,desc"})
    items = list(ctx.server()["_webapps"].values())
    column = fields.get("sortColumn")
    if column:
        items.sort(key=lambda app: (app[column] is None, app[column]), reverse=fields.get("sortDirection") == "desc")
    return ctx.page(items, "name")


DOMAIN_META = {key: apps.DOMAIN_CREATE[key] for key in ("type", "redirection", "www")}


def update_domain_meta(ctx):
    """PATCH domains/{id}/meta (v3-only): type, redirection and www of a domain, changed in place."""
    app, domain = ctx.webapp(), ctx.domain()
    fields = ctx.validate(DOMAIN_META)
    if "www" in fields:
        fields["www"] = 1 if fields["www"] else 0
    if fields.get("type") == "primary":
        for other in app["_domains"].values():
            if other["type"] == "primary":
                other["type"] = "alias"  # one primary domain per web app
    domain.update({key: value for key, value in fields.items() if value is not None})
    res.log_event(app, "domain", "Domain %s updated" % domain["name"])
    return {"message": "Domain settings have been successfully updated."}


def domain_dns_records(ctx):
    """GET domains/{id}/dns (v3-only): the records the domain needs to point at the server."""
    server, domain = ctx.server(), ctx.domain()
    records = [{"type": "A", "hostname": domain["name"], "content": server["ipAddress"]}]
    if domain["www"] and not domain["name"].startswith(("www.", "*.")):
        records.append({"type": "CNAME", "hostname": "www." + domain["name"], "content": domain["name"]})
    return records


def install_domain_ssl(ctx):
    """v3 answers `{}` and issues the certificate later; the body may switch advanced SSL on as well."""
    flags = validate(ctx.body, {"advancedSSL": "nullable|boolean", "autoSSL": "nullable|boolean"})
    app = ctx.webapp()
    ctx.domain()
    before = app["_advancedSsl"]
    if flags.get("advancedSSL"):
        app["_advancedSsl"] = {"advancedSSL": True, "autoSSL": bool(flags.get("autoSSL"))}
    try:
        checked = apps.checked_ssl_install(ctx)
    except ApiError:
        app["_advancedSsl"] = before  # a refused request changes nothing
        raise
    ctx.later(lambda: apps.apply_ssl_install(ctx, *checked))
    return {}


def update_domain_ssl(ctx):
    checked = apps.checked_ssl_update(ctx)
    ctx.later(lambda: apps.apply_ssl_update(*checked))
    return {}


# ---------------------------------------------------------------------------
# Cron jobs: `enabled` in the object, update in place, run now

def _cron_view(record):
    view = public(record)
    view["enabled"] = 1
    return view


def create_cron_job(ctx):
    job = res.create_cron_job(ctx)
    return _cron_view(job)


def list_cron_jobs(ctx):
    page = sim_api.list_cron_jobs(ctx)
    page["data"] = [_cron_view(item) for item in page["data"]]
    return page


def get_cron_job(ctx):
    return _cron_view(sim_api.get_cron_job(ctx))


def update_cron_job(ctx):
    """PATCH cronjobs/{id} (v3-only) takes the create fields, all of them, as the reference's example sends."""
    server = ctx.server()
    job = res.find(server["_cronjobs"], ctx.params["cronJobId"], "Cron job")
    fields = ctx.validate(res.CRON_CREATE)
    res.check_job_user(server, fields["username"])
    job.update({"label": fields["label"], "username": fields["username"], "command": fields["command"], "time": res.cron_time(fields)})
    res.log_event(server, "cronjob", "Updated cron job %s" % job["label"])
    return {"message": "cron job %s successfully updated." % job["label"]}


def run_cron_job(ctx):
    server = ctx.server()
    job = res.find(server["_cronjobs"], ctx.params["cronJobId"], "Cron job")
    res.log_event(server, "cronjob", "Force run cron job %s" % job["label"])
    return {"message": "Successfully force run cron job %s, please check the output in the log." % job["label"]}


# ---------------------------------------------------------------------------
# Other answers that differ from v2

def change_database_user_password(ctx):
    res.change_database_user_password(ctx)
    return {}


def rebuild_supervisors(ctx):
    res.rebuild_supervisors(ctx)
    return {}


def unset_default_webapp(ctx):
    """DELETE webapps/{id}/default answers `{}` (the reference's example) and the change lands later."""
    ctx.webapp()
    ctx.later(lambda: apps.unset_default(ctx))
    return {}


def create_firewall_rule(ctx):
    """v3 answers a one-element array holding the rule."""
    return [res.create_firewall_rule(ctx)]


def deploy_firewall(ctx):
    ctx.server()
    ctx.later(lambda: res.deploy_firewall(ctx))
    return {"message": "Deploying rules to server"}


def unblock_ip(ctx):
    res.unblock_ip(ctx)
    return {"message": "%s has been successfully unbanned from SSH login" % ctx.body["ip"]}


EXTERNAL_API_CREATE = {
    "label": "required|string|max:255", "service": "required|string|in:" + ",".join(EXTERNAL_API_SERVICES),
    "username": "required_if:service,cloudflare|nullable|string", "secret": "required|string",
    "url": "required_if:service,upcloudobjectstorage,sftp|nullable|string|max:255", "region": "nullable|string|max:64",
}


def create_external_api(ctx):
    """v3 knows more services (object storages, SFTP, with `url` and `region`); the answer shows the
    service's slug and no username."""
    fields = ctx.validate(EXTERNAL_API_CREATE)
    record = ctx.store.add(ctx.store.state["externalapi"], "externalapi", {
        "label": fields["label"], "username": fields.get("username"), "secret": None, "service": EXTERNAL_API_SERVICES[fields["service"]],
    })
    record.update({"_secret": fields["secret"], "_url": fields.get("url"), "_region": fields.get("region")})
    view = res.external_api_view(record)
    return {"id": view["id"], "label": view["label"], "service": fields["service"], "secret": view["secret"], "created_at": view["created_at"]}


def update_external_api(ctx):
    record = res.find(ctx.store.state["externalapi"], ctx.params["apiId"], "External API")
    fields = ctx.validate({"label": "string|max:255", "secret": "string", "username": "nullable|string",
                           "url": "nullable|string|max:255", "region": "nullable|string|max:64"})
    for hidden in ("secret", "url", "region"):
        if hidden in fields:
            record["_" + hidden] = fields.pop(hidden)
    record.update(fields)
    return res.external_api_view(record)


def _collations(engine):
    def handle(_ctx):
        return list(COLLATIONS_BY_ENGINE[engine])
    return handle


# ---------------------------------------------------------------------------
# The route table

def per_page(handler, size):
    """The list's default page size; perPage is honoured up to 40, or up to the default where it is larger."""
    def handle(ctx):
        ctx.default_per_page = size
        ctx.max_per_page = max(MAX_PER_PAGE, size)
        return handler(ctx)
    handle.__name__ = getattr(handler, "__name__", "list")
    return handle


# v2 path -> v3 path of the endpoints that moved (runcloud-api-v3 §3 rows 27-30, 105).
MOVED = {
    ("POST", S + "/sshcredentials"): ("POST", C),
    ("GET", S + "/sshcredentials"): ("GET", C),
    ("GET", S + "/sshcredentials/{sshKeyId}"): ("GET", C + "/{sshKeyId}"),
    ("DELETE", S + "/sshcredentials/{sshKeyId}"): ("DELETE", C + "/{sshKeyId}"),
    ("GET", "/static/databases/collations"): ("GET", "/static/databases/collations/mysql"),
}

# Kept endpoints whose v3 answer differs from v2's.
RESHAPED = {
    ("GET", S + "/stats"): server_stats,
    ("GET", S + "/logs"): _iso_log(res.server_log),
    ("GET", W + "/log"): _iso_log(apps.webapp_log),
    ("GET", S + "/webapps"): list_webapps,
    ("POST", W + "/domains/{domainId}/ssl"): install_domain_ssl,
    ("PATCH", W + "/domains/{domainId}/ssl/{sslId}"): update_domain_ssl,
    ("DELETE", W + "/default"): unset_default_webapp,
    ("PATCH", S + "/databaseusers/{databaseUserId}"): change_database_user_password,
    ("POST", S + "/cronjobs"): create_cron_job,
    ("GET", S + "/cronjobs"): list_cron_jobs,
    ("GET", S + "/cronjobs/{cronJobId}"): get_cron_job,
    ("POST", S + "/supervisors/rebuild"): rebuild_supervisors,
    ("POST", S + "/security/firewalls"): create_firewall_rule,
    ("PUT", S + "/security/firewalls"): deploy_firewall,
    ("DELETE", S + "/security/fail2ban/blockedip"): unblock_ip,
    ("POST", "/settings/externalapi"): create_external_api,
    ("PATCH", "/settings/externalapi/{apiId}"): update_external_api,
}

MOVED_ROUTES = [
    ("POST", C, create_ssh_key),
    ("GET", C, list_ssh_keys),
    ("GET", C + "/{sshKeyId}", get_ssh_key),
    ("DELETE", C + "/{sshKeyId}", delete_ssh_key),
    ("GET", "/static/databases/collations/mysql", _collations("mysql")),
    ("GET", "/static/databases/collations/mariadb", _collations("mariadb")),
]

V3_ONLY_ROUTES = [
    ("PATCH", S + "/ssh/config", update_ssh_config),
    ("PATCH", W + "/domains/{domainId}/meta", update_domain_meta),
    ("GET", W + "/domains/{domainId}/dns", domain_dns_records),
    ("PATCH", S + "/cronjobs/{cronJobId}", update_cron_job),
    ("POST", S + "/cronjobs/{cronJobId}/run", run_cron_job),
]

# Default page sizes of the v3 examples (runcloud-api-v3 §1.5); lists not named there keep 15.
PAGE_SIZES = {
    S + "/webapps": 20, W + "/domains": 20, S + "/logs": 20, W + "/log": 20,
    "/backups": 20, "/atomic": 21, "/atomic/{atomicProjectId}/deployments": 15, "/atomic/{atomicProjectId}/logs": 30,
    "/atomic/{atomicProjectId}/webapps": 20, "/atomic/{atomicProjectId}/symlinks": 100,
}

# What v3 may still answer at the v2 paths (unknown, §4.3): served only with the `v3-v2-paths` variant.
LEGACY_ROUTES = [
    ("POST", S + "/sshcredentials", create_ssh_key),
    ("GET", S + "/sshcredentials", list_ssh_keys),
    ("GET", S + "/sshcredentials/{sshKeyId}", get_ssh_key),
    ("DELETE", S + "/sshcredentials/{sshKeyId}", delete_ssh_key),
    ("GET", "/static/databases/collations", res.static_collations),
]


def _paged(table):
    return [(method, template, per_page(handler, PAGE_SIZES[template]) if method == "GET" and template in PAGE_SIZES else handler)
            for method, template, handler in table]


def kept_routes():
    """The v2 endpoints v3 keeps at their path, with their v3 handler."""
    return [(method, template, RESHAPED.get((method, template), handler))
            for method, template, handler in sim_api.ROUTES if (method, template) not in MOVED]


ROUTES = _paged(kept_routes() + MOVED_ROUTES + V3_ONLY_ROUTES + wordpress.ROUTES + backups.ROUTES + atomic.ROUTES)
ROUTES_WITH_V2_PATHS = ROUTES + _paged(LEGACY_ROUTES)
