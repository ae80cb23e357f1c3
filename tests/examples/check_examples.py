# -*- coding: utf-8 -*-
# Copyright (c) runcloud.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The README's and every role README's first example, examples/site.yml and examples/fleet.yml, run as written
(see documented_examples.py): --check predicts exactly the changes the real run makes."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import sys

import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
# pylint: disable=wrong-import-position,unused-import
from documented_examples import ROOT, TOKEN, changed_tasks, first_yaml_block, run_playbook  # noqa: E402
from documented_examples import collections, simulator, simulator_v3  # noqa: E402,F401  (fixtures)

# The server the README examples manage, as a user's account would have it.
WEB_01 = {'name': 'web-01', 'ipAddress': '203.0.113.10'}
# The inventory the server_connect example describes in its comment, with the machine that runs the
# test playing the new server (the simulator's installation script only reports back to it).
NEW_SERVERS_INVENTORY = '''new_servers:
  hosts:
    web-01:
      ansible_host: 203.0.113.10
      ansible_connection: local
      server_connect_become: false
'''

EXAMPLES = {
    # name: (playbook text or path, servers that exist before (or how many to seed), inventory text or path)
    'readme-quick-start': (first_yaml_block('README.md', '## Quick start'), [WEB_01], None),
    'readme-using-the-collection': (first_yaml_block('README.md', '## Using the collection'), [WEB_01], None),
    'php_site': (first_yaml_block('roles/php_site/README.md'), [WEB_01], None),
    'laravel_app': (first_yaml_block('roles/laravel_app/README.md'), [WEB_01], None),
    'server_baseline': (first_yaml_block('roles/server_baseline/README.md'), [WEB_01], None),
    'server_connect': (first_yaml_block('roles/server_connect/README.md'), [], NEW_SERVERS_INVENTORY),
    'examples-site': (os.path.join(ROOT, 'examples', 'site.yml'), [], os.path.join(ROOT, 'examples', 'demo-inventory.yml')),
    # The fleet of make demo: three connected servers the simulator makes up, hosts from the inventory plugin.
    'examples-fleet': (os.path.join(ROOT, 'examples', 'fleet.yml'), 3, os.path.join(ROOT, 'examples', 'fleet.runcloud.yml')),
}


def todays_examples():
    """Every example, or with RUNCLOUD_EXAMPLES_HALF=0 or 1 (run-examples.sh --daily-half) the playbooks
    of examples/ and that half of the README examples (by their sorted names)."""
    half = os.environ.get('RUNCLOUD_EXAMPLES_HALF')
    names = sorted(EXAMPLES)
    if half not in ('0', '1'):
        return names
    documented = [name for name in names if not name.startswith('examples-')]
    return [name for name in names if name.startswith('examples-') or documented.index(name) % 2 == int(half)]


def prepare(simulator, tmp_path, example):
    playbook, servers, inventory = EXAMPLES[example]
    if isinstance(servers, int):
        simulator.call('POST', '/seed', {'servers': servers, 'connected': True}, api=False)
        servers = []
    for server in servers:
        created = simulator.call('POST', '/servers', server)
        simulator.call('POST', '/servers/%s/state' % created['id'], {'connected': True, 'online': True}, api=False)
    if not os.path.isabs(playbook):
        path = tmp_path / 'playbook.yml'
        path.write_text(playbook)
        playbook = str(path)
    args = []
    if inventory is not None:
        if not os.path.isabs(inventory):
            path = tmp_path / 'inventory.yml'
            path.write_text(inventory)
            inventory = str(path)
        args = ['-i', inventory]
    return playbook, args


@pytest.mark.parametrize('example', todays_examples())
def test_an_example_runs_as_written_and_check_mode_predicts_its_changes(simulator, collections, tmp_path, example):
    playbook, args = prepare(simulator, tmp_path, example)
    workdir = str(tmp_path)
    before = simulator.writes()
    check_output, predicted = run_playbook(simulator, collections, workdir, playbook, '--check', *args)
    assert simulator.writes() == before, 'the check-mode run wrote to the API'
    real_output, made = run_playbook(simulator, collections, workdir, playbook, *args)
    assert predicted == made, 'check mode predicted %d changes, the real run made %d\npredicted: %s\nmade: %s' % (
        predicted, made, changed_tasks(check_output), changed_tasks(real_output))
    _output, again = run_playbook(simulator, collections, workdir, playbook, *args)
    assert again == 0, 'a second run changed %d things: %s' % (again, changed_tasks(_output))


# What exists on RunCloud API v3 alone (WordPress sites, Hub, staging): run against the simulator's API v3,
# on a server the account has (web-01). The second run must also send no write.
EXAMPLES_V3 = {
    'wordpress_site': first_yaml_block('roles/wordpress_site/README.md'),
    'wordpress_site-several-sites': first_yaml_block('roles/wordpress_site/README.md', '## Several sites'),
    'examples-wordpress': os.path.join(ROOT, 'examples', 'wordpress.yml'),
}


