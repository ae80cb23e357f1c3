# -*- coding: utf-8 -*-
# Copyright (c) runcloud.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""HTTP-scripted tests: a stand-in for ``requests.Session`` that plays a script of expected
requests and canned answers, and records everything that was sent."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import re
import threading

import requests
from requests.structures import CaseInsensitiveDict


def answer(status=200, body=None, headers=None, raw=None):
    """A canned ``requests.Response``."""
    response = requests.Response()
    response.status_code = status
    response.reason = requests.status_codes._codes.get(status, ('',))[0].replace('_', ' ').title()
    response.headers = CaseInsensitiveDict(headers or {})
    if raw is not None:
        response._content = raw
    else:
        response._content = b'' if body is None else json.dumps(body).encode('utf-8')
    return response


class Exchange:
    def __init__(self, method, path, reply, query=None, body=None):
        self.method = method
        self.path = path
        self.reply = reply
        self.query = query
        self.body = body


class ScriptedSession:
    """Plays ``Exchange`` items in order; an unexpected request fails the test."""

    def __init__(self, base_url, script):
        self.base_url = base_url.rstrip('/')
        self.script = list(script)
        self.sent = []
        # The client sends independent reads from several threads (``RunCloudClient.concurrently``).
        self.lock = threading.Lock()

    def _next_step(self, method, path, params):
        """The index of the step this request plays: the first one, or - for a GET - the first of the
        GETs that follow one another at the head of the script that it matches (reads sent at the
        same time arrive in any order; a write is never taken out of order)."""
        if method != 'GET':
            return 0
        for index, step in enumerate(self.script):
            if step.method != 'GET':
                break
            if re.match('^%s$' % step.path, path) and all((params or {}).get(key) == value for key, value in (step.query or {}).items()):
                return index
        return 0

    def request(self, method, url, params=None, data=None, headers=None, **kwargs):
        if kwargs.get('json') is not None:
            # What requests puts on the wire for ``json=``.
            data = json.dumps(kwargs.pop('json'))
        path = url[len(self.base_url):]
        with self.lock:
            self.sent.append(dict(method=method, url=url, params=params, data=data, headers=headers, kwargs=kwargs))
            assert self.script, 'unexpected request %s %s' % (method, url)
            step = self.script.pop(self._next_step(method, path, params))
        assert method == step.method, 'expected %s %s, got %s %s' % (step.method, step.path, method, path)
        assert re.match('^%s$' % step.path, path), 'expected %s %s, got %s %s' % (step.method, step.path, method, path)
        if step.query is not None:
            for key, value in step.query.items():
                assert (params or {}).get(key) == value, 'query %s: expected %r, got %r' % (key, value, (params or {}).get(key))
        if step.body is not None:
            assert json.loads(data) == step.body, 'body: expected %r, got %r' % (step.body, data)
        if isinstance(step.reply, BaseException):
            raise step.reply
        return step.reply

    def mount(self, prefix, adapter):
        pass

    def assert_done(self):
        assert not self.script, 'expected requests were not sent: %s' % ', '.join('%s %s' % (s.method, s.path) for s in self.script)


class MeetingSession(ScriptedSession):
    """A ScriptedSession that answers a GET only once another GET is under way too: reads that the
    client sends one after the other time out (``threading.BrokenBarrierError``) instead of meeting."""

    def __init__(self, base_url, script, readers=2):
        super(MeetingSession, self).__init__(base_url, script)
        self.meeting = threading.Barrier(readers, timeout=5)

    def request(self, method, url, params=None, data=None, headers=None, **kwargs):
        if method == 'GET':
            self.meeting.wait()
        return super(MeetingSession, self).request(method, url, params=params, data=data, headers=headers, **kwargs)


def listing(*items, **pagination):
    """A canned list answer in the API's envelope; ``page`` and ``total_pages`` default to 1 of 1."""
    current = pagination.get('page', 1)
    total_pages = pagination.get('total_pages', 1)
    meta = {'pagination': {'total': pagination.get('total', len(items)), 'count': len(items), 'per_page': 40,
                           'current_page': current, 'total_pages': total_pages, 'links': {}}}
    return answer(200, {'data': list(items), 'meta': meta})


def absence_proof(path, *items):
    """The read of the whole list without ``search`` that precedes every create of a searched resource."""
    return Exchange('GET', path, listing(*items), query={'search': None})
