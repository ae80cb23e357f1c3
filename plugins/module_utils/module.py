# -*- coding: utf-8 -*-
# Copyright (c) runcloud.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Adapts the API client to AnsibleModule: shared options, client construction, parent lookup,
error reporting. Everything Ansible-specific about talking to RunCloud lives here."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import re
import warnings

from ansible.module_utils.basic import AnsibleFallbackNotFound, AnsibleModule, missing_required_lib

from ansible_collections.runcloud.cloud.plugins.module_utils.client import (
    DEFAULT_API_URL,
    HAS_REQUESTS,
    REQUESTS_IMPORT_ERROR,
    choose_credentials,
    client_from_options,
    credentials_in_environment,
)
from ansible_collections.runcloud.cloud.plugins.module_utils.choices import accepted_values_note
from ansible_collections.runcloud.cloud.plugins.module_utils.errors import NotFoundError, RunCloudError
from ansible_collections.runcloud.cloud.plugins.module_utils.info import read_resources
from ansible_collections.runcloud.cloud.plugins.module_utils.masking import register_credentials
from ansible_collections.runcloud.cloud.plugins.module_utils.naming import snake_case, snake_case_keys


def set_env_fallback(*names):
    """Like ``env_fallback``, but an empty variable counts as unset."""
    for name in names:
        value = os.environ.get(name)
        if value is not None and value.strip() != '':
            return value
    raise AnsibleFallbackNotFound


# Options whose values are whole files or scripts; every other text option is one line.
MULTI_LINE_OPTIONS = frozenset(['deploy_script', 'certificate', 'private_key'])
# One-line file contents (an id_rsa.pub read with a lookup): the line break that ends the file is dropped.
FILE_LINE_OPTIONS = frozenset(['public_key'])
# Longer single-line values are mistakes (a file pasted into a name), never anything RunCloud stores.
MAX_SINGLE_LINE_LENGTH = 4096
LINE_BREAKING_CHARACTERS = {'\x00': 'a NUL byte', '\r': 'a carriage return', '\n': 'a line feed'}
TEXT_TYPES = ('str', 'raw', 'path', 'list')


def single_line_problem(option, value, file_line=False):
    """Why ``value`` of a single-line option must not be sent (a newline in a cron command is a second
    crontab line on the server), or None."""
    if not isinstance(value, str):
        return None
    if file_line:
        value = value[:-2] if value.endswith('\r\n') else value[:-1] if value.endswith('\n') else value
    found = [name for character, name in LINE_BREAKING_CHARACTERS.items() if character in value]
    if not found:
        if len(value) > MAX_SINGLE_LINE_LENGTH:
            return '%s is %d characters long; at most %d are accepted' % (option, len(value), MAX_SINGLE_LINE_LENGTH)
        return None
    return '%s must be a single line without NUL, carriage return or line feed characters; it contains %s' % (
        option, ' and '.join(found))


def control_character_problems(spec, params, prefix=''):
    """Every single-line option of ``spec`` (nested sub-options too) whose value holds NUL, CR or LF
    or is longer than any value RunCloud keeps, and every id option below 1."""
    problems = []
    for option, settings in sorted(spec.items()):
        value = (params or {}).get(option)
        name = prefix + option
        if settings.get('type') == 'int' and (option == 'id' or option.endswith('_id')) and isinstance(value, int) and value < 1:
            problems.append('%s must be a positive id, not %d' % (name, value))
            continue
        if value is None or option in MULTI_LINE_OPTIONS or settings.get('type', 'str') not in TEXT_TYPES:
            continue
        values = value if isinstance(value, list) else [value]
        for index, element in enumerate(values):
            label = '%s[%d]' % (name, index) if isinstance(value, list) else name
            if isinstance(element, dict) and settings.get('options'):
                problems.extend(control_character_problems(settings['options'], element, label + '.'))
            else:
                problem = single_line_problem(label, element, option in FILE_LINE_OPTIONS)
                if problem:
                    problems.append(problem)
    return problems


