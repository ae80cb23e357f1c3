#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) runcloud.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: external_api_key_info
short_description: List the 3rd-party API keys of a RunCloud account
version_added: 0.1.0
description:
  - Return one 3rd-party API key (by id or by exact label) or all of them, every page of the list,
    without their secrets.
author:
  - runcloud.cloud contributors (@runcloud-community)
options:
  id:
    description:
      - Return only the key with this id.
    type: int
  label:
    description:
      - Return only the key with exactly this label.
    type: str
  search:
    description:
      - Return only the keys the API's search matches (a substring of the label).
    type: str
extends_documentation_fragment:
  - runcloud.cloud.api
  - runcloud.cloud.api.action
  - runcloud.cloud.attributes.info_module
seealso:
  - module: runcloud.cloud.external_api_key
  - module: runcloud.cloud.web_app_ssl
'''

EXAMPLES = r'''
- name: All 3rd-party API keys
  runcloud.cloud.external_api_key_info:
  register: result

- name: The Cloudflare keys' ids
  ansible.builtin.debug:
    msg: "{{ result.external_api_keys | selectattr('service', 'equalto', 'cloudflare') | map(attribute='id') }}"
'''

RETURN = r'''
external_api_keys:
  description: The matching keys, without their secrets; an empty list when none matches.
  returned: always
  type: list
  elements: dict
  contains:
    id:
      description: The key's id.
      type: int
      sample: 28
    label:
      description: The name of the key.
      type: str
      sample: cloudflare-dns
    service:
      description: The provider, as a slug.
      type: str
      sample: digitalocean
    service_name:
      description: The provider's name, as the API gives it.
      type: str
      sample: Digital Ocean
    username:
      description: The account e-mail address (Cloudflare), else V(null).
      type: str
      sample: ops@example.com
    created_at:
      description: When the key was created.
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

from ansible_collections.runcloud.cloud.plugins.module_utils.external_api import EXTERNAL_API, key_view
from ansible_collections.runcloud.cloud.plugins.module_utils.info import list_info_argument_spec, read_resources
from ansible_collections.runcloud.cloud.plugins.module_utils.module import RunCloudModule


class ExternalApiKeyInfoModule(RunCloudModule):

    def main(self):
        self.run(self._read)

    def _read(self):
        keys = read_resources(self.client, EXTERNAL_API.path, item_id=self.params['id'], field='label',
                              value=self.params['label'], search=self.params['search'], description=EXTERNAL_API.description)
        self.exit(changed=False, external_api_keys=[key_view(key) for key in keys])


def main():
    ExternalApiKeyInfoModule(**list_info_argument_spec('label', parent=False)).main()


if __name__ == '__main__':
    main()
