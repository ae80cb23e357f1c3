#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) runcloud.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: ssh_key
short_description: Manage the SSH keys of the system users of a RunCloud server
version_added: 0.1.0
description:
  - Add a public key with which a system user can log in over SSH, or remove it.
  - RunCloud calls these keys SSH credentials. They are identified by their label on the server.
  - The API cannot change a key. When O(public_key) or O(system_user) differs from the existing key
    with the same label, the key is B(replaced) (deleted and added again) and the task reports a change.
seealso:
  - module: runcloud.cloud.system_user
  - module: runcloud.cloud.system_user_info
  - ref: ansible_collections.runcloud.cloud.docsite.modules_servers
    description: Guide to the server, system user, SSH key, database and service modules.
author:
  - runcloud.cloud contributors (@runcloud-community)
options:
  label:
    description:
      - The label of the key; it identifies the key on the server.
    type: str
    required: true
  id:
    description:
      - The id of the key. It is then read directly (no search request) and must carry O(label).
    type: int
  system_user:
    description:
      - The system user that logs in with the key, by id or by user name. A number is taken as the id.
      - Required to add a key.
    type: raw
  public_key:
    description:
      - The public key in OpenSSH format, such as C(ssh-ed25519 AAAA... me@laptop).
      - Required to add a key. Compared without leading and trailing white space.
    type: str
  temporary:
    description:
      - Add the key as a temporary key, which RunCloud removes by itself after some hours.
      - Only RunCloud API v3 has temporary keys (O(api_url) ending in C(/api/v3)); on API v2 the task fails
        before any request when this is set.
      - Sent when the key is added; an existing key with the same label is not replaced because of it
        (the API's list of keys does not say which keys are temporary).
    type: bool
    version_added: 0.2.0
  state:
    description:
      - V(present) adds the key (or replaces a different one), V(absent) removes it.
    type: str
    choices: [present, absent]
    default: present
extends_documentation_fragment:
  - runcloud.cloud.api
  - runcloud.cloud.api.action
  - runcloud.cloud.parents.server
  - runcloud.cloud.attributes
notes:
  - Replacing a key deletes it before adding the new one; if adding fails the old key is gone.
  - On API v3 the keys live under C(/servers/{id}/ssh/credentials) and name their user instead of giving its id;
    the module compares the user by name there, so the same task is idempotent on both versions.
'''

EXAMPLES = r'''
- name: Let the shop user log in with my key
  runcloud.cloud.ssh_key:
    server: web-01
    label: alice-laptop
    system_user: shop
    public_key: "{{ lookup('ansible.builtin.file', '~/.ssh/id_ed25519.pub') }}"

- name: Let a contractor in for today only (API v3)
  runcloud.cloud.ssh_key:
    api_url: https://manage.runcloud.io/api/v3
    server: web-01
    label: contractor-today
    system_user: shop
    public_key: "{{ contractor_public_key }}"
    temporary: true

- name: Remove the key
  runcloud.cloud.ssh_key:
    server: web-01
    label: alice-laptop
    state: absent
'''

RETURN = r'''
ssh_key:
  description: The SSH key as the API describes it; empty after deletion.
  returned: always
  type: dict
  contains:
    id:
      description: The key id; V(null) when it was only predicted in check mode.
      type: int
      sample: 17
    label:
      description: The label.
      type: str
      sample: alice-laptop
    user_id:
      description: The id of the system user the key belongs to (API v2).
      type: int
      sample: 142
    user:
      description: The name of the system user the key belongs to (API v3, instead of RV(ssh_key.user_id)).
      type: str
      sample: shop
    temporary:
      description: Whether RunCloud removes the key by itself after some hours (API v3, when the key was read by its id).
      type: bool
      sample: false
    public_key:
      description: The public key.
      type: str
      sample: ssh-ed25519 AAAAC3Nza... alice@laptop
    created_at:
      description: When the key was added, in server time.
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
from ansible_collections.runcloud.cloud.plugins.module_utils.module import SERVER, SYSTEM_USER, is_id
from ansible_collections.runcloud.cloud.plugins.module_utils.resource import (
    Field,
    ResourceModule,
    resource_argument_spec,
)


def same_key(wanted, current):
    return (wanted or '').strip() == (current or '').strip()


class SshKeyModule(ResourceModule):
    resource = 'SSH key'
    result_key = 'ssh_key'
    created_defaults = {'created_at': None}
    parents = (SERVER,)
    list_path = endpoint('ssh_key', 'list')
    item_path = endpoint('ssh_key', 'item')
    identity = 'label'
    fields = (
        Field('label'),
        # The API wants the user's name on create and answers with its id; see current_value().
        Field('system_user'),
        Field('public_key', to_api=lambda module, value: value.strip(), matches=same_key),
    )
    on_immutable_change = 'replace'
    v3_only_options = ('temporary',)

    def __init__(self, argument_spec, **kwargs):
        super(SshKeyModule, self).__init__(argument_spec, **kwargs)
        self.system_user_name = None
        self.replaced = None

    def prepare(self):
        if self.params['state'] == 'absent' or not self.is_set('system_user'):
            return
        wanted = self.params['system_user']
        if is_id(wanted):
            # Comparing needs only the id; the name is read when a create needs it. A user of a
            # server check mode only predicted cannot be read; the id stands for its name.
            self.resolved[SYSTEM_USER.key] = int(wanted)
            if self.parents_predicted:
                self.system_user_name = int(wanted)
        else:
            self.resolve_parent(SYSTEM_USER)
            self.system_user_name = wanted

    def converge_existing(self, current):
        # A replacement keeps what the user did not set from the key it replaces; know it before deleting.
        self.replaced = current
        # Read the user's name before the old key goes: a failing read must leave the key in place.
        if self.system_user_name is None and self.immutable_differences(current):
            if self.resolved.get(SYSTEM_USER.key) is None and current.get('user_id') is None and current.get('user'):
                # API v3 names the key's user instead of giving its id.
                self.system_user_name = current['user']
            else:
                self.use_system_user(self.resolved.get(SYSTEM_USER.key) or current['user_id'])
        return super(SshKeyModule, self).converge_existing(current)

    def use_system_user(self, user_id):
        user = self.client.get(self.path(endpoint('system_user', 'item'), id=int(user_id)))
        if not isinstance(user, dict) or user.get('id') is None:
            self.fail('system user %s: the API answered without a user' % user_id)
        self.resolved[SYSTEM_USER.key] = user['id']
        self.system_user_name = user['username']

    def creation_phrase(self):
        return 'add the SSH key %r' % self.params['label']

    def create_body(self):
        public_key = self.params['public_key'] or (self.replaced or {}).get('publicKey')
        user_id = self.resolved.get(SYSTEM_USER.key)
        self.fail_unless_set(('system_user', 'public_key'), dict(system_user=self.system_user_name or user_id, public_key=public_key))
        if self.system_user_name is None:
            self.use_system_user(user_id)
        body = {'label': self.params['label'], 'username': self.system_user_name, 'publicKey': public_key.strip()}
        if self.params['temporary'] is not None:
            body['temporary'] = self.params['temporary']
        return body

    def predict_created(self, body):
        predicted = super(SshKeyModule, self).predict_created(body)
        predicted['user_id'] = self.resolved[SYSTEM_USER.key]
        # What API v3 answers instead of (or besides) the id.
        predicted['user'] = None if self.system_user_name is None else str(self.system_user_name)
        predicted['temporary'] = bool(self.params['temporary'])
        return predicted

    def current_value(self, field, current):
        if field.option == 'system_user' and 'user_id' not in current and isinstance(current.get('user'), str):
            # API v3 answers with the user's name: compare names (an id given is read once for its name).
            if self.system_user_name is None:
                self.use_system_user(self.resolved[SYSTEM_USER.key])
            return self.params['system_user'] if current['user'] == str(self.system_user_name) else current['user']
        if field.option == 'system_user':
            # The key holds the user's id; the option is a name or an id, resolved to an id before.
            return self.params['system_user'] if current.get('user_id') == self.resolved.get(SYSTEM_USER.key) else current.get('user_id')
        return super(SshKeyModule, self).current_value(field, current)


def main():
    SshKeyModule(
        argument_spec=resource_argument_spec(
            server=dict(type='raw', required=True),
            label=dict(type='str', required=True),
            id=dict(type='int'),
            system_user=dict(type='raw'),
            public_key=dict(type='str', no_log=False),
            temporary=dict(type='bool'),
        ),
        supports_check_mode=True,
    ).main()


if __name__ == '__main__':
    main()