def api_argument_spec():
    """The connection options of every module (documented in the runcloud.cloud.api fragment).

    The credentials have no fallback here: ``credentials()`` combines the task's options with the
    environment so that the task wins over an environment variable of the other kind.
    """
    return dict(
        api_url=dict(type='str', default=DEFAULT_API_URL, fallback=(set_env_fallback, ['RUNCLOUD_API_URL']), aliases=['api_endpoint']),
        api_token=dict(type='str', no_log=True),
        api_key=dict(type='str', no_log=True),
        api_secret=dict(type='str', no_log=True),
        validate_certs=dict(type='bool', default=True, fallback=(set_env_fallback, ['RUNCLOUD_VALIDATE_CERTS'])),
        ca_path=dict(type='path', fallback=(set_env_fallback, ['RUNCLOUD_CA_PATH'])),
        api_timeout=dict(type='float', default=30.0, fallback=(set_env_fallback, ['RUNCLOUD_API_TIMEOUT'])),
        api_retries=dict(type='int', default=5, fallback=(set_env_fallback, ['RUNCLOUD_API_RETRIES'])),
        api_retry_budget=dict(type='float', default=120.0, fallback=(set_env_fallback, ['RUNCLOUD_API_RETRY_BUDGET'])),
        # Read by the action plugin (plugins/action/api.py); accepted here so that the module takes them.
        resolve_cache=dict(type='bool', default=True),
        run_on_controller=dict(type='bool', default=True),
        predicted_parents=dict(type='list', elements='str', default=[], choices=list(PARENT_KINDS)),
        parent_ids=dict(type='dict', default={}),
    )


def credentials(params, environ=None):
    """(api_token, api_key, api_secret) from the task's options and the environment."""
    environ = os.environ if environ is None else environ
    return choose_credentials(params, credentials_in_environment(environ))


def is_id(value):
    """A parent given as a number (or a string of digits) is an id; anything else is a name."""
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return True
    return isinstance(value, str) and value.strip().isdigit()


class ParentRef:
    """A parent resource a module needs the id of, given by the user as an id or a name.

    ``path`` is the list endpoint (it may contain the ids of earlier parents), ``field`` the name
    field matched exactly after the API's ``search`` narrowed the list. ``kind`` says what it is in
    the ``resolved`` result (``web_app`` for an ``alias_of`` option).
    """

    def __init__(self, option, key, path, description, field='name', searchable=True, kind=None):
        self.option = option
        self.kind = kind or option
        self.key = key
        self.path = path
        self.description = description
        self.field = field
        self.searchable = searchable


SERVER = ParentRef('server', 'server_id', 'servers', 'server')
WEB_APP = ParentRef('web_app', 'web_app_id', 'servers/{server_id}/webapps', 'web application')
SYSTEM_USER = ParentRef('system_user', 'system_user_id', 'servers/{server_id}/users', 'system user', field='username')
DATABASE = ParentRef('database', 'database_id', 'servers/{server_id}/databases', 'database')
DATABASE_USER = ParentRef('database_user', 'database_user_id', 'servers/{server_id}/databaseusers', 'database user', field='username')
# The parents that check mode may take as predicted by an earlier task (option predicted_parents).
PARENT_KINDS = ('server', 'web_app', 'system_user', 'database', 'database_user')


class _ArgumentCheckingModule(AnsibleModule):
    """AnsibleModule whose argument errors name the option: for some values (a string where a list
    of dictionaries is expected) ansible-core reports a conversion detail first and the error that
    names the option second."""

    def fail_json(self, msg, **kwargs):
        outcome = getattr(self, 'validation_result', None)
        errors = getattr(getattr(outcome, 'errors', None), 'errors', None) or []
        if errors and msg == str(errors[0]) and type(errors[0]).__name__ == 'NoLogError':
            named = [str(error) for error in errors if type(error).__name__ != 'NoLogError']
            if named:
                msg = named[0]
        super(_ArgumentCheckingModule, self).fail_json(msg=msg, **kwargs)

    def _log_invocation(self):
        # Before the arguments reach the system log: a NUL byte there fails the module with a
        # message about syslog instead of one about the option (ansible-core 2.21).
        refuse_control_characters(self)
        super(_ArgumentCheckingModule, self)._log_invocation()


