# -*- coding: utf-8 -*-
# Copyright (c) runcloud.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The fields of a resource are written once, in its catalogue entry: the modules' fields take them from
there and never disagree with them; the table every answer is read with is made from the same entries."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import importlib
import inspect
import os

import pytest

from ansible_collections.runcloud.cloud.plugins.module_utils import catalogue
from ansible_collections.runcloud.cloud.plugins.module_utils.catalogue import ANSWER_TYPES, FieldEntry, Resource
from ansible_collections.runcloud.cloud.plugins.module_utils.resource import Field, ResourceModule, catalogue_resource_of
from ansible_collections.runcloud.cloud.plugins.module_utils.values import BOOLEAN, ID, INTEGER, TEXT, Enumeration

MODULES_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', '..', '..', 'plugins', 'modules')


def resource_module_classes():
    classes = []
    for file_name in sorted(os.listdir(MODULES_DIR)):
        if not file_name.endswith('.py') or file_name.startswith('_'):
            continue
        module = importlib.import_module('ansible_collections.runcloud.cloud.plugins.modules.' + file_name[:-3])
        classes.extend(cls for cls in vars(module).values()
                       if inspect.isclass(cls) and issubclass(cls, ResourceModule) and cls.__module__ == module.__name__)
    return classes


def same_type(left, right):
    if isinstance(left, Enumeration) or isinstance(right, Enumeration):
        return isinstance(left, Enumeration) and isinstance(right, Enumeration) and set(left.choices) == set(right.choices)
    return left is right


def disagreements(module_class):
    """What a module's fields say otherwise than its catalogue entry; fields the entry lacks, when the
    entry lists fields at all (a resource whose entry has none yet is described by its module alone)."""
    resource = catalogue_resource_of(module_class)
    if resource is None:
        return []
    listed = [entry for entry in resource.fields if entry.option is not None]
    found = []
    for field in module_class.fields:
        entry = resource.field(field.option)
        if entry is None:
            if listed:
                found.append('%s: not in the catalogue entry %s' % (field.option, resource.name))
            continue
        for fact in ('api', 'read_as'):
            if getattr(field, fact) != getattr(entry, fact):
                found.append('%s: %s %r, the catalogue %r' % (field.option, fact, getattr(field, fact), getattr(entry, fact)))
        if not same_type(field.kind, entry.kind):
            found.append('%s: kind %s, the catalogue %s' % (field.option, field.kind, entry.kind))
    return found


MODULE_CLASSES = resource_module_classes()


def test_every_resource_module_is_found():
    names = set(cls.__name__ for cls in MODULE_CLASSES)
    assert {'WebAppModule', 'SslModule', 'CronJobModule', 'SshKeyModule', 'ServerModule'} <= names


@pytest.mark.parametrize('module_class', MODULE_CLASSES, ids=lambda cls: cls.__name__)
def test_a_module_field_and_the_catalogue_never_disagree(module_class):
    assert disagreements(module_class) == []


# The modules whose fields the catalogue lists (a module added later may describe its fields itself
# until its entry lists them; the check above holds it to the entry from then on).
LISTED = ('server', 'system_user', 'ssh_key', 'database', 'database_user', 'cron_job', 'supervisor_job', 'firewall_rule',
          'web_app', 'domain', 'web_app_ssl', 'git', 'script_installer', 'external_api_key')


@pytest.mark.parametrize('name', LISTED)
def test_the_catalogue_lists_the_fields_of_the_modules(name):
    module = importlib.import_module('ansible_collections.runcloud.cloud.plugins.modules.' + name)
    (module_class,) = [cls for cls in MODULE_CLASSES if cls.__module__ == module.__name__]
    resource = catalogue_resource_of(module_class)
    assert resource is not None and resource.name == name
    assert all(resource.field(field.option) is not None for field in module_class.fields)


