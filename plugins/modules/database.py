#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) runcloud.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: database
short_description: Manage the databases of a RunCloud server
version_added: 0.1.0
description:
  - Create or delete a MariaDB/MySQL database on a server managed by RunCloud.
  - Users are managed with M(runcloud.cloud.database_user) and given access with M(runcloud.cloud.database_grant).
seealso:
  - module: runcloud.cloud.database_info
  - module: runcloud.cloud.database_user
  - module: runcloud.cloud.database_grant
  - ref: ansible_collections.runcloud.cloud.docsite.modules_servers
    description: Guide to the server, system user, SSH key, database and service modules.
author:
  - runcloud.cloud contributors (@runcloud-community)
options:
  name:
    description:
      - The database name; it identifies the database on the server.
    type: str
    required: true
  collation:
    description:
      - The collation of a new database, for example V(utf8mb4_unicode_ci); the server default when not set.
      - The API cannot change the collation of an existing database; a different value fails the task.
    type: str
  delete_users:
    description:
      - With O(state=absent), also delete the database users that have access to the database.
    type: bool
    default: false
  state:
    description:
      - V(present) creates the database, V(absent) deletes it with all its data.
    type: str
    choices: [present, absent]
    default: present
extends_documentation_fragment:
  - runcloud.cloud.api
  - runcloud.cloud.api.action
  - runcloud.cloud.parents.server
  - runcloud.cloud.attributes
notes:
  - Neither the name nor the collation of a database can be changed through the API.
'''

EXAMPLES = r'''
- name: Create a database
  runcloud.cloud.database:
    server: web-01
    name: shop
    collation: utf8mb4_unicode_ci

- name: Delete a database and the users that had access to it
  runcloud.cloud.database:
    server: web-01
    name: shop
    delete_users: true
    state: absent
'''

RETURN = r'''
database:
  description: The database as the API describes it; empty after deletion.
  returned: always
  type: dict
  contains:
    id:
      description: The database id; V(null) when it was only predicted in check mode.
      type: int
      sample: 87
    name:
      description: The database name.
      type: str
      sample: shop
    collation:
      description: The collation, V(null) for the server default.
      type: str
      sample: utf8mb4_unicode_ci
    created_at:
      description: When the database was created, in server time.
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
    resource_argument_spec,
)


class DatabaseModule(ResourceModule):
    resource = 'database'
    result_key = 'database'
    parent_kind = 'database'
    created_defaults = {'collation': None, 'created_at': None}
    parents = (SERVER,)
    list_path = endpoint('database', 'list')
    item_path = endpoint('database', 'item')
    fields = (
        Field('name'),
        Field('collation'),
    )
    accepted_values_from = {'collation': endpoint('static', 'collations')}

    def delete_body(self, current):
        return {'deleteUser': True} if self.params['delete_users'] else None


def main():
    DatabaseModule(
        argument_spec=resource_argument_spec(
            server=dict(type='raw', required=True),
            name=dict(type='str', required=True),
            collation=dict(type='str'),
            delete_users=dict(type='bool', default=False),
        ),
        supports_check_mode=True,
    ).main()


if __name__ == '__main__':
    main()
