# -*- coding: utf-8 -*-
# Copyright (c) runcloud.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""What the runcloud.cloud.api_usage callback adds up and shows, from task results as ansible-core hands them over."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import sys
import types

import pytest

from ansible_collections.runcloud.cloud.plugins.callback import api_usage


class FakeHost:
    def __init__(self, name):
        self.name = name

    def get_name(self):
        return self.name


class FakeTask:
    def __init__(self, action):
        self.action = action
        self.resolved_action = action


class NewResult:
    """A task result of ansible-core 2.19 and later (host, task, result)."""

    def __init__(self, host, action, result):
        self._parts = (FakeHost(host), FakeTask(action), result)

    host = property(lambda self: self._parts[0])
    task = property(lambda self: self._parts[1])
    result = property(lambda self: self._parts[2])


class OldResult:
    """A task result of ansible-core 2.16 to 2.18 (_host, _task, _result)."""

    def __init__(self, host, action, result):
        self._host, self._task, self._result = FakeHost(host), FakeTask(action), result


class FakePlay:
    def __init__(self, name, uuid):
        self.name = name
        self._uuid = uuid

    def get_name(self):
        return self.name


def api(requests, writes=0, remaining=None, limit=60):
    return {'api': {'requests': requests, 'writes': writes, 'rate_limit': {'limit': limit if remaining is not None else None,
                                                                           'remaining': remaining}}}


@pytest.fixture
def callback(monkeypatch):
    plugin = api_usage.CallbackModule()
    plugin._plugin_options = {'per_host': True}
    shown = []
    monkeypatch.setattr(plugin._display, 'display', lambda text, *args, **kwargs: shown.append(text))
    monkeypatch.setattr(plugin._display, 'banner', lambda text, *args, **kwargs: shown.append('== ' + text))
    monkeypatch.delitem(sys.modules, api_usage.INVENTORY_MODULE, raising=False)
    plugin.shown = shown
    return plugin


@pytest.mark.parametrize('result_class', [NewResult, OldResult])
def test_hosts_and_totals_of_a_play_whatever_the_batches(callback, result_class):
    play = FakePlay('Fleet', 'uuid-1')
    callback.v2_playbook_on_play_start(play)
    callback.v2_runner_on_ok(result_class('web-01', 'runcloud.cloud.server_info', api(1, remaining=59)))
    callback.v2_runner_on_ok(result_class('web-01', 'runcloud.cloud.server', api(2, remaining=57)))
    # serial: the next batch starts the same play again.
    callback.v2_playbook_on_play_start(FakePlay('Fleet', 'uuid-1'))
    callback.v2_runner_on_failed(result_class('web-02', 'runcloud.cloud.server', dict(api(3, writes=1, remaining=54), failed=True)))
    # A loop: one api block per item.
    callback.v2_runner_on_ok(result_class('web-02', 'runcloud.cloud.domain', {'results': [api(1, remaining=53), api(2, writes=1, remaining=51)]}))
    # Not the collection's: not counted, even with an api key.
    callback.v2_runner_on_ok(result_class('web-02', 'ansible.builtin.uri', api(100, remaining=0)))
    callback.v2_playbook_on_stats(None)
    assert callback.shown == [
        '== RUNCLOUD API USAGE: Fleet',
        'web-01                         : requests=3      writes=0',
        'web-02                         : requests=6      writes=2',
        'play total                     : requests=9      writes=2 (2 hosts)',
        'rate limit                     : 51 of 60 requests left in the window (X-RateLimit-Remaining of the last answer)',
        '== RUNCLOUD API USAGE: the run',
        'run total                      : requests=9      writes=2',
        'rate limit                     : 51 of 60 requests left in the window (X-RateLimit-Remaining of the last answer)',
    ]


def test_each_play_is_shown_when_the_next_one_starts_and_the_inventory_at_the_end(callback, monkeypatch):
    monkeypatch.setitem(sys.modules, api_usage.INVENTORY_MODULE, types.SimpleNamespace(
        API_USAGE=[{'requests': 3, 'writes': 0, 'rate_limit': {'limit': 60, 'remaining': 57}}]))
    callback.v2_playbook_on_play_start(FakePlay('First', 'uuid-1'))
    callback.v2_runner_on_ok(NewResult('localhost', 'runcloud.cloud.server_info', api(1)))
    callback.v2_playbook_on_play_start(FakePlay('Second', 'uuid-2'))
    assert callback.shown[0] == '== RUNCLOUD API USAGE: First'
    callback.v2_runner_on_ok(NewResult('localhost', 'runcloud.cloud.account_export', api(4)))
    callback.v2_playbook_on_stats(None)
    assert callback.shown[-6:] == [
        'play total                     : requests=4      writes=0 (1 host)',
        # No module answer carried the headers: the inventory's answer is the last one that did.
        'rate limit                     : 57 of 60 requests left in the window (X-RateLimit-Remaining of the last answer)',
        '== RUNCLOUD API USAGE: the run',
        'inventory plugin               : requests=3      writes=0',
        'run total                      : requests=8      writes=0',
        'rate limit                     : 57 of 60 requests left in the window (X-RateLimit-Remaining of the last answer)',
    ]


def test_totals_only_and_what_no_log_hid(callback):
    callback._plugin_options = {'per_host': False}
    callback.v2_playbook_on_play_start(FakePlay('Users', 'uuid-1'))
    callback.v2_runner_on_ok(NewResult('web-01', 'runcloud.cloud.system_user', api(2)))
    callback.v2_runner_on_ok(NewResult('web-01', 'runcloud.cloud.system_user', {'censored': 'the output has been hidden'}))
    callback.v2_runner_on_ok(NewResult('web-01', 'runcloud.cloud.system_user', {'results': [{'censored': 'hidden'}, {'censored': 'hidden'}]}))
    callback.v2_playbook_on_stats(None)
    assert callback.shown == [
        '== RUNCLOUD API USAGE: Users',
        'play total                     : requests=2      writes=0 (1 host)',
        'rate limit                     : no answer carried X-RateLimit-Remaining',
        '== RUNCLOUD API USAGE: the run',
        'run total                      : requests=2      writes=0',
        'not counted                    : 3 results hidden by no_log',
        'rate limit                     : no answer carried X-RateLimit-Remaining',
    ]


def test_a_run_without_the_collection_shows_nothing(callback):
    callback.v2_playbook_on_play_start(FakePlay('Other', 'uuid-1'))
    callback.v2_runner_on_ok(NewResult('localhost', 'ansible.builtin.debug', {'msg': 'hello'}))
    callback.v2_playbook_on_stats(None)
    assert callback.shown == []


def test_a_malformed_api_block_counts_nothing(callback):
    callback.v2_playbook_on_play_start(FakePlay('Odd', 'uuid-1'))
    callback.v2_runner_on_ok(NewResult('web-01', 'runcloud.cloud.server', {'api': {'requests': 'many', 'writes': -1, 'rate_limit': 'x'}}))
    callback.v2_runner_on_ok(NewResult('web-01', 'runcloud.cloud.server', api(True)))
    callback.v2_playbook_on_stats(None)
    assert callback.shown[1] == 'web-01                         : requests=0      writes=0'
