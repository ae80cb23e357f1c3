# -*- coding: utf-8 -*-
# Copyright (c) runcloud.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Web applications and what hangs off them: settings, log, domains, SSL, git deployment, script installer."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import sim_data as data
from sim_core import invalid, not_found, public, timestamp_in, validate
from sim_resources import HOSTNAME, PEM, TIMEZONE, find_by, log_event, one_of

APP_NAME = r"[A-Za-z0-9][A-Za-z0-9_-]*"
PUBLIC_PATH = r"/?[A-Za-z0-9._/-]*"
REPOSITORY = r"[\w.-]+(/[\w.-]+)+"
BRANCH = r"[\w./-]+"


SETTINGS_SCHEMA = {
    "publicPath": "nullable|string|regex:" + PUBLIC_PATH,
    "stack": "required|string|" + one_of(data.STACKS),
    "stackMode": "required|string|" + one_of(data.STACK_MODES),
    "clickjackingProtection": "required|boolean",
    "xssProtection": "required|boolean",
    "mimeSniffingProtection": "required|boolean",
    "processManager": "required|string|" + one_of(data.PROCESS_MANAGERS),
    "processManagerStartServers": "required_if:processManager,dynamic|integer|min:1",
    "processManagerMinSpareServers": "required_if:processManager,dynamic|integer|min:1",
    "processManagerMaxSpareServers": "required_if:processManager,dynamic|integer|min:1",
    "processManagerMaxChildren": "required|integer|min:1",
    "processManagerMaxRequests": "required|integer|min:1",
    "openBasedir": "nullable|string",
    "timezone": "required|string|regex:" + TIMEZONE,
    "disableFunctions": "nullable|string",
    "maxExecutionTime": "required|integer|min:0",
    "maxInputTime": "required|integer|min:-1",
    "maxInputVars": "required|integer|min:1",
    "memoryLimit": "required|integer|min:1",
    "postMaxSize": "required|integer|min:1",
    "uploadMaxFilesize": "required|integer|min:1",
    "sessionGcMaxlifetime": "required|integer|min:1",
    "allowUrlFopen": "required|boolean",
}

CREATE_SCHEMA = dict({
    "name": "required|string|max:60|regex:" + APP_NAME,
    "domainName": "required|string|max:253|regex:" + HOSTNAME,
    "user": "required|integer",
    "phpVersion": "required|string|" + one_of(data.ALL_PHP_VERSIONS),
}, **SETTINGS_SCHEMA)

# PATCH settings/fpmnginx accepts any subset; the merged result must still satisfy SETTINGS_SCHEMA.
PARTIAL_SETTINGS_SCHEMA = {
    field: "|".join(rule for rule in rules.split("|") if not rule.startswith("required")) for field, rules in SETTINGS_SCHEMA.items()
}

DOMAIN_CREATE = {
    "name": "required|string|max:253|regex:" + HOSTNAME, "www": "nullable|boolean",
    "redirection": "nullable|string|" + one_of(data.REDIRECTIONS), "type": "nullable|string|" + one_of(data.DOMAIN_TYPES),
}

SSL_INSTALL = {
    "provider": "required|string|" + one_of(data.SSL_PROVIDERS),
    "enableHttp": "required|boolean",
    "enableHsts": "required|boolean",
    "authorizationMethod": "required_if:provider,letsencrypt|string|" + one_of(data.SSL_AUTHORIZATION_METHODS),
    "externalApi": "required_if:authorizationMethod,dns-01|integer",
    "environment": "nullable|string|" + one_of(data.SSL_ENVIRONMENTS),
    "privateKey": "required_if:provider,custom|string|regex:" + PEM,
    "certificate": "required_if:provider,custom|string|regex:" + PEM,
    "ssl_protocol_id": "nullable|integer|" + one_of([str(protocol["id"]) for protocol in data.SSL_PROTOCOLS]),
}

