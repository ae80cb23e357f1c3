# -*- coding: utf-8 -*-
# Copyright (c) runcloud.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""3rd-party API keys (Cloudflare, DigitalOcean, ...): the API takes the service as a slug and
answers with its humanised name, and answers with (a masked part of) the secret, which we never show."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

from ansible_collections.runcloud.cloud.plugins.module_utils.catalogue import path as endpoint
from ansible_collections.runcloud.cloud.plugins.module_utils.module import ParentRef

# Request slug -> the name the API answers with.
SERVICES = {
    'cloudflare': 'Cloudflare',
    'digitalocean': 'Digital Ocean',
    'linode': 'Linode',
    'upcloud': 'UpCloud',
    'vultr': 'Vultr',
}
SECRET_FIELDS = ('secret',)

EXTERNAL_API = ParentRef('external_api', 'external_api_id', endpoint('external_api_key', 'list'), '3rd-party API key', field='label')


def service_slug(name):
    """'Digital Ocean' -> 'digitalocean'; a slug stays as it is."""
    if name is None:
        return None
    return re.sub(r'[^a-z0-9]', '', str(name).lower())


def key_view(key):
    """What a user sees of a key: the service as its slug (as requests take it) and its name, no secret."""
    if not key:
        return {}
    shown = dict((field, value) for field, value in key.items() if field not in SECRET_FIELDS)
    if 'service' in shown:
        slug = service_slug(shown['service'])
        shown['service_name'] = SERVICES.get(slug, shown['service'])
        shown['service'] = slug
    return shown
