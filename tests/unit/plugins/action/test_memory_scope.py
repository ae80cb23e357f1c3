# -*- coding: utf-8 -*-
# Copyright (c) runcloud.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The run's memory is keyed by the endpoint and credential the module really uses: the endpoint as
AnsibleModule resolves api_url, its aliases, RUNCLOUD_API_URL and the default."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import itertools

import pytest
from ansible.module_utils.common.arg_spec import ArgumentSpecValidator

from ansible_collections.runcloud.cloud.plugins.module_utils.client import DEFAULT_API_URL
from ansible_collections.runcloud.cloud.plugins.module_utils.module import api_argument_spec, api_url_in_use
from ansible_collections.runcloud.cloud.plugins.plugin_utils.action import memory_scope
from ansible_collections.runcloud.cloud.plugins.plugin_utils.id_memory import account_key

ALIASES = api_argument_spec()['api_url']['aliases']
ABSENT = object()
OPTION_VALUES = (ABSENT, 'https://option.example.test/api/v2/', '', None)
ALIAS_VALUES = (ABSENT, 'https://alias.example.test/api/v2', '', None)
ENVIRONMENT_VALUES = (ABSENT, '', '  ', 'https://environment.example.test/api/v2')


def endpoint_of_the_module(monkeypatch, args, environment_value):
    """What a module's api_url is, by ansible-core's own argument handling, or None when refused."""
    if environment_value is ABSENT:
        monkeypatch.delenv('RUNCLOUD_API_URL', raising=False)
    else:
        monkeypatch.setenv('RUNCLOUD_API_URL', environment_value)
    validated = ArgumentSpecValidator(api_argument_spec()).validate(dict(args, api_token='t')).validated_parameters
    value = validated.get('api_url')
    return value.rstrip('/') if isinstance(value, str) and value else None


def test_only_api_url_has_aliases():
    # memory_scope reads the credentials by their option names: an alias of one of them must be taught to it.
    assert [name for name, spec in api_argument_spec().items() if spec.get('aliases')] == ['api_url']
    assert ALIASES


@pytest.mark.parametrize('alias', ALIASES)
def test_the_endpoint_is_the_one_ansible_core_gives_the_module_for_every_alias(monkeypatch, alias):
    for option_value, alias_value, environment_value in itertools.product(OPTION_VALUES, ALIAS_VALUES, ENVIRONMENT_VALUES):
        args = {}
        if option_value is not ABSENT:
            args['api_url'] = option_value
        if alias_value is not ABSENT:
            args[alias] = alias_value
        environment = {} if environment_value is ABSENT else {'RUNCLOUD_API_URL': environment_value}
        expected = endpoint_of_the_module(monkeypatch, args, environment_value)
        assert api_url_in_use(args, environment) == expected, (args, environment)


def test_the_default_endpoint_when_nothing_names_one():
    assert api_url_in_use({}, {}) == DEFAULT_API_URL
    assert api_url_in_use({}, {'RUNCLOUD_API_URL': ' '}) == DEFAULT_API_URL


@pytest.mark.parametrize('alias', ALIASES)
def test_an_alias_keys_the_memory_by_its_own_endpoint(alias):
    environment = {'RUNCLOUD_API_URL': 'https://first.example.test/api/v2', 'RUNCLOUD_API_TOKEN': 'same-token'}
    first = memory_scope({}, environment)
    second = memory_scope({alias: 'https://second.example.test/api/v2'}, environment)
    assert first == ('https://first.example.test/api/v2', 'token:same-token')
    assert second == ('https://second.example.test/api/v2', 'token:same-token')
    assert account_key('salt', *first) != account_key('salt', *second)


def test_the_credential_is_part_of_the_key_wherever_it_comes_from():
    environment = {'RUNCLOUD_API_TOKEN': 'environment-token'}
    assert memory_scope({}, environment)[1] == 'token:environment-token'
    assert memory_scope({'api_token': 'task-token'}, environment)[1] == 'token:task-token'
    assert memory_scope({'api_key': 'k', 'api_secret': 's'}, environment)[1] == 'basic:k:s'
    assert memory_scope({}, {'RUNCLOUD_API_KEY': 'k', 'RUNCLOUD_API_SECRET': 's'})[1] == 'basic:k:s'


def test_no_key_without_a_credential_or_with_an_endpoint_the_module_refuses():
    assert memory_scope({}, {}) is None
    assert memory_scope({'api_token': 't', 'api_key': 'k', 'api_secret': 's'}, {}) is None
    assert memory_scope({'api_url': '', 'api_token': 't'}, {}) is None
    assert memory_scope({'api_endpoint': None, 'api_token': 't'}, {'RUNCLOUD_API_URL': 'https://e.example.test'}) is None
