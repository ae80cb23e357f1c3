#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) runcloud.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: web_app_ssl
short_description: Manage the SSL/TLS certificates of a RunCloud web application
version_added: 0.1.0
description:
  - Install, update, renew or remove the certificate of a web application, either from Let's Encrypt
    or a certificate of your own, and switch the application between basic and advanced SSL mode.
  - In B(basic) mode (the default) one certificate covers the whole application. In B(advanced) mode
    (O(advanced_ssl=true)) each domain name has its own certificate; give O(domain) to manage the
    certificate of that domain name. O(auto_ssl=true) lets RunCloud issue certificates for new domain
    names by itself (advanced mode only).
  - The mode (O(advanced_ssl), O(auto_ssl)) is converged first, so one task can enable advanced mode
    and install a domain certificate. A task that only sets the mode needs no O(provider).
  - The API cannot change the O(provider), O(authorization_method), O(external_api) or O(environment)
    of an installed certificate. When they differ the module fails and names them, unless
    O(replace=true), which removes the certificate and installs a new one.
    O(enable_http), O(enable_hsts), O(ssl_protocol_id) and the O(certificate)/O(private_key) of a
    custom certificate are updated in place.
  - On RunCloud API v3 installing or changing the certificate of a domain name (O(domain)) is only
    acknowledged; O(wait) reads the certificate until it shows.
seealso:
  - module: runcloud.cloud.domain
  - module: runcloud.cloud.web_app
  - ref: ansible_collections.runcloud.cloud.docsite.web_applications
    description: Guide to the web application, domain, SSL, git and script installer modules.
author:
  - runcloud.cloud contributors (@runcloud-community)
options:
  domain:
    description:
      - A domain name of the application (name or id) whose own certificate to manage; the application
        must be in advanced SSL mode. Without it the module manages the application's basic certificate.
    type: raw
  provider:
    description:
      - Where the certificate comes from. Required to install one.
    type: str
    choices: [letsencrypt, custom]
  authorization_method:
    description:
      - How Let's Encrypt checks the domain names. V(dns-01) needs O(external_api).
      - RunCloud requires it for V(letsencrypt); the module sends V(http-01) when it is not set.
    type: str
    choices: [http-01, dns-01]
  external_api:
    description:
      - The 3rd-party API key (such as a Cloudflare key) used for V(dns-01), by id or by label
        (M(runcloud.cloud.external_api_key)). A label costs one search request.
    type: raw
  environment:
    description:
      - The Let's Encrypt environment; V(staging) issues untrusted test certificates. RunCloud uses V(live) when it is not set.
    type: str
    choices: [live, staging]
  certificate:
    description:
      - The PEM certificate (with its chain) for the V(custom) provider.
    type: str
  private_key:
    description:
      - The PEM private key for the V(custom) provider. It never appears in the result.
      - It is not compared with the installed key; it is sent when the certificate is installed and
        whenever O(certificate) differs from the installed one.
    type: str
  enable_http:
    description:
      - Keep serving plain HTTP next to HTTPS instead of redirecting to HTTPS. V(false) when installing and not set.
    type: bool
  enable_hsts:
    description:
      - Send the C(Strict-Transport-Security) header. V(false) when installing and not set.
    type: bool
  ssl_protocol_id:
    description:
      - The id of the TLS protocol set, from the API's C(/static/ssl/protocols) list.
    type: int
  advanced_ssl:
    description:
      - V(true) switches the application to advanced mode (a certificate per domain name), V(false) to basic mode.
    type: bool
  auto_ssl:
    description:
      - Let RunCloud issue certificates for new domain names by itself. Only effective in advanced mode.
    type: bool
  renew:
    description:
      - Redeploy (renew) the Let's Encrypt certificate now.
      - This is an action, not a state; it runs every time and always reports a change.
    type: bool
    default: false
  replace:
    description:
      - Remove a certificate whose provider, authorization method, 3rd-party API key or environment
        differ and install a new one.
    type: bool
    default: false
  state:
    description:
      - V(present) installs the certificate, V(absent) removes it (the mode options still apply).
    type: str
    choices: [present, absent]
    default: present
extends_documentation_fragment:
  - runcloud.cloud.api
  - runcloud.cloud.api.action
  - runcloud.cloud.parents.web_app
  - runcloud.cloud.wait
  - runcloud.cloud.attributes
attributes:
  idempotent:
    support: partial
    details:
      - Not idempotent with O(renew=true), which renews the certificate on every run.
'''

EXAMPLES = r'''
- name: Secure the shop with Let's Encrypt and HSTS
  runcloud.cloud.web_app_ssl:
    server: web-01
    web_app: shop
    provider: letsencrypt
    enable_hsts: true

