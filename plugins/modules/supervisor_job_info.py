#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) runcloud.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: supervisor_job_info
short_description: List the supervisor jobs of a RunCloud server, their processes and the allowed binaries
version_added: 0.1.0
description:
  - Return one supervisor job (by id or by exact label) or all supervisor jobs of a server, every page
    of the list; optionally with the state of their processes and the binaries the server allows.
author:
  - runcloud.cloud contributors (@runcloud-community)
options:
  id:
    description:
      - Return only the job with this id.
    type: int
  label:
    description:
      - Return only the job with exactly this label.
    type: str
  search:
    description:
      - Return only the jobs the API's search matches (a substring of the label).
    type: str
  status:
    description:
      - Add to each job the state of its processes, under C(processes). This costs one more request.
    type: bool
    default: false
  binaries:
    description:
      - Return the binaries the server allows for O(runcloud.cloud.supervisor_job#module:binary), under
        C(binaries). This costs one more request.
    type: bool
    default: false
extends_documentation_fragment:
  - runcloud.cloud.api
  - runcloud.cloud.api.action
  - runcloud.cloud.parents.server
  - runcloud.cloud.attributes.info_module
seealso:
  - module: runcloud.cloud.supervisor_job
  - module: runcloud.cloud.cron_job_info
'''

EXAMPLES = r'''
- name: All supervisor jobs with the state of their processes
  runcloud.cloud.supervisor_job_info:
    server: web-01
    status: true
  register: result

- name: Which binaries can a job use
  runcloud.cloud.supervisor_job_info:
    server: web-01
    label: shop-queue
    binaries: true
  register: result
'''

RETURN = r'''
supervisor_jobs:
  description: The matching supervisor jobs; an empty list when none matches.
  returned: always
  type: list
  elements: dict
  contains:
    id:
      description: The job's id.
      type: int
      sample: 4
    label:
      description: The name of the job.
      type: str
      sample: shop-queue
    username:
      description: The Linux user the processes run as.
      type: str
      sample: shop
    numprocs:
      description: How many processes run.
      type: int
      sample: 2
    command:
      description: The binary, a space and the command.
      type: str
      sample: /RunCloud/Packages/php83rc/bin/php artisan queue:work
    directory:
      description: The working directory.
      type: str
      sample: /home/shop/webapps/shop
    auto_start:
      description: Whether the processes start with supervisord.
      type: bool
      sample: true
    auto_restart:
      description: Whether exited processes are restarted.
      type: bool
      sample: true
    created_at:
      description: When the job was created, in server time.
      type: str
      sample: '2024-05-01 10:11:12'
    processes:
      description:
        - The processes of the job as the API's status list describes them (C(name), C(state),
          C(description)); empty when the list names none of them.
      returned: when O(status=true)
      type: list
      elements: dict
      sample: [{"name": "shop-queue:shop-queue_00", "state": "RUNNING", "description": "pid 1010, uptime 1:02:03"}]
binaries:
  description: The binaries the server allows (absolute paths; the API's empty entry, meaning none, is left out).
  returned: when O(binaries=true)
  type: list
  elements: str
  sample: [/RunCloud/Packages/php83rc/bin/php, /usr/bin/node]
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


def processes_of(job, status_rows):
    """The status rows of one job: by its id where the API gives it, else by the supervisord group
    name, which is the label."""
    rows = [row for row in status_rows if isinstance(row, dict)]
    return [row for row in rows
            if (str(row['supervisorId']) == str(job.get('id')) if row.get('supervisorId') is not None
                else str(row.get('name', '')).partition(':')[0] == job.get('label'))]


class SupervisorJobInfoModule(RunCloudModule):

    def main(self):
        self.run(self._read)

    def _read(self):
        self.resolve_parent(SERVER)
        jobs = self.read_children(endpoint('supervisor_job', 'list'), item_id=self.params['id'], field='label',
                                  value=self.params['label'], search=self.params['search'], description='supervisor job')
        result = dict(changed=False, supervisor_jobs=jobs)
        if self.parents_predicted:
            # A server that check mode only predicted has no jobs and no list of binaries to read.
            self.exit(**dict(result, binaries=[]) if self.params['binaries'] else result)
        list_path = self.path(endpoint('supervisor_job', 'list'))
        if self.params['status']:
            rows = self.client.get(list_path + '/status')
            rows = rows if isinstance(rows, list) else []
            for job in jobs:
                job['processes'] = processes_of(job, rows)
        if self.params['binaries']:
            answer = self.client.get(list_path + '/binaries')
            result['binaries'] = [item for item in answer if isinstance(item, str) and item] if isinstance(answer, list) else []
        self.exit(**result)


def main():
    SupervisorJobInfoModule(**list_info_argument_spec(
        'label', status=dict(type='bool', default=False), binaries=dict(type='bool', default=False))).main()


if __name__ == '__main__':
    main()
