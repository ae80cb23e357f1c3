#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) runcloud.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: backup_restore
short_description: Restore a RunCloud backup snapshot into its web application and database, or into others (API v3)
version_added: 0.2.0
description:
  - Restore one snapshot of a backup policy, into what the policy covers (O(target=current)) or into another
    web application and database (O(target=other)).
  - API v3 only. O(api_url) must end in C(/api/v3); on API v2 the task fails before any request.
  - A restore is an action, not a state; it runs every time the task runs and always reports a change.
    Check mode finds the policy and the snapshot and reports what it would restore, sending nothing.
  - The restore request is sent exactly once. When its answer is lost (a timeout, a dropped connection, a
    server error after it was sent) the task fails saying the restore may have started; it is never sent
    again, because a second restore would overwrite the first one's result.
  - RunCloud only acknowledges a restore ("will begin shortly") and shows no status of it, so there is
    nothing the task could wait for; it ends with the API's answer.
seealso:
  - module: runcloud.cloud.backup
  - module: runcloud.cloud.backup_info
  - ref: ansible_collections.runcloud.cloud.docsite.backups
    description: Guide to backups, restores, cloning and the SSH configuration on API v3.
author:
  - runcloud.cloud contributors (@runcloud-community)
options:
  server:
    description:
      - The server of the backed-up web application and database, by id or by name.
    type: raw
    required: true
  web_app:
    description:
      - The web application whose backup policy holds the snapshot, by id or by name. At least one of
        O(web_app) and O(database) is required.
    type: raw
  database:
    description:
      - The database whose backup policy holds the snapshot, by id or by name.
    type: raw
  snapshot:
    description:
      - The snapshot to restore, by id, or V(latest) for the newest snapshot whose backup completed.
    type: str
    default: latest
  target:
    description:
      - V(current) restores into the backed-up web application and database, V(other) into O(target_web_app)
        and O(target_database).
    type: str
    choices: [current, other]
    default: current
  target_web_app:
    description:
      - With O(target=other), the web application restored into, by id or by name on O(server).
    type: raw
  target_database:
    description:
      - With O(target=other), the database restored into, by id or by name on O(server).
    type: raw
  clear_files:
    description:
      - Remove the web application's files before restoring.
    type: bool
    default: false
extends_documentation_fragment:
  - runcloud.cloud.api
  - runcloud.cloud.api.action
  - runcloud.cloud.attributes
attributes:
  idempotent:
    support: none
    details:
      - A restore is an action; it runs every time.
  diff_mode:
    support: none
'''

EXAMPLES = r'''
- name: Restore the shop from its newest completed backup
  runcloud.cloud.backup_restore:
    api_url: https://manage.runcloud.io/api/v3
    server: web-01
    web_app: shop

- name: Restore snapshot 81 of the shop's policy into the staging application and database
  runcloud.cloud.backup_restore:
    api_url: https://manage.runcloud.io/api/v3
    server: web-01
    web_app: shop
    snapshot: 81
    target: other
    target_web_app: shop-staging
    target_database: shop_staging
    clear_files: true
'''

RETURN = r'''
restore:
  description: What was restored (or, in check mode, would be).
  returned: always
  type: dict
  contains:
    backup_id:
      description: The backup policy.
      type: int
      sample: 12
    snapshot:
      description: The snapshot restored, as the API lists it.
      type: dict
      sample: {"id": 81, "run_date": "2024-07-16 03:00:00", "status": "COMPLETED"}
    target:
      description: V(current) or V(other).
      type: str
      sample: current
    web_app_id:
      description: The web application restored into (null when none).
      type: int
      sample: 4
    database_id:
      description: The database restored into (null when none).
      type: int
      sample: 7
    clear_files:
      description: Whether the files were removed first.
      type: bool
      sample: false
    message:
      description: The API's answer; absent in check mode.
      type: str
      sample: Backup restore process will begin shortly
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

from ansible_collections.runcloud.cloud.plugins.module_utils.backups import BackupPolicies, read_snapshots, snapshot_failed
from ansible_collections.runcloud.cloud.plugins.module_utils.catalogue import V3_ONLY, path as endpoint
from ansible_collections.runcloud.cloud.plugins.module_utils.errors import RunCloudError
from ansible_collections.runcloud.cloud.plugins.module_utils.module import SERVER, ParentRef, RunCloudModule, is_id
from ansible_collections.runcloud.cloud.plugins.module_utils.values import ID

TARGET_WEB_APP = ParentRef('target_web_app', 'target_web_app_id', endpoint('web_app', 'list'), 'web application', kind='web_app')
TARGET_DATABASE = ParentRef('target_database', 'target_database_id', endpoint('database', 'list'), 'database', kind='database')
COMPLETED = 'completed'


