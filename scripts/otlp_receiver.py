"""A minimal OTLP/HTTP trace receiver for scripts/otel_check.sh: it accepts
`POST /v1/traces` (application/x-protobuf), decodes each ExportTraceServiceRequest with the
official OpenTelemetry proto definitions (PyPI's opentelemetry-proto), and appends one JSON
line per span to OUT: name, trace and span ids, parent, kind, and the attributes of the span
and of its resource.

    python3 scripts/otlp_receiver.py OUT   prints the port it listens on, then serves
"""

import json
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import (
    ExportTraceServiceRequest,
    ExportTraceServiceResponse,
)


def value_of(any_value):
    kind = any_value.WhichOneof("value")
    if kind is None:
        return None
    value = getattr(any_value, kind)
    if kind == "array_value":
        return [value_of(v) for v in value.values]
    if kind == "kvlist_value":
        return {kv.key: value_of(kv.value) for kv in value.values}
    if kind == "bytes_value":
        return value.hex()
    return value


def attributes(pairs):
    return {kv.key: value_of(kv.value) for kv in pairs}


class Receiver(BaseHTTPRequestHandler):
    out = None

    def do_POST(self):  # noqa: N802 (the http.server API)
        if self.path != "/v1/traces":
            self.send_error(404)
            return
        length = int(self.headers.get("content-length", "0"))
        request = ExportTraceServiceRequest()
        try:
            request.ParseFromString(self.rfile.read(length))
        except Exception as error:  # a body that is not OTLP protobuf
            self.send_error(400, str(error))
            return
        with open(self.out, "a", encoding="utf-8") as out:
            for resource_spans in request.resource_spans:
                resource = attributes(resource_spans.resource.attributes)
                for scope_spans in resource_spans.scope_spans:
                    for span in scope_spans.spans:
                        line = {
                            "name": span.name,
                            "trace_id": span.trace_id.hex(),
                            "span_id": span.span_id.hex(),
                            "parent_span_id": span.parent_span_id.hex(),
                            "kind": span.kind,
                            "attributes": attributes(span.attributes),
                            "resource": resource,
                        }
                        out.write(json.dumps(line) + "\n")
        body = ExportTraceServiceResponse().SerializeToString()
        self.send_response(200)
        self.send_header("content-type", "application/x-protobuf")
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def main():
    Receiver.out = sys.argv[1]
    server = ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    print(server.server_address[1], flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
