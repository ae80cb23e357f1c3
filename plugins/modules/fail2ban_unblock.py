#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) runcloud.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: fail2ban_unblock
short_description: Unblock IP addresses that Fail2Ban blocked on a RunCloud server
version_added: 0.1.0
description:
  - Make sure Fail2Ban does not block the given IP addresses on a server.
  - The task reads the blocked list once and unblocks only the addresses on it; an address that is
    not blocked is no change and costs no request.
author:
  - runcloud.cloud contributors (@runcloud-community)
options:
  ips:
    description:
      - The IP addresses to unblock, IPv4 or IPv6, without a prefix length.
      - Compared in canonical form (V(2001:DB8:0::1) is V(2001:db8::1)).
    type: list
    elements: str
    required: true
extends_documentation_fragment:
  - runcloud.cloud.api
  - runcloud.cloud.api.action
  - runcloud.cloud.parents.server
  - runcloud.cloud.attributes
attributes:
  diff_mode:
    details:
      - The diff shows the blocked addresses before and after.
notes:
  - Fail2Ban may block an address again after the task when it keeps failing to log in.
  - An address that Fail2Ban released between the read and the unblock request (HTTP 422 about the
    address) counts as not blocked.
seealso:
  - module: runcloud.cloud.fail2ban_info
    description: List the blocked addresses.
  - module: runcloud.cloud.firewall
    description: Converge the firewall rules of a server.
'''

EXAMPLES = r'''
- name: Unblock the office and the monitoring host
  runcloud.cloud.fail2ban_unblock:
    server: web-01
    ips:
      - 198.51.100.7
      - 2001:db8::10
'''

RETURN = r'''
unblocked:
  description: The addresses the task unblocked (or would unblock in check mode), as the API listed them.
  returned: always
  type: list
  elements: str
  sample: [198.51.100.7]
blocked_ips:
  description: The addresses still blocked after the task.
  returned: always
  type: list
  elements: str
  sample: [203.0.113.9]
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

from ansible_collections.runcloud.cloud.plugins.module_utils.errors import ValidationError
from ansible_collections.runcloud.cloud.plugins.module_utils.fail2ban import (
    BLOCKED_PATH,
    IP_FORM,
    blocked_ips,
    canonical_ip,
    invalid_ips,
)
from ansible_collections.runcloud.cloud.plugins.module_utils.module import SERVER, RunCloudModule


class Fail2BanUnblockModule(RunCloudModule):

    def main(self):
        self.run(self.unblock)

    def unblock(self):
        wrong = invalid_ips(self.params['ips'])
        if wrong:
            self.fail('ips must hold only %s; not: %s' % (IP_FORM, ', '.join(repr(value) for value in wrong)))
        wanted = set(canonical_ip(value) for value in self.params['ips'])
        self.resolve_parent(SERVER)
        path = self.path(BLOCKED_PATH)
        before = [] if self.parents_predicted else blocked_ips(self.client, path)
        unblocked = [address for address in before if canonical_ip(address) in wanted]
        if not self.check_mode:
            unblocked = [address for address in unblocked if self.send_unblock(path, address)]
        after = [address for address in before if address not in unblocked]
        result = dict(changed=bool(unblocked), unblocked=unblocked, blocked_ips=after)
        if self.module._diff:
            result['diff'] = dict(before=dict(blocked_ips=before), after=dict(blocked_ips=after))
        self.exit(**result)

    def send_unblock(self, path, address):
        """Unblock one address; False when the API says it was no longer blocked."""
        try:
            self.client.delete(path, body={'ip': address})
        except ValidationError as error:
            if set(error.errors) == set(['ip']):
                # After a retry the first DELETE, whose answer was lost, is what unblocked it.
                return bool(error.tries and error.tries > 1)
            raise
        return True


def main():
    Fail2BanUnblockModule(
        argument_spec=dict(
            server=dict(type='raw', required=True),
            ips=dict(type='list', elements='str', required=True),
        ),
        supports_check_mode=True,
    ).main()


if __name__ == '__main__':
    main()
