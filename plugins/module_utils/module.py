# -*- coding: utf-8 -*-
# Copyright (c) runcloud.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Adapts the API client to AnsibleModule: shared options, client construction, parent lookup,
error reporting. Everything Ansible-specific about talking to RunCloud lives here."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import difflib
import os
import re
import threading
import warnings

from ansible.module_utils.basic import AnsibleFallbackNotFound, AnsibleModule, missing_required_lib

from ansible_collections.runcloud.cloud.plugins.module_utils import catalogue
from ansible_collections.runcloud.cloud.plugins.module_utils.catalogue import path as endpoint
from ansible_collections.runcloud.cloud.plugins.module_utils.client import (
    DEFAULT_API_URL,
    HAS_REQUESTS,
    REQUESTS_IMPORT_ERROR,
    choose_credentials,
    client_from_options,
    credentials_in_environment,
)
from ansible_collections.runcloud.cloud.plugins.module_utils.choices import accepted_values_note
from ansible_collections.runcloud.cloud.plugins.module_utils.errors import NotFoundError, RunCloudError, StaleParentIdError
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


def api_url_in_use(args, environ):
    """The API endpoint a module run with the task options ``args`` talks to, by AnsibleModule's rules
    for ``api_url``: an alias given beside the option wins (ansible-core warns), RUNCLOUD_API_URL (when
    not empty) only when neither is given, then the default; without the trailing slash the client drops.
    None when the module refuses the value. The action plugin keys the run's memory of ids by it, so ids
    found through one endpoint are never used with another."""
    spec = api_argument_spec()['api_url']
    given = [name for name in ['api_url'] + list(spec.get('aliases') or ()) if name in args]
    if given:
        value = args[given[-1]]
    else:
        value = environ.get('RUNCLOUD_API_URL')
        if value is None or value.strip() == '':
            value = spec['default']
    if not isinstance(value, str) or value == '':
        return None
    return value.rstrip('/')


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


SERVER = ParentRef('server', 'server_id', endpoint('server', 'list'), 'server')
WEB_APP = ParentRef('web_app', 'web_app_id', endpoint('web_app', 'list'), 'web application')
SYSTEM_USER = ParentRef('system_user', 'system_user_id', endpoint('system_user', 'list'), 'system user', field='username')
DATABASE = ParentRef('database', 'database_id', endpoint('database', 'list'), 'database')
DATABASE_USER = ParentRef('database_user', 'database_user_id', endpoint('database_user', 'list'), 'database user', field='username')
# The parents that check mode may take as predicted by an earlier task (option predicted_parents).
PARENT_KINDS = catalogue.PARENT_KINDS


# Options the action plugin fills in for the module (plugins/plugin_utils/action.py). They stay
# accepted and documented, but are left out of the option list of an unknown option's error.
ACTION_FILLED_OPTIONS = ('parent_ids', 'predicted_parents')
_UNSUPPORTED = re.compile(r'^(Unsupported parameters for \([^)]*\) module: )(.*?)\. Supported parameters include: (.*)$', re.S)


def close_matches(word, candidates, limit=3):
    """The candidates (strings) most like ``word``, best first, case ignored; ``word`` itself never."""
    by_folded = {}
    for candidate in candidates:
        if candidate is not None and str(candidate) != str(word):
            by_folded.setdefault(str(candidate).lower(), str(candidate))
    return [by_folded[folded] for folded in difflib.get_close_matches(str(word).lower(), list(by_folded), n=limit, cutoff=0.7)]


def unsupported_options_message(msg, argument_spec):
    """ansible-core's message about unknown options of a module of the collection, with each unknown
    name that is close to an option followed by "did you mean", and the options listed as the task's
    own first, then the connection options, without ACTION_FILLED_OPTIONS. Other messages (and
    those about suboptions) are returned as they are."""
    match = _UNSUPPORTED.match(msg)
    # The module's own options hold the action plugin's; a suboption's list (same message) does not.
    if not match or not all(name in re.split(r'[\s,().]+', match.group(3)) for name in ACTION_FILLED_OPTIONS):
        return msg
    connection = api_argument_spec()
    shown = [name for name in argument_spec if name not in ACTION_FILLED_OPTIONS]
    spellings = dict((alias, name) for name in shown for alias in [name] + list(argument_spec[name].get('aliases') or []))

    def listing(names):
        return ', '.join('%s (%s)' % (name, ', '.join(sorted(argument_spec[name]['aliases']))) if argument_spec[name].get('aliases') else name
                         for name in sorted(names))

    def with_hint(unknown):
        close = close_matches(unknown, spellings, limit=1)
        return '%s (did you mean %s?)' % (unknown, close[0]) if close else unknown

    own = [name for name in shown if name not in connection]
    return '%s%s. Supported parameters include: %s; connection: %s.' % (
        match.group(1), ', '.join(with_hint(name.strip()) for name in match.group(2).split(',')),
        listing(own) or 'none', listing([name for name in shown if name in connection]))


