# -*- coding: utf-8 -*-
# Copyright (c) runcloud.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""tests/run-tests.sh itself: logs, heartbeat, time limit, failures shown and summary, with stages
that take seconds instead of minutes (a copy of the runner whose STAGES list is replaced)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import re
import shutil
import subprocess

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def runner_with_stages(tmp_path, stages):
    """A repository skeleton with a copy of the runner whose STAGES are ``stages``."""
    (tmp_path / 'tests' / 'lib').mkdir(parents=True)
    shutil.copy(os.path.join(ROOT, 'tests', 'lib', 'bootstrap.sh'), str(tmp_path / 'tests' / 'lib'))
    with open(str(tmp_path / 'tests' / 'lib' / 'bootstrap.sh'), 'a') as bootstrap:
        # The fake stages need no venv: the runner's set-up of the main venv is not what is tested here.
        bootstrap.write('\nrc_ensure_main_venv() { echo "main venv: not needed by the fake stages"; }\n')
    with open(os.path.join(ROOT, 'tests', 'run-tests.sh')) as source:
        script = source.read()
    registration = re.compile(r'^STAGES=\(\n.*?^\)\n', re.MULTILINE | re.DOTALL)
    assert registration.search(script), 'the runner has no STAGES=( ... ) list'
    lines = ''.join('    "%s"\n' % stage for stage in stages)
    script = registration.sub(lambda _match: 'STAGES=(\n%s)\n' % lines, script, count=1)
    (tmp_path / 'tests' / 'run-tests.sh').write_text(script)
    return tmp_path


def run(root, *args, **env):
    environment = dict(os.environ, RUNCLOUD_TEST_HEARTBEAT='1', RUNCLOUD_TEST_STAGE_TIMEOUT='30', RUNCLOUD_TEST_FAILURE_LINES='5')
    environment.pop('CI', None)
    environment.update(env)
    return subprocess.run(['bash', str(root / 'tests' / 'run-tests.sh')] + list(args), cwd=str(root), env=environment,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, universal_newlines=True, timeout=120, check=False)


STAGE_SCRIPTS = {
    'quiet.sh': 'for i in $(seq 1 50); do echo "routine line $i"; done\n',
    'broken.sh': 'for i in $(seq 1 50); do echo "broken line $i"; done\nexit 3\n',
    'slow.sh': 'echo "slow started"\nsleep 3.5\necho "slow done"\n',
    'hangs.sh': 'echo "hangs started"\nsleep 60 &\nwait\n',
    # What ansible-test integration and pytest print as they go.
    'targets.sh': 'echo "Running first integration test role"\necho "Running second integration test script"\nsleep 3.5\n',
    'percent.sh': 'printf "collected 12 items\\n\\ncheck_examples.py ....      [ 33%%]\\n..\\ncheck_installed.py .F\\n"\nsleep 3.5\n',
    'sanity.sh': 'echo \'Running sanity test "ansible-doc"\'\necho \'Running sanity test "pep8" on Python 3.11\'\nsleep 3.5\n',
    # An integration run whose second target fails, as ansible-test and setup_simulator print it.
    'target-fails.sh': ('echo "Running first integration test role"\necho "setup_simulator: API v2 at http://127.0.0.1:1/api/v2"\n'
                        'echo "Running second integration test role"\n'
                        'echo "setup_simulator: converge checks answer in the variant bare-lists"\n'
                        'echo "setup_simulator: API v3 at http://127.0.0.1:2/api/v3"\n'
                        'echo "setup_simulator: module tasks run with run_on_controller=false"\nexit 1\n'),
    # Burns CPU in a grandchild process, and writes down how much (bash's `times`: its children).
    'busy.sh': 'sh -c \'awk "BEGIN { for (i = 0; i < 2e7; i++) s += i }"\'\ntimes > busy.times\n',
}


@pytest.fixture
def repo(tmp_path):
    root = runner_with_stages(tmp_path, [
        'quiet|side|tests/requirements.txt|2|bash tests/quiet.sh',
        'broken|side|tests/requirements.txt|2|bash tests/broken.sh',
        'slow|after|tests/requirements.txt|2|bash tests/slow.sh',
        'hangs|after|tests/requirements.txt|2|bash tests/hangs.sh',
        'targets|after|tests/requirements.txt|2|bash tests/targets.sh',
        'percent|after|tests/requirements.txt|2|bash tests/percent.sh',
        'static|after|tests/requirements.txt|2|bash tests/sanity.sh',
        'targetfail|after|tests/requirements.txt|2+3|bash tests/target-fails.sh',
        'busy|side|tests/requirements.txt|-|bash tests/busy.sh',
    ])
    # Three integration targets ansible-test runs, and a hidden one it does not.
    for target in ('first', 'second', 'third', 'setup_helper'):
        (root / 'tests' / 'integration' / 'targets' / target).mkdir(parents=True)
        (root / 'tests' / 'integration' / 'targets' / target / 'aliases').write_text('hidden\n' if target == 'setup_helper' else 'context/controller\n')
    for name, text in STAGE_SCRIPTS.items():
        (root / 'tests' / name).write_text(text)
    (root / 'tests' / 'requirements.txt').write_text('ansible-core==2.19.14\n')
    return root