def newest_completed(snapshots):
    """The newest snapshot whose status says it completed (by run date, then id); None without one."""
    completed = [snapshot for snapshot in snapshots
                 if isinstance(snapshot.get('status'), str) and snapshot['status'].strip().lower() == COMPLETED]
    if not completed:
        return None
    return max(completed, key=lambda snapshot: (str(snapshot.get('runDate') or ''), ID.read(snapshot.get('id')) or 0))


class BackupRestoreModule(RunCloudModule):
    api_versions = V3_ONLY

    def main(self):
        self.run(self.restore)

    def subject(self):
        return 'the restore'

    def restore(self):
        self.resolve_parent(SERVER)
        policies = BackupPolicies(self)
        policies.resolve_covered()
        policy = policies.find()
        if policy is None:
            self.fail_unless_predicted('no backup policy covers %s' % self.covered_described())
            return self.exit(changed=True, restore=self.described(None, None))
        snapshot = self.chosen_snapshot(policy)
        body = dict(restoreTarget=self.params['target'], clearFiles=self.params['clear_files'])
        if self.params['target'] == 'other':
            body.update(self.other_targets())
            web_app_id, database_id = body.get('webapp'), body.get('database')
        else:
            items = policy.get('items') if isinstance(policy.get('items'), dict) else {}
            web_app_id, database_id = items.get('webApplicationId'), items.get('databaseId')
        restore = self.described(policy, snapshot, web_app_id, database_id)
        if not self.check_mode and not self.parents_predicted:
            path = self.path(endpoint('backup', 'restore'), backup_id=policy['id'], id=snapshot['id'])
            # Never repeated: a lost answer fails the task (the restore may have started), see client.request.
            try:
                answer = self.client.request('POST', path, body=body, idempotent=False).data
            except RunCloudError as error:
                if error.maybe_applied:
                    self.fail('%s. The restore may have started: check the restored web application and database before '
                              'running the task again (a second restore would run again)' % error, **error.to_dict())
                raise
            if isinstance(answer, dict) and isinstance(answer.get('message'), str):
                restore['message'] = answer['message']
        self.exit(changed=True, restore=restore)

    def fail_unless_predicted(self, message):
        if not self.parents_predicted:
            self.fail(message + '; create it with runcloud.cloud.backup first')

    def covered_described(self):
        return ' and '.join('%s %r' % (option, self.params[option]) for option in ('web_app', 'database') if self.is_set(option))

    def chosen_snapshot(self, policy):
        snapshots = read_snapshots(self.client, policy['id'])
        wanted = self.params['snapshot']
        if wanted == 'latest':
            snapshot = newest_completed(snapshots)
            if snapshot is None:
                self.fail('the backup policy %r (id %s) has no completed snapshot yet (%d snapshots)'
                          % (policy.get('label'), policy['id'], len(snapshots)))
            return snapshot
        if not is_id(wanted):
            self.fail('snapshot must be a snapshot id or latest, not %r' % wanted)
        for snapshot in snapshots:
            if ID.read(snapshot.get('id')) == int(wanted):
                if snapshot_failed(snapshot):
                    self.fail('snapshot %s of the backup policy %r failed (status %s): there is nothing to restore'
                              % (wanted, policy.get('label'), snapshot.get('status')))
                return snapshot
        self.fail('the backup policy %r (id %s) has no snapshot %s; its snapshots: %s'
                  % (policy.get('label'), policy['id'], wanted, ', '.join(str(s.get('id')) for s in snapshots) or 'none'))

    def other_targets(self):
        """The ids restored into with target=other; the API takes them as strings (runcloud-api-v3 1.8)."""
        targets = {}
        for parent, api in ((TARGET_WEB_APP, 'webapp'), (TARGET_DATABASE, 'database')):
            ident = self.resolve_parent(parent, required=False)
            if ident is not None:
                targets[api] = str(ident)
        return targets

    def described(self, policy, snapshot, web_app_id=None, database_id=None):
        return dict(backup_id=policy.get('id') if policy else None, snapshot=snapshot or {}, target=self.params['target'],
                    web_app_id=ID.read(web_app_id), database_id=ID.read(database_id), clear_files=self.params['clear_files'])


def main():
    BackupRestoreModule(
        argument_spec=dict(
            server=dict(type='raw', required=True),
            web_app=dict(type='raw'),
            database=dict(type='raw'),
            snapshot=dict(type='str', default='latest'),
            target=dict(type='str', default='current', choices=['current', 'other']),
            target_web_app=dict(type='raw'),
            target_database=dict(type='raw'),
            clear_files=dict(type='bool', default=False),
        ),
        required_one_of=[('web_app', 'database')],
        required_if=[('target', 'other', ('target_web_app', 'target_database'), True)],
        supports_check_mode=True,
    ).main()


if __name__ == '__main__':
    main()