class RememberedParents:
    """The parents of a task whose ids an earlier task of the playbook run found (option ``parent_ids``),
    and the proof that they are still what the task names.

    A remembered id is a hint: the object may have been deleted, re-created or renamed outside the play
    since it was found. The client (its ``watcher``) tells this object of every write before it is sent,
    of every 404 and of every GET answer. Before the first write, and on a 404 for a path built from a
    remembered id, every remembered parent is read once by id: one that answers 404 or carries another
    name than the task gives is stale, and so is one whose own answer, read by the module, carries
    another name. Stale raises ``StaleParentIdError`` whatever the module would have made of the answer
    (an empty list, "already absent"); the task fails with ``stale_parent_ids`` and the action plugin
    runs it once more with the names alone. A 404 below a parent that is still there is the module's.
    """

    def __init__(self, client):
        self.client = client
        # (ParentRef, id, item path, name) in the order the module resolved them.
        self.parents = []
        self.unchecked = []
        self.stale = None
        self._checking = False
        self._lock = threading.RLock()

    def add(self, parent, ident, list_path, name):
        entry = (parent, ident, '%s/%d' % (list_path.strip('/'), ident), name)
        self.parents.append(entry)
        self.unchecked.append(entry)

    def before_write(self, method, path):
        self.check()

    def not_found(self, method, path):
        path = path.strip('/')
        for entry in self.parents:
            item_path = entry[2]
            if path == item_path:
                self.found_stale(entry, 'answers HTTP 404', method, path, 404)
            if path.startswith(item_path + '/'):
                self.check()

    def answered(self, method, path, data):
        path = path.strip('/')
        for entry in self.parents:
            if path == entry[2]:
                self.compare(entry, data, method, path)

    def check(self):
        """Read every remembered parent not read yet; raise StaleParentIdError for the first stale one."""
        with self._lock:
            if self.stale is not None:
                raise self.stale
            if self._checking:
                return
            self._checking = True
            try:
                while self.unchecked:
                    entry = self.unchecked[0]
                    try:
                        data = self.client.get(entry[2])
                    except NotFoundError:
                        self.found_stale(entry, 'answers HTTP 404', 'GET', entry[2], 404)
                    self.compare(entry, data, 'GET', entry[2])
                    self.unchecked.pop(0)
            finally:
                self._checking = False

    def compare(self, entry, data, method, path):
        parent, _ident, _path, name = entry
        # An answer without a readable name says nothing (tolerant reading): the id stays trusted.
        if isinstance(data, dict) and isinstance(data.get(parent.field), (str, int)) and str(data[parent.field]) != name:
            self.found_stale(entry, 'now has %s %r' % (parent.field, data[parent.field]), method, path, None)

    def found_stale(self, entry, what, method, path, status):
        parent, ident, _path, name = entry
        if self.stale is None:
            self.stale = StaleParentIdError(
                'the id %d that an earlier task of the playbook run found for the %s %r %s: it was deleted, re-created '
                'or renamed outside the play' % (ident, parent.description, name, what),
                parent.option, ident, method, '/' + path, status)
        raise self.stale


