# -*- coding: utf-8 -*-
# Copyright (c) runcloud.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The declarative base of the resource modules.

A module describes its resource (where it lives, how it is identified, which fields can be set on
create and which endpoint changes which field) and ``ResourceModule`` does the rest:
resolve parents → find → create / update only what differs / replace / delete, check mode,
diff and the result. Only options the user set are compared, after normalising the API's
types (0/1 and "1" versus booleans, "80" versus 80, null versus "").
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy

from ansible_collections.runcloud.cloud.plugins.module_utils import catalogue
from ansible_collections.runcloud.cloud.plugins.module_utils.catalogue import V3, answer_type, camel_case
from ansible_collections.runcloud.cloud.plugins.module_utils.errors import NotFoundError, RunCloudError, ValidationError
from ansible_collections.runcloud.cloud.plugins.module_utils.module import RunCloudModule
from ansible_collections.runcloud.cloud.plugins.module_utils.values import value_type

# A compared field the API's answer lacks, or holds in a shape the module cannot read: never a reason
# to update, replace or fail (the real API may answer in any shape the reference leaves open).
# Pauses between the reads that wait for a write API v3 only acknowledged: 1, 2, 4 ... at most 10 seconds.
LANDING_FIRST_PAUSE = 1.0
LANDING_MAX_PAUSE = 10.0
UNKNOWN = type('Unknown', (object,), {'__repr__': lambda self: 'UNKNOWN'})()
UNKNOWN_IN_DIFF = '(unknown: not in the API answer in a readable form)'
# The proof of absence before a create reads the whole list without ``search``, up to this many pages.
ABSENCE_PROOF_MAX_PAGES = 25


def normalize(kind, value):
    """The comparable (canonical) form of a value of the given kind (a ``values`` type or its name:
    ``bool``, ``int``, ``str``, ``id``, ``enum``, ``php_version``, ``domain``, ``time``, ``raw``); a value
    that cannot be read as the kind is left as it is. Empty strings are null for every kind but raw."""
    return value_type(kind).read(value)


def readable(kind, value):
    """Whether an API value has the shape a field of ``kind`` holds."""
    return value_type(kind).readable(value)


class Field:
    """One module option and the API field it maps to.

    What the option is in the API is written once, in the module's catalogue entry
    (``catalogue.FieldEntry``): a module's class takes ``api``, ``read_as`` and ``kind`` from there
    for every field that does not give them (``ResourceModule.__init_subclass__``). A module whose
    resource lists no fields in the catalogue gives them here, or gets the defaults below.

    - ``api``: the API field name (default: the catalogue's, else the option in camelCase).
    - ``create_api``: the field name the create request uses when it differs from the update's (RunCloud
      Hub installs with ``cacheType`` and updates ``nginxCacheType``): one option, named per call.
    - ``read_as``: the field name in the API's answer when it differs from the request (SSL ``provider``
      comes back as ``method``).
    - ``kind``: the field's type in the value model (``values.py``: ``text``/``str``, ``integer``/``int``,
      ``boolean``/``bool``, ``id``, ``enum``, ``php_version``, ``domain``, ``time``, ``raw``, or a
      ``ValueType``); by default the catalogue's, else the type the API field has in every answer
      (``catalogue.ANSWER_TYPES``), else text. Values are compared, and sent, through it.
    - ``create``: sent when creating. ``create_default``: sent on create when the option is not set.
    - ``update``: the name of the update group (endpoint) that changes it; None means it cannot
      change after creation (see ``ResourceModule.on_immutable_change``).
    - ``reader``: the name of a ``Reader`` whose answer holds the current value, when the main
      object does not.
    - ``write_only``: never returned by the API (passwords); governed by ``update_password``.
    - ``to_api``: converts the option value into what the API wants.
    - ``matches(desired, current)``: a comparison of its own, for options that are not plain values
      (``deployment_key: true`` is satisfied by any key); ``predict(desired)`` is then what check mode
      shows as the new value.
    - ``resend``: whether an update group that sends the full set (``send='all'``) sends this field
      when it did not change (a certificate only travels when it is replaced).
    - ``shown``: False when the API's object is documented not to hold the field (a setting sent on
      create that the answer leaves out): it is still compared when an answer shows it, and unknown
      otherwise, but its absence is expected and not warned about on every run.
    """

    def __init__(self, option, api=None, kind=None, create=True, update=None, create_default=None,
                 reader=None, write_only=False, read_as=None, to_api=None, matches=None, predict=None, resend=True,
                 create_api=None, shown=True):
        self.option = option
        # What the module itself said; the rest comes from the catalogue entry (``with_entry``).
        self.given = dict(api=api, read_as=read_as, kind=value_type(kind) if kind is not None else None, create_api=create_api)
        self.entry = None
        self._settle()
        self.create = create
        self.update = update
        self.create_default = create_default
        self.reader = reader
        self.write_only = write_only
        self.to_api = to_api
        self.matches = matches
        self.predict = predict
        self.resend = resend
        self.shown = shown

    def _settle(self):
        entry, given = self.entry, self.given
        self.api = given['api'] or (entry.api if entry else camel_case(self.option))
        self.create_api = given['create_api'] or self.api
        same_api = entry is not None and entry.api == self.api
        self.read_as = given['read_as'] or (entry.read_as if same_api else self.api)
        self.kind = given['kind'] or (entry.kind if same_api else answer_type(self.read_as))

    def with_entry(self, entry):
        """This field with what the catalogue's ``entry`` says of it (a new Field; None: unchanged)."""
        if entry is None:
            return self
        bound = copy.copy(self)
        bound.entry = entry
        bound._settle()
        return bound


