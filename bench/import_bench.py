#!/usr/bin/python3
"""Import speed of `layerbench-cli info` against Python onnx's load + check + shape inference.

For each model (default: the 100,000-node chains bench/make_chain_model.py writes, without and
with value_info), runs in alternating order, ROUNDS times:
  ours:   `layerbench-cli info MODEL` as a user runs it: the whole process (start, import with
          the onnx checker and shape inference, our IR, the summary, printing, exit);
  python: /usr/bin/python3 doing onnx.load(MODEL); onnx.checker.check_model(m);
          onnx.shape_inference.infer_shapes(m), timed inside the interpreter (its start-up and
          `import onnx` are not counted: the reference gets the benefit of the doubt).
Reports the median wall time and the median CPU time (user + sys; on a shared machine the CPU
time moves less with the load) of each, and ours / python. Target (issue #13): ours <= 1.5x.

    /usr/bin/python3 bench/import_bench.py [--cli build/app/cli/layerbench-cli] [--rounds 7]
        [--nodes 100000] [--models A.onnx,B.onnx] [--extra-models C.onnx] [--update-results]

Debian's python3-onnx and numpy are visible to /usr/bin/python3 only.
"""

import argparse
import os
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
SECTION_TITLE = "Import speed: info on a 100,000-node chain vs Python onnx"

PY_REFERENCE = r"""
import sys, time, onnx
t0, c0 = time.perf_counter(), time.process_time()
m = onnx.load(sys.argv[1])
onnx.checker.check_model(m)
onnx.shape_inference.infer_shapes(m)
print(time.perf_counter() - t0, time.process_time() - c0)
"""


def run_ours(cli, model):
    start = time.perf_counter()
    proc = subprocess.Popen([cli, "info", model], stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    err = proc.stderr.read().decode(errors="replace")
    proc.stderr.close()
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"import_bench.py: layerbench-cli info {model} failed: {err.strip()}")
    return wall, usage.ru_utime + usage.ru_stime


def run_python(model):
    out = subprocess.run(["/usr/bin/python3", "-c", PY_REFERENCE, model], capture_output=True,
                         text=True)
    if out.returncode != 0:
        raise SystemExit(f"import_bench.py: python onnx failed on {model}: {out.stderr.strip()}")
    wall, cpu = map(float, out.stdout.split())
    return wall, cpu


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--cli", default=os.path.join(ROOT, "build", "app", "cli", "layerbench-cli"))
    p.add_argument("--rounds", type=int, default=7)
    p.add_argument("--nodes", type=int, default=100000)
    p.add_argument("--models", help="comma-separated .onnx files instead of the generated chains")
    p.add_argument("--extra-models", help="comma-separated .onnx files measured after the chains")
    p.add_argument("--update-results", action="store_true")
    a = p.parse_args()

    out_dir = os.path.join(HERE, "out", "import")
    os.makedirs(out_dir, exist_ok=True)
    if a.models:
        models = a.models.split(",")
    else:
        models = []
        for suffix, extra in (("", []), ("-vi", ["--value-info"])):
            path = os.path.join(out_dir, f"chain-{a.nodes}{suffix}.onnx")
            if not os.path.exists(path):
                subprocess.run(["/usr/bin/python3", os.path.join(HERE, "make_chain_model.py"),
                                path, "--nodes", str(a.nodes)] + extra, check=True,
                               stdout=subprocess.DEVNULL)
            models.append(path)
    if a.extra_models:
        models += a.extra_models.split(",")

    rows = []
    for model in models:
        ours, ref = [], []
        run_ours(a.cli, model)  # warm the page cache for both
        for r in range(a.rounds):
            # alternate which goes first, so a noisy stretch of the machine hits both alike
            pair = [("ours", lambda: run_ours(a.cli, model)), ("py", lambda: run_python(model))]
            for name, fn in (pair if r % 2 == 0 else pair[::-1]):
                (ours if name == "ours" else ref).append(fn())
        med = lambda xs, i: statistics.median(x[i] for x in xs)
        row = {"model": os.path.basename(model), "size_mb": os.path.getsize(model) / 1e6,
               "ours_wall": med(ours, 0), "ours_cpu": med(ours, 1),
               "py_wall": med(ref, 0), "py_cpu": med(ref, 1)}
        rows.append(row)
        print(f"{row['model']}: ours wall {row['ours_wall']:.2f} s cpu {row['ours_cpu']:.2f} s; "
              f"python wall {row['py_wall']:.2f} s cpu {row['py_cpu']:.2f} s; ratio wall "
              f"{row['ours_wall'] / row['py_wall']:.2f} cpu {row['ours_cpu'] / row['py_cpu']:.2f}",
              file=sys.stderr)

    table = ["| model | MB | ours wall s | python wall s | ratio wall | ours CPU s | python CPU s "
             "| ratio CPU |", "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for r in rows:
        table.append(f"| {r['model']} | {r['size_mb']:.1f} | {r['ours_wall']:.2f} | "
                     f"{r['py_wall']:.2f} | **{r['ours_wall'] / r['py_wall']:.2f}** | "
                     f"{r['ours_cpu']:.2f} | {r['py_cpu']:.2f} | "
                     f"**{r['ours_cpu'] / r['py_cpu']:.2f}** |")
    print("\n".join(table))
    if a.update_results:
        update_results(table, a)
    return 0


def update_results(table, a):
    path = os.path.join(HERE, "RESULTS.md")
    begin, end = "<!-- import-bench:begin -->", "<!-- import-bench:end -->"
    commit = subprocess.run(["git", "-C", ROOT, "log", "-1", "--format=%h"], capture_output=True,
                            text=True).stdout.strip()
    load = os.getloadavg()[0]
    cmd = ("/usr/bin/python3 bench/import_bench.py " + " ".join(sys.argv[1:])).replace(
        ROOT + os.sep, "")
    section = "\n".join([
        begin, f"## {SECTION_TITLE}", "",
        f"Command: `{cmd}` (or `bench/run_import_bench.sh`, which builds the CLI first). Measured "
        f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} on commit {commit}, "
        f"{os.cpu_count()} cores, load average {load:.1f} at the end; medians of {a.rounds} "
        "rounds, the two sides alternating. Ours is the whole `layerbench-cli info` process; "
        "Python's is onnx.load + onnx.checker.check_model + onnx.shape_inference.infer_shapes "
        "timed inside the interpreter (its start-up not counted). CPU = user + sys. The models: "
        "`bench/make_chain_model.py` (Conv -> Relu -> Add blocks on 1x8x16x16, opset 13; `-vi`: "
        "with every intermediate shape in value_info); `chain-100k.onnx` is lb-bench-graphs' "
        "chain family (bench/synthetic_graphs.cpp, written by our exporter) where "
        "run_import_bench.sh adds it. Target (issue #13): ratio <= 1.5.", "",
        *table, end, ""])
    text = open(path).read() if os.path.exists(path) else ""
    if begin in text and end in text:
        pre, rest = text.split(begin, 1)
        post = rest.split(end, 1)[1].lstrip("\n")
        text = pre + section + ("\n" + post if post else "")
    else:
        text = text.rstrip("\n") + "\n\n" + section
    with open(path, "w") as f:
        f.write(text)


if __name__ == "__main__":
    sys.exit(main())