def report_python_warnings(warn):
    """Make the Python warnings that libraries issue during the module's run (urllib3's
    InsecureRequestWarning when ``validate_certs`` is false) warnings of the task's result, each text
    once, through ``warn``. Written to stderr, as Python does by default, they would be dropped by
    Ansible for a module process that succeeds, and printed on the terminal for a module that runs in
    the controller's process."""
    reported = set()

    def show(message, category, filename, lineno, file=None, line=None):  # pylint: disable=unused-argument
        text = '%s: %s' % (category.__name__, message)
        if text not in reported:
            reported.add(text)
            warn(text)

    warnings.showwarning = show


def refuse_control_characters(module):
    """Fail ``module`` when a single-line option holds what must never be sent, before any request
    (on a server such a value becomes a second line of a config file)."""
    problems = control_character_problems(module.argument_spec, module.params)
    if problems:
        module.fail_json(msg='; '.join(problems))


class RunCloudModule:
    """An AnsibleModule with a RunCloud client, for every module of the collection."""

    def __init__(self, argument_spec, **kwargs):
        spec = api_argument_spec()
        spec.update(argument_spec)
        self.module = _ArgumentCheckingModule(argument_spec=spec, **kwargs)
        report_python_warnings(self.module.warn)
        if not HAS_REQUESTS:
            self.module.fail_json(msg=missing_required_lib('requests'), exception=REQUESTS_IMPORT_ERROR)
        self.params = self.module.params
        self.api_log = []
        # Also here: a module that sets no_log never logs its invocation.
        refuse_control_characters(self.module)
        try:
            self.client = self._create_client()
        except RunCloudError as error:
            self.module.fail_json(msg=str(error), **error.to_dict())
        self.resolved = {}
        # Parents that do not exist but that check mode assumes an earlier task creates.
        self.predicted_parents = []
        # What this task found, created, deleted or predicted, for the action plugin's memory
        # (the ``resolved`` result): {kind, server_id, name, id, state}.
        self.resolved_entries = []

    def _create_client(self):
        chosen = credentials(self.params)
        # Also those from the environment, which no_log does not know: masked by ansible-core >= 2.22.
        register_credentials(chosen)
        return client_from_options(self.params, chosen, self._log,
                                   'ansible-core/%s' % getattr(self.module, 'ansible_version', 'unknown'))

    def _log(self, message):
        self.api_log.append(message)
        self.module.debug(message)

    @property
    def check_mode(self):
        return self.module.check_mode

    def is_set(self, option):
        return self.params.get(option) is not None

    # -- parents -------------------------------------------------------------------------------

    def resolve_parent(self, parent, required=True):
        """Fill ``self.resolved[parent.key]`` from the option (an id, used as is, or a name).

        In check mode a parent that an earlier task of the play only predicted (the action plugin
        passes it in ``predicted_parents``, or the user does) resolves to None without a request, and
        so does everything below it; ``parents_predicted`` then tells the module that nothing below
        it can exist yet. A parent named but not found otherwise fails, in check mode as for real.
        """
        if parent.key in self.resolved:
            # Resolved earlier in this run (a replace re-creates): never look a parent up twice.
            return self.resolved[parent.key]
        value = self.params.get(parent.option)
        if value is None:
            if required:
                self.fail('%s is required' % parent.option)
            return None
        if is_id(value):
            self.resolved[parent.key] = int(value)
            return self.resolved[parent.key]
        remembered = (self.params.get('parent_ids') or {}).get(parent.option)
        if is_id(remembered):
            # Found by an earlier task of the play (the action plugin's memory): no lookup.
            self.resolved[parent.key] = int(remembered)
            return self.resolved[parent.key]
        item = None
        if not self.under_predicted_parent(parent.path) and not self.predicted_by_earlier_task(parent):
            path = parent.path.format(**self.resolved)
            item = self.client.find_by_field(path, value, parent.field, description=parent.description,
                                             searchable=parent.searchable)
            if item is None:
                hint = ('; in check mode a missing parent is assumed only when an earlier task of the play predicted it '
                        '(or predicted_parents names it)' if self.check_mode else '')
                raise NotFoundError('no %s with %s %r%s' % (parent.description, parent.field, value, hint), 'GET', '/' + path)
        if item is None:
            self.predict_parent(parent, value)
            return None
        self.resolved[parent.key] = item['id']
        self.note_resolved(parent.kind, value, item['id'])
        return item['id']

    def predicted_by_earlier_task(self, parent):
        return self.check_mode and parent.kind in (self.params.get('predicted_parents') or ())

    def note_resolved(self, kind, name, ident, state='present'):
        """Report what this task learnt about a resource others name as a parent (``resolved``)."""
        server_id = None if kind == 'server' else self.resolved.get(SERVER.key)
        self.resolved_entries.append(dict(kind=kind, server_id=server_id, name=None if name is None else str(name),
                                          id=ident, state=state))

    def predict_parent(self, parent, value):
        # Named in predicted_parents, or implied by a predicted parent above it: an earlier task of
        # the play creates it, so nothing is read below it.
        self.resolved[parent.key] = None
        self.predicted_parents.append(parent)

    def subject(self):
        """What the module manages, for messages."""
        return 'the result'

    @property
    def parents_predicted(self):
        return bool(self.predicted_parents)

    def under_predicted_parent(self, template):
        return any('{%s}' % predicted.key in template for predicted in self.predicted_parents)

    def resolve_parents(self, *parents):
        for parent in parents:
            self.resolve_parent(parent)
        return self.resolved

    def read_children(self, list_template, **selection):
        """``info.read_resources`` of a list under the resolved parents; nothing under a parent
        that check mode only predicted."""
        if self.parents_predicted:
            return []
        return read_resources(self.client, self.path(list_template), **selection)

    def path(self, template, **extra):
        values = dict(self.resolved)
        values.update(extra)
        return self.client.path(template, **values)

    # -- results -------------------------------------------------------------------------------

    def _with_log(self, result):
        result.setdefault('resolved', list(getattr(self, 'resolved_entries', [])))
        if self.api_log and getattr(self.module, '_verbosity', 0) >= 3:
            result['api_log'] = list(self.api_log)
        return result

    def exit(self, **result):
        # Results follow Ansible's naming: the API's camelCase keys become snake_case at any depth.
        self.module.exit_json(**self._with_log(snake_case_keys(result)))

    def fail(self, msg, **result):
        # A task that wrote something before failing changed the system: say so.
        if getattr(self, 'client', None) is not None and self.client.wrote:
            result['changed'] = True
        self.module.fail_json(msg=msg, **self._with_log(snake_case_keys(result)))

    # {option: list endpoint (a template over the resolved parents) of the values the API accepts
    # for it}: a 422 about the option then shows them.
    accepted_values_from = {}

    def fail_from_error(self, error):
        if error.errors:
            self.name_options_in(error)
            if error.status == 422:
                self.add_accepted_values(error)
        self.fail(str(error), **error.to_dict())

    def add_accepted_values(self, error):
        for option, messages in error.errors.items():
            template = self.accepted_values_from.get(option)
            if template is None or self.parents_predicted:
                continue
            note = accepted_values_note(self.client, self.path(template), self.params.get(option))
            if note is not None:
                error.errors[option] = (list(messages) if isinstance(messages, list) else [messages]) + [note]

    def option_for_api_field(self, api_field):
        """The module option a field of the API corresponds to (for messages)."""
        return snake_case(api_field)

    def name_options_in(self, error):
        """Say option names, not API field names, in a validation error: users never see the
        API's names unless a module's documentation explains them."""
        renamed = {}
        for api_field, messages in error.errors.items():
            option = self.option_for_api_field(str(api_field))
            if isinstance(messages, list):
                messages = [re.sub(r'\b%s\b' % re.escape(str(api_field)), option, text) if isinstance(text, str) else text
                            for text in messages]
            renamed[option] = messages
        error.errors = renamed

    def run(self, work):
        """Call ``work()`` and turn any API error into a clean module failure."""
        try:
            return work()
        except RunCloudError as error:
            self.fail_from_error(error)
