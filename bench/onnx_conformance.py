#!/usr/bin/python3
"""ONNX backend conformance through the real CLI, side by side with ONNX Runtime.

Runs the backend tests of Debian's libonnx-testdata (families node, pytorch-converted, simple)
through `layerbench-cli run MODEL --input NAME=input_N.pb ... --outputs DIR --warmup 0
--iterations 1` and through onnxruntime-node (bench/ort_conformance_worker.js), and compares each
engine's outputs with test_data_set_0/output_N.pb the way ONNX's own backend test runner does
(onnx/backend/test/runner/__init__.py, assert_similar_outputs: same number of outputs, the same
dtype, np.testing.assert_array_equal for strings, else np.testing.assert_allclose with rtol 1e-3,
atol 1e-7, the defaults of onnx/backend/test/loader/__init__.py; input_N.pb feeds
graph.input[N] and output_N.pb is graph.output[N], as there). `run --outputs` writes a tensor as
OUTPUT.npy and a sequence or optional as OUTPUT.pb (SequenceProto / OptionalProto), which this
script reads with onnx as the model declares that output, as the expected ones.

Why Python: Debian's python3-onnx (onnx.load, numpy_helper) and numpy do the reading and the
comparing, so nothing of ours (and nothing of ORT's) decides what a test expects or whether it
passed. They are visible to /usr/bin/python3 only, hence the shebang; packaging/lb.sh installs
them. Node runs ONNX Runtime (one long-lived worker per job).

Each test gets a status per engine: pass; fail (it ran, an output is wrong, missing, of another
dtype or shape, or it hung: "hang: no answer after N s"); error (it refused the model or crashed;
the first line of its stderr is kept). Output: totals, the subset of tests that use only the
common CNN/transformer ops (COMMON_OPS below), a per-op table and every failure's first line, as
markdown (--markdown FILE, default bench/out/conformance/report.md), all results as JSON
(--json FILE), and with --update-results the section "ONNX conformance through the CLI vs ONNX
Runtime" of bench/RESULTS.md.

    /usr/bin/python3 bench/onnx_conformance.py [--cli build/app/cli/layerbench-cli] [-j 2]
        [--timeout 60] [--engines ours,ort] [--filter REGEX] [--tests FAMILY/NAME,...]
        [--data /usr/share/libonnx-testdata/data] [--families node,pytorch-converted,simple]
        [--backend auto] [--markdown FILE] [--json FILE] [--update-results]

Exit code: 0 when the harness ran (whatever the tests did), 2 on a usage error, 1 when it
could not run at all (no CLI, no ORT, no test data).
"""

import argparse
import concurrent.futures
import json
import os
import re
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time

import numpy as np
import onnx
from google.protobuf.message import DecodeError
from onnx import numpy_helper

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
DEFAULT_DATA = "/usr/share/libonnx-testdata/data"
DEFAULT_FAMILIES = ["node", "pytorch-converted", "simple"]
# onnx/backend/test/loader/__init__.py: the tolerances of every test without a data.json.
RTOL = 1e-3
ATOL = 1e-7

# The ops of common CNNs and transformer encoders (convolution, pooling, normalisation,
# activations, element-wise arithmetic, matrix products, attention's softmax, the shape ops
# exporters put around them). A test is in the subset when every op in its graph, subgraphs
# included, is in this list.
COMMON_OPS = frozenset("""
    Conv ConvTranspose MatMul Gemm
    Relu LeakyRelu PRelu Sigmoid Tanh Elu Selu HardSigmoid HardSwish Softplus Clip Gelu Erf
    Softmax
    Add Sub Mul Div Pow Sqrt Exp Log Abs Max Min Sum Mean
    MaxPool AveragePool GlobalAveragePool GlobalMaxPool
    BatchNormalization InstanceNormalization LayerNormalization LRN
    ReduceMean ReduceSum ReduceMax ReduceMin
    Reshape Flatten Transpose Concat Split Slice Squeeze Unsqueeze Gather Shape Expand Pad
    Resize Upsample Identity Dropout Constant ConstantOfShape Cast
""".split())

