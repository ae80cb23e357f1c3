# -*- coding: utf-8 -*-
# Copyright (c) runcloud.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The route table of the 108 RunCloud API v2 endpoints, and deterministic seeding of realistic data."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import datetime
import random

import sim_data as data
import sim_resources as res
import sim_webapps as apps

S = "/servers/{serverId}"
W = S + "/webapps/{webAppId}"

list_users, get_user, delete_user = res.server_collection("_users", "userId", "System user", ("username",), res.before_system_user_delete)
list_ssh_keys, get_ssh_key, delete_ssh_key = res.server_collection("_sshcredentials", "sshKeyId", "SSH key", ("label",))
list_databases, get_database, dummy = res.server_collection("_databases", "databaseId", "Database", ("name",))
list_db_users, get_db_user, delete_db_user = res.server_collection(
    "_databaseusers", "databaseUserId", "Database user", ("username",), lambda server, user: res.forget_database_user(server, user["id"]))
list_cron_jobs, get_cron_job, delete_cron_job = res.server_collection("_cronjobs", "cronJobId", "Cron job", ("label",))
list_supervisors, get_supervisor, delete_supervisor = res.server_collection("_supervisors", "supervisorId", "Supervisor job", ("label",))
list_firewall_rules, get_firewall_rule, delete_firewall_rule = res.server_collection(
    "_firewalls", "firewallId", "Firewall rule", (), res.after_firewall_rule_delete)