def test_a_module_is_found_in_the_catalogue_by_its_most_particular_path():
    catalogue.RESOURCES['probe_site'] = Resource('probe_site', dict(create='servers/{server_id}/webapps/probesite'))
    try:
        class Site(ResourceModule):
            # Listed with the web applications, created at a path of its own: its own entry, not web_app's.
            list_path = catalogue.path('web_app', 'list')
            item_path = catalogue.path('web_app', 'item')
            create_path = catalogue.path('probe_site', 'create')
            fields = (Field('name'), Field('system_user', api='user', read_as='server_user_id', kind='int'), Field('site_title'),
                      Field('cache_type', api='nginxCacheType', create_api='cacheType'))

        assert catalogue_resource_of(Site).name == 'probe_site' and disagreements(Site) == []
        assert [(field.api, field.create_api, field.kind) for field in Site.fields] == [
            ('name', 'name', TEXT), ('user', 'user', INTEGER), ('siteTitle', 'siteTitle', TEXT), ('nginxCacheType', 'cacheType', TEXT)]
    finally:
        del catalogue.RESOURCES['probe_site']


def test_a_field_without_kind_takes_the_catalogue_type_and_one_that_gives_it_keeps_it():
    class Supervisor(ResourceModule):
        list_path = catalogue.path('supervisor_job', 'list')
        fields = (
            Field('processes'),
            Field('auto_start', kind='bool'),
            # A field the catalogue does not list (a module written before its entry): the answers' type.
            Field('numprocs_limit', api='numprocs'),
            Field('note', api='note', kind='int'),
        )

    processes, auto_start, limit, note = Supervisor.fields
    assert (processes.api, processes.kind) == ('numprocs', INTEGER)
    assert (auto_start.api, auto_start.kind) == ('autoStart', BOOLEAN)
    assert (limit.api, limit.kind) == ('numprocs', INTEGER)
    assert (note.api, note.kind) == ('note', INTEGER)
    # The unbound Field declared in the class is left as it was declared.
    assert Field('processes').api == 'processes'
    assert disagreements(Supervisor) == ['numprocs_limit: not in the catalogue entry supervisor_job',
                                         'note: not in the catalogue entry supervisor_job']


def test_the_agreement_check_fails_on_a_module_that_contradicts_the_catalogue():
    class Contrary(ResourceModule):
        catalogue_resource = 'web_app'
        fields = (Field('memory_limit', kind='str'), Field('stack', api='webStack'), Field('name'))

    assert disagreements(Contrary) == [
        "memory_limit: kind ValueType(text), the catalogue ValueType(integer)",
        "stack: api 'webStack', the catalogue 'stack'",
        "stack: read_as 'webStack', the catalogue 'stack'",
        "stack: kind ValueType(text), the catalogue ValueType(enum: customnginx, hybrid, nativenginx)",
    ]


def test_a_new_module_without_catalogue_fields_keeps_working_with_its_own():
    # A resource listed with paths only, as a new module's entry may be at first.
    catalogue.RESOURCES['probe'] = Resource('probe', dict(list='servers/{server_id}/probes'))
    try:
        class Probe(ResourceModule):
            list_path = catalogue.path('probe', 'list')
            fields = (Field('label'), Field('enabled', kind='bool'), Field('server_user', api='server_user_id'))

        label, enabled, server_user = Probe.fields
        assert (label.api, label.kind, enabled.kind, server_user.kind) == ('label', TEXT, BOOLEAN, ID)
        assert disagreements(Probe) == []
    finally:
        del catalogue.RESOURCES['probe']


def test_answers_are_read_with_the_types_the_entries_give():
    assert ANSWER_TYPES['numprocs'] is INTEGER and ANSWER_TYPES['server_user_id'] is ID and ANSWER_TYPES['connected'] is BOOLEAN
    # One name, several resources' words: joined.
    assert set(ANSWER_TYPES['type'].choices) == {'custom', 'wordpress', 'primary', 'alias', 'redirect', 'global', 'rich'}
    assert set(ANSWER_TYPES['stack'].choices) == {'hybrid', 'nativenginx', 'customnginx', 'nginx'}
    # Text of a server, a word of a git deployment; a name or a domain name: left to the module.
    assert 'provider' not in ANSWER_TYPES and 'name' not in ANSWER_TYPES
    # Text needs no reading, and the references a module resolves itself are not read for it.
    assert 'label' not in ANSWER_TYPES and all(kind is not TEXT for kind in ANSWER_TYPES.values())


def test_an_entry_is_written_once_per_option():
    with pytest.raises(ValueError, match='listed twice'):
        Resource('twice', dict(list='twice'), fields=(FieldEntry('label'), FieldEntry('label', 'name')))
    with pytest.raises(TypeError, match='values type'):
        FieldEntry('label', kind='text')