SECTION_TITLE = "ONNX conformance through the CLI vs ONNX Runtime"
ENGINE_NAMES = {"ours": "layerbench-cli", "ort": "ONNX Runtime"}


def first_line(text, limit=200):
    for line in str(text).splitlines():
        line = line.strip()
        if line:
            return line if len(line) <= limit else line[: limit - 3] + "..."
    return ""


# ---- the test data ----------------------------------------------------------------------------

def graph_ops(graph, out):
    for node in graph.node:
        out.add(node.op_type)
        for attr in node.attribute:
            if attr.type == onnx.AttributeProto.GRAPH:
                graph_ops(attr.g, out)
            for g in attr.graphs:
                graph_ops(g, out)
    return out


def load_proto(path, type_proto):
    """A value as ONNX's runner loads it (runner/__init__.py, _load_proto)."""
    with open(path, "rb") as f:
        content = f.read()
    if type_proto.HasField("sequence_type"):
        seq = onnx.SequenceProto()
        seq.ParseFromString(content)
        return numpy_helper.to_list(seq)
    if type_proto.HasField("optional_type"):
        opt = onnx.OptionalProto()
        opt.ParseFromString(content)
        return numpy_helper.to_optional(opt)
    tensor = onnx.TensorProto()
    tensor.ParseFromString(content)
    return numpy_helper.to_array(tensor)


_ALL_OPS = None


def primary_op(test_name, ops):
    """The op a test is filed under in the per-op table: the longest ONNX op name that the test's
    name starts with (test_reduce_sum_keepdims -> ReduceSum, test_softmax_example_expanded ->
    Softmax), else its graph's only op, else its first op in name order."""
    global _ALL_OPS
    if _ALL_OPS is None:
        _ALL_OPS = sorted({s.name for s in onnx.defs.get_all_schemas()}, key=len, reverse=True)
    key = re.sub(r"[^a-z0-9]", "", test_name[len("test_"):].lower())
    for op in _ALL_OPS:
        norm = op.lower()
        if key.startswith(norm) and (op in ops or len(norm) >= 4 or key == norm):
            return op
    if len(ops) == 1:
        return next(iter(ops))
    return sorted(ops)[0] if ops else "(no nodes)"


class Test:
    def __init__(self, family, name, folder):
        self.family, self.name, self.folder = family, name, folder
        self.id = f"{family}/{name}"
        self.model_path = os.path.join(folder, "model.onnx")
        model = onnx.load(self.model_path)
        self.ops = graph_ops(model.graph, set())
        self.primary = primary_op(name, self.ops)
        self.common = bool(self.ops) and self.ops <= COMMON_OPS
        data = os.path.join(folder, "test_data_set_0")
        n_in = len([f for f in os.listdir(data) if re.fullmatch(r"input_\d+\.pb", f)])
        n_out = len([f for f in os.listdir(data) if re.fullmatch(r"output_\d+\.pb", f)])
        if n_in > len(model.graph.input) or n_out > len(model.graph.output):
            raise ValueError(f"{n_in} input and {n_out} output files for a graph with "
                             f"{len(model.graph.input)} inputs and {len(model.graph.output)} "
                             "outputs")
        self.inputs = []  # (graph input name, type proto, .pb path)
        for i in range(n_in):
            vi = model.graph.input[i]
            self.inputs.append((vi.name, vi.type, os.path.join(data, f"input_{i}.pb")))
        self.outputs = []  # (graph output name, type proto, .pb path)
        for i in range(n_out):
            vi = model.graph.output[i]
            self.outputs.append((vi.name, vi.type, os.path.join(data, f"output_{i}.pb")))