@pytest.mark.v3_only
@pytest.mark.parametrize('example', sorted(EXAMPLES_V3))
def test_an_api_v3_example_runs_as_written_and_a_second_run_writes_nothing(simulator_v3, collections, tmp_path, example):
    simulator_v3.call('POST', '/seed', {'servers': 1, 'connected': True}, api=False)
    playbook = EXAMPLES_V3[example]
    if not os.path.isabs(playbook):
        path = tmp_path / 'playbook.yml'
        path.write_text(playbook)
        playbook = str(path)
    workdir = str(tmp_path)
    before = simulator_v3.writes()
    check_output, predicted = run_playbook(simulator_v3, collections, workdir, playbook, '--check')
    assert simulator_v3.writes() == before, 'the check-mode run wrote to the API'
    real_output, made = run_playbook(simulator_v3, collections, workdir, playbook)
    assert predicted == made, 'check mode predicted %d changes, the real run made %d\npredicted: %s\nmade: %s' % (
        predicted, made, changed_tasks(check_output), changed_tasks(real_output))
    written = simulator_v3.writes()
    _output, again = run_playbook(simulator_v3, collections, workdir, playbook)
    assert again == 0, 'a second run changed %d things: %s' % (again, changed_tasks(_output))
    assert simulator_v3.writes() == written, 'a second run wrote to the API'


@pytest.mark.v2_setup
@pytest.mark.parametrize('mistake, expected', [
    ('url-without-api-v2', 'check api_url: it is http://127.0.0.1:{port}, but the RunCloud API is under a path ending in /api/v2'),
    # API v3 takes only a workspace token (a JWT): the simulator's v2 token is refused there, with the three causes named.
    ('v2-token-on-api-v3', 'API v3 refused the API token (environment variable RUNCLOUD_API_TOKEN). It is one of three causes'),
    ('stale-token', 'the API did not accept the API token (environment variable RUNCLOUD_API_TOKEN): check that it is current'),
    ('both-kinds', 'both kinds of credentials are set in the environment: RUNCLOUD_API_TOKEN and RUNCLOUD_API_KEY and RUNCLOUD_API_SECRET'),
])
def test_the_quick_start_with_a_set_up_mistake_says_what_to_check(simulator, collections, tmp_path, mistake, expected):
    playbook = tmp_path / 'first.yml'
    playbook.write_text(EXAMPLES['readme-quick-start'][0])
    port = simulator.url.split(':')[2].split('/')[0]
    # Each mistake is made on top of the v2 set-up the quick start shows, whatever API version the
    # other examples run against (RUNCLOUD_TEST_API_VERSION).
    v2 = dict(RUNCLOUD_API_URL=simulator.url_v2, RUNCLOUD_API_TOKEN=TOKEN)
    environment = {
        'url-without-api-v2': dict(v2, RUNCLOUD_API_URL=simulator.root),
        'v2-token-on-api-v3': dict(v2, RUNCLOUD_API_URL=simulator.url_v3),
        'stale-token': dict(v2, RUNCLOUD_API_TOKEN='revoked-token-value'),
        'both-kinds': dict(v2, RUNCLOUD_API_KEY='key-value', RUNCLOUD_API_SECRET='secret-value'),
    }[mistake]
    output = run_playbook(simulator, collections, str(tmp_path), str(playbook), expect_failure=True, **environment)[0]
    assert expected.format(port=port) in output, output
    for secret in ('revoked-token-value', 'key-value', 'secret-value'):
        assert secret not in output


@pytest.mark.v3_only
def test_the_wordpress_example_removed_takes_its_files_backup_policy_and_keeps_its_databases(simulator_v3, collections, tmp_path):
    simulator_v3.call('POST', '/seed', {'servers': 1, 'connected': True}, api=False)
    playbook, workdir = EXAMPLES_V3['examples-wordpress'], str(tmp_path)
    run_playbook(simulator_v3, collections, workdir, playbook)
    covered = [policy['items'] for policy in simulator_v3.call('GET', '/backups')['data']]
    assert len(covered) == 2 and {item['webApplicationId'] is None for item in covered} == {True, False}
    _output, removed = run_playbook(simulator_v3, collections, workdir, playbook, '-e', 'wordpress_site_state=absent')
    assert removed == 3, changed_tasks(_output)  # the staging copy, the files' backup policy, the site
    left = [policy['items'] for policy in simulator_v3.call('GET', '/backups')['data']]
    # The database stays when a site is deleted, and so does its policy.
    assert len(left) == 1 and left[0]['webApplicationId'] is None and left[0]['databaseId'] is not None
    written = simulator_v3.writes()
    _output, again = run_playbook(simulator_v3, collections, workdir, playbook, '-e', 'wordpress_site_state=absent')
    assert again == 0, changed_tasks(_output)
    assert simulator_v3.writes() == written