- name: Issue a wildcard-capable certificate through Cloudflare DNS
  runcloud.cloud.web_app_ssl:
    server: web-01
    web_app: intranet
    provider: letsencrypt
    authorization_method: dns-01
    external_api: cloudflare-dns

- name: Install a certificate of your own
  runcloud.cloud.web_app_ssl:
    server: web-01
    web_app: legacy
    provider: custom
    certificate: "{{ lookup('ansible.builtin.file', 'legacy.crt') }}"
    private_key: "{{ vault_legacy_key }}"

- name: Switch to advanced mode and give one domain name its own certificate
  runcloud.cloud.web_app_ssl:
    server: web-01
    web_app: shop
    advanced_ssl: true
    domain: www.shop.example.com
    provider: letsencrypt

- name: Renew now (runs every time)
  runcloud.cloud.web_app_ssl:
    server: web-01
    web_app: shop
    renew: true
'''

RETURN = r'''
ssl:
  description:
    - The certificate as the API describes it (without the private key); empty when none is installed.
    - The provider is reported as C(method).
  returned: always
  type: dict
  contains:
    id:
      description: The certificate id; V(null) when it was only predicted in check mode.
      type: int
      sample: 31
    method:
      description: The provider, V(letsencrypt) or V(custom).
      type: str
      sample: letsencrypt
    certificate:
      description: The PEM certificate.
      type: str
      sample: "-----BEGIN CERTIFICATE-----..."
    valid_until:
      description: When the certificate expires.
      type: str
      sample: '2025-01-01 00:00:00'
    renewal_date:
      description: When RunCloud renews a Let's Encrypt certificate.
      type: str
      sample: '2024-12-01 00:00:00'
    enable_http:
      description: Whether plain HTTP is still served.
      type: bool
      sample: false
    enable_hsts:
      description: Whether HSTS is sent.
      type: bool
      sample: true
    authorization_method:
      description: The Let's Encrypt authorization method.
      type: str
      sample: http-01
    staging:
      description: Whether it comes from the Let's Encrypt staging environment.
      type: bool
      sample: false
    api_id:
      description: The 3rd-party API key used for V(dns-01).
      type: int
      sample: null
    ssl_protocol_id:
      description: The TLS protocol set.
      type: int
      sample: 2
ssl_mode:
  description: The application's SSL mode, when O(advanced_ssl) or O(auto_ssl) was set.
  returned: when O(advanced_ssl) or O(auto_ssl) is set
  type: dict
  sample: {"advanced_ssl": true, "auto_ssl": false}
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
from ansible_collections.runcloud.cloud.plugins.module_utils.external_api import EXTERNAL_API
from ansible_collections.runcloud.cloud.plugins.module_utils.module import SERVER, WEB_APP, ParentRef
from ansible_collections.runcloud.cloud.plugins.module_utils.resource import (
    Action,
    Field,
    ResourceModule,
    UpdateGroup,
    normalize,
    landing_options,
    resource_argument_spec,
)

APP_SSL = endpoint('web_app_ssl', 'singleton')
DOMAIN_SSL = endpoint('domain_ssl', 'singleton')
MODE_PATH = endpoint('web_app_ssl', 'mode')
DOMAIN = ParentRef('domain', 'domain_id', endpoint('domain', 'list'), 'domain name', searchable=False)
MODE_OPTIONS = (('advanced_ssl', 'advancedSSL'), ('auto_ssl', 'autoSSL'))


def same_pem(wanted, current):
    def canonical(text):
        return '\n'.join(line.strip() for line in (text or '').strip().splitlines())
    return canonical(wanted) == canonical(current)


def certificate_pair(module, current):
    """A new custom certificate travels with its key, which is only sent then (the key is not compared)."""
    if not module.is_set('certificate') or same_pem(module.params['certificate'], current.get('certificate')):
        return {}
    return dict(certificate=module.params['certificate'], privateKey=module.params.get('private_key'))


def paths(base):
    item = base + '/{id}'
    return dict(
        singleton_path=base,
        item_path=item,
        # Whether the endpoint merges a partial body is not documented: send the whole set, as the
        # other settings endpoints get it. The certificate only travels when it is replaced.
        update_groups=(UpdateGroup('ssl', item, send='all', extra_body=certificate_pair),),
        actions=(Action('renew', item, method='PUT'),),
    )