def test_only_failures_and_the_summary_are_printed_and_every_log_is_kept(repo):
    result = run(repo, 'quiet', 'broken', 'slow')
    out = result.stdout
    assert result.returncode == 1, out
    assert 'routine line' not in out
    # The end of the failed stage's log, not all of it.
    assert 'broken line 50' in out and 'broken line 46' in out and 'broken line 45' not in out
    assert re.search(r'^  quiet +2\.19\.14 +2 +\d+s +\d+s  passed$', out, re.MULTILINE), out
    assert re.search(r'^  broken +2\.19\.14 +2 +\d+s +\d+s  FAILED \(exit 3\)$', out, re.MULTILINE), out
    assert out.rstrip().splitlines()[-1] == 'stages: 2 passed, 1 failed'
    logs = repo / 'tests' / 'output' / 'logs'
    assert 'routine line 50' in (logs / 'quiet.log').read_text()
    assert 'broken line 1\n' in (logs / 'broken.log').read_text()
    assert 'slow done' in (logs / 'slow.log').read_text()


def test_a_running_stage_gets_a_heartbeat_line(repo):
    out = run(repo, 'slow').stdout
    assert re.search(r'running slow +\d+s so far +\(log: tests/output/logs/slow\.log\)', out), out
    assert out.rstrip().splitlines()[-1] == 'stages: 1 passed, 0 failed'


def test_a_stage_past_its_time_limit_is_stopped_and_fails(repo):
    result = run(repo, 'hangs', 'quiet', RUNCLOUD_TEST_STAGE_TIMEOUT='2')
    out = result.stdout
    assert result.returncode == 1, out
    assert re.search(r'^  hangs +\S+ +\S+ +\d+s +\d+s  FAILED \(timed out after 2s\)$', out, re.MULTILINE), out
    assert 'no result after 2s' in out
    assert out.rstrip().splitlines()[-1] == 'stages: 1 passed, 1 failed'


def test_galaxy_importer_output_decides_its_verdict(tmp_path):
    root = runner_with_stages(tmp_path, [
        'clean|after|-|-|galaxy_importer_verdict tests/clean.log',
        'lint-timeout|after|-|-|galaxy_importer_verdict tests/timeout.log',
        'lint-missing|after|-|-|galaxy_importer_verdict tests/missing.log',
        'lint-cut|after|-|-|galaxy_importer_verdict tests/cut.log',
        'no-lint|after|-|-|galaxy_importer_verdict tests/no-lint.log',
        'cut|after|-|-|galaxy_importer_verdict tests/import-cut.log',
    ])
    complete = 'Linting collection via ansible-lint 26.10.1...\n...ansible-lint run complete\nImporter processing completed successfully\n'
    (root / 'tests' / 'clean.log').write_text(complete)
    (root / 'tests' / 'timeout.log').write_text('ERROR: Timeout on call to ansible-lint\n' + complete)
    (root / 'tests' / 'missing.log').write_text('WARNING: ansible-lint not found, skipping lint of collection\n'
                                                'Importer processing completed successfully\n')
    (root / 'tests' / 'cut.log').write_text('Linting collection via ansible-lint 26.10.1...\nImporter processing completed successfully\n')
    # The stage's own configuration: no lint (tests/galaxy-importer.cfg); the import must still end.
    (root / 'tests' / 'no-lint.log').write_text('Loading role php_site\nImporter processing completed successfully\n')
    (root / 'tests' / 'import-cut.log').write_text('Loading role php_site\n')
    out = run(root, 'clean', 'lint-timeout', 'lint-missing', 'lint-cut', 'no-lint', 'cut').stdout
    assert re.search(r'^  clean +- +- +\d+s +\d+s  passed$', out, re.MULTILINE), out
    assert re.search(r'^  no-lint +- +- +\d+s +\d+s  passed$', out, re.MULTILINE), out
    for failed in ('lint-timeout', 'lint-missing', 'lint-cut', 'cut'):
        assert re.search(r'^  %s .*FAILED' % failed, out, re.MULTILINE), out
    assert 'ERROR: Timeout on call to ansible-lint' in out
    assert "lacks '...ansible-lint run complete'" in out
    assert "lacks 'Importer processing completed successfully'" in out