def find_tests(data_dir, families, pattern, only):
    tests = []
    for family in families:
        fam_dir = os.path.join(data_dir, family)
        if not os.path.isdir(fam_dir):
            raise SystemExit(f"onnx_conformance.py: no test family folder {fam_dir}")
        for name in sorted(os.listdir(fam_dir)):
            folder = os.path.join(fam_dir, name)
            test_id = f"{family}/{name}"
            if only is not None and test_id not in only:
                continue
            if pattern and not re.search(pattern, test_id):
                continue
            if not (os.path.isfile(os.path.join(folder, "model.onnx"))
                    and os.path.isdir(os.path.join(folder, "test_data_set_0"))):
                continue
            try:
                tests.append(Test(family, name, folder))
            except Exception as e:  # reported on the test, for both engines, not fatal
                tests.append(BrokenTest(family, name, f"harness: cannot read the test: "
                                                      f"{first_line(e)}"))
    return tests


class BrokenTest:
    """A test folder the harness cannot read (its model or data does not load)."""

    def __init__(self, family, name, message):
        self.family, self.name, self.id = family, name, f"{family}/{name}"
        self.ops, self.primary, self.common, self.broken = set(), "(unreadable)", False, message


# ---- comparing, as ONNX's runner does ---------------------------------------------------------

def describe_mismatch(got, want):
    """One line on where assert_allclose failed."""
    try:
        g = got.astype(np.float64)
        w = want.astype(np.float64)
        both_nan = np.isnan(g) & np.isnan(w)
        diff = np.abs(g - w)
        bad = ~both_nan & ~(diff <= ATOL + RTOL * np.abs(w))
        bad |= ~both_nan & (np.isnan(g) != np.isnan(w))
        count = int(bad.sum())
        idx = np.unravel_index(int(np.argmax(bad)), bad.shape) if bad.size else ()
        finite = np.where(bad, np.nan_to_num(diff, nan=np.inf), 0)
        return (f"{count} of {got.size} elements differ beyond rtol {RTOL:g} atol {ATOL:g} "
                f"(max abs diff {float(finite.max()):.4g}; at {list(map(int, idx))}: got "
                f"{g[idx]:.7g}, expected {w[idx]:.7g})")
    except (TypeError, ValueError):
        return "values differ"


def compare_value(name, got, want):
    """None when `got` passes against `want`, else one line saying why."""
    if isinstance(want, list):
        if not isinstance(got, list):
            return f"output '{name}': expected a sequence of {len(want)} tensors"
        if len(got) != len(want):
            return f"output '{name}': sequence of {len(got)}, expected {len(want)}"
        for j, (g, w) in enumerate(zip(got, want)):
            problem = compare_value(f"{name}[{j}]", g, w)
            if problem:
                return problem
        return None
    if want is None:
        return None if got is None else f"output '{name}': expected an empty optional"
    if got.dtype != want.dtype and not (got.dtype.kind in "US" and want.dtype == object):
        return f"output '{name}': dtype {got.dtype}, expected {want.dtype}"
    if got.shape != want.shape:
        return f"output '{name}': shape {list(got.shape)}, expected {list(want.shape)}"
    try:
        if want.dtype == object:
            np.testing.assert_array_equal(got.astype(object), want)
        else:
            np.testing.assert_allclose(got, want, rtol=RTOL, atol=ATOL)
    except AssertionError:
        if want.dtype == object:
            return f"output '{name}': strings differ"
        return f"output '{name}': " + describe_mismatch(got, want)
    return None


def load_output_file(path, type_proto):
    """An engine's output file: .npy (a tensor), .json (ORT's string tensors), or .pb (`run
    --outputs` writes sequences and optionals as ONNX's SequenceProto / OptionalProto), read by
    onnx with the type the model declares for that output."""
    if path.endswith(".pb"):
        return load_proto(path, type_proto)
    if path.endswith(".json"):
        with open(path) as f:
            doc = json.load(f)
        return np.array(doc["data"], dtype=object).reshape(doc["dims"])
    return np.load(path, allow_pickle=False)


