#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) runcloud.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: backup_info
short_description: Read RunCloud backup policies and their snapshots with their status (API v3)
version_added: 0.2.0
description:
  - Read the backup policies of a server (or of the whole workspace), each with its snapshots and their
    status, such as V(COMPLETED) or a failed one.
  - API v3 only. O(api_url) must end in C(/api/v3); on API v2 the task fails before any request.
seealso:
  - module: runcloud.cloud.backup
  - module: runcloud.cloud.backup_restore
  - ref: ansible_collections.runcloud.cloud.docsite.backups
    description: Guide to backups, restores, cloning and the SSH configuration on API v3.
author:
  - runcloud.cloud contributors (@runcloud-community)
options:
  server:
    description:
      - The server whose policies are read, by id or by name. Without it every policy of the workspace is read.
      - Required with O(web_app) or O(database).
    type: raw
  web_app:
    description:
      - Only the policy covering this web application, by id or by name.
    type: raw
  database:
    description:
      - Only the policy covering this database, by id or by name.
    type: raw
  id:
    description:
      - Only the policy with this id.
    type: int
  snapshots:
    description:
      - Read each policy's snapshots too (one request per policy).
    type: bool
    default: true
extends_documentation_fragment:
  - runcloud.cloud.api
  - runcloud.cloud.api.action
  - runcloud.cloud.attributes.info_module
'''

EXAMPLES = r'''
- name: Read the shop's backup policy and its snapshots
  runcloud.cloud.backup_info:
    api_url: https://manage.runcloud.io/api/v3
    server: web-01
    web_app: shop
  register: shop_backups

- name: Say when the newest backup failed
  ansible.builtin.debug:
    msg: "The newest backup of the shop failed"
  when: shop_backups.backups[0].failed_snapshots | length > 0
'''

RETURN = r'''
backups:
  description:
    - The policies found (an empty list when none), each as the API describes it, with its snapshots.
    - What a policy covers is under the key C(items) (C(web_application_id), C(database_id)); read it as
      C(policy['items']), since C(items) is also a method in Jinja.
  returned: always
  type: list
  elements: dict
  contains:
    id:
      description: The policy id.
      type: int
      sample: 12
    label:
      description: The policy's name.
      type: str
      sample: shop nightly
    status:
      description: The policy's status.
      type: str
      sample: active
    snapshots:
      description: The policy's snapshots, newest first as the API lists them (with O(snapshots=true)).
      type: list
      elements: dict
      sample: [{"id": 82, "run_date": "2024-07-16 03:00:00", "status": "COMPLETED", "size": {"web_application": "70.21MB"}}]
    failed_snapshots:
      description: The ids of the snapshots whose status says the backup failed (with O(snapshots=true)).
      type: list
      elements: int
      sample: [83]
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

from ansible_collections.runcloud.cloud.plugins.module_utils.backups import BackupPolicies, covered_ids, read_snapshots, snapshot_failed
from ansible_collections.runcloud.cloud.plugins.module_utils.catalogue import V3_ONLY, path as endpoint
from ansible_collections.runcloud.cloud.plugins.module_utils.errors import NotFoundError
from ansible_collections.runcloud.cloud.plugins.module_utils.module import SERVER, RunCloudModule


class BackupInfoModule(RunCloudModule):
    api_versions = V3_ONLY

    def main(self):
        self.run(self._read)

    def _read(self):
        policies = BackupPolicies(self)
        if self.is_set('server'):
            self.resolve_parent(SERVER)
            policies.resolve_covered()
        found = self.matching(policies)
        if self.params['snapshots']:
            # One read per policy, at the same time through the client's pool.
            answers = self.client.concurrently([lambda ident=policy['id']: read_snapshots(self.client, ident) for policy in found])
            for policy, snapshots in zip(found, answers):
                policy['snapshots'] = snapshots
                policy['failed_snapshots'] = [snapshot.get('id') for snapshot in snapshots if snapshot_failed(snapshot)]
        self.exit(changed=False, backups=found)

    def matching(self, policies):
        if self.parents_predicted:
            return []
        if self.params['id'] is not None:
            try:
                policy = self.client.get(self.path(endpoint('backup', 'item'), id=self.params['id']))
            except NotFoundError:
                return []
            return [policy] if isinstance(policy, dict) else []
        if self.is_set('server'):
            wanted = policies.wanted()
            return [policy for policy in policies.list()
                    if all((covered_ids(policy) or {}).get(api) == ident for api, ident in wanted.items())]
        return [policy for policy in self.client.iter_items(self.path(endpoint('backup', 'list'))) if isinstance(policy, dict)]


def main():
    BackupInfoModule(
        argument_spec=dict(
            server=dict(type='raw'),
            web_app=dict(type='raw'),
            database=dict(type='raw'),
            id=dict(type='int'),
            snapshots=dict(type='bool', default=True),
        ),
        required_by=dict(web_app='server', database='server'),
        mutually_exclusive=[('id', 'web_app'), ('id', 'database')],
        supports_check_mode=True,
    ).main()


if __name__ == '__main__':
    main()
