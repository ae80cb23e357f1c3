#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) runcloud.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: server
short_description: Connect, configure and delete RunCloud servers
version_added: 0.1.0
description:
  - Connect (add) a server to RunCloud, rename it, change its provider label, its PHP CLI version,
    its SSH daemon settings and its automatic updates, or delete it from RunCloud.
  - A new server stays C(connected=false) until the RunCloud agent is installed on it; set
    O(return_installation_script=true) to get the script that does that.
seealso:
  - module: runcloud.cloud.server_info
  - module: runcloud.cloud.system_user
  - module: runcloud.cloud.service
  - plugin: runcloud.cloud.runcloud
    plugin_type: inventory
  - ref: ansible_collections.runcloud.cloud.docsite.modules_servers
    description: Guide to the server, system user, SSH key, database and service modules.
author:
  - runcloud.cloud contributors (@runcloud-community)
options:
  id:
    description:
      - The server id. When given, the server is found by id and O(name) renames it.
      - Without it the server is found by O(name).
    type: int
  name:
    description:
      - The server name. It identifies the server unless O(id) is given.
    type: str
  ip_address:
    description:
      - The public IP address of the server. Required to connect a new server.
      - The API cannot change the address of an existing server; a different value fails the task.
    type: str
  provider:
    description:
      - A free-text provider label such as C(DigitalOcean) or C(Hetzner).
    type: str
  php_cli_version:
    description:
      - The PHP version of the command line, one of the versions installed on the server, for example V(php82rc).
    type: str
  passwordless_login:
    description:
      - Allow only key-based SSH logins.
      - Setting any of O(passwordless_login), O(use_dns) or O(prevent_root_login) costs one request
        to read the current SSH settings; all three are sent when one changes.
    type: bool
  use_dns:
    description:
      - Let the SSH daemon look up the host names of clients.
    type: bool
  prevent_root_login:
    description:
      - Refuse SSH logins as root.
    type: bool
  software_update:
    description:
      - Install software updates automatically. Both automatic-update flags are sent when one changes.
    type: bool
  security_update:
    description:
      - Install security updates automatically.
    type: bool
  return_installation_script:
    description:
      - Add the agent installation script of the server to the result as RV(installation_script).
      - Costs one request. In check mode it is returned only for a server that already exists.
    type: bool
    default: false
  state:
    description:
      - V(present) connects the server, V(absent) deletes it from RunCloud (the machine itself is not touched).
    type: str
    choices: [present, absent]
    default: present
extends_documentation_fragment:
  - runcloud.cloud.api
  - runcloud.cloud.api.action
  - runcloud.cloud.attributes
