#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) runcloud.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: atomic_deployment
short_description: Release a commit through a RunCloud atomic deployment project (API v3)
version_added: 0.2.0
description:
  - Deploys the head of the branch of an atomic deployment project (M(runcloud.cloud.atomic_project)) as a
    new release, with zero downtime, and waits until the release is live or has failed.
  - With O(commit), the task deploys nothing when the live release (the newest deployment that succeeded)
    already is that commit, so a playbook run twice deploys once. Without it, every run deploys.
  - A deployment that is still running is followed to its end before anything is decided; the task never
    starts a second one beside it.
  - The deploy request is never sent twice. When its answer is lost, the deployments are read again; a new
    one found there is followed, none found fails the task without sending the request again.
  - A failed deployment fails the task, with the deployment and the project's log in the result.
  - RunCloud API v3 only; on API v2 the task is refused before any request.
author:
  - runcloud.cloud contributors (@runcloud-community)
options:
  project:
    description:
      - The atomic deployment project, by id or by name. A name costs one read of the project list.
    type: raw
    required: true
  commit:
    description:
      - The commit that should be live, a full or abbreviated hash (at least 7 hexadecimal digits), such as
        the head of the branch the project deploys. When the live release is this commit, nothing is deployed.
      - RunCloud deploys the head of the project's branch, not a chosen commit. When the new release is of
        another commit (the branch moved on, or was not pushed yet), the task warns and reports it.
    type: str
  force:
    description:
      - Deploy even when the live release already is O(commit).
    type: bool
    default: false
  wait:
    description:
      - Wait until the new release is live or failed (reads with pauses of 1, 2, 4 ... seconds, at most 10),
        for at most O(wait_timeout) seconds for the deployment to show and as long again for it to end.
      - With V(false) the task ends once the deployment has started and reports it as it is then.
    type: bool
    default: true
  wait_timeout:
    description:
      - How many seconds O(wait) reads at most, for the deployment to show and then for it to end. When it
        has not ended by then the task fails (and reports a change); the deployment is not started again.
    type: int
    default: 600
extends_documentation_fragment:
  - runcloud.cloud.api
  - runcloud.cloud.api.action
  - runcloud.cloud.attributes
attributes:
  check_mode:
    details:
      - Predicts whether a deployment would start; the predicted release has no id.
  diff_mode:
    support: full
    details:
      - Shows the live release before and the release the task made (or predicts) after.
  idempotent:
    support: partial
    details:
      - Idempotent with O(commit) (and O(force=false)); without O(commit) every run deploys.
seealso:
  - module: runcloud.cloud.atomic_project
  - ref: ansible_collections.runcloud.cloud.docsite.atomic_deployment
    description: Guide to zero-downtime releases with atomic deployment.
'''

EXAMPLES = r'''
- name: Release the head of main, unless it is live already
  runcloud.cloud.atomic_deployment:
    project: shop
    commit: "{{ lookup('ansible.builtin.pipe', 'git ls-remote https://github.com/acme/shop refs/heads/main').split()[0] }}"

- name: Release again whatever is live (a redeploy)
  runcloud.cloud.atomic_deployment:
    project: shop

- name: Start the release and do not wait for it
  runcloud.cloud.atomic_deployment:
    project: 12
    commit: 3f2c9a1
    wait: false
'''

RETURN = r'''
deployment:
  description:
    - The deployment the task made or followed, as the API describes it; the live release when nothing was
      deployed; empty when the project has never been deployed and nothing was.
  returned: always
  type: dict
  contains:
    id:
      description: The deployment's id; V(null) when check mode only predicted it.
      type: int
      sample: 31
    hash:
      description: The commit released.
      type: str
      sample: 3f2c9a1d8e0b4c5a6f7e8d9c0b1a2f3e4d5c6b7a
    release_name:
      description: The release's name (its directory on the server).
      type: str
      sample: '2026120717220501'
    status:
      description: The deployment's status as RunCloud spells it (V(DEPLOYING) while it runs).
      type: str
      sample: COMPLETED
    start_time:
      description: When it started, in server time.
      type: str
      sample: '2026-12-07 17:22:05'
    end_time:
      description: When it ended; V(null) while it runs.
      type: str
      sample: '2026-12-07 17:22:41'
