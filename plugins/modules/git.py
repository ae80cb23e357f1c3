#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) runcloud.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: git
short_description: Deploy a RunCloud web application from a git repository
version_added: 0.1.0
description:
  - Clone a git repository into a web application, change the deployed branch, set the deployment
    script and auto-deployment, trigger a deployment, or detach the repository.
  - The web application's system user needs a deployment key registered with the git provider, see
    O(runcloud.cloud.system_user#module:deployment_key).
  - The API cannot change the O(provider), O(repository), O(git_host) or O(git_user) of an attached
    repository. When they differ the module fails, unless O(replace=true), which detaches the
    repository and clones the new one (the deployment script and auto-deployment are set again).
seealso:
  - module: runcloud.cloud.web_app
  - module: runcloud.cloud.system_user
  - ref: ansible_collections.runcloud.cloud.docsite.web_applications
    description: Guide to the web application, domain, SSL, git and script installer modules.
author:
  - runcloud.cloud contributors (@runcloud-community)
options:
  provider:
    description:
      - Where the repository is hosted. Required to clone.
    type: str
    choices: [custom, bitbucket, github, gitlab, selfhostedgitlab]
  repository:
    description:
      - The repository as C(owner/name), such as V(acme/shop). Required to clone.
    type: str
  branch:
    description:
      - The branch to deploy. Required to clone; changing it on an attached repository switches the branch.
    type: str
  git_host:
    description:
      - The git server's host name, for the V(custom) and V(selfhostedgitlab) providers.
    type: str
  git_user:
    description:
      - The user name on the git server (usually V(git)), for the V(custom) and V(selfhostedgitlab) providers.
    type: str
  deploy_script:
    description:
      - The commands RunCloud runs after each pull. An empty string removes the script.
    type: str
  auto_deploy:
    description:
      - Deploy automatically when the repository's webhook reports a push.
    type: bool
  deploy:
    description:
      - Deploy now (pull and run the deployment script).
      - This is an action, not a state; it runs every time and always reports a change.
    type: bool
    default: false
  replace:
    description:
      - Detach a repository whose provider, repository, host or user differ and clone the new one.
    type: bool
    default: false
  state:
    description:
      - V(present) attaches the repository, V(absent) detaches it (the files stay).
    type: str
    choices: [present, absent]
    default: present
extends_documentation_fragment:
  - runcloud.cloud.api
  - runcloud.cloud.api.action
  - runcloud.cloud.parents.web_app
  - runcloud.cloud.attributes
attributes:
  idempotent:
    support: partial
    details:
      - Not idempotent with O(deploy=true), which deploys on every run.
'''

EXAMPLES = r'''
- name: Give the shop's system user a deployment key
  runcloud.cloud.system_user:
    server: web-01
    username: shop
    deployment_key: true
  register: shop_user

- name: Register the key with the git provider
  ansible.builtin.debug:
    msg: "Add this deploy key to acme/shop: {{ shop_user.system_user.deploymentKey }}"

- name: Deploy the shop from GitHub
  runcloud.cloud.git:
    server: web-01
    web_app: shop
    provider: github
    repository: acme/shop
    branch: main
    auto_deploy: true
    deploy_script: |
      composer install --no-dev --optimize-autoloader
      php artisan migrate --force

- name: Deploy from a self-hosted GitLab
  runcloud.cloud.git:
    server: web-01
    web_app: intranet
    provider: selfhostedgitlab
    git_host: git.example.com
    git_user: git
    repository: team/intranet
    branch: production

- name: Deploy now (runs every time)
  runcloud.cloud.git:
    server: web-01
    web_app: shop
    deploy: true
'''

RETURN = r'''
git:
  description: The attached repository as the API describes it; empty when none is attached.
  returned: always
  type: dict
  contains:
    id:
      description: The git deployment id; V(null) when it was only predicted in check mode.
      type: int
      sample: 59
    provider:
      description: The git provider.
      type: str
      sample: github
    branch:
      description: The deployed branch.
      type: str
      sample: main
    repository_data:
      description: The repository's web URL (C(url)) and clone address (C(repo)).
      type: dict
      sample: {"url": "https://github.com/acme/shop", "repo": "git@github.com:acme/shop.git"}
    git_host:
      description: The git server, for self-hosted providers.
      type: str
      sample: null
    git_user:
      description: The git user, for self-hosted providers.
      type: str
      sample: null
    auto_deploy:
      description: Whether pushes deploy automatically.
      type: bool
      sample: true
    deploy_script:
      description: The deployment script.
      type: str
      sample: composer install --no-dev
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

from ansible_collections.runcloud.cloud.plugins.module_utils.catalogue import GIT_PROVIDERS, path as endpoint
from ansible_collections.runcloud.cloud.plugins.module_utils.module import SERVER, WEB_APP
from ansible_collections.runcloud.cloud.plugins.module_utils.resource import (
    Action,
    Field,
    ResourceModule,
    UpdateGroup,
    resource_argument_spec,
)

GIT_PATH = endpoint('git', 'item')


def repository_path(address):
    """'owner/repo' of a web URL, an scp-like clone address or the plain form."""
    text = (address or '').strip().rstrip('/')
    if text.endswith('.git'):
        text = text[:-4]
    if '://' in text:
        text = text.split('://', 1)[1].partition('/')[2]
    elif ':' in text:
        text = text.split(':', 1)[1]
    return text.strip('/')


def repository_matches(wanted, repository_data):
    """The API answers the repository as ``repositoryData`` {url, repo}, never as the given string.
    None (unknown) when the answer holds no address this can read."""
    if isinstance(repository_data, str) and repository_data.strip():
        return repository_path(wanted) == repository_path(repository_data)
    if not isinstance(repository_data, dict):
        return None
    addresses = [repository_data.get(key) for key in ('url', 'repo') if isinstance(repository_data.get(key), str) and repository_data.get(key).strip()]
    if not addresses:
        return None
    return repository_path(wanted) in [repository_path(address) for address in addresses]


class GitModule(ResourceModule):
    resource = 'git deployment'
    result_key = 'git'
    created_defaults = {'gitHost': None, 'gitUser': None, 'autoDeploy': False, 'deployScript': None}
    parents = (SERVER, WEB_APP)
    singleton_path = endpoint('git', 'singleton')
    item_path = GIT_PATH
    identity = None
    required_for_create = ('provider', 'repository', 'branch')
    on_immutable_change = 'option'
    fields = (
        # An enumeration here, free text on a server: the value model cannot tell them apart by name.
        Field('provider'),
        Field('repository', matches=repository_matches),
        Field('branch', update='branch'),
        Field('git_host'),
        Field('git_user'),
        Field('auto_deploy', create=False, update='script'),
        Field('deploy_script', create=False, update='script'),
    )
    update_groups = (
        UpdateGroup('branch', endpoint('git', 'branch')),
        UpdateGroup('script', endpoint('git', 'script'), send='all'),
    )
    actions = (Action('deploy', endpoint('git', 'script'), method='PUT'),)

    def creation_phrase(self):
        return 'clone a repository'


def main():
    GitModule(
        argument_spec=resource_argument_spec(
            server=dict(type='raw', required=True),
            web_app=dict(type='raw', required=True),
            provider=dict(type='str', choices=list(GIT_PROVIDERS)),
            repository=dict(type='str'),
            branch=dict(type='str'),
            git_host=dict(type='str'),
            git_user=dict(type='str'),
            deploy_script=dict(type='str'),
            auto_deploy=dict(type='bool'),
            deploy=dict(type='bool', default=False),
            replace=dict(type='bool', default=False),
        ),
        required_if=[('provider', 'custom', ['git_host', 'git_user']), ('provider', 'selfhostedgitlab', ['git_host', 'git_user'])],
        supports_check_mode=True,
    ).main()


if __name__ == '__main__':
    main()
