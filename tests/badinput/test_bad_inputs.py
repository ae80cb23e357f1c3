# -*- coding: utf-8 -*-
# Copyright (c) runcloud.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Generated bad input for every module, the lookup and the inventory plugin.

From each module's own argument spec: values of the wrong type, out of range, with control
characters, huge, and ids of resources that do not exist - one bad option at a time on top of a
valid task. Every run must end in a clear failure (or, where the value is merely unusual, a clean
run): no traceback, no raw library message, the option named when it was refused locally, 0 API
requests for what is refused locally, and never a control character in a single-line field the
API receives. The counts are printed (``pytest -s`` shows them).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import collections
import importlib
import json
import os
import sys

import pytest

from ansible.errors import AnsibleError
from ansible.module_utils import basic

from ansible_collections.runcloud.cloud.plugins.module_utils.module import MULTI_LINE_OPTIONS, api_argument_spec
from ansible_collections.runcloud.cloud.tests.unit.module_runner import ModuleExit, run_module_against

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, 'tests', 'simulator'))

from runcloud_sim import Simulator  # noqa: E402  pylint: disable=wrong-import-position

# account_export's module file is documentation only: its action plugin runs on the controller and
# checks its options itself (tests/unit/plugins/action/test_account_export_options.py).
MODULES = sorted(name[:-3] for name in os.listdir(os.path.join(ROOT, 'plugins', 'modules'))
                 if name.endswith('.py') and name != 'account_export.py')
# Texts that come from a library, not from the collection: a user cannot act on them.
RAW_LIBRARY_TEXT = ('Traceback', "codec can't", 'timestamp out of range', 'Invalid value NaN', 'Failed to parse',
                    'object has no attribute', 'HTTPConnectionPool', 'HTTPSConnectionPool', 'Max retries exceeded',
                    'urllib3', 'NoneType', 'unsupported operand', 'invalid literal for', 'KeyError', 'TypeError',
                    'ValueError', 'is not subscriptable', 'Expecting value')
# API request fields whose values may span lines (the multi-line options, as the API names them).
MULTI_LINE_API_FIELDS = frozenset(['deployScript', 'certificate', 'privateKey', 'script'])
MISSING_ID = 987654
HUGE = 'x' * 100000
CONTROL_VALUES = ('line\nbreak', 'nul\x00byte', 'carriage\rreturn')
CONNECTION_INPUTS = [
    ('api_timeout', 'nan'), ('api_timeout', 'inf'), ('api_timeout', '1e300'), ('api_timeout', 0), ('api_timeout', -5),
    ('api_retries', 0), ('api_retries', 10 ** 9), ('api_retry_budget', 'nan'), ('api_retry_budget', -1),
    ('api_token', u'tok\u2014en'), ('api_token', 'tok en'), ('api_token', 'tok\nen'), ('api_url', 'https://example.test/' + 'a' * 10000),
    ('api_url', 'ftp://example.test'), ('api_url', 'https://exa mple.test'), ('api_url', 'https://[::1/x'),
    ('ca_path', '/nonexistent/ca.pem'),
]


class Captured(Exception):
    pass


def argument_spec_of(module_name):
    """(module, argument spec, AnsibleModule keyword arguments) without running the module."""
    module = importlib.import_module('ansible_collections.runcloud.cloud.plugins.modules.' + module_name)
    original = basic.AnsibleModule.__init__

    def capture(self, argument_spec, **kwargs):
        raise Captured(argument_spec, kwargs)
    basic.AnsibleModule.__init__ = capture
    try:
        module.main()
    except Captured as captured:
        return module, captured.args[0], captured.args[1]
    finally:
        basic.AnsibleModule.__init__ = original
    raise AssertionError('%s did not build an AnsibleModule' % module_name)


def valid_value(option, settings, ids):
    """A value of ``option`` the module accepts, for the options a task needs."""
    if settings.get('choices'):
        return settings['choices'][0]
    known = dict(server=ids['server'], web_app=ids['web_app'], database=ids['database'], database_user=ids['database_user'],
                 ips=['203.0.113.5'], rules=[], port='8080', label='badinput', name='badinput', username='badinput')
    if option in known:
        return known[option]
    return {'int': 1, 'bool': False, 'list': [], 'dict': {}}.get(settings.get('type', 'str'), 'badinput')


