#!/usr/bin/env node
// ONNX Runtime's fused QLinear kernels one by one, on a model's own calibrated scales and data.
// Takes two forms of one QDQ model (bench/qdq_probe: quant::exposeQuantizedTensors and
// quant::isolateQuantizedKernels): PROBE, where every quantized activation is also a graph
// output, and ISLANDS, where every reader of a quantized tensor T reads a graph input T_in
// instead, so each DequantizeLinear -> op -> QuantizeLinear group stands alone. PROBE runs once
// with graph optimizations off; its integer tensors feed ISLANDS at ORT's four optimization
// levels, so at 'extended' and 'all' each fused kernel (QLinearConv, QLinearAdd, QLinearMul,
// QLinearGlobalAveragePool, QLinearSigmoid, QLinearConcat, QLinearMatMul, QLinearSoftmax, ...)
// computes from exactly the integers the unfused graph computes from at 'disabled'. A kernel
// may round its requantization one step apart (integer arithmetic against float
// QuantizeLinear); more is the kernel at fault (QLinearSoftmax's overflow read a class as 0).
//
//   node bench/qdq_kernels.js PROBE.onnx ISLANDS.onnx --tensors TENSORS.json
//        [--input NAME=FILE.npy]... [--max-lsb 1] [--threads N] [--json FILE]
//
// TENSORS.json: [{"name": T, "op": "Conv"}, ...] (what computes each quantized tensor).
// Writes ORT's optimized ISLANDS at 'all' next to --json (.ort_all.onnx) when --json is given.
// Exit code 0 when every kernel is within --max-lsb at every level, 1 otherwise or on an error,
// 2 on a usage error.
'use strict';

const fs = require('fs');
const {loadOrt: loadOrtFrom, readNpy: readNpyFrom} = require('./ort_util');

function fail(msg, code = 1) {
  process.stderr.write(`qdq_kernels.js: ${msg}\n`);
  process.exit(code);
}

function parseArgs(argv) {
  const a = {inputs: {}, threads: 1, maxLsb: 1, models: []};
  for (let i = 0; i < argv.length; ++i) {
    const o = argv[i];
    const value = () => {
      if (i + 1 >= argv.length) fail(`${o} needs a value`, 2);
      return argv[++i];
    };
    if (o === '--json') a.json = value();
    else if (o === '--tensors') a.tensors = value();
    else if (o === '--threads') a.threads = Number(value());
    else if (o === '--max-lsb') a.maxLsb = Number(value());
    else if (o === '--input') {
      const v = value();
      const eq = v.indexOf('=');
      if (eq < 0) fail('--input takes NAME=FILE.npy', 2);
      a.inputs[v.slice(0, eq)] = v.slice(eq + 1);
    } else if (o.startsWith('-')) fail(`unknown option '${o}'`, 2);
    else a.models.push(o);
  }
  if (a.models.length !== 2 || !a.tensors) fail('needs PROBE.onnx ISLANDS.onnx --tensors FILE', 2);
  if (!(a.maxLsb >= 0)) fail('--max-lsb takes a number >= 0', 2);
  return a;
}

async function run(ort, model, feeds, level, threads, optimizedPath) {
  const options = {graphOptimizationLevel: level, intraOpNumThreads: threads, interOpNumThreads: 1,
                   executionMode: 'sequential', executionProviders: ['cpu']};
  if (optimizedPath) options.optimizedModelFilePath = optimizedPath;
  const session = await ort.InferenceSession.create(model, options);
  for (const name of session.inputNames)
    if (!(name in feeds)) fail(`${model}: input '${name}' not given`);
  const out = await session.run(feeds);
  await session.release();
  return out;
}

async function main() {
  const a = parseArgs(process.argv.slice(2));
  const ort = loadOrtFrom(fail);
  const tensors = JSON.parse(fs.readFileSync(a.tensors, 'utf8'));
  const feeds = {};
  for (const [name, file] of Object.entries(a.inputs)) {
    const t = readNpyFrom(file, fail);
    feeds[name] = new ort.Tensor(t.type, t.data, t.dims);
  }
  const [probeModel, islandsModel] = a.models;
  const probe = await run(ort, probeModel, feeds, 'disabled', a.threads);
  const islandFeeds = {...feeds};
  for (const t of tensors) {
    if (!(t.name in probe)) fail(`${probeModel}: no output '${t.name}'`);
    islandFeeds[`${t.name}_in`] = probe[t.name];
  }
  const levels = ['disabled', 'basic', 'extended', 'all'];
  const results = {};
  for (const level of levels)
    results[level] = await run(ort, islandsModel, islandFeeds, level, a.threads,
                               level === 'all' && a.json ? a.json.replace(/\.json$/, '') + '.ort_all.onnx' : null);
  const rows = [];
  let ok = true;
  const summary = {};
  for (const t of tensors) {
    const base = results.disabled[t.name];
    // The islands at 'disabled' are the probe's own computation.
    let sameAsProbe = base.data.length === probe[t.name].data.length;
    for (let i = 0; sameAsProbe && i < base.data.length; ++i)
      sameAsProbe = base.data[i] === probe[t.name].data[i];
    const row = {tensor: t.name, op: t.op, elements: base.data.length, same_as_probe: sameAsProbe,
                 levels: {}};
    ok = ok && sameAsProbe;
    for (const level of levels.slice(1)) {
      const d = results[level][t.name].data;
      let max = 0, differing = 0, over = 0, worst = 0;
      for (let i = 0; i < d.length; ++i) {
        const x = Math.abs(d[i] - base.data[i]);
        if (x > max) { max = x; worst = i; }
        if (x > 0) ++differing;
        if (x > 1) ++over;
      }
      row.levels[level] = {max_lsb: max, differing_elements: differing, over_1_lsb_elements: over,
                           disabled: base.data[worst], value: d[worst]};
      ok = ok && max <= a.maxLsb;
      summary[level] = summary[level] || {};
      const s = summary[level][t.op] = summary[level][t.op] ||
          {tensors: 0, max_lsb: 0, differing_elements: 0, elements: 0};
      s.tensors += 1;
      s.max_lsb = Math.max(s.max_lsb, max);
      s.differing_elements += differing;
      s.elements += d.length;
    }
    rows.push(row);
  }
  const report = {probe: probeModel, islands: islandsModel,
                  runtime: `onnxruntime-node ${ort.env.versions.common}`, max_lsb_allowed: a.maxLsb,
                  pass: ok, summary, tensors: rows};
  if (a.json) fs.writeFileSync(a.json, JSON.stringify(report, null, 1) + '\n');
  for (const level of levels.slice(1))
    for (const [op, s] of Object.entries(summary[level]))
      process.stderr.write(`${s.max_lsb <= a.maxLsb ? 'ok  ' : 'FAIL'} ${op} (ORT ${level}): ` +
                           `${s.tensors} tensors, max ${s.max_lsb} LSB, ${s.differing_elements}/` +
                           `${s.elements} elements differ\n`);
  for (const r of rows)
    if (!r.same_as_probe) process.stderr.write(`FAIL ${r.tensor}: islands differ from the probe at 'disabled'\n`);
  process.exit(ok ? 0 : 1);
}

main().catch((e) => fail(e && e.message ? e.message : String(e)));
