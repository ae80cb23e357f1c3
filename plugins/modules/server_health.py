#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) runcloud.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: server_health
short_description: Read the latest health sample of a RunCloud server and run its disk cleaner
version_added: 0.1.0
description:
  - Return the latest memory, disk and load sample the RunCloud agent reported for a server.
  - With O(clean_disk=true) it also runs RunCloud's disk cleaner (old logs, caches, unused packages).
    That is an action, not a state, so it runs on every such task and always reports a change.
  - Without O(clean_disk) the module only reads (one request) and never reports a change, so it can
    gate later tasks, for example run the cleaner only when free disk space is low.
author:
  - runcloud.cloud contributors (@runcloud-community)
options:
  clean_disk:
    description:
      - Run the disk cleaner on the server after reading the sample.
      - The returned sample is the one read before cleaning; the agent reports the freed space with its next sample.
    type: bool
    default: false
extends_documentation_fragment:
  - runcloud.cloud.api
  - runcloud.cloud.api.action
  - runcloud.cloud.parents.server
  - runcloud.cloud.attributes
attributes:
  idempotent:
    support: partial
    details:
      - O(clean_disk=true) is an action; it runs every time.
  diff_mode:
    support: none
    details:
      - The sample is read, not changed; there is nothing to diff.
seealso:
  - module: runcloud.cloud.server_info
    description: Servers with their hardware, health, services and activity log.
'''

EXAMPLES = r'''
- name: Read the health of the server
  runcloud.cloud.server_health:
    server: web-01
  register: health

- name: Clean the disk when less than 2 GB are free
  runcloud.cloud.server_health:
    server: web-01
    clean_disk: true
  when: health.health.available_disk_space < 2048
'''

RETURN = r'''
health:
  description: The latest health sample (memory and disk in MB).
  returned: always
  type: dict
  contains:
    total_memory:
      description: Memory of the server, in MB.
      type: float
      sample: 957.27
    available_memory:
      description: Free memory, in MB.
      type: float
      sample: 498.83
    total_disk_space:
      description: Disk size, in MB.
      type: float
      sample: 41555.52
    available_disk_space:
      description: Free disk space, in MB.
      type: float
      sample: 33364.58
    load_average:
      description: The load average.
      type: float
      sample: 0.08
    updated_at:
      description: How old the sample is, as the API words it.
      type: str
      sample: 6 seconds ago
disk_cleaned:
  description: Whether the task ran the disk cleaner (or would have, in check mode).
  returned: always
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
from ansible_collections.runcloud.cloud.plugins.module_utils.module import SERVER
from ansible_collections.runcloud.cloud.plugins.module_utils.resource import Action, ResourceModule


class ServerHealthModule(ResourceModule):
    resource = 'health sample'
    result_key = 'health'
    parents = (SERVER,)
    identity = None
    singleton_path = endpoint('server_health', 'singleton')
    actions = (Action('clean_disk', endpoint('server_health', 'clean_disk')),)

    def singleton_present(self, data):
        # A sample has no id; any object is the sample.
        return isinstance(data, dict)

    def create(self):
        if self.parents_predicted:
            # A server check mode only predicted has no sample yet; the disk cleaner is still predicted.
            return {}
        self.fail('the server reports no health sample yet; is its RunCloud agent connected?')

    def extra_result(self, resource):
        return {'disk_cleaned': 'clean_disk' in self.actions_run}


def main():
    ServerHealthModule(
        argument_spec=dict(
            server=dict(type='raw', required=True),
            clean_disk=dict(type='bool', default=False),
        ),
        supports_check_mode=True,
    ).main()


if __name__ == '__main__':
    main()
