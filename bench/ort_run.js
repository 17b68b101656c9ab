#!/usr/bin/env node
// Runs an ONNX model with ONNX Runtime (onnxruntime-node) the way `layerbench-cli run` runs it
// with ours, so the two can be compared: same .npy inputs, outputs written as .npy under the same
// sanitised names, and a JSON timing report.
//
//   node bench/ort_run.js MODEL [--threads N] [--warmup N] [--iterations N]
//        [--input NAME=FILE.npy]... [--outputs DIR] [--json FILE|-] [--no-optimize]
//        [--profile FILE.json]   (ORT's own profiler on: its Chrome-trace JSON moved to FILE)
//   node bench/ort_run.js --make-input FILE.npy --shape 1x3x48x192 [--seed N]
//        (float32, uniform in [0, 1), from a fixed-seed generator)
//   node bench/ort_run.js --baseline   (peak RSS of node itself, with and without ORT loaded)
//
// onnxruntime-node is found under $LB_NODE_MODULES (default $HOME/.cache/layerbench/npm/
// node_modules). Exit code 2 = usage error, 1 = anything else (a missing ORT included).
'use strict';

const fs = require('fs');
const path = require('path');
const os = require('os');
const {loadOrt: loadOrtFrom, readNpy: readNpyFrom, writeNpy: writeNpyFrom, safeFileName, generator} =
    require('./ort_util');

function fail(msg, code = 1) {
  process.stderr.write(`ort_run.js: ${msg}\n`);
  process.exit(code);
}

const loadOrt = () => loadOrtFrom(fail);
const readNpy = (file) => readNpyFrom(file, fail);
const writeNpy = (file, type, dims, data) => writeNpyFrom(file, type, dims, data, fail);

// ---- statistics (nearest-rank percentiles, as lb::report::latencyStats) ----

function stats(samples) {
  const s = [...samples].sort((a, b) => a - b);
  const pct = (p) => s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
  const mean = s.reduce((a, b) => a + b, 0) / s.length;
  const median = s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  return {mean, median, p50: pct(50), p95: pct(95), p99: pct(99), min: s[0], max: s[s.length - 1],
          count: s.length};
}

function peakRssMb() {
  return process.resourceUsage().maxRSS / 1024; // maxRSS is in KiB
}

// ---- arguments ----

function parseArgs(argv) {
  const a = {threads: 1, warmup: 3, iterations: 20, inputs: {}, optimize: true, seed: 1};
  const int = (opt, v, min) => {
    if (!/^\d+$/.test(v || '') || Number(v) < min)
      fail(`${opt} takes a whole number >= ${min}, got '${v}'`, 2);
    return Number(v);
  };
  for (let i = 0; i < argv.length; ++i) {
    const o = argv[i];
    const value = () => {
      if (i + 1 >= argv.length) fail(`${o} needs a value`, 2);
      return argv[++i];
    };
    if (o === '--threads') a.threads = int(o, value(), 1);
    else if (o === '--warmup') a.warmup = int(o, value(), 0);
    else if (o === '--iterations') a.iterations = int(o, value(), 1);
    else if (o === '--seed') a.seed = int(o, value(), 0);
    else if (o === '--input') {
      const v = value();
      const eq = v.indexOf('=');
      if (eq < 0) fail('--input takes NAME=FILE.npy', 2);
      a.inputs[v.slice(0, eq)] = v.slice(eq + 1);
    } else if (o === '--outputs') a.outputs = value();
    else if (o === '--json') a.json = value();
    else if (o === '--shape') a.shape = value();
    else if (o === '--make-input') a.makeInput = value();
    else if (o === '--baseline') a.baseline = true;
    else if (o === '--no-optimize') a.optimize = false;
    else if (o === '--profile') a.profile = value();
    else if (o.startsWith('-')) fail(`unknown option '${o}'`, 2);
    else if (!a.model) a.model = o;
    else fail(`more than one model given ('${a.model}', '${o}')`, 2);
  }
  return a;
}

function uniformFloats(count, seed) {
  const next = generator(seed);
  const out = new Float32Array(count);
  for (let i = 0; i < count; ++i) out[i] = next();
  return out;
}

