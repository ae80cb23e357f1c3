# -*- coding: utf-8 -*-
# Copyright (c) runcloud.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Seeded random RunCloud accounts, built through the API as a user builds them in the panel.

``build_account(client, seed, size, prefix)`` creates servers (through the simulator's control API,
as if connected), then through the API v2: system users (some with a deployment key), SSH keys,
PHP sites and Laravel applications (databases with users and grants, domain names with and without
www and redirects, every SSL mode, git deployments of every provider, script installers, PHP-FPM and
NGINX settings), cron and Supervisor jobs, firewall rules, stopped services and server settings.
With ``wordpress_site=True``, built through API v3, the account also gets a WordPress site on its first
server as the wordpress_site role builds it (RunCloud Hub, or RunCache for an odd seed, wp-config flags, a
staging copy, SSL on some). The same seed gives the same account. It returns the secrets it set and what it built.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import random
import time
import urllib.request

SIZES = {
    # servers per account, web applications per server. `small` keeps `make test` within its time:
    # one application per account, its kind, SSL mode and deployment taken in turn from the seed so
    # that ten accounts cover each of them.
    'small': ((1, 1), (1, 1)),
    'medium': ((1, 2), (2, 4)),
    'large': ((2, 4), (4, 8)),
}
SSL_MODES = ('live', 'none', 'staging', 'custom', 'dns-01')
DEPLOYMENTS = ('git', 'installer', 'git', 'none')
PHP_VERSIONS = ['php74rc', 'php80rc', 'php81rc', 'php82rc', 'php83rc']
LARAVEL_DEPLOY_SCRIPT = ('composer install --no-dev --optimize-autoloader --no-interaction\n'
                         'php artisan migrate --force\nphp artisan config:cache')
LARAVEL_QUEUE = 'artisan queue:work --sleep=3 --tries=3 --max-time=3600'
PEM_CERTIFICATE = '-----BEGIN CERTIFICATE-----\nMIIB%s\n-----END CERTIFICATE-----'
PEM_KEY = '-----BEGIN PRIVATE KEY-----\nMIIE%s\n-----END PRIVATE KEY-----'


def web_app_create_defaults():
    """The settings the API wants on a create, as runcloud.cloud.web_app sends them: its fields' defaults."""
    from ansible_collections.runcloud.cloud.plugins.modules.web_app import WebAppModule
    return dict((field.api, field.create_default) for field in WebAppModule.fields
                if field.create_default is not None and field.option != 'php_version')


def control(control_url, path, body):
    request = urllib.request.Request(control_url + path, data=json.dumps(body).encode(), method='POST',
                                     headers={'Content-Type': 'application/json'})
    with urllib.request.urlopen(request, timeout=30) as answer:
        return json.load(answer)