def catalogue_resource_of(module_class):
    """The catalogue resource a module converges: its ``catalogue_resource``, else the resource one of
    its paths belongs to; None when neither names one."""
    if module_class.catalogue_resource:
        return catalogue.RESOURCES[module_class.catalogue_resource]
    # The most particular path first: a WordPress site is created at its own path but listed with the
    # web applications.
    for role, template in (('create', module_class.create_path), ('singleton', module_class.singleton_path),
                           ('list', module_class.list_path), ('item', module_class.item_path)):
        resource = catalogue.resource_with_path(template, role) if template else None
        if resource is not None:
            return resource
    return None


class UpdateGroup:
    """An endpoint that changes some fields of an existing resource.

    ``path`` is a template filled with the resolved parent ids and ``id`` (the resource id).
    ``send``: ``changed`` sends only the fields that differ; ``all`` sends every field of the group,
    taking the current value for those the user did not set (for endpoints that want the full set);
    ``none`` sends no body (the endpoint itself is the change, such as generating a key).
    ``extra_body(module, current)`` may add fields the API requires but the user does not manage.
    ``idempotent``: False for an endpoint whose repetition is not harmless whatever its method (a PATCH
    that generates a new key): after a lost answer the state is read back before it is ever sent again.
    """

    def __init__(self, name, path, method='PATCH', send='changed', extra_body=None, idempotent=None):
        self.name = name
        self.path = path
        self.method = method
        self.send = send
        self.extra_body = extra_body
        self.idempotent = method != 'POST' if idempotent is None else idempotent


class Reader:
    """An extra GET for current values that the main object lacks; done only when a field of it is set.

    Its answer is kept in the resource under ``key`` so that diff and result show it.
    """

    def __init__(self, name, path, key):
        self.name = name
        self.path = path
        self.key = key


class Action:
    """A non-idempotent operation triggered by a boolean option (rebuild, deploy, renew): it runs
    every time the option is true and always reports a change. Whatever its method, a lost answer
    is never followed by a second try: running it twice is not harmless.

    ``when_changed``: it runs only when the task changed something else first (applying stored
    changes, such as deploying firewall rules). ``on_absent``: it also runs after a deletion.
    """

    def __init__(self, option, path, method='POST', body=None, when_changed=False, on_absent=False):
        self.option = option
        self.path = path
        self.method = method
        self.body = body
        self.when_changed = when_changed
        self.on_absent = on_absent


