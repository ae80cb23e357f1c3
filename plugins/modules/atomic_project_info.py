#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) runcloud.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: atomic_project_info
short_description: Read RunCloud atomic deployment projects with their web apps, symlinks and deployments (API v3)
version_added: 0.2.0
description:
  - Return one atomic deployment project (by id or by exact name) or every project of the workspace,
    each as the API describes it, with the web applications it releases to, its symlinks and,
    when asked, its newest deployments.
  - Each detail costs one more request B(per project) (sent at the same time); the API is rate limited.
  - The pull keys of a project and of its web applications (C(pullKey1), C(pullKey2)) and the content and
    secret key of a C(config) symlink are secrets and never appear in the result.
  - Deployment scripts are not read - the API pages that list them are not known.
  - RunCloud API v3 only; on API v2 the task is refused before any request.
author:
  - runcloud.cloud contributors (@runcloud-community)
options:
  id:
    description:
      - Return only the project with this id.
    type: int
  name:
    description:
      - Return only the project with exactly this name.
    type: str
  web_apps:
    description:
      - Read the web applications each project releases to.
    type: bool
    default: true
  symlinks:
    description:
      - Read the symlinks every release of each project gets.
    type: bool
    default: true
  deployments:
    description:
      - Read each project's newest deployments (the first page of the list, newest first). Every project
        carries its newest one in C(latest_deployment) anyway.
    type: bool
    default: false
extends_documentation_fragment:
  - runcloud.cloud.api
  - runcloud.cloud.api.action
  - runcloud.cloud.attributes.info_module
seealso:
  - module: runcloud.cloud.atomic_project
  - module: runcloud.cloud.atomic_deployment
  - ref: ansible_collections.runcloud.cloud.docsite.atomic_deployment
    description: Guide to zero-downtime releases with atomic deployment.
'''

EXAMPLES = r'''
- name: Every atomic deployment project of the workspace, with its web applications and symlinks
  runcloud.cloud.atomic_project_info:
    api_url: https://manage.runcloud.io/api/v3
  register: projects

- name: The shop project with its newest deployments
  runcloud.cloud.atomic_project_info:
    api_url: https://manage.runcloud.io/api/v3
    name: shop
    deployments: true
  register: shop

- name: Say when the newest release of the shop failed
  ansible.builtin.debug:
    msg: "The newest release of the shop failed: {{ shop.atomic_projects[0].latest_deployment.release_name }}"
  when:
    - shop.atomic_projects | length == 1
    - (shop.atomic_projects[0].latest_deployment.status | default('')) is search('FAIL')
'''

RETURN = r'''
atomic_projects:
  description: The matching projects, each as the API describes it without its pull keys; an empty list when none matches.
  returned: always
  type: list
  elements: dict
  contains:
    id:
      description: The project's id.
      type: int
      sample: 12
    name:
      description: The project's name.
      type: str
      sample: shop
    repository:
      description: The repository it releases.
      type: str
      sample: acme/shop
    branch:
      description: The branch it releases.
      type: str
      sample: main
    auto_deploy:
      description: Whether a push deploys.
      type: bool
      sample: false
    latest_deployment:
      description: The newest deployment, or V(null).
      type: dict
    web_apps:
      description: The web applications the project releases to, each as the API describes it without its pull keys (with O(web_apps=true)).
      type: list
      elements: dict
      sample: [{"id": 4, "name": "shop"}]
    symlinks:
      description: The project's symlinks (C(link_from), C(link_to), C(type), C(assigned_web_application_ids)) (with O(symlinks=true)).
      type: list
      elements: dict
      sample: [{"id": 2, "link_from": "storage", "link_to": "shared/storage", "type": "directory", "assigned_web_application_ids": [4]}]
    deployments:
      description: The newest deployments, newest first (C(id), C(hash), C(release_name), C(status), C(start_time), C(end_time)) (with O(deployments=true)).
      type: list
      elements: dict
      sample: [{"id": 31, "hash_short": "3f2a9c1", "release_name": "2024071603000001", "status": "COMPLETED"}]
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

from ansible_collections.runcloud.cloud.plugins.module_utils import atomic
from ansible_collections.runcloud.cloud.plugins.module_utils.catalogue import V3_ONLY, path as endpoint
from ansible_collections.runcloud.cloud.plugins.module_utils.info import read_resources
from ansible_collections.runcloud.cloud.plugins.module_utils.module import RunCloudModule


def every_item(client, path):
    return client.list_all(path)


def newest_page(client, path):
    # The newest page is what is wanted of a list that only grows.
    return atomic.newest_first(client.get_page(path)[0])


# option (and result key) -> the list read for each project, how, and the secrets its items never show
DETAILS = (
    ('web_apps', endpoint('atomic_web_app', 'list'), every_item, atomic.PROJECT_SECRET_FIELDS),
    ('symlinks', endpoint('atomic_symlink', 'list'), every_item, atomic.SYMLINK_SECRET_FIELDS),
    ('deployments', endpoint('atomic_deployment', 'list'), newest_page, ()),
)


class AtomicProjectInfoModule(RunCloudModule):
    api_versions = V3_ONLY

    def main(self):
        self.run(self._read)

    def _read(self):
        # Whether the project list searches is not documented: a name is looked for in the whole list.
        found = read_resources(self.client, endpoint('atomic_project', 'list'), item_id=self.params['id'],
                               value=self.params['name'], description='atomic project', searchable=False)
        projects = [atomic.without(project, atomic.PROJECT_SECRET_FIELDS) for project in found
                    if isinstance(project, dict) and project.get('id') is not None]
        reads = [(project, option, template, read, secrets) for project in projects
                 for option, template, read, secrets in DETAILS if self.params[option]]
        # One read per project and detail, at the same time through the client's pool.
        answers = self.client.concurrently([
            lambda project=project, template=template, read=read: read(self.client, self.path(template, atomic_project_id=project['id']))
            for project, _option, template, read, _secrets in reads])
        for (project, option, _template, _read, secrets), items in zip(reads, answers):
            project[option] = [atomic.without(item, secrets) for item in items if isinstance(item, dict)]
        self.exit(changed=False, atomic_projects=projects)


def main():
    AtomicProjectInfoModule(
        argument_spec=dict(
            id=dict(type='int'),
            name=dict(type='str'),
            web_apps=dict(type='bool', default=True),
            symlinks=dict(type='bool', default=True),
            deployments=dict(type='bool', default=False),
        ),
        mutually_exclusive=[('id', 'name')],
        supports_check_mode=True,
    ).main()


if __name__ == '__main__':
    main()