notes:
  - The IP address of a server cannot be changed through the API.
  - A converged task that identifies the server by name and sets no SSH option sends a single request.
  - "Quick ad-hoc check of the API connection:
    C(RUNCLOUD_API_URL=https://manage.runcloud.io/api/v2 RUNCLOUD_API_TOKEN=... ansible localhost -m runcloud.cloud.server_info)."
'''

EXAMPLES = r'''
- name: Connect a server and get its agent installation script
  runcloud.cloud.server:
    name: web-01
    ip_address: 203.0.113.10
    provider: Hetzner
    return_installation_script: true
  register: server

- name: Install the RunCloud agent on the machine
  ansible.builtin.shell: "{{ server.installation_script }}"
  delegate_to: 203.0.113.10
  when: not server.server.connected

- name: Harden SSH and turn on automatic security updates
  runcloud.cloud.server:
    name: web-01
    passwordless_login: true
    prevent_root_login: true
    security_update: true
    php_cli_version: php82rc

- name: Rename a server
  runcloud.cloud.server:
    id: 42
    name: web-01-old

- name: Delete a server from RunCloud
  runcloud.cloud.server:
    name: web-01-old
    state: absent
'''

RETURN = r'''
server:
  description: The server as the API describes it; empty after deletion.
  returned: always
  type: dict
  contains:
    id:
      description: The server id; V(null) when it was only predicted in check mode.
      type: int
      sample: 42
    name:
      description: The server name.
      type: str
      sample: web-01
    ip_address:
      description: The public IP address.
      type: str
      sample: 203.0.113.10
    provider:
      description: The provider label.
      type: str
      sample: Hetzner
    php_cli_version:
      description: The PHP version of the command line.
      type: str
      sample: php82rc
    software_update:
      description: Whether software updates are installed automatically.
      type: bool
      sample: false
    security_update:
      description: Whether security updates are installed automatically.
      type: bool
      sample: true
    connected:
      description: Whether the RunCloud agent is installed and connected.
      type: bool
      sample: true
    online:
      description: Whether the server is reachable.
      type: bool
      sample: true
    ssh_settings:
      description: The SSH daemon settings (C(passwordless_login), C(use_dns), C(prevent_root_login)).
      returned: when one of the SSH options is set
      type: dict
      sample: {"passwordless_login": true, "use_dns": false, "prevent_root_login": true}
installation_script:
  description: The shell script that installs the RunCloud agent on the machine.
  returned: when O(return_installation_script=true) and the server exists
  type: str
  sample: "export DEBIAN_FRONTEND=noninteractive; ..."
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
from ansible_collections.runcloud.cloud.plugins.module_utils.choices import php_version_problem
from ansible_collections.runcloud.cloud.plugins.module_utils.resource import (
    Field,
    Reader,
    ResourceModule,
    UpdateGroup,
    resource_argument_spec,
)


def ssh_field(option):
    return Field(option, create=False, update='ssh', reader='ssh')


class ServerModule(ResourceModule):
    resource = 'server'
    result_key = 'server'
    parent_kind = 'server'
    created_defaults = {'provider': None, 'phpCLIVersion': None, 'softwareUpdate': None, 'securityUpdate': None,
                        'connected': False, 'online': False, 'os': None, 'osVersion': None, 'agentVersion': None, 'created_at': None}
    list_path = endpoint('server', 'list')
    item_path = endpoint('server', 'item')
    required_for_create = ('name', 'ip_address')
    fields = (
        Field('name', update='meta'),
        Field('ip_address'),
        Field('provider', update='meta'),
        Field('php_cli_version', create=False, update='php_cli'),
        ssh_field('passwordless_login'),
        ssh_field('use_dns'),
        ssh_field('prevent_root_login'),
        Field('software_update', create=False, update='autoupdate'),
        Field('security_update', create=False, update='autoupdate'),
    )
    readers = (Reader('ssh', endpoint('server', 'ssh_settings'), 'ssh_settings'),)
    update_groups = (
        # settings/meta requires the name even when only the provider changes: send both.
        UpdateGroup('meta', endpoint('server', 'meta'), send='all'),
        UpdateGroup('php_cli', endpoint('server', 'php_cli')),
        UpdateGroup('ssh', endpoint('server', 'ssh_settings'), send='all'),
        UpdateGroup('autoupdate', endpoint('server', 'autoupdate'), send='all'),
    )

    # Server names are not unique: a create that landed late would leave two servers of one name.
    resend_uncertain_create = False

    def validate(self):
        problem = php_version_problem('php_cli_version', self.params.get('php_cli_version'))
        if problem:
            self.fail(problem)

    def creation_phrase(self):
        return 'connect a new server'

    def uncertain_create_hint(self):
        return ('the server %r was not created a second time because RunCloud allows several servers of one name. '
                'Check the servers of your RunCloud workspace (panel, or runcloud.cloud.server_info with name=%s): '
                'when one named so exists, run the task again and it will be found; otherwise run it again to create it'
                % (self.params['name'], self.params['name']))

    def extra_result(self, resource):
        if not (self.params['return_installation_script'] and resource and resource.get('id') is not None):
            return {}
        answer = self.client.get(self.path(endpoint('server', 'installation_script'), id=resource['id']))
        return dict(installation_script=answer.get('script') if isinstance(answer, dict) else None)


def main():
    ServerModule(
        argument_spec=resource_argument_spec(
            id=dict(type='int'),
            name=dict(type='str'),
            ip_address=dict(type='str'),
            provider=dict(type='str'),
            php_cli_version=dict(type='str'),
            passwordless_login=dict(type='bool'),
            use_dns=dict(type='bool'),
            prevent_root_login=dict(type='bool'),
            software_update=dict(type='bool'),
            security_update=dict(type='bool'),
            return_installation_script=dict(type='bool', default=False),
        ),
        required_one_of=[('id', 'name')],
        supports_check_mode=True,
    ).main()


if __name__ == '__main__':
    main()