SSL_UPDATE = {
    "enableHttp": "boolean", "enableHsts": "boolean", "ssl_protocol_id": SSL_INSTALL["ssl_protocol_id"],
    "privateKey": "string|regex:" + PEM, "certificate": "string|regex:" + PEM,
}

GIT_CLONE = {
    "provider": "required|string|" + one_of(data.GIT_PROVIDERS),
    "repository": "required|string|max:255|regex:" + REPOSITORY,
    "branch": "required|string|max:255|regex:" + BRANCH,
    "gitUser": "required_if:provider,custom,selfhostedgitlab|string|max:255",
    "gitHost": "required_if:provider,custom,selfhostedgitlab|string|max:255|regex:" + HOSTNAME,
}


# ---------------------------------------------------------------------------
# Web applications

def _normalise_public_path(option):
    option = (option or "").strip().rstrip("/")
    if not option:
        return None
    return option if option.startswith("/") else "/" + option


def _apply_settings(app, settings):
    settings["publicPath"] = _normalise_public_path(settings.get("publicPath"))
    for field in ("openBasedir", "disableFunctions"):
        settings[field] = settings.get(field) or ""
    app["_settings"] = settings
    app["stack"] = settings["stack"]
    app["stackMode"] = settings["stackMode"]
    app["publicPath"] = app["rootPath"] + (settings["publicPath"] or "")


def add_webapp(store, server, fields, alias_of=None):
    """Creates the app and its primary domain; `fields` has passed CREATE_SCHEMA (or is trusted seed data)."""
    user = server["_users"][str(fields["user"])]
    root_path = "/home/%s/webapps/%s" % (user["username"], fields["name"])
    app = store.add(server["_webapps"], "webapp", {
        "server_user_id": user["id"], "name": fields["name"], "rootPath": root_path, "publicPath": root_path,
        "phpVersion": fields["phpVersion"], "stack": fields["stack"], "stackMode": fields["stackMode"], "type": "custom",
        "defaultApp": False, "alias": alias_of,
    })
    app["pullKey1"] = data.fingerprint("pull1", server["id"], app["id"])[:32]
    app["pullKey2"] = data.fingerprint("pull2", server["id"], app["id"])[:32]
    app["created_at"] = app.pop("created_at")  # keep the reference's field order: created_at last
    settings = dict(data.DEFAULT_APP_SETTINGS)
    settings["openBasedir"] = "%s:/var/lib/php/session:/tmp" % root_path
    settings.update({field: fields[field] for field in SETTINGS_SCHEMA if field in fields})
    app.update({"_domains": {}, "_ssl": {}, "_advancedSsl": {"advancedSSL": False, "autoSSL": False},
                "_git": None, "_installer": None, "_deployments": 0, "_log": []})
    _apply_settings(app, settings)
    add_domain(store, app, {"name": fields["domainName"], "type": "primary"})
    log_event(app, "webapp", "Web application %s created" % app["name"])
    return app


def domain_taken(server, name):
    return any(find_by(app["_domains"], "name", name) for app in server["_webapps"].values())


def check_new_app(server, fields, name_field="name"):
    """The checks beyond the schema of a new web app on `server`: PHP version, owner, unique name and domain."""
    if fields["phpVersion"] not in server["_phpVersions"]:
        raise invalid("phpVersion", "The selected phpVersion is invalid.")
    if str(fields["user"]) not in server["_users"]:
        raise invalid("user", "The selected user is invalid.")
    if find_by(server["_webapps"], "name", fields["name"]) is not None:
        raise invalid(name_field, "The %s has already been taken." % name_field)
    if domain_taken(server, fields["domainName"].lower()):
        raise invalid("domainName", "The domainName has already been taken.")
    return fields


def _validate_new_app(ctx, server):
    return check_new_app(server, ctx.validate(CREATE_SCHEMA))


def create_webapp(ctx):
    server = ctx.server()
    app = add_webapp(ctx.store, server, _validate_new_app(ctx, server))
    log_event(server, "webapp", "Created web application %s" % app["name"])
    return public(app)


