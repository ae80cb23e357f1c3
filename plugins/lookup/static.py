# -*- coding: utf-8 -*-
# Copyright (c) runcloud.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
name: static
short_description: Read RunCloud's static lists (collations, time zones, installers, SSL protocols)
version_added: 0.1.0
description:
  - Return the lists RunCloud accepts for some options, so that a play can validate its choices
    before it changes anything.
  - One API request per term. The values are API data and are marked unsafe (never templated).
  - The connection options are the ones of the modules, with the same environment variables; an
    empty environment variable counts as unset, and an option given to the lookup beats the environment.
author:
  - runcloud.cloud contributors (@runcloud-community)
options:
  _terms:
    description:
      - The lists to read, any of V(collations) (database collations), V(timezones) (time zone names),
        V(installers) (script installer names) and V(ssl_protocols) (TLS protocols of the web server).
    type: list
    elements: str
    required: true
  web_server:
    description:
      - The web server whose SSL protocols V(ssl_protocols) lists. RunCloud API v2 knows only V(nginx).
    type: str
    default: nginx
extends_documentation_fragment:
  - runcloud.cloud.api
notes:
  - With one term, C(lookup) returns that list itself; C(query) always returns one list per term.
  - The credentials the lookup uses, given to it or from the environment, are registered with the secret
    masking of ansible-core 2.22 and later, which hides them in all output.
seealso:
  - module: runcloud.cloud.database
  - module: runcloud.cloud.web_app
  - module: runcloud.cloud.script_installer
'''

EXAMPLES = r'''
- name: Fail early on a time zone RunCloud does not know
  ansible.builtin.assert:
    that: app_timezone in lookup('runcloud.cloud.static', 'timezones')
    fail_msg: "{{ app_timezone }} is not a RunCloud time zone"

- name: Every list at once
  ansible.builtin.set_fact:
    runcloud_static: "{{ dict(['collations', 'timezones', 'installers', 'ssl_protocols'] | zip(lists)) }}"
  vars:
    lists: "{{ query('runcloud.cloud.static', 'collations', 'timezones', 'installers', 'ssl_protocols') }}"

- name: With the connection given to the lookup
  ansible.builtin.debug:
    msg: "{{ lookup('runcloud.cloud.static', 'collations', api_token=my_token) }}"
'''

RETURN = r'''
_raw:
  description:
    - One list per term, as the API answers it. V(collations), V(timezones) and V(installers) are
      lists of names; V(ssl_protocols) is a list of C(id) and C(name) dictionaries.
  type: list
  elements: list
'''

import os

from ansible.errors import AnsibleError, AnsibleLookupError
from ansible.module_utils.common.text.converters import to_native
from ansible.plugins.lookup import LookupBase
from ansible.utils.display import Display

from ansible_collections.runcloud.cloud.plugins.module_utils.catalogue import path as endpoint
from ansible_collections.runcloud.cloud.plugins.module_utils.client import (
    HAS_REQUESTS,
    client_from_options,
    connection_settings as shared_connection_settings,
)
from ansible_collections.runcloud.cloud.plugins.module_utils.errors import RunCloudError
from ansible_collections.runcloud.cloud.plugins.module_utils.masking import register_credentials

try:
    # ansible-core < 2.19 marks values unsafe with this wrapper; 2.19+ keeps the function and makes
    # it strip the "trusted as template" tag instead, which is the same promise.
    from ansible.utils.unsafe_proxy import wrap_var as make_unsafe
except ImportError:  # pragma: no cover - a future ansible-core without the module
    def make_unsafe(value):
        return value

display = Display()

LISTS = dict((name, endpoint('static', name)) for name in ('collations', 'timezones', 'installers', 'ssl_protocols'))


def connection_settings(given, environ):
    """The connection options: given to the lookup, else a non-empty environment variable, else the
    default; the credentials follow the client's rules (the lookup's options beat the environment)."""
    try:
        return shared_connection_settings(given, environ)
    except RunCloudError as error:
        raise AnsibleLookupError('runcloud.cloud.static: %s' % to_native(error))


def check_terms(terms):
    unknown = [term for term in terms if term not in LISTS]
    if unknown:
        raise AnsibleLookupError('runcloud.cloud.static: unknown list %s; choose from %s'
                                 % (', '.join(repr(term) for term in unknown), ', '.join(sorted(LISTS))))


def read_lists(client, terms, web_server):
    """One API answer per term, marked unsafe: it is data, never a template."""
    results = []
    try:
        for term in terms:
            params = {'webServer': web_server} if term == 'ssl_protocols' else None
            results.append(client.get(LISTS[term], params=params))
    except RunCloudError as error:
        raise AnsibleLookupError('runcloud.cloud.static: %s' % to_native(error))
    return make_unsafe(results)


class LookupModule(LookupBase):

    def run(self, terms, variables=None, **kwargs):
        if not HAS_REQUESTS:
            raise AnsibleLookupError('runcloud.cloud.static needs the Python library "requests"')
        self.set_options(var_options=variables, direct=kwargs)
        check_terms(terms)
        client = self.create_client(connection_settings(kwargs, os.environ))
        return read_lists(client, terms, self.get_option('web_server'))

    @staticmethod
    def create_client(settings):
        register_credentials(settings['credentials'])
        try:
            client = client_from_options(settings, settings['credentials'], display.vvvv, 'lookup')
        except RunCloudError as error:
            raise AnsibleError('runcloud.cloud.static: %s' % to_native(error))
        for warning in client.warnings:
            display.warning('runcloud.cloud.static: %s' % warning)
        return client
