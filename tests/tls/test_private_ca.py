# -*- coding: utf-8 -*-
# Copyright (c) runcloud.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""An API behind a private CA: modules, the lookup and the inventory plugin work with ca_path and
with SSL_CERT_FILE, and fail clearly without either. The CA and the simulator's certificate are made
for each run."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import datetime
import ipaddress
import os
import subprocess
import sys

import pytest

from ansible.errors import AnsibleError

from ansible_collections.runcloud.cloud.plugins.lookup import static
from ansible_collections.runcloud.cloud.plugins.modules import server_info
from ansible_collections.runcloud.cloud.tests.inventory.inventory_harness import ansible_inventory_command, collections_path
from ansible_collections.runcloud.cloud.tests.unit.module_runner import run_module_against

x509 = pytest.importorskip('cryptography.x509')
from cryptography.hazmat.primitives import hashes, serialization  # noqa: E402  pylint: disable=wrong-import-position
from cryptography.hazmat.primitives.asymmetric import ec  # noqa: E402  pylint: disable=wrong-import-position
from cryptography.x509.oid import NameOID  # noqa: E402  pylint: disable=wrong-import-position

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, 'tests', 'simulator'))
from runcloud_sim import Simulator  # noqa: E402  pylint: disable=wrong-import-position

TOKEN = 'tls-test-token'
CA_VARIABLES = ('REQUESTS_CA_BUNDLE', 'CURL_CA_BUNDLE', 'SSL_CERT_FILE', 'RUNCLOUD_CA_PATH')


def _name(common_name):
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def _write(path, data):
    with open(path, 'wb') as handle:
        handle.write(data)
    return str(path)