class AccountBuilder:
    def __init__(self, client, control_url, seed, size='small', prefix='web', wordpress_site=False):
        self.client = client
        self.control_url = control_url
        self.rng = random.Random(seed)
        self.seed = seed
        self.size = SIZES[size]
        self.prefix = prefix
        self.secrets = []
        self.counter = 0
        self.external_api_id = None
        self.turn = seed if size == 'small' else None
        self.with_wordpress_site = wordpress_site

    def pick(self, choices):
        """One of ``choices``: in turn by seed for the small accounts, at random for the others."""
        if self.turn is not None:
            return choices[self.turn // 2 % len(choices)]
        return self.rng.choice(choices)

    def unique(self, stem):
        self.counter += 1
        return '%s%d' % (stem, self.counter)

    def secret(self, stem, rng=None):
        value = 'rt-%s-%d-%08x' % (stem, self.seed, (rng or self.rng).getrandbits(32))
        self.secrets.append(value)
        return value

    def build(self):
        low, high = self.size[0]
        count = self.rng.randint(low, high)
        answer = control(self.control_url, '/seed', {'servers': count, 'name_prefix': self.prefix, 'seed': self.seed})
        if self.rng.random() < 0.6 or self.pick(SSL_MODES) == 'dns-01':
            self.external_api_id = self.client.post('settings/externalapi', {
                'label': 'dns-%d' % self.seed, 'service': 'cloudflare', 'username': 'dns@example.com',
                'secret': self.secret('cloudflare')})['id']
        for server_id in answer['servers']:
            self.build_server(server_id)
        if self.with_wordpress_site and getattr(self.client, 'api_version', 2) == 3:
            self.wordpress_site('servers/%d/' % answer['servers'][0])
        return self

    def build_server(self, server_id):
        rng, client = self.rng, self.client
        path = 'servers/%d/' % server_id
        client.patch(path + 'settings/ssh', {'passwordlessLogin': rng.random() < 0.5, 'useDns': rng.random() < 0.3,
                                             'preventRootLogin': rng.random() < 0.5})
        client.patch(path + 'settings/autoupdate', {'softwareUpdate': rng.random() < 0.3, 'securityUpdate': rng.random() < 0.7})
        client.patch(path + 'php/cli', {'phpVersion': rng.choice(PHP_VERSIONS)})
        services = client.get(path + 'services')
        stopped = ['beanstalk', 'httpd', 'redis', 'memcached'] + rng.sample(['mariadb', 'supervisor'], rng.randint(0, 2))
        for key in stopped:
            service = services.get(key) or {}
            if service.get('running'):
                client.patch(path + 'services', {'action': 'stop', 'realName': service['realName']})
        for port in rng.sample([22, 80, 443, 3306, 8080, '8000-8100'], rng.randint(1, 3)):
            client.post(path + 'security/firewalls', {'type': 'global', 'port': port, 'protocol': rng.choice(['tcp', 'tcp', 'udp'])})
        if rng.random() < 0.5:
            client.post(path + 'security/firewalls', {'type': 'rich', 'port': 3306, 'protocol': 'tcp',
                                                      'ipAddress': '10.%d.0.0/16' % rng.randint(0, 255),
                                                      'firewallAction': rng.choice(['accept', 'reject'])})
        low, high = self.size[1]
        users = []
        for index in range(rng.randint(low, high)):
            if (self.turn is not None and self.turn % 2 == 1) or (self.turn is None and (index % 2 == 1 or rng.random() < 0.2)):
                users.append(self.laravel_app(path))
            else:
                users.append(self.php_site(path))
        if rng.random() < 0.5:
            extra = self.system_user(path, self.unique('deploy'), deployment_key=rng.random() < 0.5)
            users.append(extra['username'])
        for username in rng.sample(users, min(len(users), rng.randint(0, 2))):
            client.post(path + 'sshcredentials', {'label': self.unique('key-'), 'username': username,
                                                  'publicKey': 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAA%08x user@host' % rng.getrandbits(32)})
        if rng.random() < 0.5:
            database = client.post(path + 'databases', {'name': self.unique('shared_'), 'collation': rng.choice(['utf8mb4_general_ci', 'utf8mb4_unicode_ci'])})
            user = client.post(path + 'databaseusers', {'username': self.unique('report'), 'password': self.secret('dbpass')})
            client.post(path + 'databases/%d/grant' % database['id'], {'id': user['id']})
        for _job in range(rng.randint(0, 2)):
            minute = rng.choice(['*', '0', '*/5', '30'])
            client.post(path + 'cronjobs', {'label': self.unique('cron-'), 'username': rng.choice(users + ['root']),
                                            'command': '/usr/local/bin/task-%d.sh' % rng.randint(1, 99), 'minute': minute,
                                            'hour': rng.choice(['*', '3']), 'dayOfMonth': '*', 'month': '*', 'dayOfWeek': '*'})
        if rng.random() < 0.5:
            client.post(path + 'supervisors', {'label': self.unique('worker-'), 'username': rng.choice(users), 'numprocs': rng.randint(1, 3),
                                               'command': 'node /srv/worker-%d.js' % rng.randint(1, 9), 'binary': '/usr/bin/node',
                                               'directory': rng.choice(['/', '/srv']), 'autoStart': True, 'autoRestart': rng.random() < 0.8})

    def system_user(self, path, username, deployment_key=False):
        body = {'username': username}
        if self.rng.random() < 0.5:
            body['password'] = self.secret('userpass')
        user = self.client.post(path + 'users', body)
        if deployment_key:
            self.client.patch(path + 'users/%d/deploymentkey' % user['id'])
        return user

    def web_app(self, path, name, user, domain, php_version, settings):
        body = dict(web_app_create_defaults(), name=name, domainName=domain, user=user['id'], phpVersion=php_version, **settings)
        return self.client.post(path + 'webapps/custom', body)

    def database_for(self, path, name):
        database = self.client.post(path + 'databases', {'name': name})
        user = self.client.post(path + 'databaseusers', {'username': name, 'password': self.secret('dbpass')})
        self.client.post(path + 'databases/%d/grant' % database['id'], {'id': user['id']})

    def domains(self, path, app, name):
        rng = self.rng
        # At least one alias: the round trip deletes one in the panel.
        for _domain in range(rng.randint(1, 2)):
            body = {'name': '%s.%s.example.net' % (self.unique('d'), name)}
            if rng.random() < 0.4:
                body['www'] = True
                body['redirection'] = rng.choice(['www', 'non-www', 'none'])
            self.client.post(path + 'webapps/%d/domains' % app['id'], body)

    def ssl(self, path, app, mode):
        body = {'enableHttp': self.rng.random() < 0.3, 'enableHsts': self.rng.random() < 0.4}
        if mode == 'custom':
            body.update(provider='custom', certificate=PEM_CERTIFICATE % self.rng.getrandbits(32), privateKey=PEM_KEY % self.rng.getrandbits(32))
        else:
            body.update(provider='letsencrypt', environment='staging' if mode == 'staging' else 'live',
                        authorizationMethod='dns-01' if mode == 'dns-01' else 'http-01')
            if mode == 'dns-01':
                body['externalApi'] = self.external_api_id
        self.client.post(path + 'webapps/%d/ssl' % app['id'], body)

    def php_site(self, path):
        rng = self.rng
        name = self.unique('site')
        user = self.system_user(path, name, deployment_key=rng.random() < 0.3)
        settings = {}
        if rng.random() < 0.5:
            settings.update(stack=rng.choice(['hybrid', 'nativenginx', 'customnginx']), stackMode=rng.choice(['production', 'development']))
        if rng.random() < 0.5:
            settings.update(memoryLimit=rng.choice([128, 512]), maxExecutionTime=rng.choice([60, 120]), timezone=rng.choice(['Europe/Berlin', 'UTC']))
        if rng.random() < 0.3:
            settings.update(processManager='dynamic', processManagerStartServers=2, processManagerMinSpareServers=1,
                            processManagerMaxSpareServers=3, uploadMaxFilesize=64)
        if rng.random() < 0.4:
            settings['publicPath'] = rng.choice(['/public', '/web'])
        app = self.web_app(path, name, user, '%s.example.org' % name, rng.choice(PHP_VERSIONS), settings)
        self.domains(path, app, name)
        if rng.random() < 0.7:
            self.database_for(path, name)
        mode = self.pick(SSL_MODES) if self.turn is not None else rng.choice(SSL_MODES[:4] + (('dns-01',) if self.external_api_id else ()))
        if mode != 'none':
            self.ssl(path, app, mode)
        deployment = self.pick(DEPLOYMENTS)
        if deployment == 'git':
            provider = self.pick(['github', 'gitlab', 'bitbucket', 'custom', 'selfhostedgitlab'])
            body = {'provider': provider, 'repository': 'acme/%s' % name, 'branch': rng.choice(['main', 'production'])}
            if provider in ('custom', 'selfhostedgitlab'):
                body.update(gitHost='git.example.com', gitUser='git')
            git = self.client.post(path + 'webapps/%d/git' % app['id'], body)
            if rng.random() < 0.6:
                self.client.patch(path + 'webapps/%d/git/%d/script' % (app['id'], git['id']),
                                  {'autoDeploy': rng.random() < 0.5, 'deployScript': 'composer install\nphp artisan migrate --force'})
        elif deployment == 'installer':
            self.client.post(path + 'webapps/%d/installer' % app['id'], {'name': rng.choice(['wordpress', 'drupal', 'joomla'])})
        if rng.random() < 0.15:
            self.client.post(path + 'webapps/%d/default' % app['id'])
        return name

    def wordpress_site(self, path):
        """API v3: what the wordpress_site role builds - a WordPress site with RunCloud Hub (RunCache for an odd
        seed), wp-config flags, a staging copy and, on some, SSL with https:// addresses. Its own random numbers,
        so that the rest of the account is the one the seed gives without it."""
        rng = random.Random(self.seed * 31)
        name = self.unique('blog')
        user = self.client.post(path + 'users', {'username': name})
        domain = '%s.example.org' % name
        site = self.client.post(path + 'webapps/wordpress', {
            'name': name, 'domainName': domain, 'user': user['id'], 'phpVersion': rng.choice(PHP_VERSIONS), 'stack': 'hybrid',
            'stackMode': 'production', 'siteTitle': 'Blog %d' % self.seed, 'adminUsername': 'editor', 'adminEmail': 'editor@example.org',
            'password': self.secret('wpadmin', rng), 'dbName': name, 'dbUser': name, 'dbPassword': self.secret('dbpass', rng)})
        site_path = path + 'webapps/%d/' % site['id']
        self.client.post(site_path + 'runcloudhub', {'cacheType': rng.choice(['native', 'redis']), 'cacheValidMinute': rng.choice([480, 60])})
        if self.seed % 2 == 1:
            # The upgrade needs Hub installed: RunCloud installs it shortly after it acknowledged.
            deadline = time.monotonic() + 30
            while not self.installed(site_path + 'runcloudhub'):
                assert time.monotonic() < deadline, 'RunCloud Hub of %s was not installed within 30 s' % name
                time.sleep(0.05)
            self.client.post(site_path + 'runcache/upgrade', {})
        self.client.patch(site_path + 'wordpress/config', {'disableWpCron': rng.random() < 0.5, 'wpDebug': False})
        if rng.random() < 0.5:
            self.client.post(site_path + 'ssl', {'provider': 'letsencrypt', 'environment': 'live', 'authorizationMethod': 'http-01',
                                                 'enableHttp': False, 'enableHsts': rng.random() < 0.5})
            self.client.patch(site_path + 'wordpress/general', {'home': 'https://' + domain, 'siteurl': 'https://' + domain})
        self.client.post(site_path + 'wordpress/staging', {'url': 'staging.' + domain, 'enableAuth': True, 'username': 'preview',
                                                           'password': self.secret('staging', rng), 'discourageSearchEngine': True})
        return name

    def installed(self, path):
        from ansible_collections.runcloud.cloud.plugins.module_utils.errors import NotFoundError
        try:
            return self.client.get(path) is not None
        except NotFoundError:
            return False

    def laravel_app(self, path):
        """What the laravel_app role builds: the export must recognise it as a laravel_app entry."""
        rng = self.rng
        name = self.unique('api')
        php = rng.choice(PHP_VERSIONS)
        user = self.system_user(path, name, deployment_key=True)
        app = self.web_app(path, name, user, '%s.example.org' % name, php, {'publicPath': '/public'})
        self.domains(path, app, name)
        self.database_for(path, name)
        if rng.random() < 0.4:
            self.ssl(path, app, 'live')
        git = self.client.post(path + 'webapps/%d/git' % app['id'], {'provider': 'github', 'repository': 'acme/%s' % name, 'branch': 'main'})
        self.client.patch(path + 'webapps/%d/git/%d/script' % (app['id'], git['id']), {'autoDeploy': False, 'deployScript': LARAVEL_DEPLOY_SCRIPT})
        binary = '/RunCloud/Packages/%s/bin/php' % php
        directory = '/home/%s/webapps/%s' % (name, name)
        self.client.post(path + 'supervisors', {'label': name + '-queue', 'username': name, 'numprocs': rng.randint(1, 2),
                                                'command': LARAVEL_QUEUE, 'binary': binary, 'directory': directory,
                                                'autoStart': True, 'autoRestart': True})
        if rng.random() < 0.8:
            self.client.post(path + 'cronjobs', {'label': name + '-scheduler', 'username': name,
                                                 'command': '%s %s/artisan schedule:run' % (binary, directory),
                                                 'minute': '*', 'hour': '*', 'dayOfMonth': '*', 'month': '*', 'dayOfWeek': '*'})
        return name


def build_account(client, control_url, seed, size='small', prefix='web', wordpress_site=False):
    return AccountBuilder(client, control_url, seed, size, prefix, wordpress_site).build()
