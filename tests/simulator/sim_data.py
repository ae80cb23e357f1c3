# -*- coding: utf-8 -*-
# Copyright (c) runcloud.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Fixed data of the RunCloud simulator: enumerations, static lists and what a freshly added server looks like."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import base64
import hashlib

PHP_VERSIONS = ["php72rc", "php73rc", "php74rc", "php80rc", "php81rc", "php82rc", "php83rc"]
ALL_PHP_VERSIONS = ["php55rc", "php56rc", "php70rc", "php71rc"] + PHP_VERSIONS
DEFAULT_PHP_CLI = "php81rc"

STACKS = ["hybrid", "nativenginx", "customnginx"]
STACK_MODES = ["production", "development"]
PROCESS_MANAGERS = ["dynamic", "ondemand", "static"]
DOMAIN_TYPES = ["primary", "alias", "redirect"]
REDIRECTIONS = ["none", "www", "non-www"]
SSL_PROVIDERS = ["letsencrypt", "custom"]
SSL_AUTHORIZATION_METHODS = ["http-01", "dns-01"]
SSL_ENVIRONMENTS = ["live", "staging"]
GIT_PROVIDERS = ["custom", "bitbucket", "github", "gitlab", "selfhostedgitlab"]
GIT_HOSTED = {"github": "github.com", "gitlab": "gitlab.com", "bitbucket": "bitbucket.org"}
FIREWALL_TYPES = ["global", "rich"]
FIREWALL_PROTOCOLS = ["tcp", "udp"]
FIREWALL_ACTIONS = ["accept", "reject"]
SERVICE_ACTIONS = ["start", "stop", "restart", "reload"]

INSTALLERS = {
    "concrete5": "Concrete5", "drupal": "Drupal", "grav": "Grav", "gravadmin": "Grav + Admin", "joomla": "Joomla",
    "myBB": "MyBB", "phpBB": "phpBB", "phpMyAdmin": "phpMyAdmin", "piwik": "Piwik", "prestaShop": "PrestaShop",
    "wordpress": "WordPress",
}

# Request slug -> the humanised name v2 answers with.
EXTERNAL_API_SERVICES = {
    "cloudflare": "Cloudflare", "linode": "Linode", "digitalocean": "Digital Ocean", "vultr": "Vultr", "upcloud": "UpCloud",
}

SSL_PROTOCOLS = [{"id": 1, "name": "TLSv1.1"}, {"id": 2, "name": "TLSv1.2"}, {"id": 3, "name": "TLSv1.3"}]

COLLATIONS = [
    "armscii8_bin", "armscii8_general_ci", "ascii_bin", "ascii_general_ci", "big5_bin", "big5_chinese_ci", "binary",
    "latin1_bin", "latin1_general_ci", "latin1_swedish_ci", "utf8_bin", "utf8_general_ci", "utf8_unicode_ci",
    "utf8mb4_bin", "utf8mb4_general_ci", "utf8mb4_unicode_520_ci", "utf8mb4_unicode_ci",
]

# API v3 lists the collations per database engine; a database may be created with any of them.
MYSQL_COLLATIONS = COLLATIONS + ["utf8mb4_0900_ai_ci", "utf8mb4_0900_as_ci", "utf8mb4_0900_bin"]
MARIADB_COLLATIONS = COLLATIONS + ["utf8mb4_uca1400_ai_ci", "utf8mb4_uca1400_as_cs", "utf8mb4_nopad_bin"]
ALL_COLLATIONS = sorted(set(MYSQL_COLLATIONS) | set(MARIADB_COLLATIONS))

TIMEZONES = [
    "Africa/Cairo", "Africa/Johannesburg", "Africa/Lagos", "America/Chicago", "America/Denver", "America/Los_Angeles",
    "America/New_York", "America/Sao_Paulo", "America/Toronto", "Asia/Dubai", "Asia/Hong_Kong", "Asia/Jakarta",
    "Asia/Kolkata", "Asia/Kuala_Lumpur", "Asia/Seoul", "Asia/Shanghai", "Asia/Singapore", "Asia/Tokyo",
    "Australia/Melbourne", "Australia/Sydney", "Europe/Amsterdam", "Europe/Berlin", "Europe/Dublin", "Europe/Lisbon",
    "Europe/London", "Europe/Madrid", "Europe/Paris", "Europe/Rome", "Europe/Stockholm", "Pacific/Auckland", "UTC",
]

SEED_PROVIDERS = ["DigitalOcean", "Vultr", "Linode", "AWS", "Hetzner"]
SEED_UBUNTU_VERSIONS = ["20.04", "22.04", "24.04"]

# Provider -> where its servers pretend to be (for GET /servers/{id}/stats).
GEO_RECORDS = {
    "DigitalOcean": ("United States", "New York", 40.7128, -74.0060),
    "Vultr": ("Japan", "Tokyo", 35.6895, 139.6917),
    "Linode": ("Germany", "Hesse", 50.1109, 8.6821),
    "AWS": ("Ireland", "Leinster", 53.3498, -6.2603),
    "Hetzner": ("Finland", "Uusimaa", 60.1699, 24.9384),
}
DEFAULT_GEO_RECORD = ("Singapore", "Singapore", 1.3521, 103.8198)

# Service key -> (realName, display name, version); memcached starts stopped like in the reference example.
SERVICES = [
    ("beanstalk", "beanstalkd", "Beanstalk", "1.12-2"),
    ("httpd", "apache2-rc", "HTTPD/Apache", "2.4.62-1"),
    ("mariadb", "mysql", "MariaDB", "10.6.18"),
    ("memcached", "memcached", "Memcached", "1.6.14"),
    ("nginx", "nginx-rc", "NGiNX", "1.26.2"),
    ("redis", "redis-server", "Redis", "6.0.16"),
    ("supervisor", "supervisord", "Supervisor", "4.2.1"),
]
STOPPED = "Service stopped"

