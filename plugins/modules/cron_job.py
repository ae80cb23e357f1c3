#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) runcloud.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: cron_job
short_description: Manage the cron jobs of a RunCloud server
version_added: 0.1.0
description:
  - Create or delete a cron job that RunCloud writes into the crontab of a server, and rebuild the crontab.
  - The API cannot change a cron job. When the schedule, O(user) or O(command) of the job with this
    O(label) differ, the module B(replaces) it. The new job is created before the old one is deleted,
    so a failed create never leaves the server without the job; between the two requests both jobs
    exist.
  - Give the schedule either as one O(schedule) string or field by field (O(minute), O(hour),
    O(day_of_month), O(month), O(day_of_week)). Each field takes crontab syntax, checked before any
    request - a number, a range V(1-5), a step V(*/15) or V(0-30/5), a list V(1,15,30), V(*), and
    names for months (V(jan)-V(dec)) and days of the week (V(sun)-V(sat)).
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
      - The command line the job runs. Required to create a job.
    type: str
  user:
    description:
      - The Linux user the job runs as - V(root) or the name of a system user of the server
        (M(runcloud.cloud.system_user)). Required to create a job.
      - A system user id is accepted as well; it costs one request to learn the user's name.
    type: raw
  schedule:
    description:
      - The five crontab fields in one string, V(minute hour day-of-month month day-of-week),
        for example V(*/5 * * * *).
      - The shortcuts V(@hourly), V(@daily), V(@midnight), V(@weekly), V(@monthly), V(@yearly) and
        V(@annually) stand for their five fields.
      - Compared with the job's C(time) by meaning, not as text - V(*/15 * * * *) and
        V(0-59/15 * * * *), V(0 9 * * mon-fri) and V(0 9 * * 1-5), V(@daily) and V(0 0 * * *) are
        the same schedule. When neither this nor any of the single fields is set, the schedule of an
        existing job is left alone and a new job runs every minute.
      - Mutually exclusive with O(minute), O(hour), O(day_of_month), O(month) and O(day_of_week).
    type: str
  minute:
    description:
      - The minute field, V(0)-V(59). Defaults to V(*) when the schedule is given field by field.
    type: str
  hour:
    description:
      - The hour field, V(0)-V(23). Defaults to V(*) when the schedule is given field by field.
    type: str
  day_of_month:
    description:
      - The day-of-month field, V(1)-V(31). Defaults to V(*) when the schedule is given field by field.
    type: str
  month:
    description:
      - The month field, V(1)-V(12) or V(jan)-V(dec). Defaults to V(*) when the schedule is given field by field.
    type: str
  day_of_week:
    description:
      - The day-of-week field, V(0)-V(7) (V(0) and V(7) are Sunday) or V(sun)-V(sat). Defaults to V(*)
        when the schedule is given field by field.
    type: str
  rebuild:
    description:
      - Rebuild the server's crontab from the jobs RunCloud knows, after the job is converged.
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
      - Not idempotent with O(rebuild=true), which rebuilds the crontab on every run.
seealso:
  - module: runcloud.cloud.cron_job_info
  - module: runcloud.cloud.supervisor_job
  - module: runcloud.cloud.system_user
'''

EXAMPLES = r'''
- name: Run the Laravel scheduler every minute as the app's user
  runcloud.cloud.cron_job:
    server: web-01
    label: shop-scheduler
    user: shop
    command: /RunCloud/Packages/php83rc/bin/php /home/shop/webapps/shop/artisan schedule:run
    schedule: "* * * * *"

- name: Back up every night at 03:30, field by field
  runcloud.cloud.cron_job:
    server: web-01
    label: nightly-backup
    user: root
    command: /usr/local/bin/backup.sh
    minute: "30"
    hour: "3"

- name: Weekdays only, and rebuild the crontab afterwards
  runcloud.cloud.cron_job:
    server: 42
    label: office-report
    user: shop
    command: /home/shop/report.sh
    schedule: "0 8 * * mon-fri"
    rebuild: true

- name: Delete a cron job
  runcloud.cloud.cron_job:
    server: web-01
    label: nightly-backup
    state: absent
'''

RETURN = r'''
cron_job:
  description: The cron job as the API describes it; empty after deletion.
  returned: always
  type: dict
  contains:
    id:
      description: The job's id; V(null) when it was only predicted in check mode.
      type: int
      sample: 9
    label:
      description: The name of the job.
      type: str
      sample: shop-scheduler
    username:
      description: The Linux user the job runs as.
      type: str
      sample: shop
    time:
      description: The schedule, the five crontab fields separated by spaces.
      type: str
      sample: '*/5 * * * *'
    command:
      description: The command line.
      type: str
      sample: /home/shop/report.sh
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