# ---- the two engines ---------------------------------------------------------------------------

def safe_file_name(name):
    """lb::runtime::safeFileName: what `run --outputs` calls an output's file."""
    out = re.sub(r"[^A-Za-z0-9_.-]", "_", name)
    return "_" + out if out in ("", ".", "..") else out


def signal_name(code):
    try:
        return signal.Signals(-code).name
    except ValueError:
        return f"signal {-code}"


def check_outputs(test, files):
    """Compares the files an engine wrote ({output name: path}) with the expected outputs."""
    for name, type_proto, pb in test.outputs:
        want = load_proto(pb, type_proto)
        path = files.get(name)
        if path is None or not os.path.exists(path):
            return "fail", f"output '{name}': not written"
        try:
            got = load_output_file(path, type_proto)
        except (ValueError, OSError, KeyError, TypeError, DecodeError) as e:
            return "fail", f"output '{name}': unreadable ({first_line(e)})"
        problem = compare_value(name, got, want)
        if problem:
            return "fail", problem
    return "pass", ""


def run_ours(test, args, work):
    out_dir = os.path.join(work, "ours")
    os.makedirs(out_dir)
    cmd = [args.cli, "run", test.model_path, "--warmup", "0", "--iterations", "1",
           "--outputs", out_dir, "--seed", "1"]
    if args.backend:
        cmd += ["--backend", args.backend]
    for name, _, pb in test.inputs:
        cmd += ["--input", f"{name}={pb}"]
    try:
        proc = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                              timeout=args.timeout, text=True, errors="replace")
    except subprocess.TimeoutExpired:
        return "fail", f"hang: no result after {args.timeout:g} s"
    if proc.returncode < 0:
        return "error", f"crashed ({signal_name(proc.returncode)}): {first_line(proc.stderr)}"
    if proc.returncode != 0:
        lines = [l for l in proc.stderr.splitlines() if "error" in l.lower()]
        return "error", first_line(lines[0] if lines else proc.stderr) or f"exit {proc.returncode}"
    files = {}
    for name, _, _ in test.outputs:
        stem = os.path.join(out_dir, safe_file_name(name))
        files[name] = stem + ".pb" if os.path.exists(stem + ".pb") else stem + ".npy"
    return check_outputs(test, files)


class OrtWorker:
    """One onnxruntime-node process answering one request at a time (ort_conformance_worker.js);
    killed and started again after a hang or a crash."""

    def __init__(self, node):
        self.node = node
        self.proc = None

    def start(self):
        self.proc = subprocess.Popen(
            [self.node, os.path.join(HERE, "ort_conformance_worker.js")], stdin=subprocess.PIPE,
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, bufsize=1)
        self.stderr_lines = []
        threading.Thread(target=self._drain_stderr, args=(self.proc,), daemon=True).start()

    def _drain_stderr(self, proc):
        for line in proc.stderr:
            self.stderr_lines.append(line)

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.kill()
        if self.proc:
            self.proc.wait()
        self.proc = None

    def request(self, req, timeout):
        if self.proc is None or self.proc.poll() is not None:
            self.start()
        self.proc.stdin.write(json.dumps(req) + "\n")
        self.proc.stdin.flush()
        ready, _, _ = select.select([self.proc.stdout], [], [], timeout)
        if not ready:
            self.stop()
            return None, f"hang: no result after {timeout:g} s"
        line = self.proc.stdout.readline()
        if not line:
            code = self.proc.wait()
            err = first_line("".join(self.stderr_lines[-5:]))
            self.proc = None
            what = signal_name(code) if code < 0 else f"exit {code}"
            return None, f"onnxruntime-node crashed ({what}): {err}"
        return json.loads(line), None