ROUTES = [
    ("GET", "/ping", res.ping),
    # Servers
    ("POST", "/servers", res.create_server),
    ("GET", "/servers", res.list_servers),
    ("GET", "/servers/shared", res.list_shared_servers),
    ("GET", S, res.get_server),
    ("DELETE", S, res.delete_server),
    ("GET", S + "/installationscript", res.installation_script),
    ("GET", S + "/stats", res.server_stats),
    ("GET", S + "/hardwareinfo", res.hardware_info),
    ("GET", S + "/php/version", res.php_versions),
    ("PATCH", S + "/php/cli", res.change_php_cli),
    ("PATCH", S + "/settings/meta", res.update_meta),
    ("GET", S + "/settings/ssh", res.get_ssh_settings),
    ("PATCH", S + "/settings/ssh", res.update_ssh_settings),
    ("PATCH", S + "/settings/autoupdate", res.update_autoupdate),
    ("GET", S + "/health/latest", res.health_latest),
    ("POST", S + "/health/diskcleaner", res.disk_cleaner),
    ("GET", S + "/logs", res.server_log),
    # Services
    ("GET", S + "/services", res.get_services),
    ("PATCH", S + "/services", res.control_service),
    # System users
    ("POST", S + "/users", res.create_system_user),
    ("GET", S + "/users", list_users),
    ("GET", S + "/users/{userId}", get_user),
    ("PATCH", S + "/users/{userId}/password", res.change_system_user_password),
    ("PATCH", S + "/users/{userId}/deploymentkey", res.generate_deployment_key),
    ("DELETE", S + "/users/{userId}", delete_user),
    # SSH keys
    ("POST", S + "/sshcredentials", res.create_ssh_key),
    ("GET", S + "/sshcredentials", list_ssh_keys),
    ("GET", S + "/sshcredentials/{sshKeyId}", get_ssh_key),
    ("DELETE", S + "/sshcredentials/{sshKeyId}", delete_ssh_key),
    # Web applications
    ("POST", S + "/webapps/custom", apps.create_webapp),
    ("GET", S + "/webapps", apps.list_webapps),
    ("GET", W, apps.get_webapp),
    ("DELETE", W, apps.delete_webapp),
    ("POST", W + "/default", apps.set_default),
    ("DELETE", W + "/default", apps.unset_default),
    ("POST", W + "/rebuild", apps.rebuild_webapp),
    ("POST", W + "/alias", apps.create_alias),
    ("GET", W + "/settings", apps.get_settings),
    ("PATCH", W + "/settings/php", apps.change_php_version),
    ("PATCH", W + "/settings/fpmnginx", apps.update_fpm_nginx),
    ("GET", W + "/log", apps.webapp_log),
    # Domains
    ("POST", W + "/domains", apps.create_domain),
    ("GET", W + "/domains", apps.list_domains),
    ("GET", W + "/domains/{domainId}", apps.get_domain),
    ("DELETE", W + "/domains/{domainId}", apps.delete_domain),
    # SSL
    ("POST", W + "/ssl", apps.install_ssl),
    ("GET", W + "/ssl", apps.get_ssl),
    ("GET", W + "/ssl/advanced", apps.get_advanced_ssl),
    ("POST", W + "/ssl/advanced", apps.set_advanced_ssl),
    ("PATCH", W + "/ssl/{sslId}", apps.update_ssl),
    ("PUT", W + "/ssl/{sslId}", apps.redeploy_ssl),
    ("DELETE", W + "/ssl/{sslId}", apps.delete_ssl),
    ("POST", W + "/domains/{domainId}/ssl", apps.install_ssl),
    ("GET", W + "/domains/{domainId}/ssl", apps.get_ssl),
    ("PATCH", W + "/domains/{domainId}/ssl/{sslId}", apps.update_ssl),
    ("PUT", W + "/domains/{domainId}/ssl/{sslId}", apps.redeploy_ssl),
    ("DELETE", W + "/domains/{domainId}/ssl/{sslId}", apps.delete_ssl),
    # Git
    ("POST", W + "/git", apps.clone_git),
    ("GET", W + "/git", apps.get_git),
    ("PATCH", W + "/git/{gitId}/branch", apps.change_git_branch),
    ("PATCH", W + "/git/{gitId}/script", apps.update_git_script),
    ("PUT", W + "/git/{gitId}/script", apps.force_deploy),
    ("DELETE", W + "/git/{gitId}", apps.delete_git),
    # Script installer
    ("POST", W + "/installer", apps.install_script),
    ("GET", W + "/installer", apps.get_installer),
    ("DELETE", W + "/installer/{installerId}", apps.delete_installer),
    # Databases and grants
    ("POST", S + "/databases", res.create_database),
    ("GET", S + "/databases", list_databases),
    ("GET", S + "/databases/{databaseId}", get_database),
    ("DELETE", S + "/databases/{databaseId}", res.delete_database),
    ("POST", S + "/databases/{databaseId}/grant", res.grant_database_user),
    ("GET", S + "/databases/{databaseId}/grant", res.list_database_grants),
    ("DELETE", S + "/databases/{databaseId}/grant", res.revoke_database_user),
    # Database users
    ("POST", S + "/databaseusers", res.create_database_user),
    ("GET", S + "/databaseusers", list_db_users),
    ("GET", S + "/databaseusers/{databaseUserId}", get_db_user),
    ("PATCH", S + "/databaseusers/{databaseUserId}", res.change_database_user_password),
    ("DELETE", S + "/databaseusers/{databaseUserId}", delete_db_user),
    # Cron jobs
    ("POST", S + "/cronjobs", res.create_cron_job),
    ("GET", S + "/cronjobs", list_cron_jobs),
    ("POST", S + "/cronjobs/rebuild", res.rebuild_cron_jobs),
    ("GET", S + "/cronjobs/{cronJobId}", get_cron_job),
    ("DELETE", S + "/cronjobs/{cronJobId}", delete_cron_job),
    # Supervisor jobs
    ("GET", S + "/supervisors/binaries", res.supervisor_binaries),
    ("POST", S + "/supervisors", res.create_supervisor),
    ("GET", S + "/supervisors", list_supervisors),
    ("GET", S + "/supervisors/status", res.supervisor_status),
    ("POST", S + "/supervisors/rebuild", res.rebuild_supervisors),
    ("GET", S + "/supervisors/{supervisorId}", get_supervisor),
    ("POST", S + "/supervisors/{supervisorId}/reload", res.reload_supervisor),
    ("DELETE", S + "/supervisors/{supervisorId}", delete_supervisor),
    # Firewall and Fail2Ban
    ("POST", S + "/security/firewalls", res.create_firewall_rule),
    ("GET", S + "/security/firewalls", list_firewall_rules),
    ("GET", S + "/security/firewalls/{firewallId}", get_firewall_rule),
    ("PUT", S + "/security/firewalls", res.deploy_firewall),
    ("DELETE", S + "/security/firewalls/{firewallId}", delete_firewall_rule),
    ("GET", S + "/security/fail2ban/blockedip", res.blocked_ips),
    ("DELETE", S + "/security/fail2ban/blockedip", res.unblock_ip),
    # 3rd-party API keys
    ("POST", "/settings/externalapi", res.create_external_api),
    ("GET", "/settings/externalapi", res.list_external_apis),
    ("GET", "/settings/externalapi/{apiId}", res.get_external_api),
    ("PATCH", "/settings/externalapi/{apiId}", res.update_external_api),
    ("DELETE", "/settings/externalapi/{apiId}", res.delete_external_api),
    # Static data
    ("GET", "/static/databases/collations", res.static_collations),
    ("GET", "/static/timezones", res.static_timezones),
    ("GET", "/static/webapps/installers", res.static_installers),
    ("GET", "/static/ssl/protocols", res.static_ssl_protocols),
]


