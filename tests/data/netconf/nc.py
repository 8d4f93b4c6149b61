"""Helpers for the NETCONF end-to-end tests: connect with ncclient as the
test's user and make assertions on replies and rpc-errors."""
import os
from ncclient import manager
from ncclient.operations.rpc import RPCError
from lxml import etree

NC = "urn:ietf:params:xml:ns:netconf:base:1.0"
NODES = "urn:chain-agent:yang:chain-agent-nodes"
SYS = "urn:chain-agent:yang:chain-agent-system"
LOGS = "urn:chain-agent:yang:chain-agent-logs"


def connect(user=None, password=None, **kw):
    return manager.connect(
        host="127.0.0.1",
        port=int(os.environ["NC_PORT"]),
        username=user or os.environ["NC_USER"],
        password=password or os.environ["NC_PASSWORD"],
        hostkey_verify=False,
        allow_agent=False,
        look_for_keys=False,
        timeout=30,
        **kw,
    )


def expect_error(fn, tag, path_part=None):
    """Run fn; it must raise an rpc-error with this error-tag (and an
    error-path containing path_part). Returns the RPCError."""
    try:
        fn()
    except RPCError as e:
        assert e.tag == tag, f"expected {tag}, got {e.tag}: {e.message} {e.path}"
        if path_part is not None:
            assert e.path and path_part in e.path, f"error-path {e.path!r} lacks {path_part!r}"
        return e
    raise AssertionError(f"expected rpc-error {tag}, got success")


def xp(xml, path, ns=None):
    """XPath over a reply's XML (string or element)."""
    if isinstance(xml, (str, bytes)):
        xml = etree.fromstring(xml.encode() if isinstance(xml, str) else xml)
    ns = dict(ns or {})
    ns.setdefault("n", NODES)
    ns.setdefault("s", SYS)
    ns.setdefault("nc", NC)
    ns.setdefault("l", LOGS)
    return xml.xpath(path, namespaces=ns)


def data_of(reply):
    return etree.fromstring(reply.data_xml.encode()) if isinstance(reply.data_xml, str) else reply.data_ele
