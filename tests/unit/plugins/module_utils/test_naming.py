# -*- coding: utf-8 -*-
# Copyright (c) runcloud.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""snake_case names of API fields: the names results and host variables have always had."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.runcloud.cloud.plugins.module_utils.naming import snake_case, snake_case_keys


@pytest.mark.parametrize('api, expected', [
    ('ipAddress', 'ip_address'),
    ('phpCLIVersion', 'php_cli_version'),
    ('server_user_id', 'server_user_id'),
    ('created_at', 'created_at'),
    ('HTTPSRedirect', 'https_redirect'),
    ('sslIDs', 'ssl_i_ds'),
    ('targetGroupARNs', 'target_group_ar_ns'),
    ('ipv6Address', 'ipv6_address'),
    ('_Links', '_links'),
    ('Content-Type', 'content-type'),
    ('id', 'id'),
])
def test_snake_case(api, expected):
    assert snake_case(api) == expected


def test_keys_at_any_depth_lists_at_the_top_and_keys_that_are_not_strings():
    assert snake_case_keys([{'webApps': [{'phpVersion': 'php82rc', 'sslInfo': {'isHSTS': True}}], 1: 'x'}]) == [
        {'web_apps': [{'php_version': 'php82rc', 'ssl_info': {'is_hsts': True}}], '1': 'x'}]
    assert snake_case_keys('camelCase value') == 'camelCase value'