def create_alias(ctx):
    server, parent = ctx.server(), ctx.webapp()
    app = add_webapp(ctx.store, server, _validate_new_app(ctx, server), alias_of=parent["id"])
    log_event(parent, "webapp", "Alias web application %s created" % app["name"])
    return public(app)


def list_webapps(ctx):
    return ctx.page(list(ctx.server()["_webapps"].values()), "name")


def get_webapp(ctx):
    return public(ctx.webapp())


def delete_webapp(ctx):
    server, app = ctx.server(), ctx.webapp()
    del server["_webapps"][str(app["id"])]
    log_event(server, "webapp", "Deleted web application %s" % app["name"])
    return public(app)


def set_default(ctx):
    server, app = ctx.server(), ctx.webapp()
    for other in server["_webapps"].values():
        other["defaultApp"] = False
    app["defaultApp"] = True
    log_event(app, "webapp", "Set as default web application")
    return public(app)


def unset_default(ctx):
    app = ctx.webapp()
    app["defaultApp"] = False
    log_event(app, "webapp", "Removed as default web application")
    return public(app)


def rebuild_webapp(ctx):
    app = ctx.webapp()
    log_event(app, "webapp", "Web application configuration rebuilt")
    return public(app)


def get_settings(ctx):
    return dict(ctx.webapp()["_settings"])


def change_php_version(ctx):
    server, app = ctx.server(), ctx.webapp()
    version = ctx.validate({"phpVersion": "required|string|" + one_of(server["_phpVersions"])})["phpVersion"]
    app["phpVersion"] = version
    log_event(app, "php", "PHP version changed to %s" % version)
    return public(app)


def update_fpm_nginx(ctx):
    app = ctx.webapp()
    merged = dict(app["_settings"])
    merged.update(ctx.validate(PARTIAL_SETTINGS_SCHEMA))
    validate(merged, SETTINGS_SCHEMA)
    _apply_settings(app, merged)
    log_event(app, "settings", "PHP-FPM and NGINX settings updated")
    return public(app)


def webapp_log(ctx):
    return ctx.page(list(reversed(ctx.webapp()["_log"])), "content")


# ---------------------------------------------------------------------------
# Domains

def add_domain(store, app, fields):
    name = fields["name"].lower()
    return store.add(app["_domains"], "domain", {
        "name": name, "type": fields.get("type") or "alias", "www": 1 if fields.get("www") else 0,
        "redirection": fields.get("redirection") or "none", "wildcard": 1 if name.startswith("*.") else 0,
        "dns_integration": "none", "status": None,
    })


def create_domain(ctx):
    server, app = ctx.server(), ctx.webapp()
    fields = ctx.validate(DOMAIN_CREATE)
    if domain_taken(server, fields["name"].lower()):
        raise invalid("name", "The name has already been taken.")
    domain = add_domain(ctx.store, app, fields)
    log_event(app, "domain", "Added domain %s" % domain["name"])
    return public(domain)


def list_domains(ctx):
    return ctx.page(list(ctx.webapp()["_domains"].values()))


def get_domain(ctx):
    return public(ctx.domain())


def delete_domain(ctx):
    app, domain = ctx.webapp(), ctx.domain()
    del app["_domains"][str(domain["id"])]
    app["_ssl"].pop(str(domain["id"]), None)
    log_event(app, "domain", "Deleted domain %s" % domain["name"])
    return public(domain)


# ---------------------------------------------------------------------------
# SSL: one certificate per app (basic mode, slot "app") or one per domain (advanced mode, slot = domain id)

def _ssl_slot(ctx):
    """Returns (app, slot key) for the certificate this request is about."""
    app = ctx.webapp()
    if "domainId" not in ctx.params:
        return app, "app"
    domain = ctx.domain()
    if not app["_advancedSsl"]["advancedSSL"]:
        raise invalid("advancedSSL", "Advanced SSL is not enabled for this web application.")
    return app, str(domain["id"])