class _ArgumentCheckingModule(AnsibleModule):
    """AnsibleModule whose argument errors name the option: for some values (a string where a list
    of dictionaries is expected) ansible-core reports a conversion detail first and the error that
    names the option second. An unknown option gets a "did you mean" and the list of the options a
    user sets (unsupported_options_message)."""

    def fail_json(self, msg, **kwargs):
        outcome = getattr(self, 'validation_result', None)
        errors = getattr(getattr(outcome, 'errors', None), 'errors', None) or []
        if errors and msg == str(errors[0]) and type(errors[0]).__name__ == 'NoLogError':
            named = [str(error) for error in errors if type(error).__name__ != 'NoLogError']
            if named:
                msg = named[0]
        if isinstance(msg, str):
            msg = unsupported_options_message(msg, self.argument_spec)
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

    # Options only RunCloud API v3 has: refused before any request when api_url names v2.
    v3_only_options = ()
    # The API versions that have what the module manages (a v3-only module sets catalogue.V3_ONLY):
    # on another version the task is refused before any request.
    api_versions = catalogue.VERSIONS

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
        for warning in self.client.warnings:
            self.module.warn(warning)
        self._refuse_options_of_another_version()
        self.resolved = {}
        # Parents that do not exist but that check mode assumes an earlier task creates.
        self.predicted_parents = []
        # What this task found, created, deleted or predicted, for the action plugin's memory
        # (the ``resolved`` result): {kind, server_id, name, id, state}.
        self.resolved_entries = []
        # Parents whose ids came from parent_ids, checked against what the API answers.
        self.remembered_parents = RememberedParents(self.client)
        self.client.watcher = self.remembered_parents

    def _refuse_options_of_another_version(self):
        """Fail before any request when the module (``api_versions``) or an option the task sets
        (``v3_only_options``) exists only on API v3 and api_url names another version."""
        if self.client.api_version not in self.api_versions:
            self.module.fail_json(msg='%s only exists on RunCloud API %s, but api_url (%s) is API v%d; point api_url at '
                                      '.../api/v%d (with a v%d API token)'
                                      % (getattr(self.module, '_name', None) or 'this module', ' and '.join('v%d' % v for v in self.api_versions),
                                         self.client.api_url, self.client.api_version,
                                         self.api_versions[-1], self.api_versions[-1]))
        if self.client.api_version >= catalogue.V3:
            return
        given = [option for option in self.v3_only_options if self.params.get(option) is not None]
        if given:
            self.module.fail_json(msg='%s only exists on RunCloud API v3, but api_url (%s) is API v%d; point api_url at '
                                      '.../api/v3 (with a v3 API token) or leave %s unset'
                                      % (' and '.join(given), self.client.api_url, self.client.api_version, ' and '.join(given)))

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
            # Found by an earlier task of the play (the action plugin's memory): no lookup, but the API's
            # answers about it are watched (RememberedParents).
            self.remembered_parents.add(parent, int(remembered), self.path(parent.path), str(value))
            self.resolved[parent.key] = int(remembered)
            return self.resolved[parent.key]
        item = None
        if not self.under_predicted_parent(parent.path) and not self.predicted_by_earlier_task(parent):
            path = parent.path.format(**self.resolved)
            seen = []
            item = self.client.find_by_field(path, value, parent.field, description=parent.description,
                                             searchable=parent.searchable, seen=seen)
            if item is None:
                hint = ('; in check mode a missing parent is assumed only when an earlier task of the play predicted it '
                        '(or predicted_parents names it)' if self.check_mode else '')
                missing = 'no %s with %s %r' % (parent.description, parent.field, value)
                error = NotFoundError(missing + hint, 'GET', '/' + path)
                # Only when the task fails on it (a removal takes a missing parent as done): fail_from_error.
                error.close_name_hint = (missing, lambda: self.close_name_hint(parent, path, value, seen))
                raise error
        if item is None:
            self.predict_parent(parent, value)
            return None
        self.resolved[parent.key] = item['id']
        self.note_resolved(parent.kind, value, item['id'])
        return item['id']

    def close_name_hint(self, parent, path, value, seen):
        """' (did you mean 'web-01'?)' when a name close to ``value`` exists. Candidates are the names
        the lookup read (the search's substring matches, or the whole list); only when the search read
        none, the first page of the whole list is read - one more GET, only when the task fails on the
        missing parent, whose failure costs the hint and nothing else."""
        if not seen and parent.searchable:
            try:
                items, _pagination = self.client.get_page(path)
            except RunCloudError:
                items = []
            seen = [item.get(parent.field) for item in items if isinstance(item, dict)]
        close = close_matches(value, seen)
        return ' (did you mean %s?)' % ' or '.join(repr(name) for name in close) if close else ''

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
        client = getattr(self, 'client', None)
        if client is not None:
            # What the task cost of the API quota: the runcloud.cloud.api_usage callback adds it up.
            result['api'] = client.usage()
        if self.api_log and getattr(self.module, '_verbosity', 0) >= 3:
            result['api_log'] = list(self.api_log)
        return result

    def exit(self, **result):
        self.fail_if_stale()
        # Results follow Ansible's naming: the API's camelCase keys become snake_case at any depth.
        self.module.exit_json(**self._with_log(snake_case_keys(result)))

    def fail(self, msg, **result):
        self.fail_if_stale()
        # A task that wrote something before failing changed the system: say so.
        if getattr(self, 'client', None) is not None and self.client.wrote:
            result['changed'] = True
        self.module.fail_json(msg=msg, **self._with_log(snake_case_keys(result)))

    def fail_if_stale(self):
        """A remembered parent found stale decides the result, whatever the module concluded after it
        (an error caught on the way, a 404 read as "absent"): the action plugin resolves the names again."""
        stale = getattr(getattr(self, 'remembered_parents', None), 'stale', None)
        if stale is not None:
            self.remembered_parents = None
            self.fail(str(stale), **stale.to_dict())

    # {option: list endpoint (a template over the resolved parents) of the values the API accepts
    # for it}: a 422 about the option then shows them.
    accepted_values_from = {}

    def fail_from_error(self, error):
        if getattr(error, 'close_name_hint', None):
            missing, hint = error.close_name_hint
            error.message = error.message.replace(missing, missing + hint(), 1)
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
