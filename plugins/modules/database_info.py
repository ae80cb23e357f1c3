#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) runcloud.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: database_info
short_description: List the databases of a RunCloud server
version_added: 0.1.0
description:
  - Return one database (by id or by exact name) or all databases of a server, every page of the list.
seealso:
  - module: runcloud.cloud.database
  - module: runcloud.cloud.database_user
  - module: runcloud.cloud.database_grant
  - ref: ansible_collections.runcloud.cloud.docsite.modules_servers
    description: Guide to the server, system user, SSH key, database and service modules.
author:
  - runcloud.cloud contributors (@runcloud-community)
options:
  id:
    description:
      - Return only the database with this id.
    type: int
  name:
    description:
      - Return only the database with exactly this name.
    type: str
  search:
    description:
      - Return only the databases the API's search matches (a substring of the name).
    type: str
  grants:
    description:
      - Add to each database the list of database users that have access to it, under C(grants).
      - This costs one more request per database.
    type: bool
    default: false
extends_documentation_fragment:
  - runcloud.cloud.api
  - runcloud.cloud.api.action
  - runcloud.cloud.parents.server
  - runcloud.cloud.attributes.info_module
'''

EXAMPLES = r'''
- name: All databases of a server
  runcloud.cloud.database_info:
    server: web-01
  register: result

- name: One database with the users that can use it
  runcloud.cloud.database_info:
    server: web-01
    name: shop
    grants: true
  register: result
'''

RETURN = r'''
databases:
  description: The matching databases; an empty list when none matches.
  returned: always
  type: list
  elements: dict
  contains:
    id:
      description: The database id.
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
    grants:
      description: The database users with access to the database (id, username, created_at).
      returned: when O(grants=true)
      type: list
      elements: dict
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
from ansible_collections.runcloud.cloud.plugins.module_utils.info import list_info_argument_spec
from ansible_collections.runcloud.cloud.plugins.module_utils.module import SERVER, RunCloudModule


class DatabaseInfoModule(RunCloudModule):

    def main(self):
        self.run(self._read)

    def _read(self):
        self.resolve_parent(SERVER)
        databases = self.read_children(endpoint('database', 'list'), item_id=self.params['id'], value=self.params['name'],
                                       search=self.params['search'], description='database')
        if self.params['grants']:
            for database in databases:
                database['grants'] = self.client.list_all(self.path(endpoint('database_grant', 'list'), database_id=database['id']))
        self.exit(changed=False, databases=databases)


def main():
    DatabaseInfoModule(**list_info_argument_spec('name', grants=dict(type='bool', default=False))).main()


if __name__ == '__main__':
    main()