import re

from ansible_collections.runcloud.cloud.plugins.module_utils.catalogue import V3, path as endpoint
from ansible_collections.runcloud.cloud.plugins.module_utils.jobs import JobModule
from ansible_collections.runcloud.cloud.plugins.module_utils.resource import Action, Field, resource_argument_spec

# option, API create field, lowest, highest, names (their position is their number)
SCHEDULE_FIELDS = (
    ('minute', 'minute', 0, 59, ()),
    ('hour', 'hour', 0, 23, ()),
    ('day_of_month', 'dayOfMonth', 1, 31, ()),
    ('month', 'month', 1, 12, ('', 'jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec')),
    ('day_of_week', 'dayOfWeek', 0, 7, ('sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat')),
)
SHORTCUTS = {
    '@hourly': '0 * * * *', '@daily': '0 0 * * *', '@midnight': '0 0 * * *', '@weekly': '0 0 * * 0',
    '@monthly': '0 0 1 * *', '@yearly': '0 0 1 1 *', '@annually': '0 0 1 1 *',
}
EVERY_MINUTE = '* * * * *'
ELEMENT = re.compile(r'^(?:(\*)|([a-z0-9]+)(?:-([a-z0-9]+))?)(?:/([0-9]+))?$')


def field_number(token, names):
    """A field's number for ``token`` (digits or a name), or None."""
    if token.isdigit():
        return int(token)
    return names.index(token) if token in names and token else None


def field_error(value, lowest, highest, names):
    """Why ``value`` is not valid crontab syntax for a field from ``lowest`` to ``highest``, or None."""
    def number(token):
        return field_number(token, names)

    for element in value.lower().split(','):
        match = ELEMENT.match(element)
        if not match:
            return 'cannot read %r' % element
        star, start, end, step = match.groups()
        bounds = [number(token) for token in (start, end) if token is not None]
        if any(bound is None or not lowest <= bound <= highest for bound in bounds):
            return '%r is outside %d-%d%s' % (element, lowest, highest, ' (or a name)' if names else '')
        if len(bounds) == 2 and bounds[0] > bounds[1]:
            return 'the range %r runs backwards' % element
        if step is not None and int(step) == 0:
            return 'the step of %r is 0' % element
    return None


def accepted_form(lowest, highest, names):
    named = ' or %s-%s' % (names[1] if names[0] == '' else names[0], names[-1]) if names else ''
    return ('crontab syntax: a number %d-%d%s, a range (1-5), a step (*/15 or 0-30/5), a list of those (1,15,30) or *'
            % (lowest, highest, named))


def schedule_from_params(params):
    """The schedule as five fields joined by spaces, a list of failure messages, and whether the user set it."""
    if params.get('schedule') is not None:
        text = ' '.join(params['schedule'].split())
        text = SHORTCUTS.get(text.lower(), text)
        parts = text.split(' ')
        if len(parts) != 5:
            return None, ["schedule must be five crontab fields 'minute hour day-of-month month day-of-week', "
                          "such as '*/5 * * * *', or a shortcut (%s); got %r" % (', '.join(sorted(SHORTCUTS)), params['schedule'])], True
        owner = 'the %s field of schedule'
    elif any(params.get(option) is not None for option, _api, _low, _high, _names in SCHEDULE_FIELDS):
        parts = [str(params.get(option)).strip() if params.get(option) is not None else '*'
                 for option, _api, _low, _high, _names in SCHEDULE_FIELDS]
        owner = '%s'
    else:
        return None, [], False
    errors = []
    for part, (option, _api, lowest, highest, names) in zip(parts, SCHEDULE_FIELDS):
        problem = field_error(part, lowest, highest, names)
        if problem:
            errors.append('%s must be %s; %s' % (owner % option, accepted_form(lowest, highest, names), problem))
    return ' '.join(parts), errors, True


