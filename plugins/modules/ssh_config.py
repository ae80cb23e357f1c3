#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) runcloud.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: ssh_config
short_description: Manage the SSH daemon settings of a RunCloud server through API v3's SSH configuration
version_added: 0.2.0
description:
  - Set whether the SSH daemon of a server allows password logins, refuses C(root) and looks up
    client names, through RunCloud API v3's C(PATCH /servers/{id}/ssh/config).
  - API v3 only. O(api_url) must end in C(/api/v3); on API v2 the task fails before any request.
    The same three flags are the C(passwordless_login), C(use_dns) and C(prevent_root_login) options of
    M(runcloud.cloud.server), on both API versions (the server settings endpoint both keep).
  - API v3 documents no read of the SSH configuration record; the current flags are read from the
    server's SSH settings, which hold the same values. Only the options the task sets are compared;
    a change sends all three flags, the ones the task does not set with their current value.
seealso:
  - module: runcloud.cloud.server
  - module: runcloud.cloud.ssh_key
author:
  - runcloud.cloud contributors (@runcloud-community)
options:
  passwordless_login:
    description:
      - V(true) allows only key logins (no passwords).
    type: bool
  use_dns:
    description:
      - Whether the SSH daemon looks up the names of connecting clients.
    type: bool
  prevent_root_login:
    description:
      - V(true) refuses logins as C(root).
    type: bool
extends_documentation_fragment:
  - runcloud.cloud.api
  - runcloud.cloud.api.action
  - runcloud.cloud.parents.server
  - runcloud.cloud.attributes
'''

EXAMPLES = r'''
- name: Keys only, no root logins
  runcloud.cloud.ssh_config:
    api_url: https://manage.runcloud.io/api/v3
    server: web-01
    passwordless_login: true
    prevent_root_login: true
'''

RETURN = r'''
ssh_config:
  description: The SSH daemon settings after the task (what check mode predicts in check mode).
  returned: always
  type: dict
  contains:
    passwordless_login:
      description: Whether only key logins are allowed.
      type: bool
      sample: true
    use_dns:
      description: Whether client names are looked up.
      type: bool
      sample: false
    prevent_root_login:
      description: Whether logins as C(root) are refused.
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

from ansible_collections.runcloud.cloud.plugins.module_utils.catalogue import V3_ONLY, path as endpoint
from ansible_collections.runcloud.cloud.plugins.module_utils.module import SERVER
from ansible_collections.runcloud.cloud.plugins.module_utils.resource import Field, ResourceModule, UpdateGroup

FLAGS = ('passwordless_login', 'use_dns', 'prevent_root_login')


class SshConfigModule(ResourceModule):
    resource = 'SSH configuration'
    result_key = 'ssh_config'
    api_versions = V3_ONLY
    parents = (SERVER,)
    singleton_path = endpoint('ssh_config', 'singleton')
    identity = None
    fields = tuple(Field(flag, kind='bool', create=False, update='config') for flag in FLAGS)
    # The reference leaves open whether the PATCH takes a partial set: every flag travels.
    update_groups = (UpdateGroup('config', endpoint('ssh_config', 'update'), send='all'),)

    def read_singleton(self):
        # Every server has SSH settings; the answer carries no id of its own (the PATCH's record does).
        current = super(SshConfigModule, self).read_singleton()
        return dict(current, id=current.get('id')) if current is not None else None

    def singleton_present(self, data):
        return isinstance(data, dict)

    def create(self):
        if self.parents_predicted:
            # Check mode under a server an earlier task only predicted: it will have what the task sets.
            self.changed = True
            return dict((field.read_as, self.desired(field)) for field in self.fields if self.is_set(field.option))
        self.fail('the server has no readable SSH settings (GET /%s answered no object)' % self.read_from.lstrip('/'))


def main():
    SshConfigModule(
        argument_spec=dict([('server', dict(type='raw', required=True))] + [(flag, dict(type='bool')) for flag in FLAGS]),
        required_one_of=[FLAGS],
        supports_check_mode=True,
    ).main()


if __name__ == '__main__':
    main()