# The settings of a web app created without them (seed fixtures, v3 WordPress sites and clones).
NEW_APP_SETTINGS = {
    "stackMode": "production", "clickjackingProtection": True, "xssProtection": True, "mimeSniffingProtection": True,
    "processManager": "ondemand", "processManagerMaxChildren": 50, "processManagerMaxRequests": 500, "timezone": "UTC",
    "maxExecutionTime": 30, "maxInputTime": 60, "maxInputVars": 1000, "memoryLimit": 256, "postMaxSize": 256,
    "uploadMaxFilesize": 256, "sessionGcMaxlifetime": 1440, "allowUrlFopen": True,
}

DEFAULT_APP_SETTINGS = {
    "processManagerStartServers": 1, "processManagerMinSpareServers": 1, "processManagerMaxSpareServers": 1,
    "openBasedir": None, "disableFunctions": "", "publicPath": None,
}


def new_services():
    services = {}
    for key, real_name, name, version in SERVICES:
        running = key != "memcached"
        services[key] = {
            "realName": real_name, "name": name, "memory": "12.4 MB" if running else STOPPED,
            "cpu": "0.0000%" if running else STOPPED, "running": running, "version": version,
        }
    return services


def new_hardware_info(server_id):
    cores = 1 + server_id % 4
    return {
        "kernelVersion": "5.15.0-%d-generic" % (90 + server_id % 30), "processorName": "AMD EPYC 7601 32-Core Processor",
        "totalCPUCore": cores, "totalMemory": round(cores * 0.96, 2), "freeMemory": round(cores * 0.52, 2),
        "diskTotal": 25.8 * cores, "diskFree": round(20.3 * cores, 1), "loadAvg": 0, "uptime": "%dh 8m 0s" % (server_id % 500),
    }


def new_health():
    return {
        "totalMemory": 957.27, "availableMemory": 498.83, "usedMemory": 458.43, "totalDiskSpace": 41555.52,
        "availableDiskSpace": 33364.58, "usedDiskSpace": 8190.94, "loadAverage": 0.08, "updated_at": "6 seconds ago",
    }


def geo_record(provider):
    country, subdivision, latitude, longitude = GEO_RECORDS.get(provider, DEFAULT_GEO_RECORD)
    return {"country": country, "subdivision": subdivision, "latitude": latitude, "longitude": longitude}


def fingerprint(*parts):
    """A stable pseudo-random hex string derived from the parts (keys, pull keys, certificates)."""
    return hashlib.sha256("|".join(str(part) for part in parts).encode("utf-8")).hexdigest()


def fake_public_key(comment, *parts):
    blob = base64.b64encode(("ssh-rsa-simulated" + fingerprint(*parts) * 4).encode("ascii")).decode("ascii")
    return "ssh-rsa AAAAB3NzaC1yc2E%s %s" % (blob, comment)


def fake_pem(label, *parts):
    body = base64.b64encode((fingerprint(label, *parts) * 6).encode("ascii")).decode("ascii")
    lines = [body[index:index + 64] for index in range(0, len(body), 64)]
    return "-----BEGIN %s-----\n%s\n-----END %s-----\n" % (label, "\n".join(lines), label)


def seed_ip_address(sequence):
    """The n-th seeded address: the three documentation /24s first, then the 198.18.0.0/15 benchmarking range."""
    documentation_nets = ("192.0.2.", "198.51.100.", "203.0.113.")
    if sequence < 3 * 254:
        return documentation_nets[sequence // 254] + str(sequence % 254 + 1)
    rest = sequence - 3 * 254
    return "198.%d.%d.%d" % (18 + rest // (254 * 256), (rest // 254) % 256, rest % 254 + 1)


AGENT_VERSION = "2.9.4"

# What the agent installation does from RunCloud's point of view, and nothing else: it reports the
# machine's OS back (to the simulator's agent endpoint), and the server becomes connected. POSIX sh,
# curl or python3; the token goes through stdin so it never shows in the process list.
_INSTALLATION_SCRIPT = """export DEBIAN_FRONTEND=noninteractive
# RunCloud API simulator: stands in for the RunCloud agent installation of server %(server_id)d.
# It installs nothing; it reports this machine's OS version to the simulator, which marks the
# server connected.
set -eu
agent_url='%(agent_url)s'
agent_token='%(token)s'
os_version=''
if [ -r /etc/os-release ]; then
    os_version=$(. /etc/os-release && printf '%%s' "${VERSION_ID:-}" | tr -cd '0-9.')
fi
payload=$(printf '{"token": "%%s", "osVersion": "%%s", "agentVersion": "%(agent_version)s"}' "$agent_token" "$os_version")
if command -v curl >/dev/null 2>&1; then
    printf '%%s' "$payload" | curl -fsS -X POST -H 'Content-Type: application/json' --data-binary @- "$agent_url" >/dev/null
elif command -v python3 >/dev/null 2>&1; then
    printf '%%s' "$payload" | python3 -c 'import sys, urllib.request
urllib.request.urlopen(urllib.request.Request(sys.argv[1], data=sys.stdin.buffer.read(),
                       headers={"Content-Type": "application/json"}), timeout=30).read()' "$agent_url"
else
    echo 'RunCloud agent installation: needs curl or python3' >&2
    exit 1
fi
echo 'RunCloud agent installed; server %(server_id)d reported connected'
"""


def installation_script(server_id, agent_url, token):
    return _INSTALLATION_SCRIPT % {"server_id": server_id, "agent_url": agent_url, "token": token, "agent_version": AGENT_VERSION}