def run_ort(test, args, work, worker):
    out_dir = os.path.join(work, "ort")
    in_dir = os.path.join(work, "ort_inputs")
    os.makedirs(out_dir)
    os.makedirs(in_dir)
    inputs = {}
    for i, (name, type_proto, pb) in enumerate(test.inputs):
        value = load_proto(pb, type_proto)
        if not isinstance(value, np.ndarray):
            return "error", f"input '{name}': onnxruntime-node takes tensors only, not " \
                            f"{type(value).__name__}"
        if value.dtype == object:
            inputs[name] = {"type": "string", "dims": list(value.shape),
                            "data": [v.decode() if isinstance(v, bytes) else str(v)
                                     for v in value.ravel()]}
        else:
            path = os.path.join(in_dir, f"input_{i}.npy")
            np.save(path, np.ascontiguousarray(value))
            inputs[name] = path
    answer, problem = worker.request({"model": test.model_path, "outputs": out_dir,
                                      "inputs": inputs}, args.timeout)
    if problem:
        return ("fail" if problem.startswith("hang") else "error"), problem
    if not answer["ok"]:
        return "error", first_line(answer["error"])
    return check_outputs(test, answer["outputs"])


# ---- reports ----------------------------------------------------------------------------------

def counts(results, engine, subset=None):
    c = {"pass": 0, "fail": 0, "error": 0}
    for r in results:
        if subset is None or subset(r):
            c[r[engine]["status"]] += 1
    return c


def markdown(results, engines, args, elapsed):
    lines = []
    total = len(results)
    common = [r for r in results if r["common"]]
    fam = ", ".join(args.families)
    lines.append(f"Tests: {total} ({fam}; every test folder of libonnx-testdata "
                 f"{onnx_testdata_version()} with a model and test_data_set_0). Tolerance: "
                 f"rtol {RTOL:g}, atol {ATOL:g}, dtypes must match (ONNX's backend test runner). "
                 f"Run in {elapsed:.0f} s with -j {args.jobs}, timeout {args.timeout:g} s per "
                 f"test and engine.")
    lines.append("")
    head = "| | " + " | ".join(ENGINE_NAMES[e] for e in engines) + " |"
    lines += [head, "| --- |" + " ---: |" * len(engines)]

    def row(label, subset):
        cells = []
        n = sum(1 for r in results if subset(r))
        for e in engines:
            c = counts(results, e, subset)
            pct = 100.0 * c["pass"] / n if n else 0.0
            cells.append(f"**{c['pass']}** of {n} ({pct:.1f}%); {c['fail']} fail, "
                         f"{c['error']} error")
        lines.append(f"| {label} | " + " | ".join(cells) + " |")

    row("all tests", lambda r: True)
    row(f"common CNN/transformer ops only ({len(common)} tests)", lambda r: r["common"])
    for family in args.families:
        row(family, lambda r, f=family: r["test"].startswith(family + "/"))
    lines.append("")
    lines.append("Common ops (a test is in the subset when its graph uses no other op): " +
                 ", ".join(f"`{o}`" for o in sorted(COMMON_OPS)) + ".")
    lines.append("")
    lines.append("How to read it: a layerbench-cli error is a refusal (an op or dtype it does "
                 "not run, with the CLI's one-line error), a fail is a wrong, missing or hung "
                 "output. onnxruntime-node takes and returns tensors only, so ONNX Runtime's "
                 "errors include the tests with sequence or optional inputs and outputs and "
                 "bfloat16 tensors ('Unsupported data type: 16'), which ORT runs from Python; "
                 "its fails include the random ops (Bernoulli, training-mode Dropout), whose "
                 "expected values no other generator reproduces. Issue #13 counted 1,015 tests "
                 "and 407 common-op tests with a harness and an op list it did not publish; this "
                 "harness takes every test folder with data and the list above.")
    lines.append("")

    # per op: every test under the op its name names (primary_op)
    by_op = {}
    for r in results:
        by_op.setdefault(r["op"], []).append(r)
    lines.append("<details><summary>Per op (each test counted once, under the op its name "
                 "names; pass / fail / error)</summary>")
    lines.append("")
    lines.append("| op | tests | " + " | ".join(ENGINE_NAMES[e] for e in engines) + " |")
    lines.append("| --- | ---: |" + " ---: |" * len(engines))
    for op in sorted(by_op, key=str.lower):
        rs = by_op[op]
        cells = []
        for e in engines:
            c = counts(rs, e)
            cells.append(f"{c['pass']} / {c['fail']} / {c['error']}")
        lines.append(f"| {op} | {len(rs)} | " + " | ".join(cells) + " |")
    lines.append("")
    lines.append("</details>")
    lines.append("")
    for e in engines:
        bad = [r for r in results if r[e]["status"] != "pass"]
        lines.append(f"<details><summary>Tests {ENGINE_NAMES[e]} does not pass ({len(bad)}), by "
                     f"op, with the first line of each failure</summary>")
        lines.append("")
        for op in sorted({r["op"] for r in bad}, key=str.lower):
            items = [r for r in bad if r["op"] == op]
            lines.append(f"- **{op}**")
            for r in items:
                msg = r[e]["message"].replace("|", "\\|")
                lines.append(f"  - `{r['test']}` {r[e]['status']}: {msg}")
        lines.append("")
        lines.append("</details>")
        lines.append("")
    return "\n".join(lines)


