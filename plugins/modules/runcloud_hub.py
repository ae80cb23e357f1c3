#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) runcloud.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: runcloud_hub
short_description: Install, configure and remove RunCloud Hub (and RunCache) on a WordPress site
version_added: 0.1.0
description:
  - RunCloud Hub is RunCloud's cache plugin for WordPress sites (NGINX page cache, Redis object cache).
    RunCache is its successor; a site with Hub can be upgraded to RunCache and rolled back (O(runcache)).
  - RunCloud API v3 only; on API v2 the task is refused before any request.
  - RunCloud only acknowledges the install, the update, the removal, the upgrade and the rollback and
    applies them afterwards; the module reads until each shows (O(wait)) and never sends one again.
  - The API installs Hub with C(cacheType) but updates C(nginxCacheType); O(cache_type) is sent under
    the name each call takes.
  - The API reads back neither O(redis_object_cache) nor, on some accounts, O(cache_type) in a known
    spelling (the reference shows V(sr)); such a value is unknown, never a change (the module warns).
  - The API keys of Hub and RunCache are never returned.
seealso:
  - module: runcloud.cloud.wordpress
  - ref: ansible_collections.runcloud.cloud.docsite.wordpress
    description: Guide to the WordPress modules and the wordpress_site role.
author:
  - runcloud.cloud contributors (@runcloud-community)
