# -*- coding: utf-8 -*-
# Copyright (c) runcloud.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
name: roundtrip_changes
type: aggregate
short_description: Records every changed or failed task result as a JSON line (round-trip test)
description:
  - Appends one JSON object per changed or failed result (per loop item for loops) to the file named
    by E(ROUNDTRIP_CHANGES_FILE) - host, action, what the result is about, and whether it failed.
requirements:
  - enabled in ANSIBLE_CALLBACKS_ENABLED, found through ANSIBLE_CALLBACK_PLUGINS
'''

import json
import os

from ansible.plugins.callback import CallbackBase

IDENTITY_KEYS = ('name', 'label', 'username')


def identity(result):
    """What a result is about: the loop item's label, else the name of the resource in the result."""
    data = result._result
    if '_ansible_item_label' in data:
        return str(data['_ansible_item_label'])
    for value in data.values():
        if isinstance(value, dict):
            for key in IDENTITY_KEYS:
                if value.get(key) is not None:
                    return str(value[key])
    return None


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = 'aggregate'
    CALLBACK_NAME = 'roundtrip_changes'
    CALLBACK_NEEDS_ENABLED = True

    def _record(self, result, failed=False):
        path = os.environ.get('ROUNDTRIP_CHANGES_FILE')
        if not path:
            return
        entry = dict(host=result._host.get_name(), action=result._task.action, about=identity(result), failed=failed,
                     task=result._task.get_name())
        if failed:
            entry['msg'] = str(result._result.get('msg', ''))[:500]
        with open(path, 'a') as handle:
            handle.write(json.dumps(entry, sort_keys=True) + '\n')

    def v2_runner_on_ok(self, result):
        if result._result.get('changed') and 'results' not in result._result:
            self._record(result)

    def v2_runner_item_on_ok(self, result):
        if result._result.get('changed'):
            self._record(result)

    def v2_runner_on_failed(self, result, ignore_errors=False):
        if 'results' not in result._result:
            self._record(result, failed=True)

    def v2_runner_item_on_failed(self, result):
        self._record(result, failed=True)

    def v2_runner_on_unreachable(self, result):
        self._record(result, failed=True)