def valid_task(spec, kwargs, ids):
    """The options a task of this module needs to pass the argument checks."""
    task = dict((option, valid_value(option, settings, ids)) for option, settings in spec.items() if settings.get('required'))
    for group in kwargs.get('required_one_of') or []:
        if not any(option in task for option in group):
            option = 'name' if 'name' in group else group[0]
            task[option] = valid_value(option, spec[option], ids)
    for rule in kwargs.get('required_if') or []:
        key, value, needed = rule[0], rule[1], rule[2]
        if task.get(key, spec[key].get('default')) == value:
            for option in needed:
                task.setdefault(option, valid_value(option, spec[option], ids))
    return task


def bad_values(option, settings):
    """(value, must be refused locally) pairs for one option."""
    kind = settings.get('type', 'str')
    values = []
    if kind in ('str', 'path', 'raw') and option not in MULTI_LINE_OPTIONS:
        values.extend((value, True) for value in CONTROL_VALUES)
    if kind in ('str', 'path', 'raw') and option not in MULTI_LINE_OPTIONS:
        values.append((HUGE, True))
    if kind == 'raw':
        values.append((MISSING_ID, False))
    if kind == 'int':
        values.extend([('not-a-number', True), (-1, False), (10 ** 12, False)])
    if kind == 'float':
        values.extend([('nan', True), ('inf', True), ('not-a-number', True)])
    if kind == 'bool':
        values.append(('maybe', True))
    if kind == 'list' and settings.get('elements', 'str') == 'str':
        values.append((['ok', 'bad\nvalue'], True))
    if kind == 'list' and settings.get('elements') == 'dict':
        values.append(('not-a-list-of-dicts', True))
    if kind == 'dict':
        values.append(('not-a-dict', True))
    if option == 'id':
        values.extend([(MISSING_ID, False), (0, True)])
    return values


class Outcome:
    def __init__(self):
        self.counts = collections.Counter()
        self.problems = []


@pytest.fixture(scope='module', name='world')
def fixture_world():
    with Simulator(token='bad-input-token') as sim:
        server_id = sim.handle_control('POST', '/seed', json.dumps({'servers': 1, 'fixtures': True})).body['servers'][0]
        server = sim.state['servers'][str(server_id)]
        ids = dict(server=server_id, web_app=int(sorted(server['_webapps'])[0]), database=int(sorted(server['_databases'])[0]),
                   database_user=int(sorted(server['_databaseusers'])[0]))
        yield sim, ids


def run_one(monkeypatch, sim, module, args):
    sim.handle_control('DELETE', '/requests', '')
    try:
        result = run_module_against(monkeypatch, module.main, args, sim.url, sim.token)
    except ModuleExit as outcome:  # pragma: no cover - run_module_against turns it into a result
        result = dict(outcome.result, failed=outcome.failed)
    except Exception as error:  # pylint: disable=broad-except
        result = dict(failed=True, msg='Traceback: %s: %s' % (type(error).__name__, error), traceback=True)
    requests_sent = sim.handle_control('GET', '/requests', '').body['requests']
    return result, requests_sent


def control_characters_sent(requests_sent):
    found = []
    for entry in requests_sent:
        stack = [(None, entry.get('body'))]
        while stack:
            key, value = stack.pop()
            if isinstance(value, dict):
                stack.extend(value.items())
            elif isinstance(value, list):
                stack.extend((key, item) for item in value)
            elif isinstance(value, str) and key not in MULTI_LINE_API_FIELDS and any(c in value for c in '\x00\r\n'):
                found.append('%s %s: %s' % (entry['method'], entry['path'], key))
    return found


