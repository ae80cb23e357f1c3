#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) runcloud.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: service
short_description: Start, stop, restart or reload a service on a RunCloud server
version_added: 0.1.0
description:
  - Control one of the services RunCloud manages on a server (NGINX, Apache, MariaDB, Redis,
    Memcached, Beanstalk, Supervisor, ...) through the RunCloud agent.
seealso:
  - module: runcloud.cloud.server
  - module: runcloud.cloud.server_info
  - ref: ansible_collections.runcloud.cloud.docsite.modules_servers
    description: Guide to the server, system user, SSH key, database and service modules.
author:
  - runcloud.cloud contributors (@runcloud-community)
options:
  name:
    description:
      - The service, either by its RunCloud key (V(nginx), V(mariadb), V(redis), ...) or by its
        system name (V(nginx-rc), V(mysql), V(redis-server), ...).
      - Exactly one of O(name) and O(names) is required.
    type: str
  names:
    description:
      - Several services of the server, each named as in O(name), all brought to O(state).
      - The services of a server are one list in the API, so the task reads it once for all of them,
        where a loop over O(name) reads it once per item. The services that must change are changed
        one after the other, in the order given; a service named twice (by key and by system name) is
        changed once.
      - An empty list changes nothing and sends no request.
    type: list
    elements: str
    version_added: 0.1.0
  state:
    description:
      - V(started) and V(stopped) start or stop each service only when it is not already in that state.
      - V(restarted) and V(reloaded) restart or reload them on every run and always report a change.
    type: str
    choices: [started, stopped, restarted, reloaded]
    required: true
extends_documentation_fragment:
  - runcloud.cloud.api
  - runcloud.cloud.api.action
  - runcloud.cloud.parents.server
  - runcloud.cloud.attributes
attributes:
  idempotent:
    support: partial
    details:
      - V(restarted) and V(reloaded) are actions, not states; they are not idempotent.
  diff_mode:
    details:
      - The diff shows whether the service runs before and after; with O(names), for each service by the name given.
'''

EXAMPLES = r'''
- name: Make sure Redis runs
  runcloud.cloud.service:
    server: web-01
    name: redis
    state: started

- name: Reload NGINX after a configuration change
  runcloud.cloud.service:
    server: web-01
    name: nginx-rc
    state: reloaded

- name: Stop Memcached
  runcloud.cloud.service:
    server: 42
    name: memcached
    state: stopped

- name: Keep the web stack running (one read of the services for all three)
  runcloud.cloud.service:
    server: 42
    names: [nginx, mariadb, supervisor]
    state: started
'''

RETURN = r'''
service:
  description: The service after the task, as the API describes it, plus its key.
  returned: when O(name) is given, on success
  type: dict
  contains:
    key:
      description: The RunCloud key of the service.
      type: str
      sample: nginx
    real_name:
      description: The system name of the service.
      type: str
      sample: nginx-rc
    name:
      description: The display name.
      type: str
      sample: NGiNX
    running:
      description: Whether the service runs; predicted in check mode.
      type: bool
      sample: true
    version:
      description: The installed version.
      type: str
      sample: 1.25.3
services:
  description: With O(names), each service after the task as RV(service) describes it, in the order of O(names) (each once).
  returned: when O(names) is given, on success
  type: list
  elements: dict
  sample: [{key: nginx, real_name: nginx-rc, name: NGiNX, running: true, version: 1.25.3}]
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
from ansible_collections.runcloud.cloud.plugins.module_utils.module import SERVER, RunCloudModule
from ansible_collections.runcloud.cloud.plugins.module_utils.resource import normalize

ACTIONS = {'started': 'start', 'stopped': 'stop', 'restarted': 'restart', 'reloaded': 'reload'}
# A newly connected server runs every service the agent installs but these (by key or system name),
# as the API reference's example shows; check mode predicts from that under a predicted server.
STOPPED_ON_A_NEW_SERVER = frozenset(['memcached'])


class ServiceModule(RunCloudModule):

    def main(self):
        self.run(self._converge)

    def subject(self):
        if self.params['names'] is not None:
            return 'the services %s' % ', '.join(repr(name) for name in self.params['names'])
        return 'the service %r' % self.params['name']

    def _converge(self):
        names = self.params['names'] if self.params['names'] is not None else [self.params['name']]
        if not names:
            self.exit(changed=False, services=[])
        self.resolve_parent(SERVER)
        state = self.params['state']
        path = self.path(endpoint('service', 'list'))
        if self.parents_predicted:
            # A server check mode only predicted: its services will be as on every new server.
            services = dict((name, dict(realName=None, name=None, version=None, running=name not in STOPPED_ON_A_NEW_SERVER))
                            for name in names)
        else:
            services = self.client.get(path)
        # One read for every name; a service named twice (key and system name) acts once.
        chosen = []
        for name in names:
            key, before = self.pick(services, name)
            if key not in [picked[0] for picked in chosen]:
                chosen.append((key, before))
        changed = False
        results = {}
        diff = dict(before={}, after={})
        for key, before in chosen:
            running = normalize('bool', before.get('running'))
            acts = state in ('restarted', 'reloaded') or running != (state == 'started')
            after = dict(before, running=state != 'stopped')
            if acts and not self.check_mode and not self.parents_predicted:
                answer = self.client.patch(path, {'action': ACTIONS[state], 'realName': before['realName']})
                if isinstance(answer, dict) and isinstance(answer.get(key), dict):
                    after = dict(answer[key], key=key)
            changed = changed or acts
            results[key] = after
            diff['before'][key] = {'running': running}
            diff['after'][key] = {'running': normalize('bool', after.get('running'))}
        if self.params['names'] is not None:
            result = dict(changed=changed, services=[results[key] for key, _before in chosen])
        else:
            key = chosen[0][0]
            result = dict(changed=changed, service=results[key])
            diff = dict(before=diff['before'][key], after=diff['after'][key])
        if self.module._diff:
            result['diff'] = diff
        self.exit(**result)

    def pick(self, services, name):
        """(key, service with its key) of the service named by key or by system name."""
        services = services if isinstance(services, dict) else {}
        for key, service in services.items():
            if isinstance(service, dict) and name in (key, service.get('realName')):
                return key, dict(service, key=key)
        self.fail('the server has no service %r; it has %s' % (
            name, ', '.join('%s (%s)' % (key, service.get('realName')) for key, service in sorted(services.items()))))


def main():
    ServiceModule(
        argument_spec=dict(
            server=dict(type='raw', required=True),
            name=dict(type='str'),
            names=dict(type='list', elements='str'),
            state=dict(type='str', required=True, choices=['started', 'stopped', 'restarted', 'reloaded']),
        ),
        required_one_of=[('name', 'names')],
        mutually_exclusive=[('name', 'names')],
        supports_check_mode=True,
    ).main()


if __name__ == '__main__':
    main()
