#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) runcloud.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: domain
short_description: Manage the domain names of a RunCloud web application
version_added: 0.1.0
description:
  - Add a domain name to a web application or remove it.
  - The API v2 cannot change a domain name once added. When its O(type), O(www) or O(redirection)
    differ from what you ask for, the module fails and names the differing fields, unless
    O(replace=true), which deletes the domain name and adds it again (the site is briefly not served
    under that name, and a per-domain certificate is removed with it).
  - The domain names of an application are few and the API offers no search on them, so the module
    lists them (one request) and matches O(name) exactly, ignoring case.
seealso:
  - module: runcloud.cloud.web_app
  - module: runcloud.cloud.web_app_ssl
  - ref: ansible_collections.runcloud.cloud.docsite.web_applications
    description: Guide to the web application, domain, SSL, git and script installer modules.
author:
  - runcloud.cloud contributors (@runcloud-community)
options:
  name:
    description:
      - The domain name, such as V(shop.example.com) or V(*.example.com). It identifies the domain.
    type: str
    required: true
  id:
    description:
      - The id of the domain name. It is then read directly (no search request) and must carry O(name).
    type: int
  type:
    description:
      - What the domain name is for the application. RunCloud uses V(alias) when it is not given.
    type: str
    choices: [primary, alias, redirect]
  www:
    description:
      - Also serve the C(www.) variant of the name.
    type: bool
  redirection:
    description:
      - Redirect between the C(www.) and the bare name. RunCloud uses V(none) when it is not given.
    type: str
    choices: [none, www, non-www]
  replace:
    description:
      - Delete and add the domain name again when its settings differ; see the description.
    type: bool
    default: false
  state:
    description:
      - V(present) adds the domain name, V(absent) removes it.
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
- name: Serve the shop under www too
  runcloud.cloud.domain:
    server: web-01
    web_app: shop
    name: www.shop.example.com
    type: alias

- name: Redirect an old name, replacing it if it was added differently before
  runcloud.cloud.domain:
    server: web-01
    web_app: shop
    name: old-shop.example.com
    type: redirect
    replace: true

- name: Remove a domain name
  runcloud.cloud.domain:
    server: web-01
    web_app: shop
    name: old-shop.example.com
    state: absent
'''

RETURN = r'''
domain:
  description: The domain name as the API describes it (with V(www) and V(wildcard) as booleans); empty after deletion.
  returned: always
  type: dict
  contains:
    id:
      description: The domain id; V(null) when it was only predicted in check mode.
      type: int
      sample: 710
    name:
      description: The domain name, in lower case.
      type: str
      sample: www.shop.example.com
    type:
      description: V(primary), V(alias) or V(redirect).
      type: str
      sample: alias
    www:
      description: Whether the C(www.) variant is served too.
      type: bool
      sample: false
    redirection:
      description: V(none), V(www) or V(non-www).
      type: str
      sample: none
    wildcard:
      description: Whether it is a wildcard name.
      type: bool
      sample: false
    dns_integration:
      description: The DNS integration of the name, such as V(none) or V(cloudflare).
      type: str
      sample: none
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

from ansible_collections.runcloud.cloud.plugins.module_utils.catalogue import V3, path as endpoint
from ansible_collections.runcloud.cloud.plugins.module_utils.module import SERVER, WEB_APP
from ansible_collections.runcloud.cloud.plugins.module_utils.resource import Field, ResourceModule, normalize, resource_argument_spec

# The API answers these as 0/1.
BOOLEAN_FIELDS = ('www', 'wildcard')


class DomainModule(ResourceModule):
    resource = 'domain name'
    result_key = 'domain'
    created_defaults = {'type': None, 'www': False, 'redirection': None, 'wildcard': False, 'dns_integration': None, 'created_at': None}
    parents = (SERVER, WEB_APP)
    list_path = endpoint('domain', 'list')
    item_path = endpoint('domain', 'item')
    searchable = False
    on_immutable_change = 'option'
    fields = (
        # A domain name is normalised by its type (catalogue: DOMAIN): no case, no trailing dot.
        Field('name'),
        Field('type'),
        Field('www'),
        Field('redirection'),
    )

    # API v3 changes type, www and redirection in place; v2 replaces the domain (option replace).
    in_place_update = endpoint('domain', 'update', V3)

    def in_place_body(self, current):
        return dict((field.api, self.desired(field)) for field in self.fields
                    if field.option != 'name' and self.params.get(field.option) is not None)

    def public(self, resource):
        shown = super(DomainModule, self).public(resource)
        for key in BOOLEAN_FIELDS:
            if key in shown:
                shown[key] = normalize('bool', shown[key])
        return shown


def main():
    DomainModule(
        argument_spec=resource_argument_spec(
            server=dict(type='raw', required=True),
            web_app=dict(type='raw', required=True),
            name=dict(type='str', required=True),
            id=dict(type='int'),
            type=dict(type='str', choices=['primary', 'alias', 'redirect']),
            www=dict(type='bool'),
            redirection=dict(type='str', choices=['none', 'www', 'non-www']),
            replace=dict(type='bool', default=False),
        ),
        supports_check_mode=True,
    ).main()


if __name__ == '__main__':
    main()
