# -*- coding: utf-8 -*-
# Copyright (c) runcloud.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible.errors import AnsibleLookupError
from ansible.utils.unsafe_proxy import AnsibleUnsafe

from ansible_collections.runcloud.cloud.plugins.lookup import static
from ansible_collections.runcloud.cloud.plugins.module_utils import client as client_module
from ansible_collections.runcloud.cloud.tests.unit.scripted_http import Exchange, ScriptedSession, answer

try:  # ansible-core 2.19+: API data must not be trusted as a template
    from ansible.template import is_trusted_as_template
except ImportError:
    is_trusted_as_template = None

API_URL = 'https://api.example.test/api/v2'
ENVIRONMENT = ('RUNCLOUD_API_URL', 'RUNCLOUD_API_TOKEN', 'RUNCLOUD_API_KEY', 'RUNCLOUD_API_SECRET', 'RUNCLOUD_VALIDATE_CERTS',
               'RUNCLOUD_API_TIMEOUT', 'RUNCLOUD_API_RETRIES', 'RUNCLOUD_API_RETRY_BUDGET')


def is_unsafe(value):
    if is_trusted_as_template is not None:
        return not is_trusted_as_template(value)
    return isinstance(value, AnsibleUnsafe)


@pytest.fixture
def scripted(monkeypatch):
    """Install a script of exchanges for the next client; returns a function taking the script."""
    for variable in ENVIRONMENT:
        monkeypatch.delenv(variable, raising=False)
    sessions = []

    def install(script):
        session = ScriptedSession(API_URL, script)
        sessions.append(session)
        original_init = client_module.RunCloudClient.__init__

        def init_with_script(self, *args, **kwargs):
            original_init(self, *args, **kwargs)
            self.session = session

        monkeypatch.setattr(client_module.RunCloudClient, '__init__', init_with_script)
        return session

    return install


def new_client(token='given'):
    return client_module.RunCloudClient(api_url=API_URL, api_token=token, retry_policy=client_module.RetryPolicy(budget=0))


def test_one_request_per_term_and_unsafe_results(scripted):
    session = scripted([
        Exchange('GET', '/static/timezones', answer(200, ['UTC', '{{ lookup("pipe", "id") }}'])),
        Exchange('GET', '/static/ssl/protocols', answer(200, [{'id': 2, 'name': 'TLSv1.2'}]), query={'webServer': 'nginx'}),
    ])
    result = static.read_lists(new_client(), ['timezones', 'ssl_protocols'], 'nginx')
    assert result == [['UTC', '{{ lookup("pipe", "id") }}'], [{'id': 2, 'name': 'TLSv1.2'}]]
    assert is_unsafe(result[0][1]) and is_unsafe(result[1][0]['name'])
    session.assert_done()


def test_options_beat_the_environment_and_empty_variables_are_unset():
    environ = {'RUNCLOUD_API_URL': '', 'RUNCLOUD_API_TOKEN': 'env', 'RUNCLOUD_API_TIMEOUT': '', 'RUNCLOUD_VALIDATE_CERTS': 'no'}
    settings = static.connection_settings(dict(api_token='given'), environ)
    assert settings['api_url'] == client_module.DEFAULT_API_URL
    assert settings['api_token'] == 'given'
    assert settings['api_timeout'] == 30.0
    assert settings['validate_certs'] is False
    assert static.connection_settings({}, {'RUNCLOUD_API_TOKEN': 'env', 'RUNCLOUD_API_RETRIES': '2'})['api_token'] == 'env'


def test_a_key_pair_given_to_the_lookup_beats_a_token_in_the_environment():
    environ = {'RUNCLOUD_API_TOKEN': 'env-token', 'RUNCLOUD_API_KEY': '', 'RUNCLOUD_API_SECRET': ''}
    settings = static.connection_settings(dict(api_key='key', api_secret='secret'), environ)
    assert (settings['api_token'], settings['api_key'], settings['api_secret']) == (None, 'key', 'secret')


def test_both_kinds_of_credentials_given_to_the_lookup_are_refused():
    with pytest.raises(AnsibleLookupError, match='either api_token or api_key'):
        static.connection_settings(dict(api_token='t', api_key='k', api_secret='s'), {})


def test_a_bad_environment_value_names_the_variable():
    with pytest.raises(AnsibleLookupError, match='RUNCLOUD_API_RETRIES must be a whole number'):
        static.connection_settings({}, {'RUNCLOUD_API_RETRIES': 'many'})


def test_unknown_list_is_refused():
    with pytest.raises(AnsibleLookupError, match="unknown list 'zones'; choose from collations, installers, ssl_protocols, timezones"):
        static.check_terms(['timezones', 'zones'])


def test_api_errors_become_lookup_errors(scripted):
    scripted([Exchange('GET', '/static/databases/collations', answer(401, {'message': 'Unauthenticated.'}))])
    with pytest.raises(AnsibleLookupError, match='runcloud.cloud.static: GET /static/databases/collations: HTTP 401'):
        static.read_lists(new_client('wrong'), ['collations'], 'nginx')


def test_every_list_on_api_v3_of_the_simulator():
    # API v3 has collations per engine only: the lookup reads the MariaDB list there.
    import os
    import sys
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', '..', 'simulator'))
    from runcloud_sim import Simulator  # pylint: disable=import-outside-toplevel
    with Simulator(token='v2-token') as sim:
        results = {}
        for url, token in ((sim.url, 'v2-token'), (sim.url_v3, sim.token_v3)):
            client = client_module.RunCloudClient(api_url=url, api_token=token, retry_policy=client_module.RetryPolicy(budget=0))
            results[url] = static.read_lists(client, ['collations', 'timezones', 'installers', 'ssl_protocols'], 'nginx')
    v2, v3 = results[sim.url], results[sim.url_v3]
    assert all(v3) and v3[1:] == v2[1:]
    assert isinstance(v3[0], list) and v3[0]
