"""The generated protobuf and gRPC modules, imported in one place.

The stubs are generated from ``proto/`` by ``clients/python/generate.sh`` into
``jscore/_gen`` (git-ignored). Everything else in the package imports them from here,
so a missing generation step fails with one clear message.
"""

from __future__ import annotations

try:
    from jscore._gen.grpc.health.v1 import health_pb2, health_pb2_grpc
    from jscore._gen.jscore.v1 import jscore_pb2, jscore_pb2_grpc
except ImportError as e:  # pragma: no cover - exercised only without generation
    raise ImportError(
        "jscore: the generated protobuf stubs are missing; run clients/python/generate.sh "
        f"(needs protoc and grpc_python_plugin): {e}"
    ) from e

from google.protobuf import duration_pb2, struct_pb2

pb = jscore_pb2
pb_grpc = jscore_pb2_grpc

__all__ = [
    "duration_pb2",
    "health_pb2",
    "health_pb2_grpc",
    "jscore_pb2",
    "jscore_pb2_grpc",
    "pb",
    "pb_grpc",
    "struct_pb2",
]
