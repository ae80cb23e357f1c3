# -*- coding: utf-8 -*-
# Copyright (c) runcloud.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Compare the two runs of playbook.yml (callback_plugins/paths_record.py wrote what the callbacks saw).

    compare_paths.py CONTROLLER.json CONTROLLER.stderr MODULE.json MODULE.stderr

Fails, saying where, unless
- both runs saw the same results of the collection's tasks, loop items and retries, diffs and warnings
  included (the simulator's timestamps and the run_on_controller argument aside);
- every task that sent a request reports urllib3's InsecureRequestWarning as a warning of its result, once
  (and one that sent none, such as a loop item that found its list read by the item before it, not at all);
- each loop item and each until retry reports only its own warnings;
- no Python warning, traceback or "sent data directly to stderr" reached stderr, and both runs wrote the
  same lines there;
- no result of the collection holds the API token, and from ansible-core 2.22 on (secret masking) the
  callbacks see the token only masked, even where a task shows the environment variable.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import collections
import json
import os
import re
import sys

INSECURE = 'InsecureRequestWarning: Unverified HTTPS request'
UNKNOWN_OWNER = "so system_user of the web application '%s' is unknown"
TIMESTAMP = re.compile(r'\d{4}-\d\d-\d\d[ T]\d\d:\d\d:\d\d(\.\d+)?Z?')
# A Python warning as Python prints it, a crash, a worker's stray output (ansible-core >= 2.19).
FORBIDDEN_ON_STDERR = re.compile(r'\.py:\d+: \w*Warning|Traceback \(most recent call last\)|errantly sent data directly to stderr')
# What ansible-core itself may print once per run, whatever the path (cryptography 51 on import).
RUN_NOISE = re.compile(r'CryptographyDeprecationWarning|^\s+from cryptography')

failures = []


def fail(message):
    failures.append(message)


def all_records(path):
    with open(path) as handle:
        return json.load(handle)


def comparable(result):
    """``result`` without what differs by path or by time on its own: the run_on_controller argument, the
    rate-limit headroom (it counts down from one run to the next) and the number of requests (the items
    of a looped task share their list reads in the controller's process, where item 2 may send none).
    urllib3's warning comes with each request a result sent: it is counted apart (``insecure``)."""
    arguments = (result.get('invocation') or {}).get('module_args')
    if isinstance(arguments, dict):
        arguments.pop('run_on_controller', None)
    api = result.pop('api', None)
    sent = None
    if isinstance(api, dict):
        result['api'] = dict(writes=api.get('writes'))
        sent = api.get('requests', 0) > 0
    warnings = result.get('warnings') or []
    insecure = sum(INSECURE in text for text in warnings)
    if warnings:
        result['warnings'] = [text for text in warnings if INSECURE not in text]
    for item in result.get('results') or []:
        if isinstance(item, dict):
            comparable(item)
    return sent, insecure


def collection_records(path):
    records = all_records(path)
    kept = []
    for record in records:
        if not record['action'].startswith('runcloud.cloud.'):
            continue
        sent, insecure = comparable(record['result'])
        record = json.loads(TIMESTAMP.sub('<time>', json.dumps(record, sort_keys=True)))
        record['sent'], record['insecure'] = sent, insecure
        kept.append(record)
    return kept


def compare(controller, module):
    if [(r['task'], r['event']) for r in controller] != [(r['task'], r['event']) for r in module]:
        fail('the runs saw different results:\n  controller: %s\n  module:     %s' % (
            [(r['task'], r['event']) for r in controller], [(r['task'], r['event']) for r in module]))
        return
    for in_controller, in_module in zip(controller, module):
        if in_controller == in_module:
            continue
        keys = sorted(set(in_controller['result']) | set(in_module['result']))
        for key in keys:
            if in_controller['result'].get(key) != in_module['result'].get(key):
                fail('%s (%s): %s differs:\n  controller process: %s\n  module process:     %s' % (
                    in_controller['task'], in_controller['event'], key,
                    json.dumps(in_controller['result'].get(key), sort_keys=True),
                    json.dumps(in_module['result'].get(key), sort_keys=True)))


def warnings_of(record):
    return record['result'].get('warnings') or []


def check_warnings(records, label):
    for record in records:
        if 'results' in record['result']:
            continue  # a loop's summary: Ansible joins the items' warnings
        warnings = warnings_of(record)
        if len(warnings) != len(set(warnings)):
            fail('%s: %s (%s) reports a warning twice: %s' % (label, record['task'], record['event'], warnings))
        if record['event'] == 'retry' and not warnings:
            continue  # ansible-core 2.22 passes retries to the callbacks without their warnings
        expected = 1 if record['sent'] else 0
        if record['task'] != 'A secret option refused before any request' and record['insecure'] != expected:
            fail('%s: %s (%s) reports the InsecureRequestWarning %d times after %s: %s' % (
                label, record['task'], record['event'], record['insecure'], 'requests' if record['sent'] else 'no request', warnings))

    items = [record for record in records if record['task'] == 'Each item of a loop warns about its own application' and record['event'] == 'item ok']
    if [record['result'].get('item') for record in items] != ['shop', 'blog']:
        fail('%s: the loop items were not seen: %s' % (label, [record['result'].get('item') for record in items]))
    for record in items:
        own, other = ('shop', 'blog') if record['result'].get('item') == 'shop' else ('blog', 'shop')
        warnings = warnings_of(record)
        if not any(UNKNOWN_OWNER % own in text for text in warnings) or any(UNKNOWN_OWNER % other in text for text in warnings) or len(warnings) != 1:
            fail('%s: loop item %s does not report exactly its own warnings: %s' % (label, own, warnings))

    attempts = [record for record in records if record['task'] == 'Retries of until, each warning again']
    if [record['event'] for record in attempts] != ['retry', 'retry', 'ok']:
        fail('%s: the until retries were not seen: %s' % (label, [record['event'] for record in attempts]))
    for record in attempts:
        warnings = warnings_of(record)
        if record['event'] == 'retry' and not warnings:
            continue
        if len(warnings) != 1 or not any(UNKNOWN_OWNER % 'blog' in text for text in warnings):
            fail('%s: attempt %s of until does not report exactly its own warnings: %s' % (label, record['result'].get('attempts'), warnings))


def check_token(records, label):
    token = os.environ['RUNCLOUD_API_TOKEN']
    for record in records:
        text = json.dumps(record)
        if record['action'].startswith('runcloud.cloud.') and token in text:
            fail('%s: %s (%s) holds the API token' % (label, record['task'], record['event']))
    shown = [record['result'].get('msg', '') for record in records if record['task'] == 'The API token, as a task shows it']
    match = re.match(r'ansible-core (\d+)\.(\d+), token (.*)$', shown[0] if len(shown) == 1 else '')
    if not match:
        fail('%s: the task that shows the token did not run: %s' % (label, shown))
    elif (int(match.group(1)), int(match.group(2))) >= (2, 22) and (token in match.group(3) or '$REDACTED$' not in match.group(3)):
        fail('%s: ansible-core %s.%s did not mask the token the modules registered: %s' % (label, match.group(1), match.group(2), match.group(3)))


def stderr_lines(path, label):
    with open(path) as handle:
        lines = [line.rstrip('\n') for line in handle if not RUN_NOISE.search(line)]
    for line in lines:
        if FORBIDDEN_ON_STDERR.search(line):
            fail('%s: on stderr: %s' % (label, line))
    return collections.Counter(lines)


def main(controller_json, controller_stderr, module_json, module_stderr):
    controller = collection_records(controller_json)
    module = collection_records(module_json)
    compare(controller, module)
    check_warnings(controller, 'controller process')
    check_warnings(module, 'module process')
    check_token(all_records(controller_json), 'controller process')
    check_token(all_records(module_json), 'module process')
    in_controller = stderr_lines(controller_stderr, 'controller process')
    in_module = stderr_lines(module_stderr, 'module process')
    if in_controller != in_module:
        fail('stderr differs:\n  only with the controller process: %s\n  only with module processes: %s' % (
            sorted((in_controller - in_module).elements()), sorted((in_module - in_controller).elements())))
    if failures:
        print('\n'.join(failures))
        return 1
    print('execution_paths: %d results the same in both execution paths' % len(controller))
    return 0


if __name__ == '__main__':
    sys.exit(main(*sys.argv[1:]))
