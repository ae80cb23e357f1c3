#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) runcloud.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: fail2ban_info
short_description: List the IP addresses Fail2Ban blocked on a RunCloud server
version_added: 0.1.0
description:
  - Return the IP addresses that Fail2Ban currently blocks on a server. One request.
author:
  - runcloud.cloud contributors (@runcloud-community)
extends_documentation_fragment:
  - runcloud.cloud.api
  - runcloud.cloud.api.action
  - runcloud.cloud.parents.server
  - runcloud.cloud.attributes.INFO_MODULE
seealso:
  - module: runcloud.cloud.fail2ban_unblock
    description: Unblock addresses.
  - module: runcloud.cloud.firewall
    description: Converge the firewall rules of a server.
'''

EXAMPLES = r'''
- name: Read the blocked addresses
  runcloud.cloud.fail2ban_info:
    server: web-01
  register: fail2ban

- name: Warn when the office is blocked
  ansible.builtin.debug:
    msg: The office address is blocked
  when: "'198.51.100.7' in fail2ban.blocked_ips"
'''

RETURN = r'''
blocked_ips:
  description: The blocked IP addresses as the API lists them; empty when none is blocked.
  returned: always
  type: list
  elements: str
  sample: [203.0.113.9, 198.51.100.4]
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

from ansible_collections.runcloud.cloud.plugins.module_utils.fail2ban import BLOCKED_PATH, blocked_ips
from ansible_collections.runcloud.cloud.plugins.module_utils.module import SERVER, RunCloudModule


class Fail2BanInfoModule(RunCloudModule):

    def main(self):
        self.run(self.read)

    def read(self):
        self.resolve_parent(SERVER)
        blocked = [] if self.parents_predicted else blocked_ips(self.client, self.path(BLOCKED_PATH))
        self.exit(changed=False, blocked_ips=blocked)


def main():
    Fail2BanInfoModule(
        argument_spec=dict(server=dict(type='raw', required=True)),
        supports_check_mode=True,
    ).main()


if __name__ == '__main__':
    main()
