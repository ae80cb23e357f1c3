#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) runcloud.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: web_app_info
short_description: Read the web applications of a RunCloud server
version_added: 0.1.0
description:
  - Return one web application (by O(name) or O(id)) or all web applications of a server (every page
    of the list), optionally with their settings, domain names, SSL certificate, git deployment and
    installed script.
  - Listing costs one request per 40 applications. Each of O(settings), O(domains), O(ssl), O(git) and
    O(installer) costs one more request B(per application) (O(domains) one per 40 domain names).
seealso:
  - module: runcloud.cloud.web_app
  - module: runcloud.cloud.domain
  - module: runcloud.cloud.web_app_ssl
  - ref: ansible_collections.runcloud.cloud.docsite.web_applications
    description: Guide to the web application, domain, SSL, git and script installer modules.
author:
  - runcloud.cloud contributors (@runcloud-community)
options:
  name:
    description:
      - Only the web application with this exact name.
    type: str
  id:
    description:
      - Only the web application with this id.
    type: int
  settings:
    description:
      - Add the PHP-FPM/NGINX settings of each application as C(settings).
    type: bool
    default: false
  domains:
    description:
      - Add the domain names of each application as C(domains).
    type: bool
    default: false
  ssl:
    description:
      - Add the basic SSL certificate of each application as C(ssl) (without the private key; V(null) when
        none is installed) and its SSL mode as C(ssl_mode).
    type: bool
    default: false
  git:
    description:
      - Add the git deployment of each application as C(git) (V(null) when none is attached).
    type: bool
    default: false
  installer:
    description:
      - Add the installed script of each application as C(installer) (V(null) when none is installed).
    type: bool
    default: false
  git_webhook_url:
    description:
      - Add the URL a git provider calls to deploy each application as C(git_webhook_url).
      - B(The URL is a secret) (it contains the webhook keys, and whoever has it can trigger
        deployments). The webhook keys themselves are never returned. Only set this where the URL
        is needed, and use C(no_log) on the task that uses it.
    type: bool
    default: false
  log:
    description:
      - Add the newest entries of each application's activity log (newest first) as C(log), at most
        O(log_limit). One request per application and per 40 entries.
    type: bool
    default: false
  log_limit:
    description:
      - How many log entries O(log) returns per application at most.
    type: int
    default: 40
extends_documentation_fragment:
  - runcloud.cloud.api
  - runcloud.cloud.api.action
  - runcloud.cloud.parents.server
  - runcloud.cloud.attributes.INFO_MODULE
'''

EXAMPLES = r'''
- name: List the web applications of a server
  runcloud.cloud.web_app_info:
    server: web-01
  register: apps

- name: Show their names
  ansible.builtin.debug:
    msg: "{{ apps.web_apps | map(attribute='name') | list }}"

- name: Read everything about the shop
  runcloud.cloud.web_app_info:
    server: web-01
    name: shop
    settings: true
    domains: true
    ssl: true
    git: true
    installer: true
  register: shop

- name: Fail when the shop has no certificate
  ansible.builtin.assert:
    that: shop.web_apps[0].ssl is not none
'''

RETURN = r'''
web_apps:
  description: The web applications as the API describes them (see M(runcloud.cloud.web_app)); empty when none matched.
  returned: always
  type: list
  elements: dict
  contains:
    id:
      description: The application id.
      type: int
      sample: 646
    name:
      description: The application name.
      type: str
      sample: shop
    settings:
      description: The PHP-FPM/NGINX settings.
      type: dict
      returned: when O(settings=true)
    domains:
      description: The domain names (C(www) and C(wildcard) as booleans).
      type: list
      elements: dict
      returned: when O(domains=true)
    ssl:
      description: The basic SSL certificate without its private key, or V(null).
      type: dict
      returned: when O(ssl=true)
    ssl_mode:
      description: C(advanced_ssl) and C(auto_ssl).
      type: dict
      returned: when O(ssl=true)
    git:
      description: The git deployment, or V(null).
      type: dict
      returned: when O(git=true)
    installer:
      description: The installed script, or V(null).
      type: dict
      returned: when O(installer=true)
    git_webhook_url:
      description:
        - "The deployment webhook URL, C(https://<panel>/webhooks/git/<key1>/<key2>). Sensitive: treat it as a password."
      type: str
      returned: when O(git_webhook_url=true)
    log:
      description: The newest activity log entries, each with C(kind), C(content) and C(created_at).
      type: list
      elements: dict
      returned: when O(log=true)
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
from ansible_collections.runcloud.cloud.plugins.module_utils.info import git_webhook_url, read_log, without_secrets
from ansible_collections.runcloud.cloud.plugins.module_utils.module import SERVER, RunCloudModule
from ansible_collections.runcloud.cloud.plugins.module_utils.resource import normalize