def onnx_testdata_version():
    try:
        out = subprocess.run(["dpkg-query", "-W", "-f=${Version}", "libonnx-testdata"],
                             capture_output=True, text=True, timeout=10)
        return out.stdout.strip() or "(version unknown)"
    except (OSError, subprocess.SubprocessError):
        return "(version unknown)"


def update_results(section_body, command):
    path = os.path.join(HERE, "RESULTS.md")
    begin, end = "<!-- onnx-conformance:begin -->", "<!-- onnx-conformance:end -->"
    section = "\n".join([
        begin, f"## {SECTION_TITLE}", "",
        f"Command: `{command}` (`bench/onnx_conformance.py`; its header says how a test is run "
        "and judged).", "",
        f"Measured {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} on "
        f"{git_describe()}.", "",
        section_body.rstrip(), end, ""])
    text = open(path).read() if os.path.exists(path) else ""
    if begin in text and end in text:
        pre, rest = text.split(begin, 1)
        post = rest.split(end, 1)[1].lstrip("\n")
        text = pre + section + ("\n" + post if post else "")
    else:
        text = text.rstrip("\n") + "\n\n" + section
    with open(path, "w") as f:
        f.write(text)


def git_describe():
    try:
        out = subprocess.run(["git", "-C", ROOT, "log", "-1", "--format=%h (%s)"],
                             capture_output=True, text=True, timeout=10).stdout.strip()
        dirty = subprocess.run(["git", "-C", ROOT, "status", "--porcelain", "--untracked-files=no"],
                               capture_output=True, text=True, timeout=10).stdout.strip()
        sha = out.split(" ", 1)[0] if out else "?"
        return f"commit {sha}" + (" with uncommitted changes" if dirty else "")
    except (OSError, subprocess.SubprocessError):
        return "an unknown commit"


# ---- main ------------------------------------------------------------------------------------