def judge(outcome, label, option, refused_locally, result, requests_sent):
    message = str(result.get('msg', ''))
    outcome.counts['inputs'] += 1
    outcome.counts['failed' if result.get('failed') else 'accepted'] += 1
    if result.get('traceback') or 'exception' in result:
        outcome.counts['tracebacks'] += 1
        outcome.problems.append('%s: traceback: %s' % (label, message[:200]))
    raw = [text for text in RAW_LIBRARY_TEXT if text in message]
    if raw:
        outcome.counts['raw library messages'] += 1
        outcome.problems.append('%s: raw library text %r in %r' % (label, raw, message[:300]))
    sent = control_characters_sent(requests_sent)
    if sent:
        outcome.counts['control characters sent'] += 1
        outcome.problems.append('%s: control character sent to the API in %s' % (label, ', '.join(sent)))
    if os.environ.get('RUNCLOUD_BAD_INPUT_VERBOSE') and not refused_locally:
        print('%s -> %s: %s' % (label, 'failed' if result.get('failed') else 'ok', message[:160]))
    if refused_locally:
        outcome.counts['must be refused locally'] += 1
        if not result.get('failed'):
            outcome.problems.append('%s: accepted, but it must be refused' % label)
        elif requests_sent:
            outcome.problems.append('%s: refused after %d API requests, not before any' % (label, len(requests_sent)))
        elif option.split('.')[0] not in message:
            outcome.problems.append('%s: the message does not name the option: %r' % (label, message[:200]))
        else:
            outcome.counts['refused locally, option named, 0 requests'] += 1


def test_generated_bad_inputs_for_every_module(monkeypatch, world, capsys):
    sim, ids = world
    outcome = Outcome()
    connection_spec = api_argument_spec()
    for module_name in MODULES:
        module, spec, kwargs = argument_spec_of(module_name)
        own = dict((option, settings) for option, settings in spec.items() if option not in connection_spec)
        base = valid_task(own, kwargs, ids)
        inputs = [(option, value, refused) for option, settings in sorted(own.items())
                  for value, refused in bad_values(option, settings)]
        # The connection options once per module is more than enough: they are shared code.
        inputs.extend((option, value, True) for option, value in CONNECTION_INPUTS)
        for option, value, refused in inputs:
            args = dict(base)
            args[option] = value
            label = '%s %s=%r' % (module_name, option, value if not isinstance(value, str) or len(value) < 40 else value[:20] + '...')
            result, requests_sent = run_one(monkeypatch, sim, module, args)
            judge(outcome, label, option, refused, result, requests_sent)
    with capsys.disabled():
        print('\nbad-input test over %d modules: %s' % (len(MODULES), ', '.join('%s=%d' % item for item in sorted(outcome.counts.items()))))
    assert not outcome.problems, '\n'.join(outcome.problems[:60]) + ('\n... %d problems' % len(outcome.problems))
    assert outcome.counts['tracebacks'] == 0 and outcome.counts['raw library messages'] == 0


def test_generated_bad_inputs_for_the_lookup(monkeypatch, world, capsys):
    from ansible_collections.runcloud.cloud.plugins.lookup import static
    sim, _ids = world
    for variable in ('RUNCLOUD_API_TOKEN', 'RUNCLOUD_API_KEY', 'RUNCLOUD_API_SECRET', 'RUNCLOUD_API_URL', 'RUNCLOUD_CA_PATH'):
        monkeypatch.delenv(variable, raising=False)
    outcome = Outcome()
    for option, value in CONNECTION_INPUTS + [('api_retries', 'many')]:
        sim.handle_control('DELETE', '/requests', '')
        options = dict(api_url=sim.url, api_token=sim.token)
        options[option] = value
        try:
            # What the lookup's run() does once Ansible has set its options.
            client = static.LookupModule.create_client(static.connection_settings(options, os.environ))
            static.read_lists(client, ['timezones'], 'nginx')
            result = dict(failed=False)
        except AnsibleError as error:
            result = dict(failed=True, msg=str(error))
        except Exception as error:  # pylint: disable=broad-except
            result = dict(failed=True, msg='Traceback: %s' % error, traceback=True)
        judge(outcome, 'lookup %s=%r' % (option, value[:30] if isinstance(value, str) else value), option, True, result,
              sim.handle_control('GET', '/requests', '').body['requests'])
    with capsys.disabled():
        print('\nbad-input test of the lookup: %s' % ', '.join('%s=%d' % item for item in sorted(outcome.counts.items())))
    assert not outcome.problems, '\n'.join(outcome.problems)