options:
  cache_type:
    description:
      - The page cache, V(native) (NGINX) or V(redis). RunCloud installs V(native) when it is not set.
    type: str
    choices: [native, redis]
  redis_object_cache:
    description:
      - Whether Redis caches WordPress's objects. Sent on install and with a change of the other settings;
        the API does not read it back.
    type: bool
  cache_folder_size:
    description:
      - The size of the page cache folder, in MB (RunCloud's default 50).
    type: int
  cache_valid_minute:
    description:
      - How many minutes a cached page stays valid (RunCloud's default 480).
    type: int
  runcache:
    description:
      - V(true) upgrades Hub to RunCache (installing Hub first when the site has neither), V(false) rolls
        RunCache back to Hub. Unset leaves whichever the site has.
    type: bool
  page_cache_enabled:
    description:
      - RunCache's page cache on or off (with RunCache only).
    type: bool
  page_cache_type:
    description:
      - RunCache's page cache type, such as V(runcloud-native) (with RunCache only).
    type: str
  cdn_enabled:
    description:
      - RunCache's CDN on or off (with RunCache only).
    type: bool
  object_cache_enabled:
    description:
      - RunCache's object cache on or off (with RunCache only).
    type: bool
  state:
    description:
      - V(present) installs Hub (or keeps RunCache), V(absent) removes it; RunCache is rolled back to Hub
        first, which the API requires before the removal.
    type: str
    choices: [present, absent]
    default: present
extends_documentation_fragment:
  - runcloud.cloud.api
  - runcloud.cloud.api.action
  - runcloud.cloud.parents.web_app
  - runcloud.cloud.wait
  - runcloud.cloud.attributes
'''

EXAMPLES = r'''
- name: RunCloud Hub with the NGINX page cache, pages valid for two hours
  runcloud.cloud.runcloud_hub:
    server: web-01
    web_app: blog
    cache_type: native
    cache_valid_minute: 120

- name: Upgrade to RunCache with its object cache
  runcloud.cloud.runcloud_hub:
    server: web-01
    web_app: blog
    runcache: true
    object_cache_enabled: true

- name: No cache plugin
  runcloud.cloud.runcloud_hub:
    server: web-01
    web_app: blog
    state: absent
'''

RETURN = r'''
runcloud_hub:
  description:
    - Hub (or RunCache) as the API describes it, without its API key and secret; empty when neither is installed.
  returned: always
  type: dict
  contains:
    id:
      description: Its id; V(null) when check mode only predicted it.
      type: int
      sample: 7
    nginx_cache_type:
      description: The page cache type as the API reads it back (Hub).
      type: str
      sample: native
    cache_folder_size:
      description: The page cache folder's size in MB (Hub).
      type: int
      sample: 50
    cache_valid_minute:
      description: Minutes a cached page stays valid (Hub).
      type: int
      sample: 480
    status:
      description: RunCloud's status of the installation.
      type: str
      sample: Completed
    cache_settings:
      description: RunCache's page cache, CDN and object cache settings (RunCache).
      type: dict
      sample: {"cache_settings": {"enable": true, "page_cache_type": "runcloud-native"}}
cache_plugin:
  description: Which cache plugin the site has after the task, V(hub), V(runcache) or V(null).
  returned: always
  type: str
  sample: hub
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
from ansible_collections.runcloud.cloud.plugins.module_utils.errors import NotFoundError
from ansible_collections.runcloud.cloud.plugins.module_utils.module import SERVER, WEB_APP
from ansible_collections.runcloud.cloud.plugins.module_utils.resource import (
    Field,
    ResourceModule,
    UpdateGroup,
    landing_options,
    normalize,
    readable,
    resource_argument_spec,
)

HUB = endpoint('runcloud_hub', 'singleton', V3)
RUNCACHE = endpoint('runcloud_hub', 'runcache', V3)
SWITCHES = {'runcache': endpoint('runcloud_hub', 'runcache_upgrade', V3), 'hub': endpoint('runcloud_hub', 'runcache_rollback', V3)}
# RunCache's settings: (option, field of the PATCH, where the GET nests it, kind).
RUNCACHE_SETTINGS = (
    ('page_cache_enabled', 'pageCacheEnabled', ('cache_settings', 'enable'), 'bool'),
    ('page_cache_type', 'pageCacheType', ('cache_settings', 'page_cache_type'), 'text'),
    ('cdn_enabled', 'cdnEnabled', ('cdn_settings', 'enable'), 'bool'),
    ('object_cache_enabled', 'objectCacheEnabled', ('object_cache_settings', 'enable'), 'bool'),
)
CACHE_TYPES = ['native', 'redis']
# What RunCloud sets on install for the options not sent (runcloud-api-v3, RunCloud Hub install example):
# the install sends the cache type anyway; the account export leaves all three out of what it writes.
INSTALL_DEFAULTS = dict(cache_type='native', cache_folder_size=50, cache_valid_minute=480)


def same_cache_type(wanted, current):
    # The reference's GET example answers "sr" after an install with "native": a word that is not one
    # of the install's choices is unknown (None), never a reason to update.
    word = current.strip().lower() if isinstance(current, str) else None
    if word not in CACHE_TYPES:
        return None
    return word == wanted


def runcache_value(runcache, where):
    # The GET nests the settings under cacheSettings; an answer without them holds nothing known.
    value = (runcache or {}).get('cacheSettings')
    for key in where:
        if not isinstance(value, dict) or key not in value:
            return None
        value = value[key]
    return value


class HubModule(ResourceModule):
    api_versions = V3_ONLY
    resource = 'RunCloud Hub'
    result_key = 'runcloud_hub'
    parents = (SERVER, WEB_APP)
    identity = None
    singleton_path = HUB
    item_path = HUB
    hidden_fields = ('apiKey', 'apiSecret')
    # An install whose answer was lost may land later: it is read back, never sent again.
    resend_uncertain_create = False
    created_defaults = {'web_application_id': None, 'nginxCacheType': None, 'cacheFolderPath': None, 'cacheFolderSize': None,
                        'cacheHeaderName': None, 'cacheValidMinute': None, 'status': None, 'created_at': None, 'updated_at': None}
    fields = (
        Field('cache_type', api='nginxCacheType', create_api='cacheType', update='hub', create_default=INSTALL_DEFAULTS['cache_type'], matches=same_cache_type),
        Field('redis_object_cache', kind='bool', update='hub'),
        Field('cache_folder_size', kind='int', update='hub'),
        Field('cache_valid_minute', kind='int', update='hub'),
    )
    update_groups = (UpdateGroup('hub', HUB),)

    def __init__(self, argument_spec, **kwargs):
        super(HubModule, self).__init__(argument_spec, **kwargs)
        # Which plugin the site has: 'hub', 'runcache' or None; before and after the task.
        self.plugin = self.plugin_before = None
        # The upgrade to RunCache was only predicted (check mode, or it had not landed when wait ended).
        self.runcache_predicted = False

    def subject(self):
        return 'RunCloud Hub of %r' % self.params['web_app']

    def runcache_settings_set(self):
        return [setting for setting in RUNCACHE_SETTINGS if self.params.get(setting[0]) is not None]

    def validate(self):
        if self.runcache_settings_set() and self.params['runcache'] is False:
            self.fail('%s only apply to RunCache; they cannot be set with runcache=false'
                      % ', '.join(setting[0] for setting in self.runcache_settings_set()))

    def read_runcache(self):
        try:
            answer = self.client.get(self.path(RUNCACHE))
        except NotFoundError:
            return None
        return answer if self.singleton_present(answer) else None

    def find(self):
        hub = self.read_singleton()
        if hub is not None:
            self.plugin = self.plugin_before = 'hub'
            return hub
        # With RunCache the site answers Hub's path with 404.
        runcache = self.read_runcache()
        if runcache is not None:
            self.plugin = self.plugin_before = 'runcache'
            self.read_from = self.path(RUNCACHE)
        return runcache

    def converge_existing(self, current):
        if self.plugin == 'runcache':
            # Hub's settings cannot be read while RunCache is on: they are unknown, never a change.
            for field in self.fields:
                if self.params.get(field.option) is not None:
                    self.note_unknown(field, current)
            return current
        return super(HubModule, self).converge_existing(current)

    def find_created(self):
        # What an install makes is Hub: one read each time.
        return self.read_singleton()

    def create(self):
        self.plugin = 'hub'
        return super(HubModule, self).create()

    # -- RunCache: the upgrade and the rollback are state changes, sent once and then read until they show

    def run_actions(self, resource):
        wanted = self.params['runcache']
        if wanted is not None and (self.plugin == 'runcache') != wanted:
            resource = self.switch('runcache' if wanted else 'hub', resource)
        if self.plugin == 'runcache' and self.runcache_settings_set():
            resource = self.converge_runcache(resource)
        return resource

    def read_plugin(self, plugin):
        return self.read_singleton() if plugin == 'hub' else self.read_runcache()

    def switch(self, target, resource):
        self.changed = True
        self.plugin = target
        predicted = {'id': resource.get('id'), 'status': None}
        self.runcache_predicted = target == 'runcache'
        if self.check_mode or resource.get('id') is None:
            return predicted
        # Never repeated after a lost answer: the next run reads which plugin the site has.
        self.client.request('POST', self.path(SWITCHES[target]), body={}, idempotent=False)
        what = 'RunCache' if target == 'runcache' else 'the rollback to RunCloud Hub'
        landed = self.wait_for_landing(lambda: self.read_plugin(target), what)
        if landed is not None:
            self.runcache_predicted = False
        return landed or predicted

    def runcache_differences(self, runcache):
        differing = {}
        for option, api, where, kind in self.runcache_settings_set():
            value = runcache_value(runcache, where)
            if self.runcache_predicted:
                # A RunCache that does not exist yet has none of the settings the task sets.
                pass
            elif value is None or not readable(kind, value):
                if runcache.get('id') is not None:
                    self.module.warn('the API answer (GET /%s) has no readable %s, so %s of %s is unknown: it is neither '
                                     'compared nor changed' % (self.path(RUNCACHE), '.'.join(where), option, self.subject()))
                    continue
            elif normalize(kind, value) == normalize(kind, self.params[option]):
                continue
            differing[api] = self.params[option]
        return differing

    def converge_runcache(self, runcache):
        differing = self.runcache_differences(runcache)
        if not differing:
            return runcache
        self.changed = True
        predicted = dict(runcache)
        settings = predicted['cacheSettings'] = dict(predicted.get('cacheSettings') or {})
        for option, api, where, _kind in RUNCACHE_SETTINGS:
            if api in differing:
                settings[where[0]] = dict(settings.get(where[0]) or {}, **{where[1]: differing[api]})
        if self.check_mode or runcache.get('id') is None or self.runcache_predicted:
            # RunCache is not there yet (wait=false): a later run sets what differs then.
            return predicted

        def landed():
            fresh = self.read_runcache()
            return fresh if fresh is not None and not self.runcache_differences(fresh) else None

        self.client.patch(self.path(RUNCACHE), differing)
        return self.wait_for_landing(landed, 'the change of RunCache') or predicted

    # -- removal: RunCache goes back to Hub first

    def delete(self, current):
        if self.plugin == 'runcache':
            self.switch('hub', current)
        self.changed = True
        self.plugin = None
        if self.check_mode:
            return
        try:
            self.client.delete(self.path(HUB))
        except NotFoundError:
            return
        self.wait_for_landing(lambda: {} if self.read_singleton() is None else None, 'the removal of %s' % self.subject())

    def extra_result(self, resource):
        return dict(cache_plugin=self.plugin)

    def extra_diff(self):
        return dict(cache_plugin=self.plugin_before), dict(cache_plugin=self.plugin)


def main():
    HubModule(
        argument_spec=resource_argument_spec(
            server=dict(type='raw', required=True),
            web_app=dict(type='raw', required=True),
            cache_type=dict(type='str', choices=CACHE_TYPES),
            redis_object_cache=dict(type='bool'),
            cache_folder_size=dict(type='int'),
            cache_valid_minute=dict(type='int'),
            runcache=dict(type='bool'),
            page_cache_enabled=dict(type='bool'),
            page_cache_type=dict(type='str'),
            cdn_enabled=dict(type='bool'),
            object_cache_enabled=dict(type='bool'),
            **landing_options()
        ),
        supports_check_mode=True,
    ).main()


if __name__ == '__main__':
    main()
