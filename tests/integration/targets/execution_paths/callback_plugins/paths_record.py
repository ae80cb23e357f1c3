# -*- coding: utf-8 -*-
# Copyright (c) runcloud.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
name: paths_record
type: aggregate
short_description: Record every task, loop item and retry result as JSON (the execution_paths target)
description:
  - Writes, when the playbook ends, one entry per result the callbacks see (task, loop item, C(until)
    retry) with the task's name and action and the result as plain data, warnings and deprecations as
    their texts, to the file that E(PATHS_RECORD) names.
requirements:
  - enabled in ANSIBLE_CALLBACKS_ENABLED
'''

import json
import os

from ansible.plugins.callback import CallbackBase


def message(entry):
    """The text of a warning or deprecation: a string (ansible-core < 2.19), a dict, or an object with an event."""
    event = getattr(entry, 'event', None)
    if event is not None:
        return str(event.msg)
    if isinstance(entry, dict):
        return str(entry.get('msg'))
    return str(entry)


def plain(value):
    """JSON data of a result (tagged strings, objects, tuples as plain str, list, dict)."""
    if isinstance(value, dict):
        return dict((str(key), plain(item)) for key, item in value.items())
    if isinstance(value, (list, tuple)):
        return [plain(item) for item in value]
    if value is None or isinstance(value, (bool, int, float)):
        return value
    return str(value)


def result_data(result):
    data = result.result if isinstance(getattr(result, 'result', None), dict) else result._result
    data = dict(data)
    for key in ('warnings', 'deprecations'):
        if key in data:
            data[key] = [message(entry) for entry in data[key] or []]
    return plain(data)


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = 'aggregate'
    CALLBACK_NAME = 'paths_record'
    CALLBACK_NEEDS_ENABLED = True

    def __init__(self, *args, **kwargs):
        super(CallbackModule, self).__init__(*args, **kwargs)
        self.records = []

    def record(self, event, result):
        task = getattr(result, 'task', None) or result._task
        self.records.append(dict(event=event, task=task.get_name(), action=task.action, result=result_data(result)))

    def v2_runner_on_ok(self, result):
        self.record('ok', result)

    def v2_runner_on_failed(self, result, ignore_errors=False):
        self.record('failed', result)

    def v2_runner_on_skipped(self, result):
        self.record('skipped', result)

    def v2_runner_item_on_ok(self, result):
        self.record('item ok', result)

    def v2_runner_item_on_failed(self, result):
        self.record('item failed', result)

    def v2_runner_retry(self, result):
        self.record('retry', result)

    def v2_playbook_on_stats(self, stats):
        with open(os.environ['PATHS_RECORD'], 'w') as handle:
            json.dump(self.records, handle, indent=1, sort_keys=True)
