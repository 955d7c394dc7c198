"""Holds doorlockd's live answers to agent/openapi.yaml.

    doc = api_doc()
    doc.check("GET", "/locks/front_door", 200, text)  # after each request
    doc.check_event(body)                             # a webhook, a message
    doc.problems                                      # what did not match
    doc.uncalled()                                    # operations never seen

A request to a path or method the document does not describe is not
judged (the server answers it 404 or 405); a documented one must get a
documented status, and a JSON body that the status's schema accepts.
"""
import json
import os
import re

import jsonschema
import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(os.path.dirname(HERE))
DOC = os.path.join(TOP, "agent", "openapi.yaml")
# The driver's spelling of its states and results (the uapi header's, in
# sysfs and the API alike), and the agent's own codes.
UAPI = os.path.join(TOP, "include", "uapi", "linux", "doorlock.h")
API_NAMES = os.path.join(TOP, "agent", "api_error.c")
METHODS = ("get", "put", "post", "delete", "patch")


class ApiDoc:
    def __init__(self, path=DOC):
        with open(path, encoding="utf-8") as f:
            self.doc = yaml.safe_load(f)
        self.ops = []
        for template, item in self.doc["paths"].items():
            pattern = re.sub(r"\\\{[^}]*\\\}", "[^/]+", re.escape(template))
            for method in METHODS:
                if method in item:
                    self.ops.append((method.upper(),
                                     re.compile("^%s$" % pattern), template,
                                     item[method]))
        self.problems = []
        self.called = set()
        self.checked = 0

    def resolve(self, node):
        """@node with every local $ref replaced by what it points at."""
        if isinstance(node, list):
            return [self.resolve(n) for n in node]
        if not isinstance(node, dict):
            return node
        if "$ref" in node:
            target = self.doc
            for part in node["$ref"].lstrip("#/").split("/"):
                target = target[part]
            return self.resolve(target)
        return {k: self.resolve(v) for k, v in node.items()}

    def _validate(self, schema, value, where):
        validator = jsonschema.Draft202012Validator(self.resolve(schema))
        for err in list(validator.iter_errors(value))[:3]:
            self.problems.append("%s: %s (at %s)" % (
                where, err.message, "/".join(map(str, err.absolute_path))))

    def check(self, method, url, status, text):
        """One answer: @url is the request's path and query."""
        path = url.split("?", 1)[0]
        op = next(((t, o) for m, rx, t, o in self.ops
                   if m == method and rx.match(path)), None)
        if op is None:
            return
        template, op = op
        where = "%s %s -> %s" % (method, template, status)
        self.called.add(op["operationId"])
        self.checked += 1
        response = op["responses"].get(str(status))
        if response is None:
            self.problems.append("%s: not a documented answer" % where)
            return
        media = self.resolve(response).get("content", {}).get(
            "application/json")
        if media is None:
            return
        try:
            body = json.loads(text)
        except ValueError:
            self.problems.append("%s: not JSON: %r" % (where, text[:200]))
            return
        self._validate(media["schema"], body, where)

    def check_event(self, body):
        """An event as a webhook or the stream delivered it."""
        self.checked += 1
        self._validate({"$ref": "#/components/schemas/Event"}, body,
                       "event %s" % (body or {}).get("event_type"))

    def uncalled(self):
        """Operations no answer was checked for, but the WebSocket's
        (its 101 is the upgrade, not a JSON answer)."""
        return {o["operationId"] for _, _, _, o in self.ops
                if "101" not in o["responses"]} - self.called

    def vocabulary_mismatches(self):
        """Where the document's state and error names differ from the
        uapi header's spelling functions and the agent's own codes."""
        def read(path):
            with open(path, encoding="utf-8") as f:
                return f.read()

        def spelled(text, function):
            body = re.search(r"\b%s\(__u32 value\)\n\{(.*?)\n\}" % function,
                             text, re.S)
            return re.findall(r'return "(\w+)";', body.group(1)) if body else []
        uapi, api = read(UAPI), read(API_NAMES)
        # "none" is success; an abort is the agent's FIRMWARE_REJECTED.
        driver_codes = [c for c in spelled(uapi, "doorlock_result_name")
                        if c not in ("none", "ABORTED")]
        names = {
            "BoltState": spelled(uapi, "doorlock_bolt_state_name"),
            "DeviceErrorCode": driver_codes + re.findall(
                r'\[API_RESULT_\w+\] = "(\w+)"', api),
        }
        schemas = self.doc["components"]["schemas"]
        return {name: (schemas[name]["enum"], want)
                for name, want in names.items()
                if not want or
                sorted(schemas[name]["enum"]) != sorted(want)}


_doc = None


def api_doc():
    """The one ApiDoc of this process, loaded on first use."""
    global _doc
    if _doc is None:
        _doc = ApiDoc()
    return _doc