def _installed_ssl(ctx):
    app, slot = _ssl_slot(ctx)
    record = app["_ssl"].get(slot)
    if record is None or record["id"] != ctx.params["sslId"]:
        raise not_found("SSL")
    return app, record


def _issue_dates(record):
    lifetime, renewal = (90, 60) if record["method"] == "letsencrypt" else (365, None)
    record["validUntil"] = timestamp_in(lifetime)
    record["renewalDate"] = timestamp_in(renewal) if renewal else None


def checked_ssl_install(ctx):
    """Validates an installation request; returns (app, slot, fields) for apply_ssl_install."""
    app, slot = _ssl_slot(ctx)
    if slot == "app" and app["_advancedSsl"]["advancedSSL"]:
        raise invalid("advancedSSL", "Advanced SSL is enabled; install certificates per domain.")
    if slot in app["_ssl"]:
        raise invalid("provider", "SSL is already installed.")
    fields = ctx.validate(SSL_INSTALL)
    if fields.get("authorizationMethod") == "dns-01" and str(fields["externalApi"]) not in ctx.store.state["externalapi"]:
        raise invalid("externalApi", "The selected externalApi is invalid.")
    return app, slot, fields


def apply_ssl_install(ctx, app, slot, fields):
    """Issues the certificate into the slot; returns the SSL record (None if the slot was taken meanwhile)."""
    if slot in app["_ssl"]:
        return None
    letsencrypt = fields["provider"] == "letsencrypt"
    record = ctx.store.new_record("ssl", {
        "method": fields["provider"],
        "privateKey": fields.get("privateKey") or data.fake_pem("PRIVATE KEY", app["id"], slot, len(app["_log"])),
        "certificate": fields.get("certificate") or data.fake_pem("CERTIFICATE", app["id"], slot, len(app["_log"])),
        "validUntil": None, "renewalDate": None, "enableHttp": fields["enableHttp"], "enableHsts": fields["enableHsts"],
        "authorizationMethod": fields.get("authorizationMethod") if letsencrypt else None,
        "staging": letsencrypt and fields.get("environment") == "staging",
        "apiId": fields.get("externalApi") if fields.get("authorizationMethod") == "dns-01" else None,
        "ssl_protocol_id": fields.get("ssl_protocol_id"),
    })
    app["_ssl"][slot] = record
    _issue_dates(record)
    log_event(app, "ssl", "SSL certificate (%s) installed" % record["method"])
    return record


def install_ssl(ctx):
    return public(apply_ssl_install(ctx, *checked_ssl_install(ctx)))


def get_ssl(ctx):
    app, slot = _ssl_slot(ctx)
    record = app["_ssl"].get(slot)
    return public(record) if record else {"message": "SSL not installed!"}


def checked_ssl_update(ctx):
    """Validates an update of an installed certificate; returns (app, record, fields) for apply_ssl_update."""
    app, record = _installed_ssl(ctx)
    fields = ctx.validate(SSL_UPDATE)
    if record["method"] != "custom" and ("privateKey" in fields or "certificate" in fields):
        raise invalid("certificate", "Only custom certificates can be replaced.")
    return app, record, fields


def apply_ssl_update(app, record, fields):
    record.update(fields)
    log_event(app, "ssl", "SSL settings updated")
    return record


def update_ssl(ctx):
    return public(apply_ssl_update(*checked_ssl_update(ctx)))


def redeploy_ssl(ctx):
    app, record = _installed_ssl(ctx)
    if record["method"] != "letsencrypt":
        raise invalid("provider", "Only Let's Encrypt certificates can be redeployed.")
    _issue_dates(record)
    log_event(app, "ssl", "SSL certificate redeployed")
    return {}


def delete_ssl(ctx):
    app, record = _installed_ssl(ctx)
    app["_ssl"] = {slot: other for slot, other in app["_ssl"].items() if other is not record}
    log_event(app, "ssl", "SSL certificate removed")
    return public(record)


def get_advanced_ssl(ctx):
    return dict(ctx.webapp()["_advancedSsl"])


