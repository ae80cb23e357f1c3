# -*- coding: utf-8 -*-
# Copyright (c) runcloud.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""What the backup modules share (API v3): which policy covers a web application or database, and
its snapshots. Backup policies are workspace-level (``/backups``), so a policy is found by the ids of
what it covers (``items``), read from the list filtered by server."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.runcloud.cloud.plugins.module_utils.catalogue import path as endpoint
from ansible_collections.runcloud.cloud.plugins.module_utils.module import DATABASE, SERVER, WEB_APP
from ansible_collections.runcloud.cloud.plugins.module_utils.values import ID, TEXT

# What a policy covers: (module option, parent, API field of the create body and of ``items``).
COVERED = (('web_app', WEB_APP, 'webApplicationId'), ('database', DATABASE, 'databaseId'))
# Snapshot statuses that mean the backup did not complete (RunCloud shows "COMPLETED" for a good one).
FAILED_SNAPSHOT_STATUSES = frozenset(['failed', 'error', 'cancelled', 'canceled'])


def covered_ids(policy):
    """{API field: id or None} of what a policy covers; None when its answer has no readable ``items``."""
    items = policy.get('items') if isinstance(policy, dict) else None
    if not isinstance(items, dict):
        return None
    return dict((api, ID.read(items.get(api)) if ID.readable(items.get(api)) else items.get(api)) for _option, _parent, api in COVERED)


def snapshot_failed(snapshot):
    """Whether a snapshot's status says its backup failed; a missing or unreadable status is not a failure."""
    status = snapshot.get('status') if isinstance(snapshot, dict) else None
    return isinstance(status, str) and status.strip().lower() in FAILED_SNAPSHOT_STATUSES


def read_snapshots(client, policy_id):
    """The snapshots of a policy (a bare array on API v3; a list envelope is read too)."""
    answer = client.get(client.path(endpoint('backup', 'snapshots'), id=int(policy_id)))
    if isinstance(answer, dict) and isinstance(answer.get('data'), list):
        answer = answer['data']
    return [snapshot for snapshot in answer if isinstance(snapshot, dict)] if isinstance(answer, list) else []


class BackupPolicies:
    """The policies of one server, seen from a module whose ``server``, ``web_app`` and ``database``
    options name what a policy covers."""

    def __init__(self, module):
        self.module = module

    def resolve_covered(self):
        for option, parent, _api in COVERED:
            self.module.resolve_parent(parent, required=False)

    def covered_items(self):
        """{API field: resolved id or None} of what the task names."""
        resolved = self.module.resolved
        return dict((api, resolved.get(parent.key)) for option, parent, api in COVERED)

    def covered_body(self):
        return dict((api, ident) for api, ident in self.covered_items().items() if ident is not None)

    def wanted(self):
        """{API field: id} the policy must cover (only what the task names)."""
        return dict((api, self.module.resolved.get(parent.key)) for option, parent, api in COVERED
                    if self.module.params.get(option) is not None)

    def list(self):
        """Every policy of the server (the list filtered by ``server_id``; the filter only narrows it)."""
        server_id = self.module.resolved.get(SERVER.key)
        return list(self.module.client.iter_items(self.module.path(endpoint('backup', 'list')), {'server_id': server_id}))

    def find(self, name=None):
        """The policy covering what the task names, or None. A policy whose answer does not show what
        it covers is taken when its name is ``name`` (unknown is never a reason to make a second one)."""
        if self.module.parents_predicted:
            return None
        wanted = self.wanted()
        for policy in self.list():
            covered = covered_ids(policy)
            if covered is None:
                if name is not None and TEXT.same(policy.get('label'), name):
                    return policy
                continue
            if all(covered.get(api) == ident for api, ident in wanted.items()):
                return policy
        return None
