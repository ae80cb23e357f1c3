#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) runcloud.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: firewall
short_description: Converge the firewall rules of a RunCloud server and deploy them once
version_added: 0.1.0
description:
  - Make sure every rule of O(rules) exists on the server, optionally remove every other rule
    (O(purge=true)), then deploy the rules to the server B(once), and only when something changed.
  - RunCloud stores firewall rules and applies them only when they are deployed. Deploying once per
    task, after all additions and removals, means the server never runs a half-changed rule set and
    a converged run sends no write at all.
  - A rule has no name; it is identified by all of its settings. Rules are compared in canonical
    form (port V(22) is V("22"), V(10.0.0.5/32) is V(10.0.0.5)).
  - Removing a rule that opens the SSH port (O(ssh_port)) fails before any change unless
    O(allow_ssh_port_removal=true).
author:
  - runcloud.cloud contributors (@runcloud-community)
options:
  rules:
    description:
      - The rules the server must have. An empty list with O(purge=true) removes every rule (the SSH
        rule only with O(allow_ssh_port_removal=true)).
    type: list
    elements: dict
    required: true
    suboptions:
      type:
        description:
          - V(global) opens the port to everybody; V(rich) accepts or rejects traffic from O(rules[].ip_address) only.
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
          - The source of a rich rule, an IPv4 or IPv6 address or a network in CIDR form. Required for rich rules.
        type: str
      action:
        description:
          - What a rich rule does with traffic from O(rules[].ip_address); defaults to V(accept) for rich rules.
        type: str
        choices: [accept, reject]
  purge:
    description:
      - Remove the rules of the server that O(rules) does not list.
    type: bool
    default: false
  deploy:
    description:
      - Deploy the rules to the server once after the task added or removed rules. Nothing is deployed
        when nothing changed.
      - With V(false) the changes are stored in RunCloud and take effect at the next deployment.
    type: bool
    default: true
  ssh_port:
    description:
      - The port the SSH daemon of the server listens on. The API does not tell it, so give it when it
        is not 22.
    type: int
    default: 22
  allow_ssh_port_removal:
    description:
      - Allow O(purge) to remove a rule that opens O(ssh_port) over TCP (a global rule or a rich
        V(accept) rule whose port or range covers it). Without it such a removal fails before any
        change, because it may lock everybody out of the server.
    type: bool
    default: false
extends_documentation_fragment:
  - runcloud.cloud.api
  - runcloud.cloud.api.action
  - runcloud.cloud.parents.server
  - runcloud.cloud.attributes
attributes:
  diff_mode:
    details:
      - The diff shows the rule list before and after.
seealso:
  - module: runcloud.cloud.firewall_rule
    description: Add or remove a single rule.
  - module: runcloud.cloud.firewall_rule_info
    description: List the firewall rules of a server.
  - module: runcloud.cloud.fail2ban_unblock
    description: Unblock IP addresses Fail2Ban has blocked.
'''

EXAMPLES = r'''
- name: Exactly SSH, HTTP, HTTPS and MariaDB from the office, deployed once
  runcloud.cloud.firewall:
    server: web-01
    purge: true
    rules:
      - port: 22
      - port: 80
      - port: 443
      - type: rich
        port: 3306
        ip_address: 198.51.100.0/24
        action: accept

- name: Add two rules without touching the others, deploy later
  runcloud.cloud.firewall:
    server: 42
    deploy: false
    rules:
      - port: "8000-8999"
      - port: 51820
        protocol: udp
'''

RETURN = r'''
firewall:
  description: The rules after the task and what changed.
  returned: always
  type: dict
  contains:
    rules:
      description:
        - The rules of the server after the task, as the API describes them (see M(runcloud.cloud.firewall_rule)).
        - Rules added in check mode have the id V(null).
      type: list
      elements: dict
    added:
      description: The rules the task added (or would add in check mode).
      type: list
      elements: dict
    removed:
      description: The rules the task removed (or would remove in check mode).
      type: list
      elements: dict
    deployed:
      description: Whether the task deployed the rules (or would have, in check mode).
      type: bool
      sample: true
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

from ansible_collections.runcloud.cloud.plugins.module_utils.errors import NotFoundError
from ansible_collections.runcloud.cloud.plugins.module_utils.firewall import (
    DEFAULT_SSH_PORT,
    FIREWALL_PATH,
    RULE_PATH,
    RuleError,
    check_ssh_port,
    find_rule,
    rule_body,
    rule_key,
    rule_options,
    ssh_lockout_message,
)
from ansible_collections.runcloud.cloud.plugins.module_utils.module import SERVER, RunCloudModule


class FirewallModule(RunCloudModule):
    """Converges a set of rules, which the single-resource base does not model: the shared parts
    (validation, identity of a rule, the SSH guard) live in module_utils.firewall."""

    def main(self):
        self.run(self.converge)

    def wanted_rules(self):
        """The API bodies of ``rules``, validated before any request, each rule once."""
        bodies = {}
        try:
            check_ssh_port(self.params['ssh_port'])
            for index, options in enumerate(self.params['rules']):
                body = rule_body(options, where='rules[%d].' % index)
                bodies.setdefault(rule_key(body), body)
        except RuleError as error:
            self.fail(str(error))
        return bodies

    def converge(self):
        wanted = self.wanted_rules()
        self.resolve_parent(SERVER)
        # A server check mode only predicted (created by an earlier task) has no rules yet.
        before = [] if self.parents_predicted else self.client.list_all(self.path(FIREWALL_PATH))
        kept, removed = [], []
        for rule in before:
            if wanted.pop(rule_key(rule), None) is not None or not self.params['purge']:
                kept.append(rule)
            else:
                removed.append(rule)
        added = list(wanted.values())
        if removed and not self.params['allow_ssh_port_removal']:
            message = ssh_lockout_message(removed, self.params['ssh_port'])
            if message:
                self.fail(message)
        changed = bool(added or removed)
        deployed = changed and self.params['deploy']
        if self.check_mode:
            added = [dict(body, id=None) for body in added]
        else:
            added = [self.add(body) for body in added]
            for rule in removed:
                self.remove(rule)
            if deployed:
                self.client.put(self.path(FIREWALL_PATH))
        after = kept + added
        result = dict(changed=changed, firewall=dict(rules=after, added=added, removed=removed, deployed=deployed))
        if self.module._diff:
            result['diff'] = dict(before=dict(rules=before), after=dict(rules=after))
        self.exit(**result)

    def find(self, body):
        return find_rule(self.client, self.path(FIREWALL_PATH), body)

    def add(self, body):
        created = self.client.post(self.path(FIREWALL_PATH), body, on_uncertain=lambda: self.find(body))
        if isinstance(created, list) and len(created) == 1:
            created = created[0]
        if not isinstance(created, dict) or created.get('id') is None:
            created = self.find(body) or dict(body, id=None)
        return created

    def remove(self, rule):
        try:
            self.client.delete(self.path(RULE_PATH, id=rule['id']))
        except NotFoundError:
            pass


def main():
    FirewallModule(
        argument_spec=dict(
            server=dict(type='raw', required=True),
            rules=dict(type='list', elements='dict', required=True, options=rule_options()),
            purge=dict(type='bool', default=False),
            deploy=dict(type='bool', default=True),
            ssh_port=dict(type='int', default=DEFAULT_SSH_PORT),
            allow_ssh_port_removal=dict(type='bool', default=False),
        ),
        supports_check_mode=True,
    ).main()


if __name__ == '__main__':
    main()
