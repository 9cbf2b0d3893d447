"""One function in its own interpreter, as a Lambda sandbox holds it: imports the handler, then
reports the import's wall and CPU ms on stdout ({"import_ms": ..., "import_cpu_ms": ...}), then
handles the events it reads from stdin (one JSON line each: {"now": pinned clock or null,
"event": ...}), answering each on stdout ({"result": ...} or {"error": ...}, with the handler's
"wall_ms" and "cpu_ms" and the top-level packages it "imported"), and at the end of input
reports its peak RSS (VmHWM).

    python bench/lambda_worker.py <code dir> <layer dir> <module> <handler> <function name> <memory MB>

Run by bench.memory and bench.lambda_cpu, with the function's environment. Standard library only,
besides the function itself, so the peak is the function's (plus the interpreter's).
"""

from __future__ import annotations

import compileall
import importlib
import json
import os
import sys
import time
import traceback
import uuid
from datetime import datetime
from typing import Any


class Context:
    """What Lambda passes as `context` (the attributes Powertools reads)."""

    def __init__(self, name: str, memory_mb: int):
        self.function_name = name
        self.memory_limit_in_mb = memory_mb
        self.aws_request_id = str(uuid.uuid4())
        self.invoked_function_arn = f"arn:aws:lambda:eu-central-2:123456789012:function:{name}"

    def get_remaining_time_in_millis(self) -> int:
        return 10_000


def peak_mb(pid: int | str = "self") -> float:
    """A process's peak RSS (this interpreter's by default): VmHWM, its address space's high-water mark.
    getrusage's ru_maxrss would not do: Linux carries it over fork and exec, so a worker started
    by a larger process reports that process's peak (every worker showed the parent's 148 MB)."""
    with open(f"/proc/{pid}/status") as status:
        return next(int(line.split()[1]) / 1024 for line in status if line.startswith("VmHWM:"))  # kB


def as_lambda(code_dir: str, module: str, handler: str, name: str, memory: str) -> None:
    """The variables Lambda sets (docs: "Defined runtime environment variables"). They choose code
    paths: with LAMBDA_TASK_ROOT the X-Ray SDK samples as in Lambda (no X-Ray client at import) and
    Powertools' Tracer traces; without it, tracing is off and init pays for a sampler Lambda has not."""
    os.environ.update({
        "LAMBDA_TASK_ROOT": code_dir, "LAMBDA_RUNTIME_DIR": "/var/runtime", "_HANDLER": f"{module}.{handler}",
        "AWS_EXECUTION_ENV": "AWS_Lambda_python3.13", "AWS_LAMBDA_FUNCTION_NAME": name,
        "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": memory, "AWS_LAMBDA_FUNCTION_VERSION": "$LATEST",
        "AWS_LAMBDA_INITIALIZATION_TYPE": "on-demand", "AWS_LAMBDA_LOG_GROUP_NAME": f"/aws/lambda/{name}",
        "AWS_XRAY_CONTEXT_MISSING": "LOG_ERROR", "AWS_XRAY_DAEMON_ADDRESS": "127.0.0.1:2000", "TZ": ":UTC",
    })  # fmt: skip


def trace_header() -> str:
    """The X-Ray header Lambda's runtime puts in _X_AMZN_TRACE_ID for an invocation: sampled, as
    X-Ray's default rule (one a second, then 5 %) samples nearly every request of a programme's traffic."""
    root = f"1-{int(time.time()):08x}-{uuid.uuid4().hex[:24]}"
    return f"Root={root};Parent={uuid.uuid4().hex[:16]};Sampled=1"


def main() -> None:
    code_dir, layer, module_name, handler_name, name, memory = sys.argv[1:7]
    as_lambda(code_dir, module_name, handler_name, name, memory)
    answers = os.fdopen(os.dup(1), "w")
    os.dup2(2, 1)  # whatever the function prints (its logs) goes to stderr, not into the answers
    start_mb = peak_mb()
    sys.path[:0] = [code_dir, layer]
    for tree in (code_dir, layer):  # bytecode, as the build ships it (layers/shared/Makefile)
        compileall.compile_dir(tree, quiet=1)
    wall, cpu = time.perf_counter(), time.process_time()
    handler = getattr(importlib.import_module(module_name), handler_name)
    took = {"import_ms": (time.perf_counter() - wall) * 1000, "import_cpu_ms": (time.process_time() - cpu) * 1000}
    from tremplin import clock  # the layer's clock: the local stack pins it per process

    import_mb = peak_mb()
    print(json.dumps(took), file=answers, flush=True)
    for line in sys.stdin:
        message = json.loads(line)
        clock.pin(datetime.fromisoformat(message["now"]) if message["now"] else None)
        os.environ["_X_AMZN_TRACE_ID"] = trace_header()
        wall, cpu, loaded = time.perf_counter(), time.process_time(), set(sys.modules)
        try:  # a handler's error fails the invocation, not the sandbox, as in Lambda
            answer: Any = {"result": handler(message["event"], Context(name, int(memory)))}
        except Exception as error:
            traceback.print_exc()
            answer = {"error": f"{type(error).__name__}: {error}"}
        answer |= {"wall_ms": (time.perf_counter() - wall) * 1000, "cpu_ms": (time.process_time() - cpu) * 1000}
        answer["imported"] = sorted({m.split(".")[0] for m in set(sys.modules) - loaded})  # work init left lazy
        print(json.dumps(answer, default=str), file=answers, flush=True)
    peaks = {"interpreter_mb": start_mb, "after_import_mb": import_mb, "peak_mb": peak_mb()}
    print(json.dumps(peaks), file=answers, flush=True)


if __name__ == "__main__":
    main()
