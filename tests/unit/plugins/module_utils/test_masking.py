# -*- coding: utf-8 -*-
# Copyright (c) runcloud.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The credentials a module or plugin uses are registered with ansible-core's secret masking (2.22+)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.runcloud.cloud.plugins.module_utils import masking


def test_nothing_happens_without_secret_masking(monkeypatch):
    monkeypatch.setattr(masking, 'register_secrets', None)
    masking.register_credentials(('runcloud-unit-token', None, None))


@pytest.mark.skipif(masking.register_secrets is None, reason='ansible-core before 2.22 has no secret masking')
def test_every_credential_given_is_masked_from_then_on():
    from ansible.module_utils.secrets import mask_secrets

    masking.register_credentials((None, 'runcloud-unit-key', 'runcloud-unit-secret'))
    masking.register_credentials(('', None, '   '))
    assert mask_secrets('key runcloud-unit-key, secret runcloud-unit-secret') == 'key $REDACTED$, secret $REDACTED$'


def test_the_inventory_plugins_credential_options_are_secret_where_ansible_core_masks(monkeypatch):
    import yaml
    from ansible_collections.runcloud.cloud.plugins.doc_fragments import api

    monkeypatch.setattr(api, 'SECRET_MASKING', True)
    options = yaml.safe_load(api.with_secret_credentials(api.ModuleDocFragment.PLUGIN.replace('    secret: true\n', '')))['options']
    assert sorted(name for name, option in options.items() if option.get('secret')) == ['api_key', 'api_secret', 'api_token']
    assert options['api_token']['env'] == [dict(name='RUNCLOUD_API_TOKEN')]
    monkeypatch.setattr(api, 'SECRET_MASKING', False)
    assert 'secret: true' not in api.with_secret_credentials(api.ModuleDocFragment.PLUGIN.replace('    secret: true\n', ''))