class SslModule(ResourceModule):
    resource = 'SSL certificate'
    catalogue_resource = 'web_app_ssl'
    result_key = 'ssl'
    created_defaults = {'certificate': None, 'validUntil': None, 'renewalDate': None, 'staging': None, 'apiId': None,
                        'ssl_protocol_id': None, 'created_at': None}
    parents = (SERVER, WEB_APP)
    # No certificate is answered as {"message": "SSL not installed!"}, which has no id: the base
    # treats it as absent.
    identity = None
    on_immutable_change = 'option'
    fields = (
        Field('provider'),
        Field('authorization_method'),
        Field('external_api', to_api=lambda module, value: module.resolved[EXTERNAL_API.key]),
        Field('environment', matches=lambda wanted, staging: (wanted == 'staging') == normalize('bool', staging),
              predict=lambda wanted: wanted == 'staging'),
        Field('certificate', update='ssl', matches=same_pem, resend=False),
        # Not compared: the API may not return it. It is sent on install and with a new certificate.
        Field('private_key', write_only=True),
        Field('enable_http', update='ssl', create_default=False),
        Field('enable_hsts', update='ssl', create_default=False),
        Field('ssl_protocol_id', update='ssl'),
    )

    def __init__(self, argument_spec, **kwargs):
        super(SslModule, self).__init__(argument_spec, **kwargs)
        self.mode_before = None
        self.mode_after = None
        self.mode_only_predicted = False

    def prepare(self):
        if self.is_set('external_api'):
            self.resolve_parent(EXTERNAL_API)
        if self.is_set('domain'):
            self.resolve_parent(DOMAIN)
            self.__dict__.update(paths(DOMAIN_SSL))
        else:
            self.__dict__.update(paths(APP_SSL))
        if any(self.is_set(option) for option, _key in MODE_OPTIONS):
            self.converge_mode()

    def converge_mode(self):
        path = self.path(MODE_PATH)
        # Under a web app check mode only predicted, the mode is a new app's: both off.
        current = {} if self.parents_predicted else (self.client.get(path) or {})
        # A flag the user did not set goes back as it was read, and only when it was read as a flag.
        wanted = dict((key, normalize('bool', current.get(key))) for _option, key in MODE_OPTIONS
                      if isinstance(normalize('bool', current.get(key)), bool))
        for option, key in MODE_OPTIONS:
            if self.is_set(option):
                wanted[key] = self.params[option]
        self.mode_before = dict(current)
        self.mode_after = dict(current)
        if all(normalize('bool', current.get(key)) == value for key, value in wanted.items()):
            return
        self.changed = True
        self.mode_after.update(wanted)
        if self.check_mode:
            self.mode_only_predicted = True
            return
        answer = self.client.post(path, wanted, on_uncertain=lambda: self.mode_if_set(path, wanted))
        if isinstance(answer, dict) and 'advancedSSL' in answer:
            self.mode_after = answer

    def mode_if_set(self, path, wanted):
        """The mode read again if it is the wanted one (a lost answer), else None."""
        current = self.client.get(path) or {}
        if all(normalize('bool', current.get(key)) == value for key, value in wanted.items()):
            return current
        return None

    def find(self):
        if self.mode_only_predicted and self.is_set('domain'):
            # The domain's certificate cannot be read before advanced mode is really on.
            return None
        return super(SslModule, self).find()

    def create_body(self):
        body = super(SslModule, self).create_body()
        if body.get('provider') == 'letsencrypt':
            body.setdefault('authorizationMethod', 'http-01')
        return body

    def create(self):
        if not self.is_set('provider'):
            if self.mode_before is not None:
                return {}
            self.fail('provider is required to install a certificate')
        return super(SslModule, self).create()

    def run_actions(self, resource):
        if self.params['renew'] and resource.get('method') == 'custom':
            self.fail('renew only applies to Let\'s Encrypt certificates; this one is custom', ssl=self.public(resource))
        return super(SslModule, self).run_actions(resource)

    def extra_result(self, resource):
        return dict(ssl_mode=self.mode_after) if self.mode_before is not None else {}

    def extra_diff(self):
        if self.mode_before is None:
            return {}, {}
        return dict(ssl_mode=self.mode_before), dict(ssl_mode=self.mode_after)


def main():
    SslModule(
        argument_spec=resource_argument_spec(
            server=dict(type='raw', required=True),
            web_app=dict(type='raw', required=True),
            domain=dict(type='raw'),
            provider=dict(type='str', choices=['letsencrypt', 'custom']),
            authorization_method=dict(type='str', choices=['http-01', 'dns-01']),
            external_api=dict(type='raw'),
            environment=dict(type='str', choices=['live', 'staging']),
            certificate=dict(type='str'),
            private_key=dict(type='str', no_log=True),
            enable_http=dict(type='bool'),
            enable_hsts=dict(type='bool'),
            ssl_protocol_id=dict(type='int'),
            advanced_ssl=dict(type='bool'),
            auto_ssl=dict(type='bool'),
            renew=dict(type='bool', default=False),
            replace=dict(type='bool', default=False),
            **landing_options()
        ),
        required_if=[('provider', 'custom', ['certificate', 'private_key']), ('authorization_method', 'dns-01', ['external_api'])],
        supports_check_mode=True,
    ).main()


if __name__ == '__main__':
    main()