def make_private_ca(directory):
    """(CA certificate file, server certificate file, server key file) for 127.0.0.1."""
    now = datetime.datetime.now(datetime.timezone.utc)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca = (x509.CertificateBuilder().subject_name(_name('runcloud.cloud test CA')).issuer_name(_name('runcloud.cloud test CA'))
          .public_key(ca_key.public_key()).serial_number(x509.random_serial_number())
          .not_valid_before(now - datetime.timedelta(minutes=5)).not_valid_after(now + datetime.timedelta(days=1))
          .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
          .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
          .add_extension(x509.KeyUsage(digital_signature=True, key_cert_sign=True, crl_sign=True, content_commitment=False,
                                       key_encipherment=False, data_encipherment=False, key_agreement=False,
                                       encipher_only=False, decipher_only=False), critical=True)
          .sign(ca_key, hashes.SHA256()))
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (x509.CertificateBuilder().subject_name(_name('127.0.0.1')).issuer_name(ca.subject)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(minutes=5)).not_valid_after(now + datetime.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address('127.0.0.1'))]), critical=False)
            .add_extension(x509.ExtendedKeyUsage([x509.oid.ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
            # Python 3.13 verifies strictly (VERIFY_X509_STRICT): both key identifiers must be there.
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
            .sign(ca_key, hashes.SHA256()))
    pem = serialization.Encoding.PEM
    return (_write(directory / 'ca.pem', ca.public_bytes(pem)),
            _write(directory / 'server.pem', cert.public_bytes(pem)),
            _write(directory / 'server.key', key.private_bytes(pem, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())))


@pytest.fixture(scope='module', name='tls')
def fixture_tls(tmp_path_factory):
    directory = tmp_path_factory.mktemp('private-ca')
    ca_file, cert_file, key_file = make_private_ca(directory)
    with Simulator(token=TOKEN, tls_cert=cert_file, tls_key=key_file, seed_servers=2) as sim:
        assert sim.url.startswith('https://127.0.0.1:')
        yield sim, ca_file, directory


@pytest.fixture(name='clean_env')
def fixture_clean_env(monkeypatch):
    for variable in CA_VARIABLES + ('RUNCLOUD_API_TOKEN', 'RUNCLOUD_API_URL'):
        monkeypatch.delenv(variable, raising=False)
    return monkeypatch


def servers_listed(monkeypatch, sim, **options):
    result = run_module_against(monkeypatch, server_info.main, options, sim.url, TOKEN)
    return result


def test_module_with_ca_path(clean_env, tls):
    sim, ca_file, _directory = tls
    result = servers_listed(clean_env, sim, ca_path=ca_file)
    assert result['failed'] is False and len(result['servers']) == 2


def test_module_with_ssl_cert_file(clean_env, tls):
    sim, ca_file, _directory = tls
    clean_env.setenv('SSL_CERT_FILE', ca_file)
    result = servers_listed(clean_env, sim)
    assert result['failed'] is False and len(result['servers']) == 2


def test_ca_path_wins_over_a_wrong_ssl_cert_file(clean_env, tls, tmp_path):
    sim, ca_file, _directory = tls
    other_ca = make_private_ca(tmp_path)[0]
    clean_env.setenv('SSL_CERT_FILE', other_ca)
    assert servers_listed(clean_env, sim)['failed'] is True
    assert servers_listed(clean_env, sim, ca_path=ca_file)['failed'] is False


def test_module_without_the_ca_fails_clearly(clean_env, tls):
    sim, _ca_file, _directory = tls
    result = servers_listed(clean_env, sim)
    assert result['failed'] is True
    assert 'TLS connection to %s failed' % sim.url in result['msg'] and 'ca_path' in result['msg']
    assert 'certificate verify failed' in result['msg']
    assert 'HTTPSConnectionPool' not in result['msg'] and 'Max retries' not in result['msg']


def lookup_timezones(**options):
    """What the lookup's run() does after Ansible set its options."""
    client = static.LookupModule.create_client(static.connection_settings(options, os.environ))
    return static.read_lists(client, ['timezones'], 'nginx')


def test_lookup_with_ca_path_and_with_ssl_cert_file(clean_env, tls):
    sim, ca_file, _directory = tls
    assert lookup_timezones(api_url=sim.url, api_token=TOKEN, ca_path=ca_file)[0]
    with pytest.raises(AnsibleError, match='ca_path'):
        lookup_timezones(api_url=sim.url, api_token=TOKEN)
    clean_env.setenv('SSL_CERT_FILE', ca_file)
    assert lookup_timezones(api_endpoint=sim.url, api_token=TOKEN)[0]


def test_inventory_with_ca_path_and_with_ssl_cert_file(tls, tmp_path):
    sim, ca_file, _directory = tls
    env = dict((name, value) for name, value in os.environ.items()
               if not name.startswith(('RUNCLOUD_', 'ANSIBLE_')) and name not in CA_VARIABLES)
    env.update(ANSIBLE_COLLECTIONS_PATH=collections_path(), ANSIBLE_INVENTORY_ENABLED='runcloud.cloud.runcloud',
               ANSIBLE_INVENTORY_UNPARSED_FAILED='true', ANSIBLE_NOCOLOR='1', ANSIBLE_HOME=str(tmp_path / 'home'),
               ANSIBLE_LOCAL_TEMP=str(tmp_path / 'tmp'), RUNCLOUD_API_URL=sim.url, RUNCLOUD_API_TOKEN=TOKEN)
    with_ca = tmp_path / 'ca.runcloud.yml'
    with_ca.write_text('plugin: runcloud.cloud.runcloud\nca_path: %s\n' % ca_file)
    plain = tmp_path / 'plain.runcloud.yml'
    plain.write_text('plugin: runcloud.cloud.runcloud\n')
    runs = [('ca_path', with_ca, env, 0), ('SSL_CERT_FILE', plain, dict(env, SSL_CERT_FILE=ca_file), 0), ('nothing', plain, env, 1)]
    processes = [(label, expected, subprocess.Popen([ansible_inventory_command(), '-i', str(path), '--list'], cwd=str(tmp_path),
                                                    env=run_env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, universal_newlines=True))
                 for label, path, run_env, expected in runs]
    for label, expected, process in processes:
        stdout, stderr = process.communicate(timeout=300)
        if expected == 0:
            assert process.returncode == 0, (label, stderr[-2000:])
            assert '"web-01"' in stdout, (label, stdout[-1000:])
        else:
            assert process.returncode != 0 and 'TLS connection to' in stderr and 'ca_path' in stderr, (label, stderr[-2000:])