def set_advanced_ssl(ctx):
    app = ctx.webapp()
    fields = ctx.validate({"advancedSSL": "required|boolean", "autoSSL": "nullable|boolean"})
    app["_advancedSsl"] = {"advancedSSL": fields["advancedSSL"], "autoSSL": bool(fields.get("autoSSL")) and fields["advancedSSL"]}
    log_event(app, "ssl", "Advanced SSL %s" % ("enabled" if fields["advancedSSL"] else "disabled"))
    return dict(app["_advancedSsl"])


# ---------------------------------------------------------------------------
# Git deployment and script installer: at most one of each per web app

def _singleton(ctx, key, resource, param):
    app = ctx.webapp()
    record = app[key]
    if record is None or (param and record["id"] != ctx.params[param]):
        raise not_found(resource)
    return app, record


def _repository_data(fields):
    host = data.GIT_HOSTED.get(fields["provider"]) or fields["gitHost"]
    user = fields.get("gitUser") if fields["provider"] in ("custom", "selfhostedgitlab") else "git"
    repository = fields["repository"]
    return {"url": "https://%s/%s" % (host, repository), "repo": "%s@%s:%s.git" % (user, host, repository)}


def clone_git(ctx):
    app = ctx.webapp()
    if app["_git"] is not None:
        raise invalid("repository", "A git repository is already attached to this web application.")
    fields = ctx.validate(GIT_CLONE)
    self_hosted = fields["provider"] in ("custom", "selfhostedgitlab")
    record = ctx.store.new_record("git", {
        "provider": fields["provider"], "gitHost": fields["gitHost"] if self_hosted else None,
        "gitUser": fields["gitUser"] if self_hosted else None, "branch": fields["branch"],
        "repositoryData": _repository_data(fields), "atomic": False, "atomic_project_id": None,
        "autoDeploy": False, "deployScript": None,
    })
    app["_git"] = record
    log_event(app, "git", "Cloned %s (%s)" % (fields["repository"], fields["branch"]))
    return public(record)


def get_git(ctx):
    return public(_singleton(ctx, "_git", "Git", None)[1])


def change_git_branch(ctx):
    app, record = _singleton(ctx, "_git", "Git", "gitId")
    record["branch"] = ctx.validate({"branch": "required|string|max:255|regex:" + BRANCH})["branch"]
    log_event(app, "git", "Branch changed to %s" % record["branch"])
    return public(record)


def update_git_script(ctx):
    app, record = _singleton(ctx, "_git", "Git", "gitId")
    record.update(ctx.validate({"autoDeploy": "boolean", "deployScript": "nullable|string"}))
    log_event(app, "git", "Deployment script updated")
    return public(record)


def force_deploy(ctx):
    app, record = _singleton(ctx, "_git", "Git", "gitId")
    app["_deployments"] += 1
    log_event(app, "deployment", "Deployment of branch %s triggered" % record["branch"])
    return {}


def delete_git(ctx):
    app, record = _singleton(ctx, "_git", "Git", "gitId")
    app["_git"] = None
    log_event(app, "git", "Git repository removed")
    return public(record)


def install_script(ctx):
    app = ctx.webapp()
    if app["_installer"] is not None:
        raise invalid("name", "A script is already installed on this web application.")
    name = ctx.validate({"name": "required|string|" + one_of(data.INSTALLERS)})["name"]
    app["_installer"] = ctx.store.new_record("installer", {"name": name, "realName": data.INSTALLERS[name]})
    if name == "wordpress":
        app["type"] = "wordpress"
    log_event(app, "installer", "Installed %s" % data.INSTALLERS[name])
    return public(app["_installer"])


def get_installer(ctx):
    return public(_singleton(ctx, "_installer", "Installer", None)[1])


def delete_installer(ctx):
    app, record = _singleton(ctx, "_installer", "Installer", "installerId")
    app["_installer"] = None
    log_event(app, "installer", "Removed %s" % record["realName"])
    return public(record)
