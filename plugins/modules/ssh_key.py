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
'''

EXAMPLES = r'''
- name: Let the shop user log in with my key
  runcloud.cloud.ssh_key:
    server: web-01
    label: alice-laptop
    system_user: shop
    public_key: "{{ lookup('ansible.builtin.file', '~/.ssh/id_ed25519.pub') }}"

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
      description: The id of the system user the key belongs to.
      type: int
      sample: 142
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
    list_path = 'servers/{server_id}/sshcredentials'
    item_path = 'servers/{server_id}/sshcredentials/{id}'
    identity = 'label'
    fields = (
        Field('label'),
        # The API wants the user's name on create and answers with its id; see current_value().
        Field('system_user', api='username', read_as='user_id', kind='raw'),
        Field('public_key', api='publicKey', to_api=lambda module, value: value.strip(), matches=same_key),
    )
    on_immutable_change = 'replace'

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
            self.use_system_user(self.resolved.get(SYSTEM_USER.key) or current['user_id'])
        return super(SshKeyModule, self).converge_existing(current)

    def use_system_user(self, user_id):
        user = self.client.get(self.path('servers/{server_id}/users/{id}', id=int(user_id)))
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
        return {'label': self.params['label'], 'username': self.system_user_name, 'publicKey': public_key.strip()}

    def predict_created(self, body):
        predicted = super(SshKeyModule, self).predict_created(body)
        predicted['user_id'] = self.resolved[SYSTEM_USER.key]
        return predicted

    def current_value(self, field, current):
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
        ),
        supports_check_mode=True,
    ).main()


if __name__ == '__main__':
    main()