# option -> the detail read for each web application
DETAILS = dict(
    settings=endpoint('web_app', 'settings'),
    domains=endpoint('domain', 'list'),
    ssl=endpoint('web_app_ssl', 'singleton'),
    ssl_mode=endpoint('web_app_ssl', 'mode'),
    git=endpoint('git', 'singleton'),
    installer=endpoint('script_installer', 'singleton'),
    log=endpoint('web_app', 'log'),
)


class WebAppInfoModule(RunCloudModule):

    def main(self):
        self.run(self.read)

    def read(self):
        if self.params['log_limit'] < 1:
            self.fail('log_limit must be a positive number of entries, not %d' % self.params['log_limit'])
        self.resolve_parents(SERVER)
        apps = []
        for app in self.select():
            shown = without_secrets(app)
            if self.params['git_webhook_url']:
                shown['git_webhook_url'] = git_webhook_url(self.client.api_url, app)
            self.add_details(shown)
            apps.append(shown)
        self.exit(changed=False, web_apps=apps)

    def select(self):
        return self.read_children(endpoint('web_app', 'list'), item_id=self.params['id'], value=self.params['name'],
                                  description='web application')

    def get_or_none(self, template, app):
        try:
            return self.client.get(self.app_path(template, app))
        except NotFoundError:
            return None

    def app_path(self, template, app):
        return self.path(template, id=app['id'], web_app_id=app['id'])

    def add_details(self, app):
        if self.params['settings']:
            app['settings'] = self.client.get(self.app_path(DETAILS['settings'], app))
        if self.params['domains']:
            domains = self.client.list_all(self.app_path(DETAILS['domains'], app))
            for domain in domains:
                for key in ('www', 'wildcard'):
                    if key in domain:
                        domain[key] = normalize('bool', domain[key])
            app['domains'] = domains
        if self.params['ssl']:
            ssl = self.get_or_none(DETAILS['ssl'], app)
            # No certificate is answered as {"message": "SSL not installed!"}.
            app['ssl'] = dict((key, value) for key, value in ssl.items() if key != 'privateKey') if ssl and ssl.get('id') else None
            app['ssl_mode'] = self.get_or_none(DETAILS['ssl_mode'], app)
        if self.params['git']:
            app['git'] = self.get_or_none(DETAILS['git'], app)
        if self.params['installer']:
            app['installer'] = self.get_or_none(DETAILS['installer'], app)
        if self.params['log']:
            app['log'] = read_log(self.client, self.app_path(DETAILS['log'], app), self.params['log_limit'])


def main():
    WebAppInfoModule(
        argument_spec=dict(
            server=dict(type='raw', required=True),
            name=dict(type='str'),
            id=dict(type='int'),
            settings=dict(type='bool', default=False),
            domains=dict(type='bool', default=False),
            ssl=dict(type='bool', default=False),
            git=dict(type='bool', default=False),
            installer=dict(type='bool', default=False),
            git_webhook_url=dict(type='bool', default=False),
            log=dict(type='bool', default=False),
            log_limit=dict(type='int', default=40),
        ),
        mutually_exclusive=[('name', 'id')],
        supports_check_mode=True,
    ).main()


if __name__ == '__main__':
    main()
