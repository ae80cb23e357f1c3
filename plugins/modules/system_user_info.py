#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) runcloud.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: system_user_info
short_description: List the system users of a RunCloud server
version_added: 0.1.0
description:
  - Return one system user (by id or by exact user name) or all system users of a server, every page of the list.
seealso:
  - module: runcloud.cloud.system_user
  - module: runcloud.cloud.ssh_key
  - ref: ansible_collections.runcloud.cloud.docsite.modules_servers
    description: Guide to the server, system user, SSH key, database and service modules.
author:
  - runcloud.cloud contributors (@runcloud-community)
options:
  id:
    description:
      - Return only the user with this id.
    type: int
  username:
    description:
      - Return only the user with exactly this name.
    type: str
extends_documentation_fragment:
  - runcloud.cloud.api
  - runcloud.cloud.api.action
  - runcloud.cloud.parents.server
  - runcloud.cloud.attributes.info_module
'''

EXAMPLES = r'''
- name: All system users of a server
  runcloud.cloud.system_user_info:
    server: web-01
  register: result

- name: Does the user shop exist?
  runcloud.cloud.system_user_info:
    server: web-01
    username: shop
  register: result

- name: Show whether it exists
  ansible.builtin.debug:
    msg: "{{ result.system_users | length == 1 }}"
'''

RETURN = r'''
system_users:
  description: The matching system users; an empty list when none matches.
  returned: always
  type: list
  elements: dict
  contains:
    id:
      description: The user's id.
      type: int
      sample: 142
    username:
      description: The Linux user name.
      type: str
      sample: shop
    deployment_key:
      description: The public part of the git deployment key, if one was generated.
      type: str
      sample: ssh-rsa AAAAB3Nza...
    deleteable:
      description: Whether RunCloud allows deleting the user.
      type: bool
      sample: true
    created_at:
      description: When the user was created, in server time.
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

from ansible_collections.runcloud.cloud.plugins.module_utils.catalogue import path as endpoint
from ansible_collections.runcloud.cloud.plugins.module_utils.module import SERVER, RunCloudModule


class SystemUserInfoModule(RunCloudModule):

    def main(self):
        self.run(self._read)

    def _read(self):
        self.resolve_parent(SERVER)
        users = self.read_children(endpoint('system_user', 'list'), item_id=self.params['id'],
                                   field='username', value=self.params['username'], description='system user')
        self.exit(changed=False, system_users=users)


def main():
    SystemUserInfoModule(
        argument_spec=dict(
            server=dict(type='raw', required=True),
            id=dict(type='int'),
            username=dict(type='str'),
        ),
        mutually_exclusive=[('id', 'username')],
        supports_check_mode=True,
    ).main()


if __name__ == '__main__':
    main()
