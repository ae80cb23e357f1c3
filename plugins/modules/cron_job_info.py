#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) runcloud.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: cron_job_info
short_description: List the cron jobs of a RunCloud server
version_added: 0.1.0
description:
  - Return one cron job (by id or by exact label) or all cron jobs of a server, every page of the list.
author:
  - runcloud.cloud contributors (@runcloud-community)
options:
  id:
    description:
      - Return only the cron job with this id.
    type: int
  label:
    description:
      - Return only the cron job with exactly this label.
    type: str
  search:
    description:
      - Return only the cron jobs the API's search matches (a substring of the label).
    type: str
extends_documentation_fragment:
  - runcloud.cloud.api
  - runcloud.cloud.api.action
  - runcloud.cloud.parents.server
  - runcloud.cloud.attributes.info_module
seealso:
  - module: runcloud.cloud.cron_job
  - module: runcloud.cloud.supervisor_job_info
'''

EXAMPLES = r'''
- name: All cron jobs of a server
  runcloud.cloud.cron_job_info:
    server: web-01
  register: result

- name: One cron job by label
  runcloud.cloud.cron_job_info:
    server: web-01
    label: nightly-backup
  register: result
'''

RETURN = r'''
cron_jobs:
  description: The matching cron jobs; an empty list when none matches.
  returned: always
  type: list
  elements: dict
  contains:
    id:
      description: The job's id.
      type: int
      sample: 9
    label:
      description: The name of the job.
      type: str
      sample: nightly-backup
    username:
      description: The Linux user the job runs as.
      type: str
      sample: root
    time:
      description: The schedule, the five crontab fields separated by spaces.
      type: str
      sample: '30 3 * * *'
    command:
      description: The command line.
      type: str
      sample: /usr/local/bin/backup.sh
    created_at:
      description: When the job was created, in server time.
      type: str
      sample: '2024-05-01 10:11:12'
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
  description: Names and ids of the parents and the resource as this task found, created, deleted or predicted them (O(resolve_cache)).
  returned: always
  type: list
  elements: dict
'''

from ansible_collections.runcloud.cloud.plugins.module_utils.catalogue import path as endpoint
from ansible_collections.runcloud.cloud.plugins.module_utils.info import list_info_argument_spec
from ansible_collections.runcloud.cloud.plugins.module_utils.module import SERVER, RunCloudModule


class CronJobInfoModule(RunCloudModule):

    def main(self):
        self.run(self._read)

    def _read(self):
        self.resolve_parent(SERVER)
        jobs = self.read_children(endpoint('cron_job', 'list'), item_id=self.params['id'], field='label',
                                  value=self.params['label'], search=self.params['search'], description='cron job')
        self.exit(changed=False, cron_jobs=jobs)


def main():
    CronJobInfoModule(**list_info_argument_spec('label')).main()


if __name__ == '__main__':
    main()