function emit(a, report) {
  const text = JSON.stringify(report, null, 2) + '\n';
  if (!a.json || a.json === '-') process.stdout.write(text);
  else fs.writeFileSync(a.json, text);
}

async function main() {
  const a = parseArgs(process.argv.slice(2));
  if (a.makeInput) {
    if (!a.shape || !/^\d+(x\d+)*$/.test(a.shape)) fail('--make-input needs --shape like 1x3x48x192', 2);
    const dims = a.shape.split('x').map(Number);
    writeNpy(a.makeInput, 'float32', dims, uniformFloats(dims.reduce((x, y) => x * y, 1), a.seed));
    return;
  }
  if (a.baseline) {
    // An empty node process first, then one that has loaded ORT's native library.
    const bare = peakRssMb();
    loadOrt();
    emit(a, {node_bare_peak_rss_mb: bare, node_with_ort_loaded_peak_rss_mb: peakRssMb(),
             node: process.version});
    return;
  }
  if (!a.model) fail('no model given', 2);
  const ort = loadOrt();

  const feeds = {};
  for (const [name, file] of Object.entries(a.inputs)) {
    const t = readNpy(file);
    feeds[name] = new ort.Tensor(t.type, t.data, t.dims);
  }

  const t0 = process.hrtime.bigint();
  const session = await ort.InferenceSession.create(a.model, {
    graphOptimizationLevel: a.optimize ? 'all' : 'disabled',
    intraOpNumThreads: a.threads,
    interOpNumThreads: 1,
    executionMode: 'sequential',
    executionProviders: ['cpu'],
    // ORT writes <prefix>_<date>.json when profiling ends; moved to --profile below.
    ...(a.profile ? {enableProfiling: true,
                     profileFilePrefix: path.join(path.dirname(path.resolve(a.profile)),
                                                  `ort_profile_${process.pid}`)}
                  : {}),
  });
  const sessionCreateMs = Number(process.hrtime.bigint() - t0) / 1e6;
  for (const name of session.inputNames)
    if (!(name in feeds)) fail(`${a.model}: input '${name}' not given (--input ${name}=FILE.npy)`);
  for (const name of Object.keys(feeds))
    if (!session.inputNames.includes(name))
      fail(`${a.model}: has no input '${name}' (inputs: ${session.inputNames.join(', ')})`);

  let outputs;
  for (let i = 0; i < a.warmup; ++i) outputs = await session.run(feeds);
  const runs = [];
  for (let i = 0; i < a.iterations; ++i) {
    const s = process.hrtime.bigint();
    outputs = await session.run(feeds);
    runs.push(Number(process.hrtime.bigint() - s) / 1e6);
  }
  if (a.outputs) {
    fs.mkdirSync(a.outputs, {recursive: true});
    for (const name of session.outputNames) {
      const t = outputs[name];
      writeNpy(path.join(a.outputs, safeFileName(name) + '.npy'), t.type, t.dims.map(Number), t.data);
    }
  }
  const latency = stats(runs);
  emit(a, {
    model: a.model,
    runtime: `onnxruntime-node ${ort.env.versions.common}`,
    backend: 'ort-cpu',
    threads: a.threads,
    warmup: a.warmup,
    iterations: a.iterations,
    graph_optimization: a.optimize ? 'all' : 'disabled',
    latency_ms: latency,
    throughput_per_s: 1000 / latency.mean,
    session_create_ms: sessionCreateMs,
    peak_rss_mb: peakRssMb(),
    runs_ms: runs,
    outputs: session.outputNames.map((n) => ({name: n, type: outputs[n].type,
                                             dims: outputs[n].dims.map(Number)})),
  });
  if (a.profile) {
    const dir = path.dirname(path.resolve(a.profile));
    const before = new Set(fs.readdirSync(dir));
    if (session.endProfiling) session.endProfiling();
    await session.release();
    const written = fs.readdirSync(dir).filter(
        (f) => f.startsWith(`ort_profile_${process.pid}`) && f.endsWith('.json'));
    if (written.length !== 1)
      fail(`ORT's profile was not written to ${dir} (found ${written.length} files; before: ${before.size})`);
    fs.renameSync(path.join(dir, written[0]), path.resolve(a.profile));
    return;
  }
  await session.release();
}

main().catch((e) => fail(e && e.message ? e.message : String(e)));
