#!/usr/bin/python3
"""Tests bench/onnx_conformance.py itself, on a few real libonnx-testdata tests run through the
real layerbench-cli and onnxruntime-node, and on copies altered so that a correct engine must
fail them: a harness that passes everything (or nothing) fails here.

    /usr/bin/python3 tests/bench/onnx_conformance_harness_test.py --cli build/app/cli/layerbench-cli
        [--data /usr/share/libonnx-testdata/data]
"""

import argparse
import json
import os
import shutil
import stat
import subprocess
import sys
import tempfile

import numpy as np
import onnx
from onnx import numpy_helper

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
HARNESS = os.path.join(ROOT, "bench", "onnx_conformance.py")
failures = []
passed = [0]


def check(cond, what):
    print(("ok   " if cond else "FAIL ") + what)
    if cond:
        passed[0] += 1
    else:
        failures.append(what)


def copy_test(src_data, family, name, dst_data, new_name):
    dst = os.path.join(dst_data, family, new_name)
    shutil.copytree(os.path.join(src_data, family, name), dst)
    return dst


def rewrite_output(folder, fn):
    path = os.path.join(folder, "test_data_set_0", "output_0.pb")
    t = onnx.load_tensor(path)
    arr = fn(numpy_helper.to_array(t).copy())
    new = numpy_helper.from_array(arr, t.name)
    with open(path, "wb") as f:
        f.write(new.SerializeToString())


