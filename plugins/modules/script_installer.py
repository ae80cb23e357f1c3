#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) runcloud.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: script_installer
short_description: Install a PHP script such as WordPress into a RunCloud web application
version_added: 0.1.0
description:
  - Install a PHP script (WordPress, Drupal, phpMyAdmin, ...) into a web application with RunCloud's
    script installer, or remove the installer record.
  - A web application has at most one installed script and the API cannot change it. When another
    script is installed the module fails, unless O(replace=true), which removes it and installs
    O(name) (removing an installed script deletes its files).
seealso:
  - module: runcloud.cloud.web_app
  - module: runcloud.cloud.database
  - module: runcloud.cloud.database_user
  - ref: ansible_collections.runcloud.cloud.docsite.web_applications
    description: Guide to the web application, domain, SSL, git and script installer modules.
author:
  - runcloud.cloud contributors (@runcloud-community)
options:
  name:
    description:
      - The script to install. Required with O(state=present).
      - With O(state=absent), the installed script is only removed when it is this one; without
        O(name) any installed script is removed.
    type: str
    choices: [concrete5, drupal, grav, gravadmin, joomla, myBB, phpBB, phpMyAdmin, piwik, prestaShop, wordpress]
  replace:
    description:
      - Remove another installed script and install O(name) instead.
    type: bool
    default: false
  state:
    description:
      - V(present) installs the script, V(absent) removes it.
    type: str
    choices: [present, absent]
    default: present
extends_documentation_fragment:
  - runcloud.cloud.api
  - runcloud.cloud.api.action
  - runcloud.cloud.parents.web_app
  - runcloud.cloud.attributes
'''

EXAMPLES = r'''
- name: Create the blog application
  runcloud.cloud.web_app:
    server: web-01
    name: blog
    domain_name: blog.example.com
    system_user: blog

- name: Install WordPress into it
  runcloud.cloud.script_installer:
    server: web-01
    web_app: blog
    name: wordpress

- name: Remove the installed script, whatever it is
  runcloud.cloud.script_installer:
    server: web-01
    web_app: blog
    state: absent
'''

RETURN = r'''
script_installer:
  description: The installed script as the API describes it; empty when none is installed.
  returned: always
  type: dict
  contains:
    id:
      description: The installer id; V(null) when it was only predicted in check mode.
      type: int
      sample: 78
    name:
      description: The script name.
      type: str
      sample: wordpress
    real_name:
      description: The script's display name.
      type: str
      sample: WordPress
    created_at:
      description: When the script was installed, in server time.
      type: str
      sample: '2024-07-09 07:02:13'
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
from ansible_collections.runcloud.cloud.plugins.module_utils.module import SERVER, WEB_APP
from ansible_collections.runcloud.cloud.plugins.module_utils.resource import Field, ResourceModule, resource_argument_spec

INSTALLERS = ['concrete5', 'drupal', 'grav', 'gravadmin', 'joomla', 'myBB', 'phpBB', 'phpMyAdmin', 'piwik', 'prestaShop', 'wordpress']


class ScriptInstallerModule(ResourceModule):
    resource = 'script installer'
    result_key = 'script_installer'
    created_defaults = {'realName': None, 'created_at': None}
    parents = (SERVER, WEB_APP)
    singleton_path = endpoint('script_installer', 'singleton')
    item_path = endpoint('script_installer', 'item')
    identity = None
    on_immutable_change = 'option'
    fields = (
        Field('name'),
    )

    def find(self):
        current = super(ScriptInstallerModule, self).find()
        if current is not None and self.params['state'] == 'absent' and self.is_set('name') and current.get('name') != self.params['name']:
            return None
        return current


def main():
    ScriptInstallerModule(
        argument_spec=resource_argument_spec(
            server=dict(type='raw', required=True),
            web_app=dict(type='raw', required=True),
            name=dict(type='str', choices=INSTALLERS),
            replace=dict(type='bool', default=False),
        ),
        required_if=[('state', 'present', ['name'])],
        supports_check_mode=True,
    ).main()


if __name__ == '__main__':
    main()
