# -*- coding: utf-8 -*-
# Copyright (c) runcloud.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

try:
    from ansible.module_utils.secrets import register_secrets  # noqa: F401 pylint: disable=unused-import
except ImportError:  # ansible-core < 2.22
    SECRET_MASKING = False
else:
    SECRET_MASKING = True


def with_secret_credentials(documentation):
    """``documentation`` with ``secret: true`` on ``api_token``, ``api_key`` and ``api_secret`` when the
    running ansible-core masks secrets (2.22 and later: it then registers their values, from the inventory
    file or the environment). Older versions have no use for the key, and their sanity test refuses it."""
    if not SECRET_MASKING:
        return documentation
    return re.sub(r'(\n  (?:api_token|api_key|api_secret):\n(?:    .*\n)*?    type: str\n)', r'\1    secret: true\n', documentation)


class ModuleDocFragment(object):

    # Connection options shared by every module (plugins/module_utils/module.py builds them).
    DOCUMENTATION = r'''
options:
  api_url:
    description:
      - Base URL of the RunCloud API v2 (C(http://) or C(https://), at most 2048 characters, no
        whitespace, no credentials in it).
      - If not set, the value of the E(RUNCLOUD_API_URL) environment variable is used.
    type: str
    default: https://manage.runcloud.io/api/v2
    aliases: [api_endpoint]
  api_token:
    description:
      - "Workspace API token, sent as C(Authorization: Bearer <token>)."
      - If not set, the value of the E(RUNCLOUD_API_TOKEN) environment variable is used.
      - Give either O(api_token) or O(api_key) with O(api_secret), not both. Credentials set on the task
        win over environment variables of the other kind (a token in the environment does not block
        O(api_key) and O(api_secret) given on the task); empty environment variables count as unset.
        With nothing on the task and both kinds in the environment (E(RUNCLOUD_API_TOKEN) and
        E(RUNCLOUD_API_KEY) or E(RUNCLOUD_API_SECRET)), the task fails before any request, naming
        the variables, so that a stale variable of one kind never silently beats the other; unset
        the variables of the kind you do not use, or give the credentials on the task.
    type: str
  api_key:
    description:
      - Legacy API key (personal space), sent with O(api_secret) as HTTP Basic authentication.
      - If not set, the value of the E(RUNCLOUD_API_KEY) environment variable is used.
    type: str
  api_secret:
    description:
      - Legacy API secret that goes with O(api_key).
      - If not set, the value of the E(RUNCLOUD_API_SECRET) environment variable is used.
    type: str
  validate_certs:
    description:
      - Whether to verify the TLS certificate of the API.
      - If not set, the value of the E(RUNCLOUD_VALIDATE_CERTS) environment variable is used.
    type: bool
    default: true
  ca_path:
    description:
      - A file (PEM bundle) or directory of CA certificates to verify the API's TLS certificate
        with, for an API behind a private CA or a TLS-inspecting proxy.
      - If not set, the value of the E(RUNCLOUD_CA_PATH) environment variable is used; without either,
        the first non-empty one of E(REQUESTS_CA_BUNDLE), E(CURL_CA_BUNDLE) and E(SSL_CERT_FILE), and
        else the CA bundle that comes with C(requests).
      - Ignored when O(validate_certs=false).
    type: path
  api_timeout:
    description:
      - Seconds to wait for the API to answer one request, a number from 0.1 to 3600.
      - If not set, the value of the E(RUNCLOUD_API_TIMEOUT) environment variable is used.
    type: float
    default: 30
  api_retries:
    description:
      - How many times one request is tried in all before giving up, from 1 to 50.
      - Rate-limited requests (HTTP 429) are always retried; HTTP 5xx answers (but 501 and 505),
        timeouts and lost connections for reads and for writes that set a state (GET, PUT, PATCH,
        DELETE). A write whose outcome is unknown (a POST, or a PUT that triggers a deployment or a
        renewal) is never sent again blindly. The module reads the state again, and again after
        growing pauses for at most O(api_timeout) seconds (and half the retry budget left) in case
        the write is still in flight; only when that shows the write did not land is it sent again.
      - Servers are never created twice (their names are not unique), so an unknown outcome of a
        server creation fails the task with what to check.
      - A refused connection or a host name that does not resolve is tried twice; TLS and
        certificate errors are not retried.
      - If not set, the value of the E(RUNCLOUD_API_RETRIES) environment variable is used.
    type: int
    default: 5
  api_retry_budget:
    description:
      - The most seconds one request may spend waiting between its tries (C(Retry-After), backoff),
        from 0 to 3600.
      - If not set, the value of the E(RUNCLOUD_API_RETRY_BUDGET) environment variable is used.
    type: float
    default: 120
requirements:
  - requests
notes:
  - "The modules talk to the RunCloud API from the host they run on, usually C(localhost); use
    C(delegate_to: localhost) or C(connection: local) when the play targets your servers."
  - Credentials are only sent in the C(Authorization) header and are never part of a result or an
    error message. Credentials holding whitespace, control characters or characters outside printable
    ASCII are refused before any request.
  - With ansible-core 2.22 and later, the credentials a task uses, from its options or the environment,
    are registered with Ansible's secret masking, which hides them in all output.
  - Text options other than scripts, certificates and keys must be a single line; a value with a NUL,
    carriage return or line feed character is refused before any request, naming the option.
  - Run with C(-vvv) to see every retry, and why, in the C(api_log) list of the result.
'''

    # The options of the collection's action plugin, in front of every module (not the export's).
    ACTION = r'''
options:
  resolve_cache:
    description:
      - Whether the action plugin in front of the module remembers, for the rest of the playbook run, the ids
        of the servers, web applications, system users, databases and database users that tasks found,
        created or predicted, and gives later tasks the id instead of the name (no search request).
      - Ids are remembered per API endpoint (the one the module uses, whether O(api_url), its alias
        C(api_endpoint) or E(RUNCLOUD_API_URL) names it) and credential on the controller, in memory only, and
        are forgotten when the run ends. A deletion or rename by a task of the collection updates them at once.
      - A remembered id is checked against what the API answers. Before its first write, a task reads each
        parent whose id it remembered; a parent that answers HTTP 404 or carries another name now (changed
        beside the run) is looked up by name once more, and nothing is written on the old one. A task that only
        reads does the same at the first HTTP 404 below such a parent, but does not notice a parent renamed
        beside the run whose old id still answers.
      - Every module reports what it learnt in its C(resolved) result, a list of C(kind) (V(server), V(web_app),
        V(system_user), V(database), V(database_user); other kinds may appear), C(server_id) (V(null) for a server),
        C(name), C(id) (V(null) when only predicted or not found) and C(state) (V(present), V(predicted) or V(absent)).
        It holds names and ids only.
      - Set V(false) when parents are renamed beside the run and tasks that only read (C(*_info) modules,
        converged tasks, check mode) must report on the object that has the name now; every task then looks
        its parents up by name.
    type: bool
    default: true
  run_on_controller:
    description:
      - "With a local connection (C(connection: local), C(delegate_to: localhost), the implicit localhost)
        and no become, the module's code runs inside the task's process on the controller instead of a new
        Python process, which saves about half a second per task. It needs C(requests) in the controller's
        Python and a task interpreter (C(ansible_python_interpreter)) that is unset, discovered or that Python."
      - A task interpreter of another Python environment, a virtual environment made from the same Python
        included, or C(ansible_python_interpreter) with arguments, runs the module as a separate process with
        that environment's packages. C({{ ansible_playbook_python }}) is the controller's Python.
      - "Each run in the controller's process is isolated like a process, also for the items of a loop and
        the retries of C(until): it reports only its own warnings and deprecations, Python warnings (such as
        C(InsecureRequestWarning) with O(validate_certs=false)) are warnings of its result, and it writes
        nothing to the terminal."
      - Set V(false) to always run the module as a separate process.
      - If not set, the value of the E(RUNCLOUD_RUN_ON_CONTROLLER) environment variable of the controller is
        used (V(false) runs every task of the collection as a separate process).
    type: bool
    default: true
  predicted_parents:
    description:
      - Kinds of parents that check mode takes as created by an earlier task when they do not exist yet;
        they are not looked up and nothing below them is read.
      - The action plugin fills this in from what earlier tasks of the play predicted; set it only for a
        parent that a play creates in a way the collection cannot see. Without it, a parent that does not
        exist fails the task in check mode as it fails the real run (a typo in a name is caught by C(--check)).
      - Ignored outside check mode.
    type: list
    elements: str
    choices: [server, web_app, system_user, database, database_user]
    default: []
  parent_ids:
    description:
      - Ids of parents given by name, keyed by option (V(server), V(web_app), V(system_user), V(database),
        V(database_user), V(alias_of)), that an earlier task of the playbook run found or created.
      - The action plugin fills this in (O(resolve_cache)); the module then looks none of them up, but it reads
        each of them once before its first write, and after an HTTP 404 below one. One that is gone or carries
        another name fails the task with C(stale_parent_ids) (the action plugin then runs it again with the
        names). A parent given by id ignores it. Users do not normally set it.
    type: dict
    default: {}
'''

    # The same options for plugins that read Ansible configuration (the inventory plugin). The
    # credentials are marked secret where ansible-core masks secrets (2.22 and later), below.
    PLUGIN = r'''
options:
  api_url:
    description:
      - Base URL of the RunCloud API v2 (C(http://) or C(https://), at most 2048 characters).
    type: str
    default: https://manage.runcloud.io/api/v2
    aliases: [api_endpoint]
    env:
      - name: RUNCLOUD_API_URL
  api_token:
    description:
      - "Workspace API token, sent as C(Authorization: Bearer <token>)."
      - Give either O(api_token) or O(api_key) with O(api_secret), not both. Credentials set in the
        inventory file win over environment variables of the other kind; empty environment variables
        count as unset. With neither kind in the file and both kinds in the environment
        (E(RUNCLOUD_API_TOKEN) and E(RUNCLOUD_API_KEY) or E(RUNCLOUD_API_SECRET)), the inventory
        source fails, naming the variables; unset the variables of the kind you do not use.
    type: str
    env:
      - name: RUNCLOUD_API_TOKEN
  api_key:
    description:
      - Legacy API key (personal space), sent with O(api_secret) as HTTP Basic authentication.
    type: str
    env:
      - name: RUNCLOUD_API_KEY
  api_secret:
    description:
      - Legacy API secret that goes with O(api_key).
    type: str
    env:
      - name: RUNCLOUD_API_SECRET
  validate_certs:
    description:
      - Whether to verify the TLS certificate of the API.
    type: bool
    default: true
    env:
      - name: RUNCLOUD_VALIDATE_CERTS
  ca_path:
    description:
      - A file (PEM bundle) or directory of CA certificates to verify the API's TLS certificate with.
      - Without it, the first non-empty one of E(REQUESTS_CA_BUNDLE), E(CURL_CA_BUNDLE) and
        E(SSL_CERT_FILE) is used, else the CA bundle that comes with C(requests).
    type: path
    env:
      - name: RUNCLOUD_CA_PATH
  api_timeout:
    description:
      - Seconds to wait for the API to answer one request, a number from 0.1 to 3600.
    type: float
    default: 30
    env:
      - name: RUNCLOUD_API_TIMEOUT
  api_retries:
    description:
      - How many times one request is tried in all before giving up, from 1 to 50. HTTP 429 is always retried.
    type: int
    default: 5
    env:
      - name: RUNCLOUD_API_RETRIES
  api_retry_budget:
    description:
      - The most seconds one request may spend waiting between its tries, from 0 to 3600.
    type: float
    default: 120
    env:
      - name: RUNCLOUD_API_RETRY_BUDGET
requirements:
  - requests
'''


# Added after the class: the sanity tests read the documentation above as literal text.
if SECRET_MASKING:
    ModuleDocFragment.PLUGIN = with_secret_credentials(ModuleDocFragment.PLUGIN)
