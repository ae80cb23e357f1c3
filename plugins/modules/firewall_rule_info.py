#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) runcloud.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: firewall_rule_info
short_description: List the firewall rules of a RunCloud server
version_added: 0.1.0
description:
  - Return the firewall rules stored in RunCloud for a server (every page of the list), or one rule by id.
  - The rules listed are the stored ones; they apply to the server once deployed (see M(runcloud.cloud.firewall)).
author:
  - runcloud.cloud contributors (@runcloud-community)
options:
  id:
    description:
      - Only the rule with this id.
    type: int
  port:
    description:
      - Only the rules whose port or port range covers this port (any protocol, global or rich).
      - The API cannot filter rules, so this filter costs no request but the whole list is read.
    type: int
extends_documentation_fragment:
  - runcloud.cloud.api
  - runcloud.cloud.api.action
  - runcloud.cloud.parents.server
  - runcloud.cloud.attributes.INFO_MODULE
seealso:
  - module: runcloud.cloud.firewall
    description: Converge the rule list of a server.
  - module: runcloud.cloud.firewall_rule
    description: Add or remove one rule.
'''

EXAMPLES = r'''
- name: Every rule of the server
  runcloud.cloud.firewall_rule_info:
    server: web-01
  register: firewall

- name: Fail unless something opens HTTPS
  runcloud.cloud.firewall_rule_info:
    server: web-01
    port: 443
  register: https
  failed_when: https.firewall_rules | length == 0
'''

RETURN = r'''
firewall_rules:
  description: The matching rules as the API describes them; empty when none matches.
  returned: always
  type: list
  elements: dict
  contains:
    id:
      description: The rule id.
      type: int
      sample: 200
    type:
      description: V(global) or V(rich).
      type: str
      sample: global
    port:
      description: The port or port range, as a string.
      type: str
      sample: 8000-8999
    protocol:
      description: V(tcp) or V(udp).
      type: str
      sample: tcp
    ip_address:
      description: The source of a rich rule; V(null) for global rules.
      type: str
      sample: 198.51.100.0/24
    firewall_action:
      description: V(accept) or V(reject) for rich rules; V(null) for global rules.
      type: str
      sample: accept
    created_at:
      description: When the rule was added, in server time.
      type: str
      sample: '2024-05-01 10:11:12'
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

from ansible_collections.runcloud.cloud.plugins.module_utils.firewall import FIREWALL_PATH, covers_port
from ansible_collections.runcloud.cloud.plugins.module_utils.module import SERVER, RunCloudModule


class FirewallRuleInfoModule(RunCloudModule):

    def main(self):
        self.run(self.read)

    def read(self):
        port = self.params['port']
        if port is not None and not 1 <= port <= 65535:
            self.fail('port must be a port from 1 to 65535, not %r' % port)
        self.resolve_parent(SERVER)
        rules = self.read_children(FIREWALL_PATH, item_id=self.params['id'], description='firewall rule')
        if port is not None:
            rules = [rule for rule in rules if covers_port(rule, port)]
        self.exit(changed=False, firewall_rules=rules)


def main():
    FirewallRuleInfoModule(
        argument_spec=dict(
            server=dict(type='raw', required=True),
            id=dict(type='int'),
            port=dict(type='int'),
        ),
        supports_check_mode=True,
    ).main()


if __name__ == '__main__':
    main()
