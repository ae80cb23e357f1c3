# -*- coding: utf-8 -*-
# Copyright (c) runcloud.cloud contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""SSL (12 endpoints), git deployment (6 endpoints), script installer (3 endpoints)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from sim_testlib import PEM_CERTIFICATE, PEM_KEY, assert_invalid, assert_not_found

SSL_FIELDS = {"id", "method", "privateKey", "certificate", "validUntil", "renewalDate", "enableHttp", "enableHsts",
              "authorizationMethod", "staging", "apiId", "ssl_protocol_id", "created_at"}
LETSENCRYPT = {"provider": "letsencrypt", "enableHttp": False, "enableHsts": True, "authorizationMethod": "http-01"}


def test_basic_letsencrypt_ssl_lifecycle(api, app_path):
    assert api.ok("GET", app_path + "/ssl") == {"message": "SSL not installed!"}
    ssl = api.ok("POST", app_path + "/ssl", dict(LETSENCRYPT, environment="staging", ssl_protocol_id=2))
    assert set(ssl) == SSL_FIELDS
    assert (ssl["method"], ssl["staging"], ssl["authorizationMethod"], ssl["ssl_protocol_id"]) == ("letsencrypt", True, "http-01", 2)
    assert ssl["certificate"].startswith("-----BEGIN CERTIFICATE-----") and ssl["validUntil"] and ssl["renewalDate"]
    assert api.ok("GET", app_path + "/ssl") == ssl
    assert_invalid(api.post(app_path + "/ssl", LETSENCRYPT), "provider")
    updated = api.ok("PATCH", app_path + "/ssl/%d" % ssl["id"], {"enableHttp": True})
    assert (updated["enableHttp"], updated["enableHsts"]) == (True, True)
    assert api.ok("PUT", app_path + "/ssl/%d" % ssl["id"]) == {}
    assert_not_found(api.put(app_path + "/ssl/999"), "SSL not found")
    assert api.ok("DELETE", app_path + "/ssl/%d" % ssl["id"])["id"] == ssl["id"]
    assert api.ok("GET", app_path + "/ssl") == {"message": "SSL not installed!"}


def test_custom_ssl_keeps_the_given_certificate_and_cannot_be_redeployed(api, app_path):
    body = {"provider": "custom", "enableHttp": True, "enableHsts": False, "privateKey": PEM_KEY, "certificate": PEM_CERTIFICATE}
    ssl = api.ok("POST", app_path + "/ssl", body)
    assert (ssl["method"], ssl["privateKey"], ssl["certificate"], ssl["authorizationMethod"]) == ("custom", PEM_KEY, PEM_CERTIFICATE, None)
    assert_invalid(api.put(app_path + "/ssl/%d" % ssl["id"]), "provider")


def test_ssl_install_validation(api, app_path):
    assert_invalid(api.post(app_path + "/ssl", {}), "provider", "enableHttp", "enableHsts")
    assert_invalid(api.post(app_path + "/ssl", dict(LETSENCRYPT, provider="csr")), "provider")
    assert_invalid(api.post(app_path + "/ssl", dict(LETSENCRYPT, authorizationMethod=None)), "authorizationMethod")
    assert_invalid(api.post(app_path + "/ssl", dict(LETSENCRYPT, environment="qa")), "environment")
    assert_invalid(api.post(app_path + "/ssl", {"provider": "custom", "enableHttp": 1, "enableHsts": 0}), "privateKey", "certificate")
    assert_invalid(api.post(app_path + "/ssl", dict(LETSENCRYPT, authorizationMethod="dns-01")), "externalApi")
    assert_invalid(api.post(app_path + "/ssl", dict(LETSENCRYPT, authorizationMethod="dns-01", externalApi=77)), "externalApi")


def test_dns01_needs_an_existing_external_api_key(api, app_path):
    key = api.ok("POST", "/settings/externalapi", {"label": "cf", "service": "cloudflare", "username": "ops@example.com", "secret": "abcdef123"})
    ssl = api.ok("POST", app_path + "/ssl", dict(LETSENCRYPT, authorizationMethod="dns-01", externalApi=key["id"]))
    assert ssl["apiId"] == key["id"]


def test_advanced_mode_and_domain_ssl(api, app_path):
    domain_id = api.ok("GET", app_path + "/domains")["data"][0]["id"]
    domain_ssl = app_path + "/domains/%d/ssl" % domain_id
    assert api.ok("GET", app_path + "/ssl/advanced") == {"advancedSSL": False, "autoSSL": False}
    assert_invalid(api.post(domain_ssl, LETSENCRYPT), "advancedSSL")
    assert_invalid(api.get(domain_ssl), "advancedSSL")
    assert api.ok("POST", app_path + "/ssl/advanced", {"advancedSSL": True, "autoSSL": True}) == {"advancedSSL": True, "autoSSL": True}
    assert_invalid(api.post(app_path + "/ssl/advanced", {}), "advancedSSL")
    assert_invalid(api.post(app_path + "/ssl", LETSENCRYPT), "advancedSSL")
    assert api.ok("GET", domain_ssl) == {"message": "SSL not installed!"}
    ssl = api.ok("POST", domain_ssl, LETSENCRYPT)
    assert set(ssl) == SSL_FIELDS
    assert api.ok("GET", domain_ssl) == ssl
    assert api.ok("GET", app_path + "/ssl") == {"message": "SSL not installed!"}
    assert api.ok("PATCH", domain_ssl + "/%d" % ssl["id"], {"enableHsts": False})["enableHsts"] is False
    assert api.ok("PUT", domain_ssl + "/%d" % ssl["id"]) == {}
    assert api.ok("DELETE", domain_ssl + "/%d" % ssl["id"])["id"] == ssl["id"]
    assert_not_found(api.delete(domain_ssl + "/%d" % ssl["id"]), "SSL not found")
    assert_not_found(api.get(app_path + "/domains/999/ssl"), "Domain not found")


