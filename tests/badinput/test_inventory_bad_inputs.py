# -*- coding: utf-8 -*-
# Copyright (c) runcloud.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Bad inventory files and connection options through the real ansible-inventory: the same
messages as the modules, the option named, no Python error text, no API request."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import re
import subprocess

from ansible_collections.runcloud.cloud.tests.badinput.test_bad_inputs import RAW_LIBRARY_TEXT
from ansible_collections.runcloud.cloud.tests.inventory.inventory_harness import (
    SimulatorSession,
    ansible_inventory_command,
    collections_path,
)

PLUGIN = 'plugin: runcloud.cloud.runcloud\n'
CASES = [
    ('a YAML list', '- plugin: runcloud.cloud.runcloud\n', 'must be a YAML mapping'),
    ('a YAML string', 'just text\n', 'must be a YAML mapping'),
    ('api_timeout nan', PLUGIN + 'api_timeout: .nan\n', 'api_timeout must be a number between 0.1 and 3600'),
    ('api_timeout 1e300', PLUGIN + 'api_timeout: 1e300\n', 'api_timeout must be a number between 0.1 and 3600'),
    ('api_retries 0', PLUGIN + 'api_retries: 0\n', 'api_retries must be a whole number between 1 and 50'),
    ('a token outside Latin-1', PLUGIN + u'api_token: "tok\u2014en"\n', 'api_token contains a character outside printable ASCII'),
    ('a token with a space', PLUGIN + 'api_token: "tok en"\n', 'api_token contains whitespace'),
    ('a 10 kB api_url', PLUGIN + 'api_url: https://example.test/' + 'a' * 10000 + '\n', 'at most 2048'),
    ('a missing ca_path', PLUGIN + 'ca_path: /nonexistent/ca.pem\n', 'ca_path names a CA bundle that does not exist'),
    ('api_endpoint alias with a bad URL', PLUGIN + 'api_endpoint: ftp://example.test\n', 'api_url must be an http:// or https:// URL'),
]


def test_bad_inventory_files_fail_clearly_without_requests(tmp_path, capsys):
    session = SimulatorSession(token='inventory-test-token')
    try:
        env = dict((name, value) for name, value in os.environ.items() if not name.startswith(('RUNCLOUD_', 'ANSIBLE_')))
        env.update(ANSIBLE_COLLECTIONS_PATH=collections_path(), ANSIBLE_INVENTORY_ENABLED='runcloud.cloud.runcloud',
                   ANSIBLE_INVENTORY_UNPARSED_FAILED='true', ANSIBLE_NOCOLOR='1', ANSIBLE_HOME=str(tmp_path / 'home'),
                   ANSIBLE_LOCAL_TEMP=str(tmp_path / 'tmp'), RUNCLOUD_API_URL=session.url, RUNCLOUD_API_TOKEN='inventory-test-token',
                   COLUMNS='10000')
        running = []
        for index, (label, content, expected) in enumerate(CASES):
            path = tmp_path / ('case%d.runcloud.yml' % index)
            path.write_text(content, encoding='utf-8')
            running.append((label, expected, subprocess.Popen(
                [ansible_inventory_command(), '-i', str(path), '--list'], cwd=str(tmp_path), env=env,
                stdout=subprocess.PIPE, stderr=subprocess.PIPE, universal_newlines=True)))
        problems = []
        for label, expected, process in running:
            stdout, stderr = process.communicate(timeout=300)
            output = ' '.join((stdout + stderr).split())
            if process.returncode == 0:
                problems.append('%s: ansible-inventory succeeded' % label)
            if expected not in output:
                problems.append('%s: %r not in the output:\n%s' % (label, expected, output[-1500:]))
            # ansible-core's own framing of any inventory plugin's error (2.19+, and before)
            ours = re.sub(r'Failed to parse (inventory with|.*? with \S+ plugin)', '', output)
            raw = [text for text in RAW_LIBRARY_TEXT if text in ours]
            if raw:
                problems.append('%s: raw library text %r:\n%s' % (label, raw, output[-1500:]))
        requests_sent = session.request_log()['requests']
        with capsys.disabled():
            print('\nbad-input test of the inventory plugin: %d files, %d refused clearly, %d API requests'
                  % (len(CASES), len(CASES) - len(problems), len(requests_sent)))
        assert not problems, '\n'.join(problems)
        assert requests_sent == []
    finally:
        session.close()
