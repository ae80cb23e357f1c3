#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) runcloud.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: account_export
short_description: Export a RunCloud account as an inventory directory that the roles converge with no change
version_added: 0.1.0
description:
  - Reads the chosen servers of a RunCloud account and writes an inventory directory on the controller
    with what the collection's roles need to keep the account as it is. C(examples/apply.yml) converges
    an account from such a directory; its C(--check --diff) run is a drift report.
  - C(runcloud.yml), the file of the P(runcloud.cloud.runcloud#inventory) inventory plugin, selecting the
    exported servers by id.
  - C(host_vars/<server>.yml) in the variables of the roles. P(runcloud.cloud.server_baseline#role) -
    SSH settings, automatic updates, PHP CLI version, running services, firewall rules, system users,
    SSH keys, databases and database users with their grants, cron and Supervisor jobs that no site owns.
    Every web application as an entry of C(php_site_sites) (P(runcloud.cloud.php_site#role)) - system
    user, database with its user and grant, PHP and NGINX settings, domain names, SSL, git or script
    installer - or of C(laravel_app_apps) (P(runcloud.cloud.laravel_app#role)) when that role builds
    exactly that application, its queue worker and its scheduler. On RunCloud API v3, a WordPress site
    (a web application of C(type) C(wordpress) whose settings RunCloud answers) that
    P(runcloud.cloud.wordpress_site#role) builds exactly is an entry of C(wordpress_site_sites) instead - RunCloud
    Hub or RunCache settings, C(disable_wp_cron) and C(wp_debug), the staging copy's URL (the copy is not
    exported on its own) - and any other WordPress site stays a C(php_site_sites) entry.
  - C(group_vars/all/main.yml) with the 3rd-party API keys of the account.
  - C(vault-template.yml) lists the secrets the files refer to. Passwords, API secrets and the private
    keys of custom certificates are never read from the API (it does not return them) and never written;
    the files refer to C(vault_...) variables instead. Webhook keys and the agent's token are left out
    entirely.
  - Values equal to a role default or to RunCloud's default are left out. The output is stable - the
    same account gives the same text - so the directory can live in git and be diffed.
  - The files of a server no longer exported are removed (only those an earlier export wrote).
  - Runs on the controller (an action plugin; no module is sent anywhere).
  - "Requests: the server list, one request per kind per server (SSH settings, services, system users,
    SSH keys, databases, database users, web applications, cron jobs, Supervisor jobs, firewall rules),
    the grants of each database, five reads per web application (settings, domain names, SSL, git,
    installer), on API v3 four more per WordPress site (Hub, staging copy, addresses, wp-config flags;
    RunCache where there is no Hub), and the 3rd-party API keys; run O(concurrency) at a time, pausing when the rate limit
    is reached."
options:
  dest:
    description: Directory the inventory is written to; created when missing.
    type: path
    required: true
  servers:
    description:
      - Servers to export, by id or name. All servers of the account (or those O(search) matches) when not set.
      - C(examples/export.yml) passes the hosts that the inventory plugin chose with its O(runcloud.cloud.runcloud#inventory:search)
        and O(runcloud.cloud.runcloud#inventory:filters).
    type: list
    elements: raw
  search:
    description: Only the servers whose name or IP address contains this (the API's C(search)).
    type: str
  concurrency:
    description: How many API requests may run at the same time.
    type: int
    default: 4
extends_documentation_fragment:
  - runcloud.cloud.api
attributes:
  check_mode:
    description: Reads the account and reports which files would change, writing nothing.
    support: full
  diff_mode:
    description: Shows the text of each file before and after.
    support: full
  idempotent:
    description: Exporting an unchanged account again writes nothing and reports no change.
    support: full
  action_group:
    description: Use C(group/runcloud.cloud.runcloud) in C(module_defaults) to set the API options once.
    support: full
    membership:
      - runcloud.cloud.runcloud
seealso:
  - name: Adopting an existing account
    link: https://github.com/runcloud-community/runcloud.cloud/blob/main/docs/adopt.md
    description: Export, commit, vault, apply and a scheduled drift report in AWX.
  - plugin: runcloud.cloud.runcloud
    plugin_type: inventory
author:
  - runcloud.cloud contributors (@runcloud-community)
'''

EXAMPLES = r'''
- name: Export every server of the account into ./account
  runcloud.cloud.account_export:
    dest: ./account

- name: Export the servers the inventory plugin chose (examples/export.yml)
  runcloud.cloud.account_export:
    dest: "{{ export_dir }}"
    servers: "{{ ansible_play_hosts_all | map('extract', hostvars, 'runcloud_id') | list }}"
  run_once: true
  delegate_to: localhost
'''

RETURN = r'''
dest:
  description: The directory written.
  returned: always
  type: str
files:
  description: Paths of the exported files, relative to O(dest).
  returned: always
  type: list
  elements: str
  sample: [group_vars/all/main.yml, host_vars/web-01.yml, runcloud.yml, vault-template.yml]
changed_files:
  description: The files that were written or removed (would be, in check mode).
  returned: always
  type: list
  elements: str
servers:
  description: Names of the exported servers.
  returned: always
  type: list
  elements: str
vault_variables:
  description: The C(vault_...) variables the files refer to (listed in C(vault-template.yml)).
  returned: always
  type: list
  elements: str
  sample: [vault_web_01_shop_database_password]
api:
  description: What reading the account cost.
  returned: always
  type: dict
  contains:
    requests:
      description: API requests sent (retries included).
      type: int
    writes:
      description: API requests sent that were not reads (none; the export only reads).
      type: int
    rate_limit:
      description: The last C(X-RateLimit-Limit) and C(X-RateLimit-Remaining) headers the API sent (each null when it sent none).
      type: dict
      contains:
        limit:
          description: Requests allowed per window.
          type: int
        remaining:
          description: Requests left in the window.
          type: int
    seconds:
      description: Wall time of reading and writing.
      type: float
api_log:
  description:
    - What the API client did besides answering at once (retries, rate-limit pauses, re-reads after a
      lost answer), one line each. Shown at verbosity 3 and higher (C(-vvv)).
  returned: when the client logged something and verbosity is at least 3
  type: list
  elements: str
  sample: ["RunCloud API: GET /servers: HTTP 503: Service Unavailable; try 2 of 5 in 1.21s"]
'''