def expand_field(value, lowest, highest, names):
    """The set of values a valid crontab field stands for (``*/15`` and ``0-59/15`` give the same
    set), or None when it cannot be read. A single value with a step (``5/15``) runs to the
    highest value, as in cronie."""
    if field_error(value, lowest, highest, names):
        return None
    values = set()
    for element in value.lower().split(','):
        star, start, end, step = ELEMENT.match(element).groups()
        if star:
            first, last = lowest, highest
        else:
            first = field_number(start, names)
            last = field_number(end, names) if end is not None else (highest if step else first)
        values.update(range(first, last + 1, int(step or 1)))
    return frozenset(values)


def schedule_meaning(text):
    """What a schedule means, comparable between spellings, or None when it cannot be read.

    The five fields as sets of values (day of week 7 is 0, Sunday), and how cron combines the two
    day fields: when neither starts with ``*`` a day matches if either matches, otherwise both
    must (so ``* * 1-31 * 1`` runs daily while ``* * * * 1`` runs on Mondays)."""
    if not isinstance(text, str):
        return None
    text = ' '.join(text.split()).lower()
    parts = SHORTCUTS.get(text, text).split(' ')
    if len(parts) != 5:
        return None
    sets = [expand_field(part, lowest, highest, names)
            for part, (_option, _api, lowest, highest, names) in zip(parts, SCHEDULE_FIELDS)]
    if None in sets:
        return None
    minute, hour, day_of_month, month, day_of_week = sets
    day_of_week = frozenset(day % 7 for day in day_of_week)
    every_day_of_month, every_day_of_week = frozenset(range(1, 32)), frozenset(range(7))
    either = not parts[2].startswith('*') and not parts[4].startswith('*')
    if either and (day_of_month == every_day_of_month or day_of_week == every_day_of_week):
        either, day_of_month, day_of_week = False, every_day_of_month, every_day_of_week
    return minute, hour, month, either, day_of_month, day_of_week


def same_schedule(wanted, current):
    """Whether the job's ``time`` runs when the wanted schedule does. A ``time`` the API did not
    answer (or not as text) is unknown and no reason to replace the job; one this module cannot
    read is compared as text."""
    if not isinstance(current, str):
        return True
    wanted_meaning, current_meaning = schedule_meaning(wanted), schedule_meaning(current)
    if wanted_meaning is None or current_meaning is None:
        return (wanted or '').lower().split() == current.lower().split()
    return wanted_meaning == current_meaning


class CronJobModule(JobModule):
    resource = 'cron job'
    result_key = 'cron_job'
    list_path = endpoint('cron_job', 'list')
    item_path = endpoint('cron_job', 'item')
    # Cron allows two jobs with one label, so a replacement is created before the old job goes.
    replace_order = 'create_first'
    carry_over = ('user', 'command', 'schedule')
    fields = (
        Field('label'),
        Field('user'),
        Field('command'),
        # Sent as the five create fields (create_body), answered as one ``time`` string.
        Field('schedule', create_default=EVERY_MINUTE, matches=same_schedule),
    )
    created_defaults = {'created_at': None}
    actions = (Action('rebuild', endpoint('cron_job', 'rebuild')),)
    # API v3 changes a job in place (the create fields, all of them); v2 replaces it.
    in_place_update = endpoint('cron_job', 'update', V3)

    def validate(self):
        super(CronJobModule, self).validate()
        schedule, errors, given = schedule_from_params(self.params)
        if errors:
            self.fail('; '.join(errors))
        if given:
            self.params['schedule'] = schedule

    def create_body(self):
        body = super(CronJobModule, self).create_body()
        for part, (_option, api, _low, _high, _names) in zip(body.pop('time').split(' '), SCHEDULE_FIELDS):
            body[api] = part
        return body

    def predict_created(self, body):
        predicted = super(CronJobModule, self).predict_created(body)
        predicted['time'] = ' '.join(body[api] for _option, api, _low, _high, _names in SCHEDULE_FIELDS)
        return predicted


def main():
    schedule_options = [option for option, _api, _low, _high, _names in SCHEDULE_FIELDS]
    CronJobModule(
        argument_spec=resource_argument_spec(
            server=dict(type='raw', required=True),
            label=dict(type='str', required=True),
            command=dict(type='str'),
            user=dict(type='raw'),
            schedule=dict(type='str'),
            minute=dict(type='str'),
            hour=dict(type='str'),
            day_of_month=dict(type='str'),
            month=dict(type='str'),
            day_of_week=dict(type='str'),
            rebuild=dict(type='bool', default=False),
        ),
        mutually_exclusive=[['schedule', option] for option in schedule_options],
        supports_check_mode=True,
    ).main()


if __name__ == '__main__':
    main()