def run_harness(args, data, tests, extra=()):
    out = tempfile.mkdtemp()
    js, md = os.path.join(out, "r.json"), os.path.join(out, "r.md")
    cmd = ["/usr/bin/python3", HARNESS, "--cli", args.cli, "--data", data, "--tests",
           ",".join(tests), "--json", js, "--markdown", md, "--quiet", *extra]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    check(proc.returncode == 0, f"harness exits 0 on {tests} (stderr: {proc.stderr[-300:]})")
    with open(js) as f:
        results = {r["test"]: r for r in json.load(f)["results"]}
    with open(md) as f:
        markdown = f.read()
    return results, markdown, proc.stdout


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--cli", required=True)
    p.add_argument("--data", default="/usr/share/libonnx-testdata/data")
    args = p.parse_args()
    work = tempfile.mkdtemp(prefix="lb_harness_test_")
    try:
        data = os.path.join(work, "data")
        # real tests, unchanged: both engines compute them right
        real = ["node/test_relu", "node/test_conv_with_strides_padding", "node/test_add_bcast"]
        for t in real:
            family, name = t.split("/")
            copy_test(args.data, family, name, data, name)
        # the same test with one expected value moved by 0.01 (far beyond rtol 1e-3 at |y| ~ 1)
        shifted = copy_test(args.data, "node", "test_relu", data, "test_relu_shifted")
        rewrite_output(shifted, lambda a: (a.__setitem__((0, 0, 0), a[0, 0, 0] + 0.01), a)[1])
        # ... with the expected dtype float64 instead of float32 (values equal)
        widened = copy_test(args.data, "node", "test_relu", data, "test_relu_float64")
        rewrite_output(widened, lambda a: a.astype(np.float64))
        # ... with an op no engine has: both must report an error, not a pass
        unknown = copy_test(args.data, "node", "test_relu", data, "test_relu_unknown_op")
        model = onnx.load(os.path.join(unknown, "model.onnx"))
        model.graph.node[0].op_type = "NoSuchOpAnywhere"
        onnx.save(model, os.path.join(unknown, "model.onnx"))

        tests = real + ["node/test_relu_shifted", "node/test_relu_float64",
                        "node/test_relu_unknown_op"]
        results, markdown, summary = run_harness(args, data, tests)
        for engine in ("ours", "ort"):
            for t in real:
                check(results[t][engine]["status"] == "pass", f"{engine}: {t} passes")
            r = results["node/test_relu_shifted"][engine]
            check(r["status"] == "fail" and "1 of 60 elements differ" in r["message"],
                  f"{engine}: a moved expected value is a failure naming it ({r['message']})")
            r = results["node/test_relu_float64"][engine]
            check(r["status"] == "fail" and "dtype float32, expected float64" in r["message"],
                  f"{engine}: a dtype mismatch is a failure ({r['message']})")
            r = results["node/test_relu_unknown_op"][engine]
            check(r["status"] == "error" and r["message"],
                  f"{engine}: an unknown op is an error with its first line ({r['message']})")
        check(results["node/test_relu"]["common"] and
              not results["node/test_relu_unknown_op"]["common"],
              "the common-op subset holds Relu and not an unknown op")
        check("| Relu | 4 | 1 / 2 / 1 | 1 / 2 / 1 |" in markdown,
              "the per-op table counts the Relu tests (pass / fail / error) for both engines")
        check("`node/test_relu_shifted` fail: output 'y': 1 of 60 elements differ" in markdown,
              "the report lists the failure with its first line")
        check("layerbench-cli: 3 of 6 pass" in summary and "ONNX Runtime: 3 of 6 pass" in summary,
              f"totals ({summary.strip()})")

        # sequence and optional values (`run --outputs` writes them as .pb): real tests pass;
        # a sequence with one element moved, or one element fewer, must fail
        seq_real = ["node/test_sequence_insert_at_back", "node/test_identity_opt",
                    "node/test_optional_has_element_empty", "node/test_if_seq"]
        for t in seq_real:
            family, name = t.split("/")
            copy_test(args.data, family, name, data, name)
        moved = copy_test(args.data, "node", "test_sequence_insert_at_back", data,
                          "test_sequence_insert_at_back_moved")
        shorter = copy_test(args.data, "node", "test_sequence_insert_at_back", data,
                            "test_sequence_insert_at_back_shorter")
        for folder, change in ((moved, "moved"), (shorter, "shorter")):
            path = os.path.join(folder, "test_data_set_0", "output_0.pb")
            seq = onnx.SequenceProto()
            with open(path, "rb") as f:
                seq.ParseFromString(f.read())
            items = numpy_helper.to_list(seq)
            if change == "moved":
                items[-1] = items[-1] + np.ones_like(items[-1])
            else:
                items = items[:-1]
            with open(path, "wb") as f:
                f.write(numpy_helper.from_list(items, seq.name).SerializeToString())
        seq_tests = seq_real + ["node/test_sequence_insert_at_back_moved",
                                "node/test_sequence_insert_at_back_shorter"]
        results, _, _ = run_harness(args, data, seq_tests, ["--engines", "ours"])
        for t in seq_real:
            r = results[t]["ours"]
            check(r["status"] == "pass", f"ours: {t} passes ({r['message']})")
        r = results["node/test_sequence_insert_at_back_moved"]["ours"]
        check(r["status"] == "fail" and "output 'output_sequence[" in r["message"] and
              "elements differ" in r["message"],
              f"ours: a moved element of an expected sequence is a failure naming it "
              f"({r['message']})")
        r = results["node/test_sequence_insert_at_back_shorter"]["ours"]
        check(r["status"] == "fail" and "sequence of" in r["message"],
              f"ours: a sequence of another length is a failure ({r['message']})")

        # a test folder the harness cannot map (more input files than graph inputs) is an error
        # on that test for both engines, and the run goes on
        extra = copy_test(args.data, "node", "test_relu", data, "test_relu_extra_input")
        shutil.copy(os.path.join(extra, "test_data_set_0", "input_0.pb"),
                    os.path.join(extra, "test_data_set_0", "input_1.pb"))
        results, _, _ = run_harness(args, data, ["node/test_relu_extra_input", "node/test_relu"])
        for engine in ("ours", "ort"):
            r = results["node/test_relu_extra_input"][engine]
            check(r["status"] == "error" and "cannot read the test" in r["message"] and
                  results["node/test_relu"][engine]["status"] == "pass",
                  f"{engine}: an unreadable test is an error and the others still run "
                  f"({r['message']})")

        # a hang is a failure, named, after --timeout: a CLI that never answers
        fake = os.path.join(work, "sleeping-cli")
        with open(fake, "w") as f:
            f.write("#!/bin/sh\nexec sleep 30\n")
        os.chmod(fake, os.stat(fake).st_mode | stat.S_IEXEC)
        hang_args = argparse.Namespace(cli=fake)
        results, _, _ = run_harness(hang_args, data, ["node/test_relu"],
                                    ["--timeout", "2", "--engines", "ours"])
        r = results["node/test_relu"]["ours"]
        check(r["status"] == "fail" and r["message"].startswith("hang: no result after 2 s"),
              f"a hang is a named failure ({r['message']})")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"harness checks: {passed[0]} passed, {len(failures)} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
