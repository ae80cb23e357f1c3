#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) runcloud.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: server_info
short_description: List RunCloud servers and their details
version_added: 0.1.0
description:
  - Return one server (by id or by exact name) or all servers of the account, every page of the list,
    optionally with statistics, hardware, health, PHP versions, services and SSH settings.
  - Each detail option costs one more request B(per server); ask for details of many servers with care,
    the API is rate limited.
  - "With no option at all it is a quick check of the API connection:
    C(RUNCLOUD_API_URL=https://manage.runcloud.io/api/v2 RUNCLOUD_API_TOKEN=... ansible localhost -m runcloud.cloud.server_info)."
seealso:
  - module: runcloud.cloud.server
  - plugin: runcloud.cloud.runcloud
    plugin_type: inventory
  - ref: ansible_collections.runcloud.cloud.docsite.modules_servers
    description: Guide to the server, system user, SSH key, database and service modules.
author:
  - runcloud.cloud contributors (@runcloud-community)
options:
  id:
    description:
      - Return only the server with this id.
    type: int
  name:
    description:
      - Return only the server with exactly this name.
    type: str
  search:
    description:
      - Return only the servers the API's search matches (a substring of the name or IP address).
    type: str
  stats:
    description:
      - Add C(stats) (numbers of web applications, databases, cron jobs, supervisor jobs and the location). One request per server.
    type: bool
    default: false
  hardware:
    description:
      - Add C(hardware) (kernel, processor, memory, disk, load, uptime). One request per server.
    type: bool
    default: false
  health:
    description:
      - Add C(health) (the latest memory, disk and load sample). One request per server.
    type: bool
    default: false
  php_versions:
    description:
      - Add C(php_versions), the PHP versions installed on the server. One request per server.
    type: bool
    default: false
  services:
    description:
      - Add C(services), the state of the services keyed by service name. One request per server.
    type: bool
    default: false
  ssh_settings:
    description:
      - Add C(ssh_settings), the SSH daemon settings. One request per server.
    type: bool
    default: false
  logs:
    description:
      - Add C(logs), the newest entries of the server's activity log (newest first), at most O(logs_limit).
        One request per server and per 40 entries.
    type: bool
    default: false
  logs_limit:
    description:
      - How many log entries O(logs) returns per server at most.
    type: int
    default: 40
  ping:
    description:
      - Only check the API URL and the credentials with the API's ping (one request); no server is read.
    type: bool
    default: false
  include_shared:
    description:
      - Also return the servers other accounts share with this one (one more list request), and mark
        every server with C(shared).
    type: bool
    default: false
extends_documentation_fragment:
  - runcloud.cloud.api
  - runcloud.cloud.api.action
  - runcloud.cloud.attributes.info_module
'''

EXAMPLES = r'''
- name: All servers
  runcloud.cloud.server_info:
  register: result

- name: One server with its services and hardware
  runcloud.cloud.server_info:
    name: web-01
    services: true
    hardware: true
  register: result

- name: Fail when nginx is not running
  ansible.builtin.assert:
    that: result.servers[0].services.nginx.running

# From a shell, to check the API URL and the token:
#   RUNCLOUD_API_URL=https://manage.runcloud.io/api/v2 RUNCLOUD_API_TOKEN=... ansible localhost -m runcloud.cloud.server_info
'''

RETURN = r'''
ping:
  description: The API's answer to the ping.
  returned: when O(ping=true)
  type: dict
  sample: {"message": "pong"}
servers:
  description: The matching servers; an empty list when none matches.
  returned: always
  type: list
  elements: dict
  contains:
    id:
      description: The server id.
      type: int
      sample: 42
    name:
      description: The server name.
      type: str
      sample: web-01
    ip_address:
      description: The public IP address.
      type: str
      sample: 203.0.113.10
    connected:
      description: Whether the RunCloud agent is installed and connected.
      type: bool
      sample: true
    stats:
      description: Counts of the server's resources and its location.
      returned: when O(stats=true)
      type: dict
    hardware:
      description: Hardware information.
      returned: when O(hardware=true)
      type: dict
    health:
      description: The latest health sample.
      returned: when O(health=true)
      type: dict
    php_versions:
      description: The installed PHP versions.
      returned: when O(php_versions=true)
      type: list
      elements: str
      sample: [php81rc, php82rc]
    services:
      description: The services keyed by name, each with C(real_name), C(running), C(version), C(memory) and C(cpu).
      returned: when O(services=true)
      type: dict
    ssh_settings:
      description: The SSH daemon settings.
      returned: when O(ssh_settings=true)
      type: dict
      sample: {"passwordless_login": false, "use_dns": false, "prevent_root_login": false}
    logs:
      description: The newest activity log entries, each with C(kind), C(content) and C(created_at).
      returned: when O(logs=true)
      type: list
      elements: dict
      sample: [{"kind": "firewall", "content": "Firewall rules deployed", "created_at": "2024-05-01 10:11:12"}]
    shared:
      description: Whether the server is shared with the account by another one.
      returned: when O(include_shared=true)
      type: bool
      sample: false
api:
  description:
    - What the task cost of the RunCloud API quota, as the client counted it (the
      P(runcloud.cloud.api_usage#callback) callback adds it up per host and run).
  returned: always, unless the task failed before it could send a request (an option refused locally)
  type: dict
  contains:
    requests:
      description: API requests sent, every retry included.
      type: int
      sample: 2
    writes:
      description: Of those, the requests that were not reads (whatever their answer).
      type: int
      sample: 0
    rate_limit:
      description: The last C(X-RateLimit-Limit) and C(X-RateLimit-Remaining) headers the API sent (each null when it sent none).
      type: dict
      contains:
        limit:
          description: Requests allowed per window.
          type: int
          sample: 60
        remaining:
          description: Requests left in the window.
          type: int
          sample: 58
api_log:
  description:
    - What the API client did besides answering at once (retries, rate-limit pauses, re-reads after a
      lost answer), one line each. Shown at verbosity 3 and higher (C(-vvv)).
  returned: when the client logged something and verbosity is at least 3
  type: list
  elements: str
  sample: ["RunCloud API: GET /servers: HTTP 503: Service Unavailable; try 2 of 5 in 1.21s"]
resolved:
  description: Names and ids of the parents and the resource as this task found, created, deleted or predicted them (O(resolve_cache)).
  returned: always
  type: list
  elements: dict
'''

from ansible_collections.runcloud.cloud.plugins.module_utils.catalogue import path as endpoint
from ansible_collections.runcloud.cloud.plugins.module_utils.info import read_log, read_resources
from ansible_collections.runcloud.cloud.plugins.module_utils.module import RunCloudModule
from ansible_collections.runcloud.cloud.plugins.module_utils.values import PHP_VERSION

# option (and result key) -> the server's endpoint in the catalogue
DETAILS = ('stats', 'hardware', 'health', 'php_versions', 'services', 'ssh_settings')


class ServerInfoModule(RunCloudModule):

    def main(self):
        self.run(self._read)

    def _read(self):
        if self.params['ping']:
            self.exit(changed=False, servers=[], ping=self.client.ping())
        if self.params['logs_limit'] < 1:
            self.fail('logs_limit must be a positive number of entries, not %d' % self.params['logs_limit'])
        servers = read_resources(self.client, endpoint('server', 'list'), item_id=self.params['id'], value=self.params['name'],
                                 search=self.params['search'], description='server')
        if self.params['include_shared']:
            self.add_shared(servers)
        wanted = [option for option in DETAILS if self.params[option]]
        for server in servers:
            for option in wanted:
                server[option] = self.client.get(self.path(endpoint('server', option), id=server['id'], server_id=server['id']))
            if isinstance(server.get('php_versions'), list):
                # A bare list of names (no field name tells their type): php82rc, also when answered as 8.2.
                server['php_versions'] = [PHP_VERSION.read(version) for version in server['php_versions']]
            if self.params['logs']:
                server['logs'] = read_log(self.client, self.path(endpoint('server', 'logs'), id=server['id']), self.params['logs_limit'])
        self.exit(changed=False, servers=servers)

    def add_shared(self, servers):
        """Mark each server as own or shared and append the shared ones that match. A server read by id
        may be either, and only the shared list tells which."""
        own_ids = set(server['id'] for server in servers)
        for server in servers:
            server['shared'] = False
        if self.params['id'] is not None:
            shared = [server for server in self.client.list_all(endpoint('server', 'shared')) if server.get('id') == self.params['id']]
            for server in servers:
                server['shared'] = bool(shared)
            return
        shared = read_resources(self.client, endpoint('server', 'shared'), value=self.params['name'], search=self.params['search'],
                                description='shared server')
        servers.extend(dict(server, shared=True) for server in shared if server.get('id') not in own_ids)


def main():
    options = dict(
        id=dict(type='int'),
        name=dict(type='str'),
        search=dict(type='str'),
    )
    for option in DETAILS:
        options[option] = dict(type='bool', default=False)
    options.update(logs=dict(type='bool', default=False), logs_limit=dict(type='int', default=40),
                   include_shared=dict(type='bool', default=False), ping=dict(type='bool', default=False))
    ServerInfoModule(
        argument_spec=options,
        mutually_exclusive=[('id', 'name', 'search')],
        supports_check_mode=True,
    ).main()


if __name__ == '__main__':
    main()
