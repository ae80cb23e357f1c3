#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) runcloud.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: database_grant
short_description: Give a database user access to a database on a RunCloud server
version_added: 0.1.0
description:
  - Grant a database user access to a database, or revoke it.
  - The database and the user must exist; create them with M(runcloud.cloud.database) and
    M(runcloud.cloud.database_user).
seealso:
  - module: runcloud.cloud.database
  - module: runcloud.cloud.database_user
  - ref: ansible_collections.runcloud.cloud.docsite.modules_servers
    description: Guide to the server, system user, SSH key, database and service modules.
author:
  - runcloud.cloud contributors (@runcloud-community)
options:
  database:
    description:
      - The database, by id or by name. A number is taken as the id.
    type: raw
    required: true
  database_user:
    description:
      - The database user, by id or by user name. A number is taken as the id.
    type: raw
    required: true
  state:
    description:
      - V(present) grants the access, V(absent) revokes it.
      - With V(absent), a database or user that does not exist has no access, so nothing changes.
    type: str
    choices: [present, absent]
    default: present
extends_documentation_fragment:
  - runcloud.cloud.api
  - runcloud.cloud.api.action
  - runcloud.cloud.parents.server
  - runcloud.cloud.attributes
'''

EXAMPLES = r'''
- name: Let the shop user use the shop database
  runcloud.cloud.database_grant:
    server: web-01
    database: shop
    database_user: shop

- name: Revoke it
  runcloud.cloud.database_grant:
    server: web-01
    database: shop
    database_user: shop
    state: absent
'''

RETURN = r'''
database_grant:
  description: The grant; empty when there is none.
  returned: always
  type: dict
  contains:
    database_id:
      description: The database id.
      type: int
      sample: 87
    database_user_id:
      description: The database user id.
      type: int
      sample: 483
    username:
      description: The database user name.
      type: str
      sample: shop
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
from ansible_collections.runcloud.cloud.plugins.module_utils.errors import NotFoundError
from ansible_collections.runcloud.cloud.plugins.module_utils.module import DATABASE, DATABASE_USER, SERVER, is_id
from ansible_collections.runcloud.cloud.plugins.module_utils.resource import ResourceModule, resource_argument_spec

GRANT_PATH = endpoint('database_grant', 'list')


class DatabaseGrantModule(ResourceModule):
    """A grant is a relationship: found in the database's grant list, created and revoked by user id."""

    resource = 'database grant'
    result_key = 'database_grant'
    parents = (SERVER,)
    create_path = GRANT_PATH

    def prepare(self):
        try:
            self.resolve_parents(DATABASE, DATABASE_USER)
        except NotFoundError:
            if self.params['state'] != 'absent':
                raise

    def find(self):
        if DATABASE.key not in self.resolved or DATABASE_USER.key not in self.resolved:
            return None
        user_id = self.resolved[DATABASE_USER.key]
        wanted = self.params['database_user']
        path = self.path(GRANT_PATH)
        if is_id(wanted):
            matches = [user for user in self.client.iter_items(path) if user.get('id') == user_id]
            return matches[0] if matches else None
        return self.client.find_by_field(path, wanted, 'username', description='database user')

    def create_body(self):
        return {'id': self.resolved[DATABASE_USER.key]}

    def predict_created(self, body):
        wanted = self.params['database_user']
        return {'id': body['id'], 'username': None if is_id(wanted) else wanted}

    def item_url(self, current):
        return self.path(GRANT_PATH)

    def delete_body(self, current):
        return {'id': current['id']}

    def public(self, resource):
        if not resource:
            return {}
        return dict(database_id=self.resolved.get(DATABASE.key), database_user_id=resource['id'], username=resource.get('username'))


def main():
    DatabaseGrantModule(
        argument_spec=resource_argument_spec(
            server=dict(type='raw', required=True),
            database=dict(type='raw', required=True),
            database_user=dict(type='raw', required=True),
        ),
        supports_check_mode=True,
    ).main()


if __name__ == '__main__':
    main()