# ---------------------------------------------------------------------------
# Seeding

SEED_EPOCH = datetime.datetime(2023, 1, 2, 9, 0, 0)


def seed(store, servers=1, fixtures=False, connected=True, name_prefix="web", shared=False, seed_value=0):
    """Adds `servers` realistic servers; same store content + same arguments -> same data. Returns their ids."""
    state = store.state
    existing_names = {server["name"] for server in state["servers"].values()}
    used_ips = {server["ipAddress"] for server in state["servers"].values()}
    number = 0
    ids = []
    for dummy in range(servers):
        number += 1
        while "%s-%02d" % (name_prefix, number) in existing_names:
            number += 1
        sequence = state["seedSequence"]
        state["seedSequence"] = sequence + 1
        rng = random.Random("%s:%d" % (seed_value, sequence))
        ip_address = data.seed_ip_address(sequence)
        while ip_address in used_ips:
            sequence += 1
            ip_address = data.seed_ip_address(sequence)
        created = (SEED_EPOCH + datetime.timedelta(hours=7 * sequence)).strftime("%Y-%m-%d %H:%M:%S")
        server = res.add_server(store, "%s-%02d" % (name_prefix, number), ip_address, rng.choice(data.SEED_PROVIDERS), created_at=created)
        server["_shared"] = bool(shared)
        server["phpCLIVersion"] = rng.choice(data.PHP_VERSIONS[2:])
        server["softwareUpdate"] = rng.random() < 0.3
        if connected:
            res.set_connection(server, connected=True, online=rng.random() < 0.9)
            server["osVersion"] = rng.choice(data.SEED_UBUNTU_VERSIONS)
            server["_blockedIps"] = ["203.0.113.%d" % rng.randint(1, 254)]
        if fixtures:
            _seed_fixtures(store, server, rng)
        existing_names.add(server["name"])
        used_ips.add(ip_address)
        ids.append(server["id"])
    return ids


def _seed_fixtures(store, server, rng):
    user = res.add_system_user(store, server, "app")
    domain = "%s.example.com" % server["name"]
    app = apps.add_webapp(store, server, dict(
        data.NEW_APP_SETTINGS, name="app", domainName=domain, user=user["id"], phpVersion=rng.choice(data.PHP_VERSIONS[3:]),
        stack=rng.choice(data.STACKS), publicPath="/public",
    ))
    apps.add_domain(store, app, {"name": "www." + domain, "type": "alias"})
    database = res.add_database(store, server, "app_db", "utf8mb4_unicode_ci")
    database_user = res.add_database_user(store, server, "app_user", "app-password")
    database["_grants"].append(database_user["id"])
    res.add_cron_job(store, server, {"label": "scheduler", "username": "app", "command": "php /home/app/webapps/app/artisan schedule:run",
                                     "minute": "*", "hour": "*", "dayOfMonth": "*", "month": "*", "dayOfWeek": "*"})
    res.add_supervisor(store, server, {"label": "queue", "username": "app", "numprocs": 2, "binary": "/RunCloud/Packages/php81rc/bin/php",
                                       "command": "/home/app/webapps/app/artisan queue:work"})
    res.add_firewall_rule(store, server, {"type": "global", "port": "8080", "protocol": "tcp"})
