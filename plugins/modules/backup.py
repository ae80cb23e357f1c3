#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) runcloud.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: backup
short_description: Manage the backup policy of a RunCloud web application or database (API v3)
version_added: 0.2.0
description:
  - Create, change or remove the backup policy that covers a web application, a database, or both, with
    where the backups go, full or incremental, the archive format, how often they run, how long they are
    kept, what they leave out and who is told.
  - API v3 only. O(api_url) must end in C(/api/v3); on API v2 the task fails before any request.
  - A policy is found by what it covers (O(web_app), O(database)), not by its name; RunCloud keeps one
    policy per web application and per database. O(name) is a setting and can change.
  - RunCloud's backup object shows the name, storage, type and frequency. The other settings
    (O(format), O(retention), the exclusions and notifications) are sent when the policy is created;
    afterwards they are compared only when the API shows them. When it does not, the value is unknown and the
    module changes nothing for it (it never sends a setting it cannot see differ); the diff marks it unknown.
    Since RunCloud's answer is documented to leave them out, this is not warned about on every run.
  - O(storage) and O(backup_type) cannot change after creation; a policy that differs there fails the task.
  - Removing a policy (O(state=absent)) uses C(DELETE /backups/{id}), which RunCloud's reference does not
    document (its page was not reachable); the module treats a 404 there as already removed.
seealso:
  - module: runcloud.cloud.backup_info
  - module: runcloud.cloud.backup_restore
  - ref: ansible_collections.runcloud.cloud.docsite.backups
    description: Guide to backups, restores, cloning and the SSH configuration on API v3.
author:
  - runcloud.cloud contributors (@runcloud-community)
