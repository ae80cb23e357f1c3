#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) runcloud.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: atomic_project
short_description: Manage RunCloud atomic deployment projects (API v3)
version_added: 0.2.0
description:
  - Create or delete an atomic deployment project, which releases the git repository of a web application
    (M(runcloud.cloud.git)) with zero downtime, and converge the web applications it deploys to and its
    symlinks (shared files and directories every release links to). Releases are made by
    M(runcloud.cloud.atomic_deployment).
  - The project takes its repository and branch from the git deployment of O(web_app); the API reads
    them back but cannot change them, nor O(auto_deploy), on an existing project. When O(auto_deploy)
    differs the module fails and names it.
  - The API answers the create, and symlink writes, with a message only; the module reads the project
    (and the symlinks) until they show, for at most O(wait_timeout) seconds. A write is never sent again.
  - The project's pull keys (C(pullKey1), C(pullKey2)) are secrets and never appear in the result.
  - Deployment scripts are not managed - the API pages that list and create them are not known.
  - RunCloud API v3 only; on API v2 the task is refused before any request.
author:
  - runcloud.cloud contributors (@runcloud-community)
options:
  name:
    description:
      - The project's name; it identifies the project in the workspace.
    type: str
    required: true
  server:
    description:
      - The server of O(web_app) and of the web applications named in O(web_apps) and O(symlinks), by id or
        by name. Required to create a project and to name web applications.
    type: raw
  web_app:
    description:
      - The web application, with a git deployment, the project is made from (by id or by name). Required to
        create a project. It always stays one of the web applications the project deploys to.
    type: raw
  auto_deploy:
    description:
      - Deploy on every push to the branch. Set when the project is created (V(false) when not set); the API
        cannot change it afterwards.
    type: bool
  web_apps:
    description:
      - Every web application of O(server) the project deploys to, by id or by name, besides O(web_app).
        Those missing are added, the others removed. Not set, the project's web applications are left alone.
      - Requires O(web_app), so that the web application the project is made from is never removed.
    type: list
    elements: raw
  symlinks:
    description:
      - Symlinks every release gets, identified by O(symlinks[].link_from). Those missing are created and
        those that differ updated; symlinks not listed are left alone (the API has no known way to delete one).
    type: list
    elements: dict
    suboptions:
      link_from:
        description: The path inside a release, such as V(.env) or V(storage).
        type: str
        required: true
      link_to:
        description: The shared path it points to.
        type: str
        required: true
      type:
        description: V(directory) for a shared directory, V(config) for a file whose O(symlinks[].content) RunCloud writes.
        type: str
        choices: [config, directory]
        default: directory
      content:
        description:
          - The content of a V(config) file. It is never read back, so it is sent when the symlink is
            created (and with any other change of the symlink), and never compared.
        type: str
      secret_key:
        description: The secret key of a V(config) file, sent like O(symlinks[].content); never in the result.
        type: str
      web_apps:
        description:
          - The web applications of O(server) the symlink is assigned to, by id or by name. Not set, the
            assignment is left alone.
        type: list
        elements: raw
  delete_type:
    description:
      - What a deletion removes, as the API's C(deleteType). The API documents V(deleteGitOnly) only.
    type: str
    default: deleteGitOnly
  state:
    description:
      - V(present) creates the project, V(absent) deletes it.
    type: str
    choices: [present, absent]
    default: present
extends_documentation_fragment:
  - runcloud.cloud.api
  - runcloud.cloud.api.action
  - runcloud.cloud.wait
  - runcloud.cloud.attributes
seealso:
  - module: runcloud.cloud.atomic_deployment
  - module: runcloud.cloud.git
  - ref: ansible_collections.runcloud.cloud.docsite.atomic_deployment
    description: Guide to zero-downtime releases with atomic deployment.
'''

EXAMPLES = r'''
- name: Release the shop's repository atomically to two web applications, with a shared .env and storage
  runcloud.cloud.atomic_project:
    name: shop
    server: web-01
    web_app: shop
    web_apps: [shop-eu]
    symlinks:
      - link_from: .env
        link_to: shared/.env
        type: config
        content: "{{ lookup('ansible.builtin.file', 'shop.env') }}"
      - link_from: storage
        link_to: shared/storage

- name: Delete the project (the web applications and their files stay)
  runcloud.cloud.atomic_project:
    name: shop
    state: absent
