# -*- coding: utf-8 -*-
# Copyright (c) runcloud.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.runcloud.cloud.plugins.action.account_export import OPTIONS, single_line_problems
from ansible_collections.runcloud.cloud.plugins.module_utils.client import connection_settings
from ansible_collections.runcloud.cloud.plugins.module_utils.errors import RunCloudError


@pytest.mark.parametrize('args, option', [
    (dict(dest='out\ndir'), 'dest'),
    (dict(dest='out', search='web\x00'), 'search'),
    (dict(dest='out', servers=['web-01', 'web\r02']), 'servers'),
])
def test_line_breaks_are_refused_naming_the_option(args, option):
    problems = single_line_problems(args)
    assert len(problems) == 1 and problems[0].startswith(option + ' must be a single line')


def test_plain_values_pass():
    assert single_line_problems(dict(dest='out', search='web', servers=['web-01', 7])) == []


def test_the_export_takes_the_modules_connection_options_and_aliases():
    assert {'api_url', 'api_endpoint', 'ca_path', 'validate_certs', 'api_timeout', 'api_retries', 'api_retry_budget'} <= OPTIONS


def test_connection_values_are_checked_by_the_shared_rules():
    with pytest.raises(RunCloudError, match='api_timeout must be a number'):
        connection_settings(dict(api_timeout='soon', api_token='t'), {})
    settings = connection_settings(dict(api_endpoint='http://127.0.0.1:1/api/v2'), {'RUNCLOUD_API_TOKEN': 'token', 'RUNCLOUD_API_URL': ''})
    assert settings['api_url'] == 'http://127.0.0.1:1/api/v2' and settings['api_token'] == 'token'
