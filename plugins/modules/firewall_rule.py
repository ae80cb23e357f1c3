#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) runcloud.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: firewall_rule
short_description: Add or remove one firewall rule of a RunCloud server
version_added: 0.1.0
description:
  - Make sure one firewall rule exists on a server, or does not.
  - A rule has no name; it is identified by all of its settings (O(type), O(port), O(protocol), and
    for rich rules O(ip_address) and O(action)). A rule with other settings is another rule, so this
    module never changes a rule, it adds or removes it.
  - RunCloud stores rules and applies them to the server only when they are deployed. With
    O(deploy=true) the task deploys the rules right after it changed one; to change several rules
    and deploy once, use M(runcloud.cloud.firewall) instead.
  - Removing a rule that opens the SSH port (O(ssh_port)) fails unless O(allow_ssh_port_removal=true).
author:
  - runcloud.cloud contributors (@runcloud-community)
options:
  type:
    description:
      - V(global) opens the port to everybody; V(rich) accepts or rejects traffic from O(ip_address) only.
    type: str
    choices: [global, rich]
    default: global
  port:
    description:
      - A port from 1 to 65535 (V(22) or V("22")) or a range of ports (V("8000-8999")).
    type: raw
    required: true
  protocol:
    description:
      - The protocol of the rule.
    type: str
    choices: [tcp, udp]
    default: tcp
  ip_address:
    description:
      - The source of a rich rule, an IPv4 or IPv6 address or a network in CIDR form (V(192.168.0.0/24)).
      - Required when O(type=rich); not allowed for global rules.
      - Compared in canonical form (V(10.0.0.5/32) is V(10.0.0.5), V(10.0.0.5/8) is V(10.0.0.0/8)).
    type: str
  action:
    description:
      - What a rich rule does with traffic from O(ip_address). Not allowed for global rules.
      - Defaults to V(accept) for rich rules.
    type: str
    choices: [accept, reject]
  state:
    description:
      - V(present) adds the rule when it does not exist, V(absent) removes it.
    type: str
    choices: [present, absent]
    default: present
  deploy:
    description:
      - Deploy the firewall rules to the server after this task added or removed the rule.
      - Nothing is deployed when the task changed nothing.
    type: bool
    default: false
  ssh_port:
    description:
      - The port the SSH daemon of the server listens on. The API does not tell it, so give it when it
        is not 22.
    type: int
    default: 22
  allow_ssh_port_removal:
    description:
      - Allow removing a rule that opens O(ssh_port) over TCP (a global rule or a rich V(accept) rule
        whose port or range covers it). Without it such a removal fails before any change, because it
        may lock everybody out of the server.
    type: bool
    default: false
extends_documentation_fragment:
  - runcloud.cloud.api
  - runcloud.cloud.api.action
  - runcloud.cloud.parents.server
  - runcloud.cloud.attributes
attributes:
  idempotent:
    details:
      - O(deploy) deploys only when the task changed a rule.
seealso:
  - module: runcloud.cloud.firewall
    description: Converge the whole rule list of a server and deploy once.
  - module: runcloud.cloud.firewall_rule_info
    description: List the firewall rules of a server.
  - module: runcloud.cloud.fail2ban_info
    description: The IP addresses Fail2Ban has blocked.
'''

EXAMPLES = r'''
- name: Open the HTTP alternative port range to everybody and deploy
  runcloud.cloud.firewall_rule:
    server: web-01
    port: "8000-8999"
    deploy: true

- name: Let the office reach MariaDB
  runcloud.cloud.firewall_rule:
    server: web-01
    type: rich
    port: 3306
    ip_address: 198.51.100.0/24
    action: accept

- name: Remove the rule for a custom SSH port on purpose
  runcloud.cloud.firewall_rule:
    server: web-01
    port: 2222
    ssh_port: 2222
    allow_ssh_port_removal: true
    state: absent
    deploy: true
'''

RETURN = r'''
firewall_rule:
  description: The rule as the API describes it; empty after removal.
  returned: always
  type: dict
  contains:
    id:
      description: The rule id; V(null) when it was only predicted in check mode.
      type: int
      sample: 200
    type:
      description: V(global) or V(rich).
      type: str
      sample: rich
    port:
      description: The port or port range, as a string.
      type: str
      sample: '3306'
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
deployed:
  description: Whether the task deployed the rules (or would have, in check mode).
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

from ansible_collections.runcloud.cloud.plugins.module_utils.firewall import (
    DEFAULT_SSH_PORT,
    FIREWALL_PATH,
    RULE_PATH,
    RuleError,
    canonical_address,
    canonical_port,
    check_ssh_port,
    find_rule,
    rule_body,
    rule_options,
    ssh_lockout_message,
)
from ansible_collections.runcloud.cloud.plugins.module_utils.module import SERVER
from ansible_collections.runcloud.cloud.plugins.module_utils.resource import (
    Action,
    Field,
    ResourceModule,
    resource_argument_spec,
)


class FirewallRuleModule(ResourceModule):
    resource = 'firewall rule'
    result_key = 'firewall_rule'
    parents = (SERVER,)
    list_path = FIREWALL_PATH
    item_path = RULE_PATH
    # The rule's settings are its identity (find() matches them all), so none of them is ever "changed".
    identity = None
    fields = (
        Field('type'),
        Field('port', matches=lambda desired, current: canonical_port(desired) == canonical_port(current)),
        Field('protocol'),
        Field('ip_address',
              matches=lambda desired, current: canonical_address(desired) == canonical_address(current)),
        Field('action'),
    )
    actions = (Action('deploy', FIREWALL_PATH, method='PUT', when_changed=True, on_absent=True),)

    def __init__(self, argument_spec, **kwargs):
        super(FirewallRuleModule, self).__init__(argument_spec, **kwargs)
        self.body = None

    def validate(self):
        try:
            check_ssh_port(self.params['ssh_port'])
            self.body = rule_body(self.params)
        except RuleError as error:
            self.fail(str(error))

    def desired(self, field):
        return self.body.get(field.api)

    def find(self):
        return find_rule(self.client, self.path(FIREWALL_PATH), self.body)

    def create_body(self):
        return dict(self.body)

    def creation_phrase(self):
        return 'add the firewall rule'

    def delete(self, current):
        if not self.params['allow_ssh_port_removal']:
            message = ssh_lockout_message([current], self.params['ssh_port'])
            if message:
                self.fail(message, firewall_rule=self.public(current))
        super(FirewallRuleModule, self).delete(current)

    def extra_result(self, resource):
        return {'deployed': 'deploy' in self.actions_run}


def main():
    spec = resource_argument_spec(
        server=dict(type='raw', required=True),
        deploy=dict(type='bool', default=False),
        ssh_port=dict(type='int', default=DEFAULT_SSH_PORT),
        allow_ssh_port_removal=dict(type='bool', default=False),
    )
    spec.update(rule_options())
    FirewallRuleModule(argument_spec=spec, supports_check_mode=True).main()


if __name__ == '__main__':
    main()