def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--cli", default=os.path.join(ROOT, "build", "app", "cli", "layerbench-cli"))
    p.add_argument("--node", default=shutil.which("node") or "node")
    p.add_argument("--data", default=DEFAULT_DATA)
    p.add_argument("--families", default=",".join(DEFAULT_FAMILIES))
    p.add_argument("--engines", default="ours,ort", help="ours, ort or both (ours,ort)")
    p.add_argument("-j", "--jobs", type=int, default=2, help="parallel tests (1 or 2)")
    p.add_argument("--timeout", type=float, default=60.0, help="seconds per test and engine")
    p.add_argument("--filter", help="regular expression on FAMILY/TEST")
    p.add_argument("--tests", help="comma-separated FAMILY/TEST list")
    p.add_argument("--backend", help="layerbench-cli run --backend (default: the CLI's, auto)")
    p.add_argument("--markdown", default=os.path.join(HERE, "out", "conformance", "report.md"))
    p.add_argument("--json", help="write every test's result as JSON here")
    p.add_argument("--update-results", action="store_true",
                   help=f"write the report into bench/RESULTS.md, section '{SECTION_TITLE}'")
    p.add_argument("--quiet", action="store_true", help="no per-test progress lines")
    args = p.parse_args()
    args.families = [f for f in args.families.split(",") if f]
    engines = [e for e in args.engines.split(",") if e]
    if not engines or any(e not in ENGINE_NAMES for e in engines):
        p.error("--engines takes ours, ort or ours,ort")
    if args.jobs not in (1, 2):
        p.error("-j takes 1 or 2 (a two-core machine, shared)")
    if "ours" in engines and not os.access(args.cli, os.X_OK):
        print(f"onnx_conformance.py: no layerbench-cli at {args.cli} (build it, or --cli)",
              file=sys.stderr)
        return 1
    only = set(args.tests.split(",")) if args.tests else None
    if only:
        args.families = sorted({t.split("/", 1)[0] for t in only})
    tests = find_tests(args.data, args.families, args.filter, only)
    if not tests:
        print(f"onnx_conformance.py: no tests under {args.data} match", file=sys.stderr)
        return 1
    if only:
        missing = only - {t.id for t in tests}
        if missing:
            print(f"onnx_conformance.py: no such tests: {', '.join(sorted(missing))}",
                  file=sys.stderr)
            return 2

    workers = {}
    lock = threading.Lock()
    done = [0]
    scratch = tempfile.mkdtemp(prefix="lb_conformance_")

    def run_test(test):
        work = tempfile.mkdtemp(dir=scratch)
        result = {"test": test.id, "op": test.primary, "ops": sorted(test.ops),
                  "common": test.common}
        for e in engines:
            if getattr(test, "broken", None):
                result[e] = {"status": "error", "message": test.broken}
                continue
            try:
                if e == "ours":
                    status, message = run_ours(test, args, work)
                else:
                    tid = threading.get_ident()
                    with lock:
                        worker = workers.setdefault(tid, OrtWorker(args.node))
                    status, message = run_ort(test, args, work, worker)
            except Exception as ex:  # a harness problem on one test is reported on that test
                status, message = "error", f"harness: {type(ex).__name__}: {first_line(ex)}"
            result[e] = {"status": status, "message": message}
        shutil.rmtree(work, ignore_errors=True)
        with lock:
            done[0] += 1
            if not args.quiet:
                states = " ".join(f"{e}={result[e]['status']}" for e in engines)
                print(f"[{done[0]}/{len(tests)}] {test.id}: {states}", file=sys.stderr)
        return result

    start = time.time()
    try:
        with concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs) as pool:
            results = list(pool.map(run_test, tests))
    finally:
        for w in workers.values():
            w.stop()
        shutil.rmtree(scratch, ignore_errors=True)
    elapsed = time.time() - start
    results.sort(key=lambda r: r["test"])

    body = markdown(results, engines, args, elapsed)
    if args.markdown:
        os.makedirs(os.path.dirname(os.path.abspath(args.markdown)), exist_ok=True)
        with open(args.markdown, "w") as f:
            f.write(body + "\n")
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"rtol": RTOL, "atol": ATOL, "engines": engines, "results": results}, f,
                      indent=1)
    if args.update_results:
        update_results(body, "/usr/bin/python3 bench/onnx_conformance.py " +
                       " ".join(a for a in sys.argv[1:]))
    for e in engines:
        c = counts(results, e)
        cc = counts(results, e, lambda r: r["common"])
        n_common = sum(1 for r in results if r["common"])
        print(f"{ENGINE_NAMES[e]}: {c['pass']} of {len(results)} pass ({c['fail']} fail, "
              f"{c['error']} error); common ops: {cc['pass']} of {n_common}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
