# -*- coding: utf-8 -*-
# Copyright (c) runcloud.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""How an atomic deployment's status and commit are read (API v3), for the modules and the event source.
Private to the collection; it may change at any time. Like the client, it never imports Ansible.

The reference documents one status value, ``DEPLOYING``; the others are unknown. A status that names
success or failure is read as such (any case); anything else is a deployment still running. A
deployment without a readable status is finished when it has an ``endTime``, with an unknown outcome.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

SUCCEEDED = 'succeeded'
FAILED = 'failed'
RUNNING = 'running'
UNKNOWN_OUTCOME = 'unknown'

_SUCCESS_WORDS = ('COMPLETE', 'SUCCESS', 'SUCCEED', 'DONE', 'DEPLOYED', 'LIVE', 'ACTIVE', 'FINISHED')
_FAILURE_WORDS = ('FAIL', 'ERROR', 'CANCEL', 'ABORT')
COMMIT = re.compile(r'^[0-9a-fA-F]{7,64}$')
# A project's pull keys (whoever has them can trigger deployments) and a config symlink's content and
# secret key: secrets, never in a result, a diff or an export, whatever the API answers.
PROJECT_SECRET_FIELDS = ('pullKey1', 'pullKey2')
SYMLINK_SECRET_FIELDS = ('content', 'secretKey')


def without(item, fields):
    """A copy of the dict ``item`` without the keys ``fields`` (secrets)."""
    return dict((key, value) for key, value in item.items() if key not in fields)


def outcome(deployment):
    """SUCCEEDED, FAILED, RUNNING or UNKNOWN_OUTCOME (finished, status unreadable) of a deployment."""
    status = deployment.get('status') if isinstance(deployment, dict) else None
    if isinstance(status, str) and status.strip():
        word = status.strip().upper()
        if any(failure in word for failure in _FAILURE_WORDS):
            return FAILED
        if any(success in word for success in _SUCCESS_WORDS):
            return SUCCEEDED
        return RUNNING
    return UNKNOWN_OUTCOME if isinstance(deployment, dict) and deployment.get('endTime') else RUNNING


def is_commit(deployment, commit):
    """Whether the deployment released ``commit`` (a full or abbreviated hash); None when its hash is unreadable."""
    hashes = [value.strip().lower() for value in (deployment.get('hash'), deployment.get('hashShort'))
              if isinstance(value, str) and COMMIT.match(value.strip())]
    if not hashes:
        return None
    wanted = commit.strip().lower()
    return any(value.startswith(wanted) or wanted.startswith(value) for value in hashes)


def newest_first(deployments):
    """The deployments (dicts with an id) of a list answer, the newest first whatever order the API chose."""
    readable = [item for item in deployments if isinstance(item, dict) and isinstance(item.get('id'), int)]
    return sorted(readable, key=lambda item: -item['id'])


def live_release(deployments):
    """The newest deployment that succeeded (the release that is live), or None."""
    for deployment in newest_first(deployments):
        if outcome(deployment) == SUCCEEDED:
            return deployment
    return None
