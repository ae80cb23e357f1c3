#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) runcloud.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: wordpress_settings
short_description: Manage the general settings and wp-config flags of a WordPress site on RunCloud
version_added: 0.1.0
description:
  - Set the WordPress address (O(home)), the site address (O(site_url)), and the C(DISABLE_WP_CRON) and
    C(WP_DEBUG) flags of C(wp-config.php) of a WordPress site that RunCloud manages.
  - RunCloud API v3 only; on API v2 the task is refused before any request.
  - Only the options the task sets are read and compared; each pair (addresses, flags) is one read and,
    when something differs, one write.
seealso:
  - module: runcloud.cloud.wordpress
  - ref: ansible_collections.runcloud.cloud.docsite.wordpress
    description: Guide to the WordPress modules and the wordpress_site role.
author:
  - runcloud.cloud contributors (@runcloud-community)
options:
  home:
    description:
      - The WordPress address (C(home)), such as V(https://blog.example.com). A trailing slash is ignored
        when comparing.
    type: str
  site_url:
    description:
      - The site address (C(siteurl)), where WordPress's own files are served. A trailing slash is ignored
        when comparing.
    type: str
  disable_wp_cron:
    description:
      - Whether C(DISABLE_WP_CRON) is set (WordPress runs its scheduled events only from a real cron job).
    type: bool
  wp_debug:
    description:
      - Whether C(WP_DEBUG) is set.
    type: bool
extends_documentation_fragment:
  - runcloud.cloud.api
  - runcloud.cloud.api.action
  - runcloud.cloud.parents.web_app
  - runcloud.cloud.wait
  - runcloud.cloud.attributes
'''

EXAMPLES = r'''
- name: Serve the blog over HTTPS and let a real cron job run WordPress's events
  runcloud.cloud.wordpress_settings:
    server: web-01
    web_app: blog
    home: https://blog.example.com
    site_url: https://blog.example.com
    disable_wp_cron: true
    wp_debug: false
'''

RETURN = r'''
wordpress_settings:
  description: What the task read or set of the site's settings (only the groups of the options it set).
  returned: always
  type: dict
  contains:
    id:
      description: The id of the web application.
      type: int
      sample: 4
    general:
      description: The addresses, when O(home) or O(site_url) was set.
      type: dict
      sample: {"home": "https://blog.example.com", "siteurl": "https://blog.example.com"}
    config:
      description: The wp-config flags, when O(disable_wp_cron) or O(wp_debug) was set.
      type: dict
      sample: {"disable_wp_cron": true, "wp_debug": false}
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

from ansible_collections.runcloud.cloud.plugins.module_utils.catalogue import V3, V3_ONLY
from ansible_collections.runcloud.cloud.plugins.module_utils.catalogue import path as endpoint
from ansible_collections.runcloud.cloud.plugins.module_utils.module import SERVER, WEB_APP
from ansible_collections.runcloud.cloud.plugins.module_utils.resource import Field, Reader, ResourceModule, UpdateGroup, landing_options

GENERAL = endpoint('wordpress_settings', 'general', V3)
CONFIG = endpoint('wordpress_settings', 'config', V3)


def same_address(wanted, current):
    # WordPress keeps its addresses without a trailing slash; anything but text is unknown.
    if current is None:
        return False
    if not isinstance(current, str):
        return None
    return wanted.rstrip('/') == current.rstrip('/')


class WordPressSettingsModule(ResourceModule):
    api_versions = V3_ONLY
    resource = 'WordPress settings'
    result_key = 'wordpress_settings'
    parents = (SERVER, WEB_APP)
    identity = None
    readers = (Reader('general', GENERAL, 'general'), Reader('config', CONFIG, 'config'))
    fields = (
        Field('home', create=False, reader='general', update='general', matches=same_address),
        Field('site_url', api='siteurl', create=False, reader='general', update='general', matches=same_address),
        Field('disable_wp_cron', kind='bool', create=False, reader='config', update='config'),
        Field('wp_debug', kind='bool', create=False, reader='config', update='config'),
    )
    # Both answer only "Changes will be updated shortly": the base reads until the values show.
    update_groups = (UpdateGroup('general', GENERAL), UpdateGroup('config', CONFIG))

    def subject(self):
        return 'the WordPress settings of %r' % self.params['web_app']

    def find(self):
        # The settings always exist; each group is read when a field of it is compared.
        return {'id': self.resolved[WEB_APP.key]}

    def read_again(self, current):
        return {'id': current['id']}

    def create(self):
        # Only under a web application check mode predicts: its settings are a new site's, unknown yet.
        return self.apply_updates({'id': None}, predicted_only=True, just_created=True)


def main():
    WordPressSettingsModule(
        argument_spec=dict(
            server=dict(type='raw', required=True),
            web_app=dict(type='raw', required=True),
            home=dict(type='str'),
            site_url=dict(type='str'),
            disable_wp_cron=dict(type='bool'),
            wp_debug=dict(type='bool'),
            **landing_options()
        ),
        supports_check_mode=True,
    ).main()


if __name__ == '__main__':
    main()