def test_git_clone_branch_script_deploy_delete(api, app_path):
    assert_not_found(api.get(app_path + "/git"), "Git not found")
    git = api.ok("POST", app_path + "/git", {"provider": "github", "repository": "owner/repo", "branch": "main"})
    assert git == {"id": git["id"], "provider": "github", "gitHost": None, "gitUser": None, "branch": "main",
                   "repositoryData": {"url": "https://github.com/owner/repo", "repo": "git@github.com:owner/repo.git"},
                   "atomic": False, "atomic_project_id": None, "autoDeploy": False, "deployScript": None, "created_at": git["created_at"]}
    assert_invalid(api.post(app_path + "/git", {"provider": "github", "repository": "owner/repo", "branch": "main"}), "repository")
    assert api.ok("PATCH", app_path + "/git/%d/branch" % git["id"], {"branch": "dev"})["branch"] == "dev"
    scripted = api.ok("PATCH", app_path + "/git/%d/script" % git["id"], {"autoDeploy": True, "deployScript": "composer install"})
    assert (scripted["autoDeploy"], scripted["deployScript"]) == (True, "composer install")
    assert api.ok("PUT", app_path + "/git/%d/script" % git["id"]) == {}
    assert api.ok("GET", app_path + "/log")["data"][0]["kind"] == "deployment"
    assert_not_found(api.patch(app_path + "/git/999/branch", {"branch": "x"}), "Git not found")
    assert api.ok("DELETE", app_path + "/git/%d" % git["id"])["id"] == git["id"]
    assert_not_found(api.get(app_path + "/git"), "Git not found")


def test_git_validation_and_self_hosted(api, app_path):
    assert_invalid(api.post(app_path + "/git", {}), "provider", "repository", "branch")
    assert_invalid(api.post(app_path + "/git", {"provider": "svn", "repository": "a/b", "branch": "main"}), "provider")
    assert_invalid(api.post(app_path + "/git", {"provider": "custom", "repository": "a/b", "branch": "main"}), "gitUser", "gitHost")
    body = {"provider": "selfhostedgitlab", "repository": "team/app", "branch": "main", "gitUser": "git", "gitHost": "git.example.com"}
    git = api.ok("POST", app_path + "/git", body)
    assert git["repositoryData"] == {"url": "https://git.example.com/team/app", "repo": "git@git.example.com:team/app.git"}
    assert (git["gitHost"], git["gitUser"]) == ("git.example.com", "git")


def test_script_installer(api, app_path):
    assert_not_found(api.get(app_path + "/installer"), "Installer not found")
    installer = api.ok("POST", app_path + "/installer", {"name": "wordpress"})
    assert installer == {"id": installer["id"], "name": "wordpress", "realName": "WordPress", "created_at": installer["created_at"]}
    assert api.ok("GET", app_path + "/installer") == installer
    assert api.ok("GET", app_path)["type"] == "wordpress"
    assert_invalid(api.post(app_path + "/installer", {"name": "drupal"}), "name")
    assert_not_found(api.delete(app_path + "/installer/999"), "Installer not found")
    assert api.ok("DELETE", app_path + "/installer/%d" % installer["id"]) == installer
    assert_invalid(api.post(app_path + "/installer", {"name": "magento"}), "name")


def test_control_sets_certificate_dates(api, app_path):
    server_id, web_app_id = int(app_path.split("/")[2]), int(app_path.split("/")[4])
    control = api.session.request("POST", api.sim.control_url + "/servers/%d/webapps/%d/ssl" % (server_id, web_app_id),
                                  json={"validUntil": "2030-01-01 00:00:00"}, timeout=10)
    assert control.status_code == 404
    ssl = api.ok("POST", app_path + "/ssl", LETSENCRYPT)
    answer = api.control("POST", "/servers/%d/webapps/%d/ssl" % (server_id, web_app_id), {"validUntil": "2030-01-01 00:00:00"})
    assert answer["validUntil"] == "2030-01-01 00:00:00"
    assert api.ok("GET", app_path + "/ssl")["validUntil"] == "2030-01-01 00:00:00"
    # A redeployment issues new dates, as RunCloud does.
    api.ok("PUT", app_path + "/ssl/%d" % ssl["id"])
    assert api.ok("GET", app_path + "/ssl")["validUntil"] != "2030-01-01 00:00:00"
    wrong = api.session.request("POST", api.sim.control_url + "/servers/%d/webapps/%d/ssl" % (server_id, web_app_id),
                                json={"privateKey": "x"}, timeout=10)
    assert wrong.status_code == 400