class ResourceModule(RunCloudModule):
    """Base of every module that converges one RunCloud resource."""

    # The catalogue entry of the resource (``catalogue.RESOURCES``) when its paths do not name it.
    catalogue_resource = None

    # What the resource is called in messages, and the key of the result holding it.
    resource = 'resource'
    result_key = 'resource'
    # Parents resolved before anything else (module.ParentRef), in order.
    parents = ()
    # Where the resources live. ``list_path`` is searched by ``identity``; ``item_path`` adds ``{id}``.
    list_path = None
    item_path = None
    create_path = None
    # Option naming the resource; searched with the API's ``search`` when ``searchable``.
    identity = 'name'
    searchable = True
    # For per-parent singletons (SSL, git, installer of a web app): GET here answers the one object.
    # Singletons set ``identity = None``: every option of theirs is a compared setting.
    singleton_path = None
    fields = ()
    update_groups = ()
    readers = ()
    actions = ()
    # What to do when a field without update endpoint differs: 'fail', 'replace', or 'option' (replace
    # only when the module's ``replace`` option is true).
    on_immutable_change = 'fail'
    # How a replacement happens: 'delete_first', or 'create_first' where the API allows two resources
    # with one identity, so that a failed create never leaves the parent without the resource.
    replace_order = 'delete_first'
    # Options a replacement takes from the replaced resource when the user did not set them (their
    # current value must be a valid option value).
    carry_over = ()
    # The path (from the catalogue) of the endpoint that changes on API v3 what v2 can only replace
    # (cron jobs, domains); None where v3 cannot either.
    in_place_update = None
    # The option that says whether write-only fields are sent to an existing resource.
    update_write_only_option = 'update_password'
    # Options needed to create the resource but not to find or delete it.
    required_for_create = ()
    # API fields that are secrets (webhook keys): never in a result or diff.
    hidden_fields = ()
    # Whether a create whose outcome stayed unknown after re-reading may be sent again. Resources
    # whose names are not unique (servers) would be duplicated by a create that landed late.
    resend_uncertain_create = True
    # API fields a new resource gets from the API itself ({field: value}); check mode shows them so
    # that a predicted resource has every documented return value.
    created_defaults = {}
    # The kind (module.PARENT_KINDS) other modules name this resource as a parent by, if any: the
    # ``resolved`` result then reports it, so that later tasks of the play get its id.
    parent_kind = None

    def __init_subclass__(cls, **kwargs):
        # The fields a class declares take what the catalogue says of them, once, when the class is
        # made: modules, the account export and the tests all see the same facts.
        super(ResourceModule, cls).__init_subclass__(**kwargs)
        resource = catalogue_resource_of(cls)
        if resource is not None and 'fields' in cls.__dict__:
            cls.fields = tuple(field.with_entry(resource.field(field.option)) for field in cls.fields)

    def __init__(self, argument_spec, **kwargs):
        super(ResourceModule, self).__init__(argument_spec, **kwargs)
        self.changed = False
        # Reader answers by (reader name, resource id); kept apart from the resource so that an API
        # field named like a reader's key can never stand in for the read.
        self._reads = {}
        # The resource being replaced, while its replacement is created (its absence needs no proof).
        self.replacing = None
        # {option: endpoint} of compared fields whose current value is unknown (warned about once).
        self.unknown_fields = {}
        # Where the resource was read (for messages about fields missing from that answer).
        self.read_from = None
        # Options of the actions that ran (or would have, in check mode).
        self.actions_run = []

    # -- helpers for subclasses ------------------------------------------------------------------

    def field(self, option):
        for candidate in self.fields:
            if candidate.option == option:
                return candidate
        raise KeyError(option)

    def option_for_api_field(self, api_field):
        for candidate in self.fields:
            if api_field in (candidate.api, candidate.read_as):
                return candidate.option
        return super(ResourceModule, self).option_for_api_field(api_field)

    def desired(self, field):
        """The user's value of ``field`` in the form a request sends (the type's documented form)."""
        value = self.params.get(field.option)
        if value is not None and field.to_api is not None:
            value = field.to_api(self, value)
        if isinstance(value, str) and value.strip() == '':
            # An empty text is what the user asked to send (no open_basedir), not a missing value.
            return value
        return field.kind.write(value)

    def item_url(self, current):
        return self.path(self.item_path, id=current['id'])

    # -- main flow -------------------------------------------------------------------------------

    def main(self):
        self.run(self._converge)

    def _converge(self):
        if 'wait_timeout' in self.module.argument_spec:
            self.fail_unless_within({'wait_timeout': (0, LANDING_MAX_TIMEOUT, 'seconds')})
        self.validate()
        self.resolve_parents(*self.parents)
        self.prepare()
        # Under a parent that check mode only predicted, the resource cannot exist yet.
        current = None if self.parents_predicted else self.find()
        if self.params.get('state') == 'absent':
            before = self.public(current)
            if current is not None:
                self.delete(current)
                self.run_actions_after_delete()
            self.note_self(current, absent=True)
            self.finish(before, {}, {} if current is not None else None)
            return
        if current is None:
            after = self.create()
        else:
            after = self.converge_existing(current)
        after = self.run_actions(after)
        self.note_self(after)
        # Computed last: readers add what they fetched to ``current`` while converging.
        self.finish(self.public(current), self.public(after), after)

    def note_self(self, resource, absent=False):
        """Report the resource itself in ``resolved`` when other modules name it as a parent."""
        # A parent the resource's own path needs was only predicted: its key (the server's id) is unknown.
        # A predicted parent the body names (a web application's system user) does not matter here.
        paths = ' '.join(path for path in (self.list_path, self.item_path, self.create_path) if path)
        if self.parent_kind is None or self.under_predicted_parent(paths) or not self.identity:
            return
        ident = resource.get('id') if resource else None
        name = self.params.get(self.identity)
        if name is None and resource:
            name = resource.get(self.field(self.identity).read_as)
        if absent:
            self.note_resolved(self.parent_kind, name, ident, state='absent')
        elif ident is not None:
            self.note_resolved(self.parent_kind, name, ident)
        elif self.check_mode and name is not None:
            self.note_resolved(self.parent_kind, name, None, state='predicted')

    def validate(self):
        """Hook: refuse option values the API may accept but should not, before any request."""

    def fail_unless_within(self, limits):
        """Fail for the first option of ``limits`` ({option: (lowest, highest, unit)}) set outside its range."""
        for option in sorted(limits):
            lowest, highest, unit = limits[option]
            value = self.params.get(option)
            if value is not None and not lowest <= value <= highest:
                self.fail('%s must be between %d and %d%s, not %d' % (option, lowest, highest, ' (%s)' % unit if unit else '', value))

    def prepare(self):
        """Hook: resolve references the body needs (a system user's id, ...) after the parents.
        It must not send requests under a predicted parent (``parents_predicted``)."""

    def subject(self):
        name = self.params.get(self.identity) if self.identity else None
        return 'the %s%s' % (self.resource, ' %r' % name if name else '')

    def finish(self, before, after, resource):
        result = dict(changed=self.changed)
        result[self.result_key] = self.result_value(resource)
        result.update(self.extra_result(resource))
        if self.module._diff:
            extra_before, extra_after = self.extra_diff()
            result['diff'] = dict(before=self.marked_unknown(dict(before or {}, **extra_before)),
                                  after=self.marked_unknown(dict(after or {}, **extra_after)))
        self.exit(**result)

    def marked_unknown(self, shown):
        """The diff's view of a resource, with the fields whose value is unknown saying so."""
        if not shown:
            return shown
        for option in self.unknown_fields:
            field = self.field(option)
            target = shown if field.reader is None else shown.setdefault(self.reader(field.reader).key, {})
            if isinstance(target, dict) and (field.read_as not in target or not self.value_is_readable(field, target[field.read_as])):
                target[field.read_as] = UNKNOWN_IN_DIFF
        return shown

    def extra_result(self, resource):
        """Hook: result keys beside the resource (an installation script, a mode)."""
        return {}

    def extra_diff(self):
        """Hook: (before, after) keys the diff shows beside the resource's own."""
        return {}, {}

    def result_value(self, resource):
        return self.public(resource) if resource else {}

    def public(self, resource):
        """What a user may see of a resource: no write-only field, no secret."""
        if not resource:
            return {}
        shown = copy.deepcopy(resource)
        for field in self.fields:
            if field.write_only:
                shown.pop(field.api, None)
        for name in self.hidden_fields:
            shown.pop(name, None)
        return shown

    # -- find ----------------------------------------------------------------------------------

    def find(self):
        if self.singleton_path:
            return self.read_singleton()
        if self.params.get('id') is not None:
            self.read_from = self.path(self.item_path, id=self.params['id'])
            readers = self.readers_to_compare()
            try:
                # The readers' paths are known from the id: they are read at the same time as the resource.
                answers = self.client.get_many([self.read_from] + [self.path(reader.path, id=self.params['id']) for reader in readers])
            except NotFoundError:
                if self.params.get('state') == 'absent':
                    return None
                raise
            current = answers[0]
            if isinstance(current, dict):
                for reader, answer in zip(readers, answers[1:]):
                    self.keep_read(reader, current, answer)
            self.check_identity_of(current)
            return current
        identity = self.field(self.identity)
        value = self.desired(identity)
        if value is None:
            self.fail('%s is required to find the %s' % (identity.option, self.resource))
        self.read_from = self.path(self.list_path)
        return self.client.find_by_field(self.read_from, value, identity.read_as, description=self.resource,
                                         searchable=self.searchable, same=self.identity_matcher(identity))

    @staticmethod
    def identity_matcher(identity):
        return lambda found, wanted: found is not None and bool(identity.kind.same(found, wanted))

    def check_identity_of(self, current):
        """A resource read by id must carry the name the task gives, unless the name can change (a rename)."""
        if not self.identity or self.params.get(self.identity) is None:
            return
        field = self.field(self.identity)
        if field.update is None and not self.same(field, self.desired(field), current.get(field.read_as)):
            self.fail('the %s with id %s has %s %r, not %r' % (self.resource, self.params['id'], field.option,
                                                               current.get(field.read_as), self.params[self.identity]))

    def read_singleton(self):
        self.read_from = self.path(self.singleton_path)
        try:
            data = self.client.get(self.read_from)
        except NotFoundError:
            return None
        return data if self.singleton_present(data) else None

    def singleton_present(self, data):
        return isinstance(data, dict) and data.get('id') is not None

    # -- create --------------------------------------------------------------------------------

    def creation_phrase(self):
        """How creating is called in messages: "create the database user 'shop'"."""
        return 'create ' + self.subject()

    def fail_unless_set(self, options, values=None):
        """Fail naming every option of ``options`` that has no value (in ``values`` or the params)."""
        values = self.params if values is None else values
        missing = [option for option in options if values.get(option) in (None, '')]
        if not missing:
            return
        listed = missing[0] if len(missing) == 1 else '%s and %s' % (', '.join(missing[:-1]), missing[-1])
        self.fail('%s %s required to %s' % (listed, 'are' if len(missing) > 1 else 'is', self.creation_phrase()))

    def create_body(self):
        body = {}
        for field in self.fields:
            if not field.create:
                continue
            value = self.desired(field)
            if value is None:
                value = field.create_default
            if value is not None:
                body[field.create_api] = value
        return body

    def check_create(self):
        """Hook: what must hold before creating (run before any write, also before the delete of a
        replacement); checks that cost a request belong here rather than in ``validate()``."""
        self.fail_unless_set(self.required_for_create)

    def create(self):
        self.check_create()
        body = self.create_body()
        if not self.check_mode and not self.replacing and self.found_by_search():
            existing = self.find_without_search()
            if existing is not None:
                # The API's search did not match it (the fields it searches are not documented).
                return self.converge_existing(existing)
        self.changed = True
        if self.check_mode:
            created = self.predict_created(body)
            return self.apply_updates(created, predicted_only=True, just_created=True)
        try:
            created = self.client.post(self.path(self.create_path or self.list_path or self.singleton_path), body,
                                       on_uncertain=self.find_created, resend_unconfirmed=self.resend_uncertain_create)
        except ValidationError as error:
            # A first try that landed late makes the resend fail ("already taken"), and so does a run beside
            # this one that created the resource since this one found it absent: what matters is the state.
            created = self.find_created()
            if created is None:
                raise
            if not error.after_uncertain and not self.replacing:
                # Made by the other run, not by this one (the refused create changed nothing): converged
                # like a resource found.
                self.changed = self.client.wrote
                return self.converge_existing(created)
        except RunCloudError as error:
            if error.maybe_applied and not self.resend_uncertain_create:
                self.fail('%s; %s' % (error, self.uncertain_create_hint()), **error.to_dict())
            raise
        if isinstance(created, list) and len(created) == 1:
            # API v3 answers some creates (a firewall rule) with a one-element array holding the resource.
            created = created[0]
        if not isinstance(created, dict) or created.get('id') is None:
            # Some create endpoints answer {} or a message: read the resource back (on API v3 until it lands).
            created = self.wait_for_landing(self.find_created, 'the new %s' % self.resource) or self.predict_created(body)
        return self.apply_updates(created, just_created=True)

    def wait_for_landing(self, read, what):
        """``read()``, and on API v3 with the module's ``wait`` option again after pauses of 1, 2, 4 ...
        seconds (at most 10) until it finds what a write that was only acknowledged made, for at most
        ``wait_timeout`` seconds. The write is never sent again; a result that does not show in time
        fails the task, which still reports the change."""
        found = read()
        if found is not None or not self.params.get('wait') or self.client.api_version < V3:
            return found
        timeout = float(self.params.get('wait_timeout') or 0)
        waited, pause = 0.0, LANDING_FIRST_PAUSE
        while found is None and waited < timeout:
            step = min(pause, timeout - waited)
            self.client.pause(step)
            waited += step
            pause = min(pause * 2, LANDING_MAX_PAUSE)
            found = read()
        if found is None:
            self.changed = True
            self.fail('the API accepted the write, but %s did not show within wait_timeout (%ds); it was not sent again. '
                      'RunCloud may still be applying it: run the task again later, or raise wait_timeout' % (what, timeout))
        return found

    def found_by_search(self):
        return (self.identity is not None and bool(self.list_path) and not self.singleton_path
                and self.params.get('id') is None and self.searchable)

    def find_without_search(self):
        """``find()`` that does not rest on what the API's ``search`` matches: the proof of absence
        a create depends on, and the re-read after a create of unknown outcome."""
        if not self.found_by_search():
            return self.find()
        identity = self.field(self.identity)
        return self.client.find_by_field(self.path(self.list_path), self.desired(identity), identity.read_as,
                                         description=self.resource, searchable=False, max_pages=ABSENCE_PROOF_MAX_PAGES,
                                         same=self.identity_matcher(identity))

    def uncertain_create_hint(self):
        """What the user should check when a create that is never resent had an unknown outcome."""
        return ('it was not sent again because a second %s would be a duplicate. Check whether the %s exists '
                '(RunCloud panel or the matching _info module), then run the task again: it finds an existing one'
                % (self.resource, self.resource))

    def find_created(self):
        """The resource a create made (its answer was lost or had no id). While replacing, the old
        resource still has the same identity, so it is skipped."""
        if self.replacing is None or self.identity is None:
            return self.find_without_search()
        identity = self.field(self.identity)
        value = self.desired(identity)
        query = {'search': value} if self.searchable else None
        for item in self.client.iter_items(self.path(self.list_path), query):
            if item.get('id') != self.replacing.get('id') and identity.kind.same(item.get(identity.read_as), value):
                return item
        return None

    def predict_created(self, body):
        """What check mode shows for a resource it would create: the API's defaults for the fields
        the API fills in (``created_defaults``), what would be sent, and no id."""
        predicted = copy.deepcopy(dict(self.created_defaults))
        predicted.update((field.read_as, body[field.create_api]) for field in self.fields if field.create_api in body)
        predicted['id'] = None
        return predicted

    # -- update --------------------------------------------------------------------------------

    def converge_existing(self, current):
        differing = self.immutable_differences(current)
        if not differing:
            return self.apply_updates(current)
        if self.in_place_update is not None and self.client.api_version >= V3:
            return self.update_in_place(current, differing)
        names = ', '.join(sorted(field.option for field in differing))
        policy = self.on_immutable_change
        if policy == 'replace' or (policy == 'option' and self.params.get('replace')):
            return self.replace(current)
        hint = ' Set replace=true to delete and re-create it.' if policy == 'option' else ''
        self.fail('the %s exists with different %s, which the API cannot change: %s. To manage the existing %s, '
                  'give the task its current %s; to make another one, give it another %s.%s'
                  % (self.existing_description(current), names, self.differences_described(differing, current),
                     self.resource, names, self.identity or 'name', hint),
                  **{self.result_key: self.public(current)})

    def update_in_place(self, current, differing):
        """API v3 changes what v2 can only replace: one PATCH of ``in_place_update`` with
        ``in_place_body``, then the resource read again (the answer is only a message)."""
        self.changed = True
        result = copy.deepcopy(current)
        for field in differing:
            value = self.desired(field)
            self._store(result, field, field.predict(value) if field.predict else value)
        if self.check_mode:
            return result
        self.client.patch(self.path(self.in_place_update, id=current['id']), self.in_place_body(current))
        fresh = self.client.get(self.item_url(current))
        return fresh if isinstance(fresh, dict) and fresh.get('id') == current.get('id') else result

    def in_place_body(self, current):
        """The body of an in-place update: the create body, with what the user did not set carried over."""
        self.params.update(self.carried_over(current))
        return self.create_body()

    def existing_description(self, current):
        """'server 'web-01' (id 12)': which existing resource a message is about."""
        if self.identity is None:
            return '%s (id %s)' % (self.resource, current.get('id'))
        return '%s %r (id %s)' % (self.resource, self.desired(self.field(self.identity)), current.get('id'))

    def differences_described(self, differing, current):
        """'ip_address is 203.0.113.10, the task has 203.0.113.99'; a secret option's values are not shown."""
        spec = self.module.argument_spec
        parts = []
        for field in differing:
            if spec.get(field.option, {}).get('no_log'):
                parts.append('%s differs' % field.option)
            else:
                existing = normalize(field.kind, self.current_value(field, current))
                parts.append('%s is %s, the task has %s' % (field.option, existing, normalize(field.kind, self.desired(field))))
        return '; '.join(parts)

    def replace(self, current):
        """Delete ``current`` and create the resource anew; what the user did not set is carried over."""
        self.params.update(self.carried_over(current))
        self.replacing = current
        self.check_create()
        if self.replace_order == 'create_first':
            created = self.create()
            self.delete(current)
        else:
            self.delete(current)
            created = self.create()
        self.replacing = None
        return created

    def carried_over(self, current):
        """{option: value} of the ``carry_over`` options the user did not set, from the resource being
        replaced, so that the replacement differs only in what the user asked for."""
        values = {}
        for option in self.carry_over:
            field = self.field(option)
            value = current.get(field.read_as)
            # Only a value read in a known form is carried over, in the form a request sends.
            if self.params.get(option) is None and field.kind.read(value) is not None and field.kind.readable(value):
                values[option] = field.kind.write(value)
        return values

    def immutable_differences(self, current):
        return [field for field in self.fields
                if field.update is None and not field.write_only and field.option != self.identity
                and field.create and self.params.get(field.option) is not None
                and self.differs(field, current)]

    def same(self, field, desired, current):
        if field.matches is not None:
            return field.matches(desired, current)
        return field.kind.same(desired, current)

    def differs(self, field, current, just_created=False):
        """Whether the user's value of ``field`` differs from the resource's.

        A value the answer lacks or holds in a shape this module cannot read is unknown: it never
        differs (warned once, shown as unknown in the diff). Right after a create, a missing field is
        one the create did not set."""
        value = self.current_value(field, current)
        if value is UNKNOWN and just_created:
            value = None
        if value is UNKNOWN or not self.value_is_readable(field, value):
            self.note_unknown(field, current)
            return False
        verdict = self.same(field, self.desired(field), value)
        if verdict is None:
            # A ``matches`` function that could not read the value.
            self.note_unknown(field, current)
            return False
        return not verdict

    @staticmethod
    def value_is_readable(field, value):
        if value is UNKNOWN:
            return False
        if field.matches is not None:
            return True
        return field.kind.readable(value)

    def note_unknown(self, field, current):
        if field.option in self.unknown_fields:
            return
        if field.reader is not None:
            source = self.path(self.reader(field.reader).path, id=current.get('id'))
        else:
            source = self.read_from or (self.path(self.item_path, id=current.get('id')) if self.item_path else self.resource)
        self.unknown_fields[field.option] = source
        if not field.shown:
            return
        self.module.warn('the API answer (GET /%s) has no readable %s, so %s of %s is unknown: it is neither compared '
                         'nor changed' % (source.lstrip('/'), field.read_as, field.option, self.subject()))

    def current_value(self, field, current):
        """The resource's value of ``field``, or UNKNOWN when its answer does not hold the field."""
        if field.reader is None:
            source = current
        else:
            source = self.read(self.reader(field.reader), current)
        if not isinstance(source, dict) or field.read_as not in source:
            return UNKNOWN
        return source[field.read_as]

    def reader(self, name):
        for reader in self.readers:
            if reader.name == name:
                return reader
        raise KeyError(name)

    def read(self, reader, current):
        """The reader's data, fetched once per resource; also shown in ``current[reader.key]``."""
        cache_key = (reader.name, current.get('id'))
        if cache_key not in self._reads:
            if current.get('id') is None:
                self._reads[cache_key] = {}
            else:
                self.keep_read(reader, current, self.client.get(self.path(reader.path, id=current['id'])))
        current[reader.key] = self._reads[cache_key]
        return self._reads[cache_key]

    def keep_read(self, reader, current, answer):
        # An answer of another shape holds nothing readable: every field of it is unknown.
        self._reads[(reader.name, current.get('id'))] = answer if isinstance(answer, dict) else {}

    def readers_to_compare(self):
        """The readers whose fields the task sets: a present resource's comparison reads them."""
        if self.params.get('state') == 'absent':
            return []
        names = set(field.reader for field in self.fields
                    if field.reader is not None and not field.write_only and self.params.get(field.option) is not None)
        return [reader for reader in self.readers if reader.name in names]

    def wants_write_only_update(self, field):
        return self.params.get(self.update_write_only_option, 'on_create') == 'always'

    def pending_changes(self, current, just_created=False):
        """{group name: [fields]} of the updatable fields the user set that differ."""
        changes = {}
        for field in self.fields:
            if field.update is None or self.params.get(field.option) is None:
                continue
            if field.write_only:
                if (just_created and field.create) or not self.wants_write_only_update(field):
                    continue
            elif not self.differs(field, current, just_created):
                continue
            changes.setdefault(field.update, []).append(field)
        return changes

    def apply_updates(self, current, predicted_only=False, just_created=False):
        changes = self.pending_changes(current, just_created)
        result = copy.deepcopy(current)
        for group in self.update_groups:
            if group.name not in changes:
                continue
            self.changed = True
            changed_fields = changes[group.name]
            body = self.update_body(group, changed_fields, current)
            for field in changed_fields:
                if not field.write_only:
                    value = self.desired(field)
                    self._store(result, field, field.predict(value) if field.predict else value)
            if self.check_mode or predicted_only:
                continue
            answer = self.client.request(group.method, self.path(group.path, id=current['id']), body=body,
                                         idempotent=group.idempotent, on_uncertain=self.state_check(group, current, changed_fields)).data
            if not (isinstance(answer, dict) and answer.get('id') == current.get('id') and self.looks_like_resource(answer)) \
                    and self.params.get('wait') and self.client.api_version >= V3 \
                    and not all(field.write_only for field in changed_fields):
                # Only acknowledged (API v3): read until the new values show (no read shows a write-only one).
                answer = self.wait_for_landing(lambda: self.reread_if_set(current, changed_fields), 'the change of the %s' % self.resource)
            if isinstance(answer, dict) and answer.get('id') == current.get('id') and self.looks_like_resource(answer):
                readers = dict((reader.key, result[reader.key]) for reader in self.readers if reader.key in result)
                result = dict(answer)
                result.update(readers)
        return result

    def state_check(self, group, current, fields):
        """For a write that is not repeated blindly (a POST that sets a state, a key generation): the
        re-read that tells whether it landed (see ``client.request``)."""
        if group.idempotent:
            return None
        return lambda: self.reread_if_set(current, fields)

    def reread_if_set(self, current, fields):
        """The resource read again if every one of ``fields`` has its desired value, else None."""
        fresh = self.read_again(current)
        if not isinstance(fresh, dict):
            return None
        for field in fields:
            if field.write_only:
                # No read can confirm what the API never returns: the others decide.
                continue
            if field.reader is not None:
                self._reads.pop((field.reader, fresh.get('id')), None)
            if self.differs(field, fresh):
                return None
        return fresh

    def read_again(self, current):
        """The resource read afresh (after a write), or None when it is gone."""
        return self.client.get(self.item_url(current)) if self.item_path else self.read_singleton()

    def looks_like_resource(self, answer):
        if self.identity is None:
            return 'id' in answer
        return self.field(self.identity).read_as in answer

    def _store(self, resource, field, value):
        target = resource if field.reader is None else resource.setdefault(self.reader(field.reader).key, {})
        target[field.read_as] = value

    def update_body(self, group, changed_fields, current):
        if group.send == 'none':
            return None
        body = {}
        if group.send == 'all':
            for field in self.fields:
                if field.update == group.name and not field.write_only and field.resend:
                    value = self.current_value(field, current)
                    # Only a value read in a known form goes back, in the documented form: echoing
                    # the API's own spelling ("true", "Hybrid") may be refused, naming the user's option.
                    if value is not UNKNOWN and field.kind.readable(value):
                        body[field.api] = field.kind.write(value)
        for field in changed_fields:
            body[field.api] = self.desired(field)
        if group.extra_body is not None:
            extra = group.extra_body(self, current)
            for key, value in extra.items():
                body.setdefault(key, value)
        return body

    # -- delete --------------------------------------------------------------------------------

    def delete_body(self, current):
        return None

    def delete(self, current):
        self.changed = True
        if self.check_mode:
            return
        try:
            self.client.delete(self.item_url(current), body=self.delete_body(current))
        except NotFoundError:
            # Gone in the meantime (or a retried DELETE that had landed): that is what we wanted.
            pass

    # -- actions -------------------------------------------------------------------------------

    def run_actions(self, resource):
        return self._run_actions(self.actions, resource)

    def run_actions_after_delete(self):
        self._run_actions([action for action in self.actions if action.on_absent], {})

    def _run_actions(self, actions, resource):
        for action in actions:
            if not self.params.get(action.option) or (action.when_changed and not self.changed):
                continue
            self.changed = True
            self.actions_run.append(action.option)
            if self.check_mode or ('{id}' in action.path and resource.get('id') is None):
                continue
            body = action.body(self, resource) if callable(action.body) else action.body
            answer = self.client.request(action.method, self.path(action.path, id=resource.get('id')), body=body,
                                         idempotent=False).data
            if isinstance(answer, dict) and answer.get('id') == resource.get('id') and self.looks_like_resource(answer):
                resource = dict(resource, **answer)
        return resource


# The longest wait_timeout accepted: a task that waits longer than an hour should be split.
LANDING_MAX_TIMEOUT = 3600


def landing_options():
    """``wait`` and ``wait_timeout`` (the doc fragment ``runcloud.cloud.wait``) of a module with a write
    that API v3 only acknowledges; ``ResourceModule.wait_for_landing`` follows them."""
    return dict(wait=dict(type='bool', default=True), wait_timeout=dict(type='int', default=300))


def resource_argument_spec(**options):
    """``state`` plus the module's own options."""
    spec = dict(state=dict(type='str', default='present', choices=['present', 'absent']))
    spec.update(options)
    return spec