options:
  server:
    description:
      - The server of the web application and database, by id or by name.
    type: raw
    required: true
  web_app:
    description:
      - The web application the policy covers, by id or by name. At least one of O(web_app) and
        O(database) is required.
    type: raw
  database:
    description:
      - The database the policy covers, by id or by name.
    type: raw
  name:
    description:
      - The policy's name (RunCloud's C(label)). Required to create it.
    type: str
  storage:
    description:
      - Where the backups are kept, such as V(runcloud) (RunCloud's storage) or V(local). RunCloud's
        default when unset is not documented; the module sends V(runcloud) on create.
    type: str
  backup_type:
    description:
      - V(full) or V(incremental) backups. Sent as V(full) on create when unset.
    type: str
    choices: [full, incremental]
  format:
    description:
      - The archive format.
    type: str
    choices: [tar, tar.gz]
  frequency:
    description:
      - How often a backup runs, such as V(1 day), V(3 days) or V(1 week). Required to create the policy.
    type: str
  retention:
    description:
      - How long backups are kept, such as V(1 month) or V(3 weeks). Required to create the policy.
    type: str
  exclude_development_files:
    description:
      - Leave development files (C(node_modules), C(.git) and the like) out of the backup.
    type: bool
  exclude_wordpress_cache_files:
    description:
      - Leave WordPress cache files out of the backup.
    type: bool
  exclude_files:
    description:
      - Paths, relative to the web application, left out of the backup. Compared as a set.
    type: list
    elements: str
  exclude_tables:
    description:
      - Database tables left out of the backup. Compared as a set.
    type: list
    elements: str
  success_notification:
    description:
      - Send a notification when a backup succeeds.
    type: bool
  fail_notification:
    description:
      - Send a notification when a backup fails.
    type: bool
  state:
    description:
      - V(present) creates or changes the policy, V(absent) removes it.
    type: str
    choices: [present, absent]
    default: present
extends_documentation_fragment:
  - runcloud.cloud.api
  - runcloud.cloud.api.action
  - runcloud.cloud.wait
  - runcloud.cloud.attributes
'''

EXAMPLES = r'''
- name: Back the shop and its database up every day, kept for a month
  runcloud.cloud.backup:
    api_url: https://manage.runcloud.io/api/v3
    server: web-01
    web_app: shop
    database: shop
    name: shop nightly
    storage: runcloud
    backup_type: incremental
    format: tar.gz
    frequency: 1 day
    retention: 1 month
    exclude_development_files: true
    exclude_tables: [wp_sessions]
    fail_notification: true

- name: Keep backups for three weeks instead
  runcloud.cloud.backup:
    api_url: https://manage.runcloud.io/api/v3
    server: web-01
    web_app: shop
    retention: 3 weeks

- name: Remove the policy
  runcloud.cloud.backup:
    api_url: https://manage.runcloud.io/api/v3
    server: web-01
    web_app: shop
    state: absent
'''

RETURN = r'''
backup:
  description:
    - The policy as the API describes it (empty after a removal); the settings a create sent and the
      answer does not show, as sent.
  returned: always
  type: dict
  contains:
    id:
      description: The policy id; V(null) when it was only predicted in check mode.
      type: int
      sample: 12
    label:
      description: The policy's name.
      type: str
      sample: shop nightly
    storage:
      description: Where the backups are kept.
      type: str
      sample: runcloud
    type:
      description: The backup type as RunCloud words it.
      type: str
      sample: incremental backup
    frequency:
      description: How often a backup runs.
      type: str
      sample: 1 day
    status:
      description: The policy's status.
      type: str
      sample: active
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

from ansible_collections.runcloud.cloud.plugins.module_utils.backups import BackupPolicies
from ansible_collections.runcloud.cloud.plugins.module_utils.catalogue import V3_ONLY, path as endpoint
from ansible_collections.runcloud.cloud.plugins.module_utils.module import SERVER
from ansible_collections.runcloud.cloud.plugins.module_utils.resource import Field, ResourceModule, UpdateGroup, landing_options, resource_argument_spec

# RunCloud answers the type it was given as words: incremental -> "incremental backup".
BACKUP_TYPE_WORDS = {'full': 'full backup', 'incremental': 'incremental backup'}


def backup_type_option(current):
    """The option value (``full``, ``incremental``) of a type as RunCloud words it; None when unreadable."""
    if not isinstance(current, str):
        return None
    for option, words in BACKUP_TYPE_WORDS.items():
        if current.strip().lower() in (option, words):
            return option
    return None


def same_backup_type(desired, current):
    if not isinstance(current, str):
        return None
    spelled = current.strip().lower()
    return spelled in (desired, BACKUP_TYPE_WORDS[desired])


def same_set(desired, current):
    if not isinstance(current, list):
        return None
    return sorted(set(desired)) == sorted(set(str(item) for item in current))


def settings_field(option, kind=None, **extra):
    return Field(option, kind=kind, update='settings', **extra)


def unshown_settings_field(option, kind=None, **extra):
    """A setting RunCloud's backup object does not show: sent on create, compared only when an answer
    shows it, and otherwise unknown without a warning on every run (that is how the API is)."""
    return settings_field(option, kind=kind, shown=False, **extra)


class BackupModule(ResourceModule):
    resource = 'backup policy'
    result_key = 'backup'
    api_versions = V3_ONLY
    parents = (SERVER,)
    list_path = endpoint('backup', 'list')
    item_path = endpoint('backup', 'item')
    identity = 'name'
    # Found by what it covers (find()), never by the API's search.
    searchable = False
    required_for_create = ('name', 'frequency', 'retention')
    created_defaults = {'status': None, 'size': None}
    fields = (
        settings_field('name', read_as='label'),
        Field('storage', create_default='runcloud'),
        Field('backup_type', api='backupType', read_as='type', create_default='full', matches=same_backup_type,
              predict=lambda value: BACKUP_TYPE_WORDS[value]),
        unshown_settings_field('format'),
        settings_field('frequency'),
        unshown_settings_field('retention'),
        unshown_settings_field('exclude_development_files', kind='bool'),
        unshown_settings_field('exclude_wordpress_cache_files', kind='bool'),
        unshown_settings_field('exclude_files', api='excludeFile', kind='raw', matches=same_set),
        unshown_settings_field('exclude_tables', api='excludeTable', kind='raw', matches=same_set),
        unshown_settings_field('success_notification', kind='bool'),
        unshown_settings_field('fail_notification', kind='bool'),
    )
    update_groups = (UpdateGroup('settings', endpoint('backup', 'item')),)

    def prepare(self):
        self.policies = BackupPolicies(self)
        self.policies.resolve_covered()

    def find(self):
        return self.policies.find(self.params.get('name'))

    def create_body(self):
        body = super(BackupModule, self).create_body()
        body.update(self.policies.covered_body())
        return body

    def predict_created(self, body):
        predicted = super(BackupModule, self).predict_created(body)
        predicted['items'] = self.policies.covered_items()
        predicted['type'] = BACKUP_TYPE_WORDS.get(predicted.get('type'), predicted.get('type'))
        return predicted

    def find_created(self):
        # The settings a create sent and the policy object does not show hold as sent: comparing them
        # with nothing right after the create would send them again.
        found = self.find()
        if found is None:
            return None
        sent = self.create_body()
        for field in self.fields:
            if field.api in sent and field.read_as not in found:
                found[field.read_as] = sent[field.api]
        return found


def main():
    BackupModule(
        argument_spec=resource_argument_spec(
            server=dict(type='raw', required=True),
            web_app=dict(type='raw'),
            database=dict(type='raw'),
            name=dict(type='str'),
            storage=dict(type='str'),
            backup_type=dict(type='str', choices=sorted(BACKUP_TYPE_WORDS)),
            format=dict(type='str', choices=['tar', 'tar.gz']),
            frequency=dict(type='str'),
            retention=dict(type='str'),
            exclude_development_files=dict(type='bool'),
            exclude_wordpress_cache_files=dict(type='bool'),
            exclude_files=dict(type='list', elements='str'),
            exclude_tables=dict(type='list', elements='str'),
            success_notification=dict(type='bool'),
            fail_notification=dict(type='bool'),
            **landing_options()
        ),
        required_one_of=[('web_app', 'database')],
        supports_check_mode=True,
    ).main()


if __name__ == '__main__':
    main()
