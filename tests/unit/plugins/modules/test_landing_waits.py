# -*- coding: utf-8 -*-
# Copyright (c) runcloud.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Writes that API v3 only acknowledges, against the simulator's land delay: the modules that make them
read until the result shows (``wait``), never send the write again, and share one option spec and
one doc fragment."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import importlib
import os
import sys

import pytest
import yaml

from ansible_collections.runcloud.cloud.plugins.module_utils.resource import landing_options
from ansible_collections.runcloud.cloud.plugins.modules import web_app
from ansible_collections.runcloud.cloud.tests.unit.module_runner import run_module_against, sim_control as control

SIMULATOR_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', '..', 'simulator')
sys.path.insert(0, SIMULATOR_DIR)

from runcloud_sim import Simulator  # noqa: E402  pylint: disable=wrong-import-position

MODULES_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', '..', '..', 'plugins', 'modules')
# The modules with a write that API v3 only acknowledges and whose result can be read back.
WAITING_MODULES = ('web_app', 'web_app_ssl', 'wordpress', 'wordpress_staging', 'wordpress_settings', 'runcloud_hub', 'backup', 'web_app_clone',
                   'atomic_project')


@pytest.fixture(scope='module', name='simulator')
def fixture_simulator():
    with Simulator(token='v2-token') as sim:
        yield sim


@pytest.fixture(name='sim')
def fixture_sim(simulator):
    control(simulator, 'POST', '/reset')
    control(simulator, 'POST', '/seed', {'servers': 1, 'fixtures': True})
    return simulator


def the_app(sim):
    server = control(sim, 'GET', '/state')['servers']
    (server,) = server.values()
    return next(app for app in server['_webapps'].values() if app['name'] == 'app')


def writes(sim):
    return [(entry['method'], entry['path']) for entry in control(sim, 'GET', '/requests')['requests'] if entry['method'] != 'GET']


def default_app(monkeypatch, sim, value, **options):
    args = dict(server='web-01', name='app', default_app=value)
    args.update(options)
    return run_module_against(monkeypatch, web_app.main, args, sim.url_v3, sim.token_v3)


def make_default(monkeypatch, sim):
    control(sim, 'POST', '/v3', {'land_delay': 0})
    assert default_app(monkeypatch, sim, True)['changed'] is True
    control(sim, 'DELETE', '/requests')


def test_an_acknowledged_write_is_read_until_it_lands_and_sent_once(monkeypatch, sim):
    make_default(monkeypatch, sim)
    control(sim, 'POST', '/v3', {'land_delay': 0.5})
    result = default_app(monkeypatch, sim, False)
    assert not result['failed'], result
    assert result['changed'] is True and result['web_app']['default_app'] is False
    assert the_app(sim)['defaultApp'] is False
    assert [write for write in writes(sim) if write[1].endswith('/default')] == [('DELETE', '/servers/1/webapps/%s/default' % the_app(sim)['id'])]
    # Landed, so a second run changes nothing and writes nothing.
    control(sim, 'DELETE', '/requests')
    again = default_app(monkeypatch, sim, False)
    assert again['changed'] is False and writes(sim) == []


def test_without_wait_the_task_ends_after_the_acknowledgement(monkeypatch, sim):
    make_default(monkeypatch, sim)
    control(sim, 'POST', '/v3', {'land_delay': 5})
    result = default_app(monkeypatch, sim, False, wait=False)
    assert not result['failed'], result
    assert result['changed'] is True
    # Not landed yet: the task did not read until it did.
    assert the_app(sim)['defaultApp'] is True and control(sim, 'GET', '/v3')['pending_landings'] == 1


def test_a_write_that_does_not_land_in_time_fails_and_is_not_sent_again(monkeypatch, sim):
    make_default(monkeypatch, sim)
    control(sim, 'POST', '/v3', {'land_delay': 5})
    result = default_app(monkeypatch, sim, False, wait_timeout=1)
    assert result['failed'] is True and result['changed'] is True
    assert 'did not show within wait_timeout (1s); it was not sent again' in result['msg']
    assert len([write for write in writes(sim) if write[1].endswith('/default')]) == 1


def test_a_wait_timeout_out_of_range_is_refused_before_any_request(monkeypatch, sim):
    control(sim, 'DELETE', '/requests')
    result = default_app(monkeypatch, sim, False, wait_timeout=-1)
    assert result['failed'] is True and result['msg'] == 'wait_timeout must be between 0 and 3600 (seconds), not -1'
    assert control(sim, 'GET', '/requests')['requests'] == []


def module_sources():
    for file_name in sorted(os.listdir(MODULES_DIR)):
        if file_name.endswith('.py') and not file_name.startswith('_'):
            with open(os.path.join(MODULES_DIR, file_name)) as source:
                yield file_name[:-3], source.read()


# Modules whose wait is not for a write to land: atomic_deployment follows a release until it is live
# or failed (a build can take minutes), with its own option text and default.
OWN_WAIT_OPTIONS = ('atomic_deployment',)


def test_every_module_that_waits_takes_the_shared_option_spec_and_doc_fragment():
    waiting = []
    for name, text in module_sources():
        if name in OWN_WAIT_OPTIONS:
            continue
        documentation = yaml.safe_load(importlib.import_module('ansible_collections.runcloud.cloud.plugins.modules.' + name).DOCUMENTATION)
        options = documentation.get('options') or {}
        if not ('landing_options()' in text or 'wait=dict(' in text or 'wait' in options
                or 'runcloud.cloud.wait' in documentation.get('extends_documentation_fragment', [])):
            continue
        waiting.append(name)
        assert 'runcloud.cloud.wait' in documentation['extends_documentation_fragment'], name
        assert 'wait' not in options and 'wait_timeout' not in options, '%s documents wait itself' % name
        assert 'landing_options()' in text and 'wait=dict(' not in text and 'wait_timeout=dict(' not in text, name
    assert set(WAITING_MODULES) <= set(waiting)


def test_the_option_spec_is_the_documented_one():
    fragment = importlib.import_module('ansible_collections.runcloud.cloud.plugins.doc_fragments.wait')
    documented = yaml.safe_load(fragment.ModuleDocFragment.DOCUMENTATION)['options']
    spec = landing_options()
    assert sorted(spec) == sorted(documented)
    for option, entry in spec.items():
        assert (entry['type'], entry['default']) == (documented[option]['type'], documented[option]['default'])