deployed:
  description: Whether the task started a deployment (in check mode, whether it would have).
  returned: always
  type: bool
  sample: true
log:
  description:
    - The newest entries of the project's log (newest first), when the deployment failed.
  returned: when the deployment failed
  type: list
  elements: dict
  sample: [{performed_by: RunCloud, kind: Error, content: 'composer install exited with code 1', created_at: '2026-12-07T17:22:41.000000Z'}]
api:
  description:
    - What the task cost of the RunCloud API quota, as the client counted it (the
      P(runcloud.cloud.api_usage#callback) callback adds it up per host and run).
  returned: always, unless the task failed before it could send a request (an option refused locally)
  type: dict
  contains:
    requests:
      description: API requests sent, every retry included.
      type: int
      sample: 2
    writes:
      description: Of those, the requests that were not reads (whatever their answer).
      type: int
      sample: 0
    rate_limit:
      description: The last C(X-RateLimit-Limit) and C(X-RateLimit-Remaining) headers the API sent (each null when it sent none).
      type: dict
      contains:
        limit:
          description: Requests allowed per window.
          type: int
          sample: 60
        remaining:
          description: Requests left in the window.
          type: int
          sample: 58
api_log:
  description:
    - What the API client did besides answering at once (retries, rate-limit pauses, re-reads after a
      lost answer), one line each. Shown at verbosity 3 and higher (C(-vvv)).
  returned: when the client logged something and verbosity is at least 3
  type: list
  elements: str
  sample: ["RunCloud API: GET /servers: HTTP 503: Service Unavailable; try 2 of 5 in 1.21s"]
resolved:
  description: Names and ids of the parents as this task found them (O(resolve_cache)).
  returned: always
  type: list
  elements: dict
'''

from ansible_collections.runcloud.cloud.plugins.module_utils import atomic
from ansible_collections.runcloud.cloud.plugins.module_utils.catalogue import V3_ONLY, path as endpoint
from ansible_collections.runcloud.cloud.plugins.module_utils.errors import RunCloudError
from ansible_collections.runcloud.cloud.plugins.module_utils.module import ParentRef
from ansible_collections.runcloud.cloud.plugins.module_utils.resource import ResourceModule

PROJECT = ParentRef('project', 'atomic_project_id', endpoint('atomic_project', 'list'), 'atomic project', searchable=False,
                    kind='atomic_project')

# How many of the newest log entries a failed deployment's result carries.
LOG_ENTRIES = 30


class AtomicDeploymentModule(ResourceModule):
    resource = 'atomic deployment'
    result_key = 'deployment'
    api_versions = V3_ONLY
    identity = None

    def main(self):
        self.run(self.deploy)

    def subject(self):
        return 'the deployment of atomic project %r' % self.params['project']

    def validate(self):
        commit = self.params.get('commit')
        if commit is not None and not atomic.COMMIT.match(commit.strip()):
            self.fail('commit must be a commit hash of 7 to 64 hexadecimal digits, not %r' % commit)

    def deployments(self):
        """The newest page of the project's deployments, newest first."""
        items, _pagination = self.client.get_page(self.path(endpoint('atomic_deployment', 'list')))
        return atomic.newest_first(items)

    def deploy(self):
        self.validate()
        self.resolve_parent(PROJECT)
        commit = self.params.get('commit')
        known = self.deployments()
        running = [item for item in known if atomic.outcome(item) == atomic.RUNNING]
        if running and not (self.params['wait'] and not self.check_mode):
            # Never a second deployment beside a running one; without waiting for its end, it is the answer.
            return self.finish_deployment(atomic.live_release(known), running[0], deployed=False)
        if running:
            # Its end decides whether a deployment is still needed.
            ended = self.follow(running[0])
            known = [ended if item.get('id') == ended.get('id') else item for item in known]
        live = atomic.live_release(known)
        if commit is not None and not self.params['force'] and live is not None and atomic.is_commit(live, commit):
            return self.finish_deployment(live, live, deployed=False)
        if self.check_mode:
            return self.finish_deployment(live, self.predicted(commit), deployed=True)
        started = self.start(set(item['id'] for item in known))
        if self.params['wait']:
            started = self.follow(started)
        if commit is not None and atomic.outcome(started) == atomic.SUCCEEDED and atomic.is_commit(started, commit) is False:
            self.module.warn('the release is of commit %s, not %s: RunCloud deploys the head of the project\'s branch'
                             % (started.get('hash'), commit))
        return self.finish_deployment(live, started, deployed=True)

    def start(self, known_ids):
        """PUT forcedeploy once, and the deployment it started (read from the list: the answer is a message)."""
        def new_deployment():
            for item in self.deployments():
                if item['id'] not in known_ids:
                    return item
            return None

        self.changed = True
        try:
            self.client.request('PUT', self.path(endpoint('atomic_project', 'force_deploy'), id=self.resolved[PROJECT.key]),
                                idempotent=False, on_uncertain=new_deployment, resend_unconfirmed=False)
        except RunCloudError as error:
            if error.maybe_applied:
                self.fail('%s; the deploy request was not sent again, because a second one would be a second release. '
                          'Check the project\'s deployments (RunCloud panel), then run the task again: with commit set it '
                          'deploys nothing when that commit is live' % error, deployed=True, **error.to_dict())
            raise
        return self.wait_for_landing(new_deployment, 'the new deployment')

    def follow(self, deployment):
        """The deployment read until it ended (for at most wait_timeout); a failed one fails the task with the log."""
        item_path = self.path(endpoint('atomic_deployment', 'item'), id=deployment['id'])

        def ended():
            fresh = self.client.get(item_path)
            fresh = fresh if isinstance(fresh, dict) and fresh.get('id') == deployment['id'] else deployment
            return fresh if atomic.outcome(fresh) != atomic.RUNNING else None

        if atomic.outcome(deployment) == atomic.RUNNING:
            deployment = self.wait_for_landing(ended, 'the end of deployment %s' % deployment.get('releaseName', deployment['id']))
        if atomic.outcome(deployment) == atomic.FAILED:
            log, _pagination = self.client.get_page(self.path(endpoint('atomic_project', 'logs'), id=self.resolved[PROJECT.key]))
            self.fail('deployment %s of atomic project %r failed (status %s); its log is in the result'
                      % (deployment.get('releaseName', deployment['id']), self.params['project'], deployment.get('status')),
                      deployment=deployment, deployed=self.changed, log=[entry for entry in log if isinstance(entry, dict)][:LOG_ENTRIES])
        if atomic.outcome(deployment) == atomic.UNKNOWN_OUTCOME:
            self.module.warn('deployment %s ended, but its status is not readable: its outcome is unknown' % deployment['id'])
        return deployment

    @staticmethod
    def predicted(commit):
        return {'id': None, 'hash': commit, 'status': None}

    def finish_deployment(self, before, after, deployed):
        self.changed = deployed
        result = dict(changed=deployed, deployment=after or {}, deployed=deployed)
        if self.module._diff:
            result['diff'] = dict(before=before or {}, after=after or {})
        self.exit(**result)


def main():
    AtomicDeploymentModule(dict(
        project=dict(type='raw', required=True),
        commit=dict(type='str'),
        force=dict(type='bool', default=False),
        wait=dict(type='bool', default=True),
        wait_timeout=dict(type='int', default=600),
    ), supports_check_mode=True).main()


if __name__ == '__main__':
    main()
