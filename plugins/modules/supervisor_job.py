#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) runcloud.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: supervisor_job
short_description: Manage the supervisor jobs (long-running processes) of a RunCloud server
version_added: 0.1.0
description:
  - Create or delete a program that supervisord keeps running on a server (queue workers, websocket
    servers, ...), reload it, and rebuild the supervisor configuration.
  - The API cannot change a supervisor job. When any option you set differs from the job with this
    O(label), the module B(replaces) it; options you did not set are taken over from the old job.
    Supervisor names the processes after the label, so two jobs with one label would collide; the old
    job is deleted first, and the new one is created right after (after every check that can be made
    before writing, including O(binary)).
  - RunCloud stores the command as O(binary), a space and O(command); the module compares it that way.
author:
  - runcloud.cloud contributors (@runcloud-community)
options:
  label:
    description:
      - The name of the job in RunCloud; it identifies the job on the server.
    type: str
    required: true
  command:
    description:
      - The command line, without O(binary) when that is set. Required to create a job.
      - When O(binary) is not set, a job whose stored command is some binary followed by this command matches.
    type: str
  binary:
    description:
      - The program that runs O(command), one of the server's allowed binaries
        (C(/RunCloud/Packages/php83rc/bin/php), C(/usr/bin/node), ...; M(runcloud.cloud.supervisor_job_info)
        with O(runcloud.cloud.supervisor_job_info#module:binaries=true) lists them). V('') means none.
      - It must be an absolute path; whether the server allows it is checked, with one request, only
        when the job is created or replaced.
    type: str
  user:
    description:
      - The Linux user the processes run as - V(root) or the name of a system user of the server
        (M(runcloud.cloud.system_user)). Required to create a job.
      - A system user id is accepted as well; it costs one request to learn the user's name.
    type: raw
  processes:
    description:
      - How many processes supervisord runs. V(1) when creating and not set.
    type: int
    aliases: [numprocs]
  directory:
    description:
      - The working directory, an absolute path without C(..). RunCloud uses V(/) when creating and not set.
    type: path
  auto_start:
    description:
      - Start the processes when supervisord starts. RunCloud uses V(true) when creating and not set.
    type: bool
  auto_restart:
    description:
      - Restart the processes when they exit. RunCloud uses V(true) when creating and not set.
    type: bool
  reload:
    description:
      - Reload the job (restart its processes) after it is converged.
      - This is an action, not a state; it runs every time and always reports a change.
    type: bool
    default: false
  rebuild:
    description:
      - Rebuild the supervisor configuration of B(all) jobs of the server, after this job is converged
        and before O(reload).
      - This is an action, not a state; it runs every time and always reports a change.
    type: bool
    default: false
  state:
    description:
      - V(present) creates the job (or replaces it when it differs), V(absent) deletes it.
    type: str
    choices: [present, absent]
    default: present
extends_documentation_fragment:
  - runcloud.cloud.api
  - runcloud.cloud.api.action
  - runcloud.cloud.parents.server
  - runcloud.cloud.attributes
attributes:
  idempotent:
    support: partial
    details:
      - Not idempotent with O(reload=true) or O(rebuild=true), which act on every run.
seealso:
  - module: runcloud.cloud.supervisor_job_info
  - module: runcloud.cloud.cron_job
  - module: runcloud.cloud.system_user
'''

EXAMPLES = r'''
- name: Two Laravel queue workers
  runcloud.cloud.supervisor_job:
    server: web-01
    label: shop-queue
    user: shop
    binary: /RunCloud/Packages/php83rc/bin/php
    command: artisan queue:work --sleep=3 --tries=3
    directory: /home/shop/webapps/shop
    processes: 2

- name: Restart the workers after a deployment
  runcloud.cloud.supervisor_job:
    server: web-01
    label: shop-queue
    reload: true

- name: Delete a supervisor job
  runcloud.cloud.supervisor_job:
    server: 42
    label: shop-queue
    state: absent
'''

RETURN = r'''
supervisor_job:
  description: The supervisor job as the API describes it; empty after deletion.
  returned: always
  type: dict
  contains:
    id:
      description: The job's id; V(null) when it was only predicted in check mode.
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
      sample: /RunCloud/Packages/php83rc/bin/php artisan queue:work --sleep=3 --tries=3
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
from ansible_collections.runcloud.cloud.plugins.module_utils.jobs import JobModule
from ansible_collections.runcloud.cloud.plugins.module_utils.resource import Action, Field, resource_argument_spec

BINARIES_PATH = endpoint('supervisor_job', 'binaries')


def split_command(stored, command):
    """The binary in front of ``command`` in the stored command line, or None when it is not there."""
    stored, command = (stored or '').strip(), (command or '').strip()
    if not stored.endswith(' ' + command):
        return None
    binary = stored[:-len(command) - 1].strip()
    return binary if binary.startswith('/') and ' ' not in binary else None


def command_matches(binary, command, stored):
    command, stored = (command or '').strip(), (stored or '').strip()
    if binary:
        return stored == '%s %s' % (binary, command)
    return stored == command or (binary is None and split_command(stored, command) is not None)


def binary_matches(binary, stored):
    # '' (no binary) is judged together with the command, by command_matches.
    return not binary or (stored or '').startswith(binary + ' ')


def same_directory(wanted, current):
    return (wanted or '/').rstrip('/') == (current or '/').rstrip('/')


class SupervisorJobModule(JobModule):
    resource = 'supervisor job'
    result_key = 'supervisor_job'
    list_path = endpoint('supervisor_job', 'list')
    item_path = endpoint('supervisor_job', 'item')
    created_defaults = {'directory': '/', 'autoStart': True, 'autoRestart': True, 'created_at': None}
    carry_over = ('user', 'processes', 'directory', 'auto_start', 'auto_restart')
    fields = (
        Field('label'),
        Field('user'),
        Field('processes', create_default=1),
        Field('command'),
        # Not a field of the answer: it is the front of the stored command.
        Field('binary', matches=binary_matches, to_api=lambda module, value: value or None),
        Field('directory', matches=same_directory),
        Field('auto_start'),
        Field('auto_restart'),
    )
    actions = (
        Action('rebuild', endpoint('supervisor_job', 'rebuild')),
        Action('reload', endpoint('supervisor_job', 'reload')),
    )

    def __init__(self, argument_spec, **kwargs):
        super(SupervisorJobModule, self).__init__(argument_spec, **kwargs)
        self.allowed_binaries = None

    def validate(self):
        super(SupervisorJobModule, self).validate()
        directory = self.params.get('directory')
        if directory is not None and (not directory.startswith('/') or '..' in directory.split('/')):
            self.fail("directory must be an absolute path without '..', such as /home/shop/webapps/shop; got %r" % directory)
        binary = self.params.get('binary')
        if binary and (not binary.startswith('/') or any(char.isspace() for char in binary)):
            self.fail("binary must be the absolute path of one of the server's allowed binaries, such as "
                      "/RunCloud/Packages/php83rc/bin/php or /usr/bin/node, or '' for none; got %r" % binary)

    def check_create(self):
        super(SupervisorJobModule, self).check_create()
        binary = self.params.get('binary')
        if not binary:
            return
        allowed = self.binaries()
        if allowed is not None and binary not in allowed:
            self.fail("binary must be one of the server's allowed binaries: %s; got %r"
                      % (', '.join(item for item in allowed if item), binary))

    def binaries(self):
        """The server's allowed binaries (read once), None under a server check mode only predicted."""
        if self.parents_predicted:
            return None
        if self.allowed_binaries is None:
            answer = self.client.get(self.path(BINARIES_PATH))
            self.allowed_binaries = [item for item in answer if isinstance(item, str)] if isinstance(answer, list) else []
        return self.allowed_binaries

    def same(self, field, desired, current):
        if field.option == 'command':
            return command_matches(self.params.get('binary'), desired, current)
        return super(SupervisorJobModule, self).same(field, desired, current)

    def carried_over(self, current):
        values = super(SupervisorJobModule, self).carried_over(current)
        stored = current.get('command') or ''
        command, binary = self.params.get('command'), self.params.get('binary')
        if command is None:
            first, _space, rest = stored.partition(' ')
            values['command'] = rest if binary and rest and first in (self.binaries() or ()) else stored
        elif binary is None:
            old_binary = split_command(stored, command)
            if old_binary is not None:
                values['binary'] = old_binary
        return values

    def predict_created(self, body):
        predicted = super(SupervisorJobModule, self).predict_created(body)
        binary = body.get('binary')
        predicted['command'] = '%s %s' % (binary, body['command']) if binary else body['command']
        return predicted


def main():
    SupervisorJobModule(
        argument_spec=resource_argument_spec(
            server=dict(type='raw', required=True),
            label=dict(type='str', required=True),
            command=dict(type='str'),
            binary=dict(type='str'),
            user=dict(type='raw'),
            processes=dict(type='int', aliases=['numprocs']),
            directory=dict(type='path'),
            auto_start=dict(type='bool'),
            auto_restart=dict(type='bool'),
            reload=dict(type='bool', default=False),
            rebuild=dict(type='bool', default=False),
        ),
        supports_check_mode=True,
    ).main()


if __name__ == '__main__':
    main()
