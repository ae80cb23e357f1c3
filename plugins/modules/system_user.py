#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) runcloud.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: system_user
short_description: Manage the system users of a RunCloud server
version_added: 0.1.0
description:
  - Create or delete a Linux system user on a server managed by RunCloud, set its password and make
    sure it has a git deployment key.
  - Web applications run as a system user, see M(runcloud.cloud.web_app).
seealso:
  - module: runcloud.cloud.system_user_info
  - module: runcloud.cloud.ssh_key
  - module: runcloud.cloud.server
  - ref: ansible_collections.runcloud.cloud.docsite.modules_servers
    description: Guide to the server, system user, SSH key, database and service modules.
author:
  - runcloud.cloud contributors (@runcloud-community)
options:
  username:
    description:
      - The Linux user name; it identifies the user on the server.
    type: str
    required: true
  password:
    description:
      - The user's password. The API never returns it, so it cannot be compared; see O(update_password).
    type: str
  update_password:
    description:
      - V(on_create) sets O(password) only when the user is created, so repeated runs report no change.
      - V(always) sends O(password) on every run and always reports a change.
    type: str
    choices: [always, on_create]
    default: on_create
  deployment_key:
    description:
      - V(true) makes sure the user has a git deployment key, generating one if it has none.
      - V(false) leaves the key as it is; the API cannot remove a key.
    type: bool
  state:
    description:
      - V(present) creates the user, V(absent) deletes it.
      - A user that still owns web applications cannot be deleted; the API refuses it.
    type: str
    choices: [present, absent]
    default: present
extends_documentation_fragment:
  - runcloud.cloud.api
  - runcloud.cloud.api.action
  - runcloud.cloud.parents.server
  - runcloud.cloud.attributes
attributes:
  idempotent:
    support: partial
    details:
      - Not idempotent with O(update_password=always), because the password cannot be compared.
'''

EXAMPLES = r'''
- name: Create a system user with a deployment key
  runcloud.cloud.system_user:
    server: web-01
    username: shop
    password: "{{ vault_shop_password }}"
    deployment_key: true

- name: Change the password of a system user
  runcloud.cloud.system_user:
    server: 12
    username: shop
    password: "{{ vault_new_shop_password }}"
    update_password: always

- name: Delete a system user
  runcloud.cloud.system_user:
    server: web-01
    username: shop
    state: absent
'''

RETURN = r'''
system_user:
  description: The system user as the API describes it; empty after deletion.
  returned: always
  type: dict
  contains:
    id:
      description: The user's id; V(null) when it was only predicted in check mode.
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
from ansible_collections.runcloud.cloud.plugins.module_utils.module import SERVER
from ansible_collections.runcloud.cloud.plugins.module_utils.resource import (
    Field,
    ResourceModule,
    UpdateGroup,
    resource_argument_spec,
)


class SystemUserModule(ResourceModule):
    resource = 'system user'
    result_key = 'system_user'
    parent_kind = 'system_user'
    created_defaults = {'deploymentKey': None, 'deleteable': True, 'created_at': None}
    parents = (SERVER,)
    list_path = endpoint('system_user', 'list')
    item_path = endpoint('system_user', 'item')
    identity = 'username'
    fields = (
        Field('username'),
        Field('password', write_only=True, update='password'),
        Field('deployment_key', create=False, update='deployment_key',
              matches=lambda wanted, key: bool(key) or not wanted,
              predict=lambda wanted: '(generated by RunCloud)'),
    )
    update_groups = (
        UpdateGroup('password', endpoint('system_user', 'password')),
        # Each call generates a new key: sent again after a lost answer, it would replace the key just made.
        UpdateGroup('deployment_key', endpoint('system_user', 'deployment_key'), send='none', idempotent=False),
    )


def main():
    SystemUserModule(
        argument_spec=resource_argument_spec(
            server=dict(type='raw', required=True),
            username=dict(type='str', required=True),
            password=dict(type='str', no_log=True),
            update_password=dict(type='str', default='on_create', choices=['always', 'on_create'], no_log=False),
            deployment_key=dict(type='bool'),
        ),
        supports_check_mode=True,
    ).main()


if __name__ == '__main__':
    main()
