#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) runcloud.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: database_user
short_description: Manage the database users of a RunCloud server
version_added: 0.1.0
description:
  - Create or delete a MariaDB/MySQL user on a server managed by RunCloud and set its password.
  - Give a user access to a database with M(runcloud.cloud.database_grant).
seealso:
  - module: runcloud.cloud.database
  - module: runcloud.cloud.database_grant
  - module: runcloud.cloud.database_info
  - ref: ansible_collections.runcloud.cloud.docsite.modules_servers
    description: Guide to the server, system user, SSH key, database and service modules.
author:
  - runcloud.cloud contributors (@runcloud-community)
options:
  username:
    description:
      - The database user name; it identifies the user on the server.
    type: str
    required: true
  id:
    description:
      - The id of the database user. It is then read directly (no search request) and must carry O(username).
    type: int
  password:
    description:
      - The user's password. Required to create a user.
      - The API never returns it, so it cannot be compared; see O(update_password).
    type: str
  update_password:
    description:
      - V(on_create) sets O(password) only when the user is created, so repeated runs report no change.
      - V(always) sends O(password) on every run and always reports a change.
    type: str
    choices: [always, on_create]
    default: on_create
  state:
    description:
      - V(present) creates the user, V(absent) deletes it (and with it its access to every database).
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
notes:
  - The user name cannot be changed through the API; a different O(username) is a different user.
'''

EXAMPLES = r'''
- name: Create a database user
  runcloud.cloud.database_user:
    server: web-01
    username: shop
    password: "{{ vault_shop_db_password }}"

- name: Rotate the password
  runcloud.cloud.database_user:
    server: web-01
    username: shop
    password: "{{ vault_new_shop_db_password }}"
    update_password: always

- name: Delete a database user
  runcloud.cloud.database_user:
    server: web-01
    username: shop
    state: absent
'''

RETURN = r'''
database_user:
  description: The database user as the API describes it (never the password); empty after deletion.
  returned: always
  type: dict
  contains:
    id:
      description: The user's id; V(null) when it was only predicted in check mode.
      type: int
      sample: 483
    username:
      description: The database user name.
      type: str
      sample: shop
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


class DatabaseUserModule(ResourceModule):
    resource = 'database user'
    result_key = 'database_user'
    parent_kind = 'database_user'
    created_defaults = {'created_at': None}
    parents = (SERVER,)
    list_path = endpoint('database_user', 'list')
    item_path = endpoint('database_user', 'item')
    identity = 'username'
    required_for_create = ('password',)
    fields = (
        Field('username'),
        Field('password', write_only=True, update='password'),
    )
    update_groups = (
        UpdateGroup('password', endpoint('database_user', 'item')),
    )


def main():
    DatabaseUserModule(
        argument_spec=resource_argument_spec(
            server=dict(type='raw', required=True),
            username=dict(type='str', required=True),
            id=dict(type='int'),
            password=dict(type='str', no_log=True),
            update_password=dict(type='str', default='on_create', choices=['always', 'on_create'], no_log=False),
        ),
        supports_check_mode=True,
    ).main()


if __name__ == '__main__':
    main()