def test_no_selected_stage_ran_fails(repo):
    result = run(repo, 'sanity-9.9')
    assert result.returncode != 0
    assert 'no stage ran' in result.stdout


def test_a_set_up_that_gives_up_is_reported_and_the_stages_still_run(repo):
    with open(str(repo / 'tests' / 'lib' / 'bootstrap.sh'), 'a') as bootstrap:
        bootstrap.write('\nrc_ensure_main_venv() { rc_die "no Python 3.11 here"; }\n')
    out = run(repo, 'quiet').stdout
    assert re.search(r'setup-main-venv FAILED \(exit 1\); see tests/output/logs/setup-main-venv\.log', out), out
    assert 'no Python 3.11 here' in (repo / 'tests' / 'output' / 'logs' / 'setup-main-venv.log').read_text()
    assert out.rstrip().splitlines()[-1] == 'stages: 1 passed, 0 failed'


def test_a_failed_stage_shows_its_log_tail_when_it_ends_not_only_at_the_end(repo):
    out = run(repo, 'broken', 'slow').stdout
    # The after-stages run one by one: broken's tail comes before slow starts, and again before the summary.
    assert out.count('broken line 50') == 2, out
    assert out.index('broken line 50') < out.index('start   slow') < out.rindex('broken line 50') < out.index('= summary =')


def test_the_heartbeat_shows_the_integration_target_being_run_of_how_many(repo):
    out = run(repo, 'targets').stdout
    assert re.search(r'running targets +\d+s so far +\(log: tests/output/logs/targets\.log\)  integration target 2 of 3: second$', out, re.MULTILINE), out


def test_the_heartbeat_shows_how_many_tests_pytest_ran(repo):
    out = run(repo, 'percent').stdout
    assert re.search(r'running percent .*  pytest 8 of 12 tests done$', out, re.MULTILINE), out


def test_the_heartbeat_shows_the_sanity_test_being_run(repo):
    out = run(repo, 'static').stdout
    assert re.search(r'running static .*  sanity test 2: pep8$', out, re.MULTILINE), out


def test_the_summary_shows_the_api_version_and_the_cpu_seconds_of_each_stage(repo):
    out = run(repo, 'busy', 'quiet').stdout
    cpu = re.search(r'^  busy +2\.19\.14 +- +\d+s +(\d+)s  passed$', out, re.MULTILINE)
    assert cpu, out
    # What the stage's grandchild used is counted: user and system time, minutes and seconds.
    used = sum(int(minutes) * 60 + float(seconds)
               for minutes, seconds in re.findall(r'(\d+)m([\d.]+)s', (repo / 'busy.times').read_text().splitlines()[1]))
    assert used > 0.3, 'the busy loop used too little CPU to tell: %s' % used
    assert int(used) <= int(cpu.group(1)) <= int(used) + 2, (used, out)
    assert re.search(r'start +busy +ansible-core 2\.19\.14 +API -$', out, re.MULTILINE), out


def test_a_failed_integration_stage_names_the_target_with_its_variant_api_version_and_path(repo):
    out = run(repo, 'targetfail').stdout
    assert re.search(r'^  targetfail +2\.19\.14 +2\+3 +\d+s +\d+s  FAILED \(exit 1\): target second '
                     r'\(variant bare-lists, API v3, run_on_controller=false\)$', out, re.MULTILINE), out


def plan(root, date):
    """tests/run-tests.sh --plan of that day: ({target: (path on 2.16, path on 2.22)}, {adopt lane: (API, accounts)})."""
    result = run(root, '--plan', RUNCLOUD_TEST_DATE=date)
    assert result.returncode == 0, result.stdout
    targets, adopt = result.stdout.split('\n\n')
    lines = targets.splitlines()
    assert lines[1].split() == ['target', '2.16', '2.22'], result.stdout
    shares = dict((lane, (api, tuple(int(number) for number in accounts.split())))
                  for lane, api, accounts in re.findall(r'^(adopt-\S+) API v(\d) accounts ([\d ]+)$', adopt, re.MULTILINE))
    return dict((line.split()[0], tuple(line.split()[1:])) for line in lines[2:]), shares


def integration_plan(root, date):
    return plan(root, date)[0]


