"""A NETCONF client's SSH side, as paramiko (under ncclient) does it.

Usage: netconf_ssh_paramiko.py HOST PORT USER PASSWORD WRONG_PASSWORD

Prints one JSON object: the server's host key fingerprint as OpenSSH
shows it, whether the wrong password was refused, what the `netconf`
subsystem echoed, and whether a shell request was refused.
"""

import base64
import hashlib
import json
import sys

import paramiko


def transport(host, port):
    t = paramiko.Transport((host, port))
    t.start_client(timeout=10)
    return t


def main():
    host, port, user, password, wrong = sys.argv[1:6]
    port = int(port)
    result = {}

    t = transport(host, port)
    try:
        t.auth_password(user, wrong)
        result["wrong_password_refused"] = False
    except paramiko.AuthenticationException:
        result["wrong_password_refused"] = True
    finally:
        t.close()

    t = transport(host, port)
    key = t.get_remote_server_key()
    digest = hashlib.sha256(key.asbytes()).digest()
    result["fingerprint"] = "SHA256:" + base64.b64encode(digest).decode().rstrip("=")
    result["key_type"] = key.get_name()
    t.auth_password(user, password)

    chan = t.open_session()
    chan.invoke_subsystem("netconf")
    message = b"<hello xmlns='urn:ietf:params:xml:ns:netconf:base:1.0'/>]]>]]>"
    chan.sendall(message)
    got = b""
    chan.settimeout(10)
    while len(got) < len(message):
        data = chan.recv(4096)
        if not data:
            break
        got += data
    result["echo"] = got.decode()

    shell = t.open_session()
    try:
        shell.invoke_shell()
        result["shell_refused"] = False
    except paramiko.SSHException:
        result["shell_refused"] = True

    chan.close()
    t.close()
    print(json.dumps(result))


if __name__ == "__main__":
    main()