'''

RETURN = r'''
atomic_project:
  description: The project as the API describes it, without its pull keys; empty after deletion.
  returned: always
  type: dict
  contains:
    id:
      description: The project's id; V(null) when check mode only predicted it.
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
  description: The names (or ids, for a web application only predicted) of the web applications the project deploys to.
  returned: when O(web_apps) is set
  type: list
  elements: raw
  sample: [shop, shop-eu]
symlinks:
  description: The project's symlinks after the task (C(link_from), C(link_to), C(type), C(assigned_web_application_ids)).
  returned: when O(symlinks) is set
  type: list
  elements: dict
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
from ansible_collections.runcloud.cloud.plugins.module_utils.errors import NotFoundError
from ansible_collections.runcloud.cloud.plugins.module_utils.module import SERVER, WEB_APP, is_id
from ansible_collections.runcloud.cloud.plugins.module_utils.resource import Field, ResourceModule, landing_options, resource_argument_spec

WEB_APPS = endpoint('atomic_web_app', 'list')
SYMLINKS = endpoint('atomic_symlink', 'list')
# Symlink options compared with what the API reads back ({option: API field}); the others are write-only.
SYMLINK_COMPARED = (('type', 'type'), ('link_to', 'linkTo'))


class AtomicProjectModule(ResourceModule):
    resource = 'atomic project'
    result_key = 'atomic_project'
    api_versions = V3_ONLY
    list_path = endpoint('atomic_project', 'list')
    item_path = endpoint('atomic_project', 'item')
    # Whether the list endpoint searches is not documented: the whole list is read.
    searchable = False
    required_for_create = ('server', 'web_app')
    hidden_fields = atomic.PROJECT_SECRET_FIELDS
    fields = (
        Field('name'),
        Field('auto_deploy', kind='bool'),
    )

    def __init__(self, *args, **kwargs):
        super(AtomicProjectModule, self).__init__(*args, **kwargs)
        self.members_before, self.members_after = {}, {}
        self._server_apps = None

    def prepare(self):
        for parent in (SERVER, WEB_APP):
            if self.is_set(parent.option):
                if parent is WEB_APP and not self.is_set('server'):
                    self.fail('server is required to find the web application %r' % self.params['web_app'])
                self.resolve_parent(parent)

    def create_body(self):
        body = super(AtomicProjectModule, self).create_body()
        body['webApplication'] = self.resolved.get(WEB_APP.key)
        return body

    def delete_body(self, current):
        return {'deleteType': self.params['delete_type']}

    def run_actions(self, resource):
        resource = super(AtomicProjectModule, self).run_actions(resource)
        if self.is_set('web_apps'):
            self.converge_web_apps(resource)
        if self.is_set('symlinks'):
            self.converge_symlinks(resource)
        return resource

    def extra_result(self, resource):
        return dict(self.members_after)

    def extra_diff(self):
        return dict(self.members_before), dict(self.members_after)

    # -- web applications of the server, by name or id ------------------------------------------

    def web_app_id(self, ref):
        """The id of a web application of the server given by id or name; None when check mode only
        predicted it (under a predicted server, or named by the task's web_app that is predicted)."""
        if is_id(ref):
            return int(ref)
        if self.resolved.get(WEB_APP.key) is not None and str(ref) == str(self.params.get('web_app')):
            return self.resolved[WEB_APP.key]
        if not self.is_set('server'):
            self.fail('server is required to find the web application %r' % ref)
        if self.resolved.get(SERVER.key) is None or self.parents_predicted:
            return None
        if self._server_apps is None:
            self._server_apps = [app for app in self.client.list_all(self.path(endpoint('web_app', 'list'))) if isinstance(app, dict)]
        for app in self._server_apps:
            if app.get('name') == ref:
                return app.get('id')
        if self.check_mode:
            return None
        self.fail('web_apps: no web application named %r on server %r' % (ref, self.params['server']))

    # -- members -------------------------------------------------------------------------------

    def read_members(self, project, template):
        if project.get('id') is None:
            return []
        return [item for item in self.client.list_all(self.path(template, atomic_project_id=project['id'])) if isinstance(item, dict)]

    def converge_web_apps(self, project):
        current = self.read_members(project, WEB_APPS)
        refs = list(self.params['web_apps'])
        if self.is_set('web_app') and self.params['web_app'] not in refs:
            refs.insert(0, self.params['web_app'])
        wanted = []
        for ref in refs:
            named = [app for app in current if (app.get('id') == int(ref) if is_id(ref) else app.get('name') == ref)]
            wanted.append((ref, named[0] if named else None))
        kept = set(id(app) for _ref, app in wanted if app is not None)
        self.members_before['web_apps'] = [app.get('name', app.get('id')) for app in current]
        self.members_after['web_apps'] = [app.get('name', app.get('id')) if app else ref for ref, app in wanted]
        base = dict(atomic_project_id=project.get('id'))
        for ref, app in wanted:
            if app is None:
                self.changed = True
                ident = self.web_app_id(ref)
                if not self.check_mode and project.get('id') is not None:
                    self.client.post(self.path(WEB_APPS, **base), {'webApplicationId': ident},
                                     on_uncertain=lambda ident=ident: self.member_present(project, ident))
        for app in current:
            if id(app) not in kept:
                self.changed = True
                if not self.check_mode:
                    try:
                        self.client.delete(self.path(endpoint('atomic_web_app', 'item'), id=app['id'], **base))
                    except NotFoundError:
                        pass

    def member_present(self, project, ident):
        return True if any(app.get('id') == ident for app in self.read_members(project, WEB_APPS)) else None

    def converge_symlinks(self, project):
        # Whatever the API may answer, a config file's content and secret key are never shown.
        current = [atomic.without(link, atomic.SYMLINK_SECRET_FIELDS) for link in self.read_members(project, SYMLINKS)]
        by_source = dict((link.get('linkFrom'), link) for link in current)
        self.members_before['symlinks'] = current
        after, created = [], []
        for wanted in self.params['symlinks']:
            existing = by_source.get(wanted['link_from'])
            body = self.symlink_changes(wanted, existing)
            shown = dict(existing or {}, **dict((key, value) for key, value in body.items() if key not in atomic.SYMLINK_SECRET_FIELDS))
            if 'webApplications' in shown:
                shown['assignedWebApplicationIds'] = shown.pop('webApplications')
            after.append(shown)
            if not body:
                continue
            self.changed = True
            if self.check_mode or project.get('id') is None:
                continue
            base = dict(atomic_project_id=project['id'])
            if existing is None:
                self.client.post(self.path(SYMLINKS, **base), body,
                                 on_uncertain=lambda source=wanted['link_from']: self.symlinks_present(project, [source]))
                created.append(wanted['link_from'])
            else:
                self.client.patch(self.path(endpoint('atomic_symlink', 'item'), id=existing['id'], **base), body)
        if created:
            # Only acknowledged: the symlinks show in the list once RunCloud made them.
            after = self.wait_for_landing(lambda: self.symlinks_present(project, created), 'the new symlinks') or after
        self.members_after['symlinks'] = after

    def symlink_changes(self, wanted, existing):
        """The body that creates the symlink (``existing`` None) or changes what differs; {} when nothing does."""
        body = {}
        for option, api in SYMLINK_COMPARED:
            if existing is None or (api in existing and existing[api] != wanted[option]):
                body[api] = wanted[option]
        if wanted.get('web_apps') is not None:
            ids = [self.web_app_id(ref) for ref in wanted['web_apps']]
            assigned = existing.get('assignedWebApplicationIds') if existing else None
            if existing is None or (isinstance(assigned, list) and None not in ids and sorted(assigned) != sorted(ids)):
                body['webApplications'] = ids
        if body or existing is None:
            body['linkFrom'] = wanted['link_from']
            for option, api in (('content', 'content'), ('secret_key', 'secretKey')):
                if wanted.get(option) is not None:
                    body[api] = wanted[option]
            if existing is not None:
                body.setdefault('type', wanted['type'])
        return body

    def symlinks_present(self, project, sources):
        links = self.read_members(project, SYMLINKS)
        return links if set(sources) <= set(link.get('linkFrom') for link in links) else None


def main():
    AtomicProjectModule(resource_argument_spec(
        name=dict(type='str', required=True),
        server=dict(type='raw'),
        web_app=dict(type='raw'),
        auto_deploy=dict(type='bool'),
        web_apps=dict(type='list', elements='raw'),
        symlinks=dict(type='list', elements='dict', options=dict(
            link_from=dict(type='str', required=True),
            link_to=dict(type='str', required=True),
            type=dict(type='str', choices=['config', 'directory'], default='directory'),
            content=dict(type='str', no_log=True),
            secret_key=dict(type='str', no_log=True),
            web_apps=dict(type='list', elements='raw'),
        )),
        delete_type=dict(type='str', default='deleteGitOnly'),
        **landing_options()
    ), supports_check_mode=True, required_by={'web_apps': 'web_app'}).main()


if __name__ == '__main__':
    main()