def test_the_export_round_trips_share_a_daily_window_of_the_accounts_one_lane_per_api_version(tmp_path):
    root = runner_with_stages(tmp_path, [])
    days = [plan(root, '2026-12-%02d' % day)[1] for day in range(7, 12)]
    for shares in days:
        assert sorted(shares) == ['adopt-2.16', 'adopt-2.22'], shares
        assert shares['adopt-2.16'][0] == '2' and shares['adopt-2.22'][0] == '3'
        # Four different accounts of the ten in a run, two on each lane, each lane's from an even one
        # (on API v3 the even accounts have a WordPress site: tests/adopt/roundtrip.py).
        run_accounts = shares['adopt-2.16'][1] + shares['adopt-2.22'][1]
        assert len(shares['adopt-2.16'][1]) == 2 and len(set(run_accounts)) == 4, shares
        assert set(run_accounts) <= set(range(10)), shares
        assert shares['adopt-2.22'][1][0] % 2 == 0, shares
    # Within five days every account runs on both API versions.
    for lane in ('adopt-2.16', 'adopt-2.22'):
        assert set().union(*(shares[lane][1] for shares in days)) == set(range(10)), (lane, days)


@pytest.mark.parametrize('targets', [3, 8, 44])
def test_each_target_runs_once_a_day_and_over_four_days_on_both_cores_in_both_paths(tmp_path, targets):
    root = runner_with_stages(tmp_path, [])
    names = ['target_%02d' % number for number in range(targets)] + ['execution_paths', 'setup_helper']
    for name in names:
        (root / 'tests' / 'integration' / 'targets' / name).mkdir(parents=True)
        (root / 'tests' / 'integration' / 'targets' / name / 'aliases').write_text('hidden\n' if name == 'setup_helper' else 'context/controller\n')
    days = [integration_plan(root, date) for date in ('2026-12-07', '2026-12-08', '2026-12-09', '2026-12-10')]
    seen = dict((name, set()) for name in names[:-2])
    for plan in days:
        # Every target ansible-test runs, the hidden one not.
        assert sorted(plan) == sorted(names[:-1])
        # execution_paths (it runs both paths itself) on both lanes every day.
        assert plan['execution_paths'] == ('controller', 'controller')
        lanes = [[], []]
        for name in names[:-2]:
            on = [(lane, path) for lane, path in enumerate(plan[name]) if path != '-']
            assert len(on) == 1, (name, plan[name])
            seen[name].add(on[0])
            lanes[on[0][0]].append(on[0][1])
        # The targets divided between the lanes within one, and each lane runs both paths.
        assert abs(len(lanes[0]) - len(lanes[1])) <= 1, plan
        if targets >= 4:
            assert all(set(paths) == {'controller', 'module-process'} for paths in lanes), plan
    # Within four days every target ran on both ansible-cores in both paths.
    assert all(len(combinations) == 4 for combinations in seen.values()), seen


def test_the_lane_copy_gets_the_split_that_setup_simulator_reads(tmp_path):
    root = runner_with_stages(tmp_path, [])
    for name in ('alpha', 'beta'):
        (root / 'tests' / 'integration' / 'targets' / name).mkdir(parents=True)
    plan = integration_plan(root, '2026-12-07')
    # The file format that setup_simulator/simulator.sh reads, for each target by its directory name.
    script = os.path.join(ROOT, 'tests', 'integration', 'targets', 'setup_simulator', 'simulator.sh')
    with open(script) as handle:
        reader = re.search(r"awk -v target=.*?\n.*?'(NF == 1.*?)' ", handle.read(), re.S)
    assert reader, 'simulator.sh no longer reads run_on_controller with awk'
    # Each target's path on the lane that runs it today: one of the two runs as module processes.
    path_of = dict((name, [path for path in paths if path != '-'][0]) for name, paths in plan.items())
    assert sorted(path_of.values()) == ['controller', 'module-process'], plan
    lines = ''.join('%s %s\n' % (name, 'false' if path == 'module-process' else 'true') for name, path in path_of.items())
    (tmp_path / 'run_on_controller').write_text(lines)
    for name, path in path_of.items():
        value = subprocess.run(['awk', '-v', 'target=%s' % name, reader.group(1), str(tmp_path / 'run_on_controller')],
                               stdout=subprocess.PIPE, universal_newlines=True, check=True).stdout.strip()
        assert value == ('false' if path == 'module-process' else 'true')


def test_the_ansible_test_ssh_key_is_made_once_before_the_lanes_start(repo, tmp_path):
    # Two lanes starting integration at once in a fresh HOME both made this key; the second ssh-keygen
    # stopped at its overwrite question and failed that lane's stage.
    home = tmp_path / 'home'
    home.mkdir()
    run(repo, 'integration-9.9', HOME=str(home))
    key = home / '.ansible' / 'test' / 'id_rsa'
    assert key.is_file() and (home / '.ansible' / 'test' / 'id_rsa.pub').is_file()
    assert key.read_text().startswith('-----BEGIN RSA PRIVATE KEY-----'), key.read_text()[:60]
    made = key.read_text()
    run(repo, 'integration-9.9', HOME=str(home))
    assert key.read_text() == made, 'a second run made the key again'
